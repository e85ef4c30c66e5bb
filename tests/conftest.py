"""Shared test fixtures: golden files, the article's audio built once per session."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = ROOT / "source" / "article.md"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff before committing)",
    )


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


@pytest.fixture(scope="session")
def article_audio(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The article's audio, built once per session (offline engine) and shared."""
    from pipeline.audio.writer import build_audio
    from pipeline.build import load

    base = tmp_path_factory.mktemp("article-audio")
    return build_audio(
        load(ARTICLE),
        base / "out",
        "article",
        engine_name="pyttsx3",
        rate=175,
        cache_dir=base / "cache",
    )
