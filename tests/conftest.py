"""Shared test fixtures: golden files, small source builders, documents from Markdown text."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import transforms
from pipeline.model import Document
from pipeline.parse import parse
from pipeline.source import SourceText

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLE = ROOT / "source" / "article.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))


def document_from(markdown: str, directory: Path | None = None) -> Document:
    """Parse and transform Markdown text as if read from ``directory/test.md``."""
    folder = directory or FIXTURES
    source = SourceText(str(folder / "test.md"), markdown, folder)
    return transforms.apply(parse(source))
