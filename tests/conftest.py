"""Shared test helpers: documents from Markdown text, and the golden-file flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import transforms
from pipeline.model import Document
from pipeline.parse import parse
from pipeline.source import SourceText

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def document_from(markdown: str, directory: Path | None = None) -> Document:
    """Parse and transform Markdown text as if read from ``directory/test.md``."""
    folder = directory or FIXTURES
    source = SourceText(str(folder / "test.md"), markdown, folder)
    return transforms.apply(parse(source))
