"""Tables and code in paginated readers and narrow pages (issue 18)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import FIXTURES
from epub_helpers import Book, book_from
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, BrowserContext

from pipeline.build import load
from pipeline.document import transforms
from pipeline.document.parse import parse
from pipeline.document.source import SourceText
from pipeline.formats import codelines, tables
from pipeline.formats.html import page
from pipeline.formats.render import Renderer
from pipeline.formats.typography import heading_text

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
    assert "@media not all and (min-width: 40.0625em) {\n  table.stack-8, table.stack-8 >" in css
    assert 'content: attr(data-label); content: attr(data-label) / "";' in css
    assert "pre.lines .cl { display: flex; }" in css


def test_html_keeps_the_named_region_as_a_last_resort() -> None:
    markup = page(load(BOOK))
    assert '<div class="table-scroll" tabindex="0" role="region"' in markup
    assert '<table id="table-1" class="wide stack-8">' in markup


@pytest.mark.parametrize(
    ("columns", "expected"),
    [(1, ""), (3, ""), (4, "stack-4"), (7, "stack-7"), (8, "stack-8"), (30, "stack-8")],
)
def test_tables_of_four_columns_or_more_stack(columns: int, expected: str) -> None:
    assert tables.stack_class(columns) == expected


def test_labels_are_the_headers_text_and_empty_past_the_header_row() -> None:
    assert tables.labels(["Pop-up notes ", "Code"], 3) == ["Pop-up notes", "Code", ""]


#: Header text, quotes and ampersands included (the label is an attribute value).
HEADER = st.text(alphabet="abcdéxyz &\"'", min_size=1, max_size=12).filter(str.strip)


@given(st.lists(HEADER, min_size=1, max_size=10), st.integers(1, 3), st.booleans())
def test_only_wide_tables_label_their_cells(headers: list[str], rows: int, paginated: bool) -> None:
    """Every body cell of a table of 4 columns or more carries its column's header; no
    cell of a narrower table carries anything, on the page and in the EPUB alike."""
    body = [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *(["| " + " | ".join("v" for _ in headers) + " |"] * rows),
    ]
    text = "---\ntitle: T\nlang: fr\n---\n\n" + "\n".join(body) + "\n"
    document = transforms.apply(parse(SourceText(text=text, path="t.md", directory=Path())))
    markup = Renderer(document, paginated=paginated).block(document.sections[0].blocks[0])
    ET.fromstring(markup)  # noqa: S314 - our own output; well-formed, as XHTML needs
    labels = [html.unescape(v) for v in re.findall(r'data-label="([^"]*)"', markup)]
    if len(headers) >= tables.STACK_FROM:
        assert f'class="wide stack-{min(len(headers), 8)}"' in markup
        # The header as the page sets it: French quotation marks and spaces included.
        assert labels == [heading_text(h, "fr").strip() for h in headers] * rows
    else:
        assert labels == []
        assert "stack-" not in markup


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


#: Each body cell of the first table: its width in ems of its own text, its visible
#: label (generated content), the words it splits across lines, and the table's layout.
CELLS = """() => {
    const table = document.querySelector("table");
    const cells = [...table.querySelectorAll("tbody td, tbody th")].map(cell => {
        const split = [];
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const tops = new Set([...range.getClientRects()].map(b => Math.round(b.top)));
                if (tops.size > 1) split.push(word[0]);
            }
        }
        return {
            ems: cell.getBoundingClientRect().width / parseFloat(getComputedStyle(cell).fontSize),
            label: getComputedStyle(cell, "::before").content,
            split,
        };
    });
    const head = table.querySelector("thead").getBoundingClientRect();
    const box = table.getBoundingClientRect(), body = document.body.getBoundingClientRect();
    return {display: getComputedStyle(table).display, headHeight: head.height, cells,
            fits: box.left >= body.left && box.right <= body.right};
}"""


def _open(browser: Browser, path: Path, scheme: str, width: int) -> BrowserContext:
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 640})
    context.new_page().goto(path.as_uri())
    return context


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_table_stacks_at_320px_with_every_cell_labelled(
    browser: Browser, tmp_path: Path, scheme: str
) -> None:
    path = tmp_path / "book.html"
    path.write_text(page(load(BOOK)), encoding="utf-8")
    headers = [
        "Reading system", "Version", "Tables", "Code", "Page list", "Pop-up notes",
        "Media overlays", "Text to speech",
    ]  # fmt: skip
    context = _open(browser, path, scheme, 320)
    try:
        shown = context.pages[0].evaluate(CELLS)
    finally:
        context.close()
    assert shown["display"] == "block"
    assert shown["headHeight"] <= 1  # the header row is there for screen readers only
    assert len(shown["cells"]) == 3 * len(headers)
    for i, cell in enumerate(shown["cells"]):
        # The column's header, shown, with the empty alternative text: not read again.
        assert cell["label"] == f'"{headers[i % len(headers)]}" / ""'
        assert cell["ems"] >= 15, cell  # the whole width: no cell is a sliver
        assert cell["split"] == [], cell


@pytest.mark.parametrize(("width", "layout"), [(640, "block"), (641, "table"), (1280, "table")])
def test_wide_table_is_a_table_where_its_columns_fit(
    browser: Browser, tmp_path: Path, width: int, layout: str
) -> None:
    """8 columns x 5em = 40em = 640 px: from there on, the columns fit and no word splits."""
    path = tmp_path / "book.html"
    path.write_text(page(load(BOOK)), encoding="utf-8")
    context = _open(browser, path, "light", width)
    try:
        shown = context.pages[0].evaluate(CELLS)
    finally:
        context.close()
    assert shown["display"] == layout
    for cell in shown["cells"]:
        assert cell["ems"] >= 3, cell
        assert cell["split"] == [], cell


def test_narrow_tables_stay_tables_at_320px(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "tables.html"
    path.write_text(page(load(FIXTURES / "html" / "tables.md")), encoding="utf-8")
    context = _open(browser, path, "light", 320)
    try:
        layouts = context.pages[0].evaluate(
            """() => [...document.querySelectorAll("table")].map(t => [
                t.querySelector("tbody tr").cells.length, getComputedStyle(t).display])"""
        )
    finally:
        context.close()
    assert layouts == [[3, "table"], [2, "table"], [4, "block"]]


@pytest.mark.parametrize(("width", "layout"), [(320, "block"), (800, "table")])
def test_the_epub_chapter_stacks_its_wide_table_in_a_chromium_reading_system(
    browser: Browser, book: Book, tmp_path: Path, width: int, layout: str
) -> None:
    """The EPUB's own chapter and style sheet, as a Chromium-based reading system (Thorium,
    calibre's viewer) lays them out in a page of that width."""
    folder = tmp_path / "EPUB"
    folder.mkdir()
    for name in ("01-measurements.xhtml", "book.css"):
        (folder / name).write_text(book.text(f"EPUB/{name}"), encoding="utf-8")
    context = _open(browser, folder / "01-measurements.xhtml", "light", width)
    try:
        shown = context.pages[0].evaluate(CELLS)
    finally:
        context.close()
    assert shown["display"] == layout
    assert shown["fits"], "the table runs off the page"
    if layout == "block":
        assert shown["headHeight"] <= 1
        assert shown["cells"][1]["label"] == '"Version" / ""'
        assert all(cell["split"] == [] for cell in shown["cells"]), shown


