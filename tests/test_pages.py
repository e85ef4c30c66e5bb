"""Tables and code in paginated readers and narrow pages (issue 18)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from epub_helpers import Book, book_from
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser

from pipeline.build import load
from pipeline.formats import codelines
from pipeline.formats.html import page

PAGES = FIXTURES / "pages"
BOOK = PAGES / "book.md"


def _cases(path: Path) -> list[tuple[str, str]]:
    body = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
    cases = []
    for block in body.split("\n====\n"):
        source, expected = block.split("\n----\n")
        visible = {"·": " ", "→": "\t", "¶": "\n"}
        cases.append(
            (
                "".join(visible.get(c, c) for c in source) + "\n",
                "".join(visible.get(c, c) for c in expected.strip("\n")),
            )
        )
    return cases


@pytest.mark.parametrize(("source", "expected"), _cases(PAGES / "code-lines.txt"))
def test_code_lines_case(source: str, expected: str) -> None:
    assert codelines.lines(source) == expected


CODE_TEXT = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n")


@given(st.text(alphabet=CODE_TEXT, max_size=200))
def test_code_lines_keep_the_source_text(source: str) -> None:
    """With the tags taken away, the markup is the source: copying or reading loses nothing."""
    shown = html.unescape(re.sub(r"<[^>]*>", "", codelines.lines(source)))
    assert shown == source.removesuffix("\n") + "\n"


@pytest.fixture(scope="module")
def book() -> Book:
    return book_from(BOOK)


def test_epub_tables_have_no_scroll_wrapper(book: Book) -> None:
    chapter = book.text("EPUB/01-measurements.xhtml")
    assert "table-scroll" not in chapter
    assert 'role="region"' not in chapter.split("<table")[0].rsplit("<p", 1)[-1]
    assert '<table id="table-1" class="wide stack-8">' in chapter
    assert '<td class="align-right" data-label="Version">3.0.0</td>' in chapter
    css = book.text("EPUB/book.css")
    assert "overflow-x" not in css
    assert "@media (max-width: 40em) {\n  table.stack-8, table.stack-8 > caption" in css
    assert 'content: attr(data-label); content: attr(data-label) / "";' in css
    assert "pre.lines .cl { display: flex; }" in css


def test_html_keeps_the_named_region_as_a_last_resort() -> None:
    markup = page(load(BOOK))
    assert '<div class="table-scroll" tabindex="0" role="region"' in markup
    assert '<table id="table-1" class="wide stack-8">' in markup


NARROW = {"viewport": {"width": 320, "height": 640}}

FITS = """() => {
    const shown = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
    const caption = document.querySelector("caption");
    const region = document.querySelector(".table-scroll");
    return {
        page: document.documentElement.scrollWidth <= innerWidth,
        region: region.scrollWidth <= region.clientWidth,
        caption: shown(caption)[0] >= 0 && shown(caption)[1] <= innerWidth
            && caption.scrollWidth <= caption.clientWidth,
    };
}"""

#: Every wrapped code line: where its continuation starts, and where its text starts.
INDENTS = """() => [...document.querySelectorAll("pre .cl")].map(line => {
    const text = line.querySelector(".cc");
    const range = document.createRange();
    range.selectNodeContents(text);
    const boxes = [...range.getClientRects()];
    return {first: boxes.length ? boxes[0].left : 0,
            rest: boxes.slice(1).map(b => b.left), lines: boxes.length};
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_table_and_long_code_fit_at_320px(
    browser: Browser, tmp_path: Path, scheme: str
) -> None:
    path = tmp_path / "book.html"
    path.write_text(page(load(BOOK)), encoding="utf-8")
    context = browser.new_context(color_scheme=scheme, **NARROW)
    try:
        view = context.new_page()
        view.goto(path.as_uri())
        assert view.evaluate(FITS) == {"page": True, "region": True, "caption": True}
        lines = view.evaluate(INDENTS)
        wrapped = [line for line in lines if line["lines"] > 1]
        assert len(wrapped) >= 3  # the fixture's long lines do wrap at 320 px
        for line in wrapped:
            # A continuation starts two columns in from the line's first character.
            assert all(left > line["first"] + 1 for left in line["rest"]), line
    finally:
        context.close()


def test_screenshots_of_the_paged_book_at_320px(
    browser: Browser, axe_source: str, tmp_path: Path
) -> None:
    """320 px, light and dark: a wide table, a figure, long code, notes and page breaks.

    Pictures for a person to look at (``nox -s screenshots`` keeps them in
    ``outputs/screenshots/``); axe checks each one first.
    """
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "book.html"
    path.write_text(page(load(BOOK)), encoding="utf-8")
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, **NARROW)
        try:
            view = context.new_page()
            view.goto(path.as_uri())
            view.evaluate(axe_source)
            assert view.evaluate("axe.run().then(r => r.violations.map(v => v.id))") == []
            shot = folder / f"pages-narrow-{scheme}.png"
            view.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
        finally:
            context.close()
