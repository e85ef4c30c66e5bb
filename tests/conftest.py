"""Shared test fixtures: golden files, documents from Markdown text, browsers and validators."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from pipeline.check import axe as validate_axe
from pipeline.document import transforms
from pipeline.document.model import Document
from pipeline.document.parse import parse
from pipeline.document.source import SourceText

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# The suite's audio builds (and the ``publish`` processes they start) use espeak-ng, which
# speaks ~100x faster than Piper: tests of the default engine choice and of Piper remove this.
os.environ.setdefault("PUBLISH_ENGINE", "pyttsx3")

# Hypothesis times each example against a 200 ms deadline by default: on a shared, busy
# machine a first example that imports a library or waits for a core fails it. Speed lives
# in the benchmarks, so no property test has a deadline.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLE = ROOT / "source" / "article.md"
DEV_VALIDATORS = ROOT / "tools" / "validators"
"""The checkout's validators folder (``nox -s tests`` fills it): the product finds it through
``PUBLISH_VALIDATORS``, set here for this process and the ``publish`` processes tests start,
so no test reads or writes the user's data directory."""
os.environ["PUBLISH_VALIDATORS"] = os.environ.get("PUBLISH_VALIDATORS") or str(DEV_VALIDATORS)


#: Markers a test gets from the fixtures it uses (``-m "not browser and not jvm"`` runs
#: without Chromium and Java); modules that start a browser or a JVM otherwise mark
#: themselves with ``pytestmark``.
FIXTURE_MARKERS = {
    "playwright_driver": "browser",
    "browser": "browser",
    "media_browser": "browser",
    "vnu_messages": "jvm",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for name in sorted({m for f, m in FIXTURE_MARKERS.items() if f in used}):
            item.add_marker(name)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff before committing)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/<name>``; ``--update-golden`` rewrites it."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"golden/{name}",
                    "actual",
                )
            )
            pytest.fail(f"output differs from golden/{name}:\n{diff[:6000]}")

    return check


@pytest.fixture
def write_source(tmp_path: Path) -> Callable[..., Path]:
    """Write a manuscript into a fresh folder and return its path."""

    def write(text: str | bytes, name: str = "doc.md") -> Path:
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def article_audio(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The article's audio, built once per session (offline engine) and shared."""
    from audiotools import offline_audio

    base = tmp_path_factory.mktemp("article-audio")
    return offline_audio(ARTICLE, base / "out", "article", base / "cache")


@pytest.fixture(scope="session")
def features_audio(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The narration fixture's audio (footnote, table, lists), built once per session."""
    from audiotools import offline_audio

    base = tmp_path_factory.mktemp("features-audio")
    return offline_audio(
        FIXTURES / "narration" / "features.md", base / "out", "features", base / "cache"
    )


def document_from(markdown: str, directory: Path | None = None) -> Document:
    """Parse and transform Markdown text as if read from ``directory/test.md``."""
    folder = directory or FIXTURES
    source = SourceText(str(folder / "test.md"), markdown, folder)
    return transforms.apply(parse(source))


# ----------------------------------------------------------------- browsers and validators

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = validate_axe.CHROMIUM_ARGS  # one list of flags for the product and the tests
NODE_MODULES = Path(os.environ["PUBLISH_VALIDATORS"]) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = (
    "run `python3 -m nox -s tests` (or `PUBLISH_VALIDATORS=tools/validators publish check "
    "--install-validators`)"
)


def _require(path: Path, what: str) -> Path:
    """A missing validator fails the test: it is never a skip."""
    if not path.exists():
        pytest.fail(f"{what} not found at {path}; {SETUP_HINT}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def page_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The article, feature and hostile pages written once per session."""
    from pages import pages

    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name, html in pages().items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        written[name] = path
    return written


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright driver for the session (its sync API allows only one at a time)."""
    from playwright.sync_api import sync_playwright

    _require(CHROMIUM, "Chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    launched = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def media_browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Chromium that may play audio without a user gesture (the listen-along tests)."""
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
    )
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, as pinned in pipeline/check/validators/package-lock.json."""
    return _require(AXE, "axe-core").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_messages(page_files: dict[str, Path]) -> dict[str, list[dict[str, object]]]:
    """The Nu HTML Checker's messages for every page, from one JVM run."""
    import json
    import shutil
    import subprocess

    java = shutil.which("java")
    if java is None:
        pytest.fail(f"java not found; {SETUP_HINT}", pytrace=False)
    jar = _require(VNU, "vnu.jar")
    files = [str(p) for p in page_files.values()]
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    by_page: dict[str, list[dict[str, object]]] = {name: [] for name in page_files}
    for message in report["messages"]:
        for name, path in page_files.items():
            if str(message.get("url", "")).endswith("/" + path.name):
                by_page[name].append(message)
    return by_page