def _table_tree(browser: Browser, path: Path, scheme: str, width: int) -> list[tuple[str, str]]:
    """The first table in Chromium's accessibility tree: (role, name) in document order."""
    context = _open(browser, path, scheme, width)
    try:
        view = context.pages[0]
        session = context.new_cdp_session(view)
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        context.close()
    by_id = {n["nodeId"]: n for n in nodes}
    [table] = [n for n in nodes if n.get("role", {}).get("value") == "table"]
    out: list[tuple[str, str]] = []
    stack = [table["nodeId"]]
    while stack:
        node = by_id[stack.pop()]
        role = str(node.get("role", {}).get("value", ""))
        if not node.get("ignored") and role not in ("StaticText", "InlineTextBox"):
            out.append((role, str(node.get("name", {}).get("value", ""))))
        stack.extend(reversed([c for c in node.get("childIds", []) if c in by_id]))
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_stacked_table_is_still_a_table_to_screen_readers(
    browser: Browser, tmp_path: Path, scheme: str
) -> None:
    """At 320 px Chromium exposes the same table as at 1280 px: rows, column headers and
    cells, each cell named by its text alone (the visible label is not read again)."""
    path = tmp_path / "book.html"
    path.write_text(page(load(BOOK)), encoding="utf-8")
    wide = _table_tree(browser, path, scheme, 1280)
    narrow = _table_tree(browser, path, scheme, 320)
    assert narrow == wide
    roles = [role for role, _ in narrow]
    assert roles.count("row") == 4
    assert roles.count("columnheader") == 8
    assert roles.count("cell") == 24
    cells = [name for role, name in narrow if role == "cell"]
    assert cells[:3] == ["Thorium Reader", "3.0.0", "wrapped"]


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
