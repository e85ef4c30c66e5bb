"""The pages the HTML tests check: the article, the feature fixture, the hostile one and
the feature fixture's accessibility statement."""

from __future__ import annotations

from pathlib import Path

from pipeline.build import load
from pipeline.document import transforms
from pipeline.document.parse import parse
from pipeline.document.source import read_source
from pipeline.formats import statement
from pipeline.formats.a11y_metadata import compute
from pipeline.formats.html import page

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLE = ROOT / "source" / "article.md"
FEATURES = FIXTURES / "features" / "features.md"
HOSTILE = FIXTURES / "hostile" / "hostile.md"


def hostile_page() -> str:
    """The hostile fixture rendered despite its errors, to prove the renderer's own defences.

    ``publish build`` refuses it (I001, I002); this bypasses that refusal on purpose.
    """
    return page(transforms.apply(parse(read_source(HOSTILE))))


def pages() -> dict[str, str]:
    """Every page by name."""
    return {
        "article": page(load(ARTICLE)),
        "features": page(load(FEATURES)),
        "hostile": hostile_page(),
        "statement": statement_page(),
    }


def statement_page() -> str:
    """``<stem>.accessibility.html`` of the feature fixture (images, tables, notes)."""
    document = load(FEATURES)
    return statement.page(compute(document), document.metadata.lang, document.metadata.title)
