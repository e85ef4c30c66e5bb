"""Page breaks of a print edition: markers, page list, metadata, narration, overlays."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, document_from
from epub_helpers import Book, book_from
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document.model import Paragraph, Text
from pipeline.document.pages import LABEL, page_breaks
from pipeline.formats import overlays, sync
from pipeline.formats.html import page
from pipeline.formats.render import Renderer

BOOK = FIXTURES / "pages" / "book.md"
FRONT = "---\ntitle: T\nlang: en\nidentifier: urn:x:pages\nsource: urn:isbn:9780000000002\n---\n"
SPAN = re.compile(r'<span id="page-[^"]*"[^>]*></span>')
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SMIL = "{http://www.w3.org/ns/SMIL}"


def _cases(path: Path) -> list[tuple[str, list[str]]]:
    body = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("# ")
    )
    cases = []
    for block in body.strip("\n").split("\n====\n"):
        source, _, expected = block.partition("\n----")
        cases.append((source, [line for line in expected.splitlines() if line]))
    return cases


@pytest.mark.parametrize(("source", "expected"), _cases(FIXTURES / "pages" / "page-breaks.txt"))
def test_page_break_case(source: str, expected: list[str]) -> None:
    document = document_from(FRONT + source + "\n")
    renderer = Renderer(document, paginated=True)
    body = "".join(renderer.section(s) for s in document.sections)
    found = SPAN.findall(body)
    found += [f"{d.line}:{d.col} {d.code}" for d in document.diagnostics if d.code.startswith("P")]
    assert found == expected


def test_without_a_source_p004_points_at_the_first_marker() -> None:
    document = document_from("---\ntitle: T\nlang: en\n---\n\nOne.\n\nTwo {pb=2}.\n")
    assert [(d.code, d.line, d.col) for d in document.diagnostics if d.code[0] == "P"] == [
        ("P004", 8, 5)
    ]


def test_the_page_has_no_epub_type_but_the_same_role() -> None:
    markup = page(document_from(FRONT + "Text {pb=12} more.\n"))
    assert '<span id="page-12" class="pagebreak" role="doc-pagebreak" title="12">' in markup
    assert "epub:type" not in markup


LABELS = st.from_regex(LABEL, fullmatch=True)
WORDS = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "Zs")), max_size=20)


@settings(deadline=None)  # parsing a document: its first run imports and warms caches
@given(st.lists(st.tuples(WORDS, LABELS), min_size=1, max_size=5), WORDS)
def test_markers_become_page_breaks_and_the_text_around_them_stays(
    pieces: list[tuple[str, str]], tail: str
) -> None:
    text = "".join(f"{words}{{pb={label}}}" for words, label in pieces) + tail
    document = document_from(FRONT + "x " + text + "\n")
    assert [b.label for b in page_breaks(document)] == [label for _, label in pieces]
    paragraph = document.sections[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    kept = "".join(n.text for n in paragraph.children if isinstance(n, Text))
    assert " ".join(kept.split()) == " ".join(("x " + "".join(w for w, _ in pieces) + tail).split())
    ids = [b.id for b in page_breaks(document)]
    assert len(set(ids)) == len(ids)


@pytest.fixture(scope="module")
def book() -> Book:
    return book_from(BOOK)


def test_the_epub_has_a_page_list_that_resolves(book: Book) -> None:
    nav = book.xml("EPUB/nav.xhtml")
    lists = [n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list"]
    assert len(lists) == 1 and lists[0].get("hidden") == "hidden"
    links = [(a.text, a.get("href", "")) for a in lists[0].iter(f"{XHTML}a")]
    assert [label for label, _ in links] == ["1", "2", "3"]
    for _, href in links:
        target, _, fragment = href.partition("#")
        assert fragment in book.ids(f"EPUB/{target}")
        element = next(e for e in book.xml(f"EPUB/{target}").iter() if e.get("id") == fragment)
        assert element.get(EPUB_TYPE) == "pagebreak"
        assert element.get("role") == "doc-pagebreak"


def test_the_package_declares_page_navigation_and_its_source(book: Book) -> None:
    features = book.meta("schema:accessibilityFeature")
    assert {"pageBreakMarkers", "pageNavigation"} <= set(features)
    assert book.meta("pageBreakSource") == ["urn:isbn:9780000000002"]
    sources = [e.text for e in book.opf().iter("{http://purl.org/dc/elements/1.1/}source")]
    assert sources == ["urn:isbn:9780000000002"]


def test_a_book_without_page_breaks_declares_none() -> None:
    plain = book_from(FIXTURES / "epub" / "book.md")
    assert "pageNavigation" not in plain.meta("schema:accessibilityFeature")
    assert "page-list" not in plain.text("EPUB/nav.xhtml")


def _segments(document_text: str) -> tuple[sync.Segment, ...]:
    """Segments for a document as if each element were read for one second, in order."""
    from pipeline.formats.narration import narrate

    document = document_from(FRONT + document_text)
    narration = narrate(document)
    cues = tuple(
        sync.Cue(u.key, u.id, u.kind, n * 1000, n * 1000 + 900, u.text)
        for n, u in enumerate(narration.utterances)
    )
    timings = sync.Timings(cues, (), len(cues) * 1000, "test", "test")
    return sync.segments(timings, document, Renderer(document).heading_ids)


def _targets(seq: ET.Element) -> list[tuple[str, str]]:
    """The fragment and ``epub:type`` of each ``par`` directly inside ``seq``."""
    found = []
    for par in seq.iter(f"{SMIL}par"):
        if par in list(seq):
            text = par.find(f"{SMIL}text")
            src = text.get("src", "") if text is not None else ""
            found.append((src.partition("#")[2], par.get(EPUB_TYPE, "")))
    return found


def test_a_nested_list_is_one_seq_inside_the_outer_lists() -> None:
    segments = _segments("- one\n- two:\n  - two a\n  - two b {pb=4}\n- three\n\nAfter.\n")
    root = ET.fromstring(overlays.smil("c.xhtml", "a.mp3", segments))  # noqa: S314 (our own output)
    body = root.find(f"{SMIL}body")
    assert body is not None
    outer = [c for c in body if c.tag == f"{SMIL}seq"]
    assert len(outer) == 1  # never split in two by the inner list (EPUBCheck MED_015)
    assert [fragment for fragment, _ in _targets(outer[0])] == ["list-1", "li-1", "li-2", "li-3"]
    inner = [c for c in outer[0] if c.tag == f"{SMIL}seq"]
    assert len(inner) == 1
    assert inner[0].get(EPUB_TYPE) == "list"
    assert _targets(inner[0]) == [
        ("list-2", ""),
        ("li-4", "list-item"),
        ("li-5", "list-item"),
        ("page-4", "pagebreak"),  # the print page, skippable, inside the inner list
    ]
    assert _targets(body)[-1][0].startswith("p-")  # "After." is outside both lists
