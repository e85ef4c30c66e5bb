"""The fast paths behind parse and transforms give exactly what the slow ones gave."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from conftest import ARTICLE, document_from
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import footnotes, generate
from pipeline.document import citations, gcpause, model, parse
from pipeline.document.ids import Registry
from pipeline.document.model import Document


def test_a_repeated_slug_gets_the_next_free_suffix() -> None:
    registry = Registry()
    registry.used.add("notes-3")  # taken by an author-given id
    claimed = [registry.claim("notes") for _ in range(5)]
    assert claimed == ["notes", "notes-2", "notes-4", "notes-5", "notes-6"]
    assert registry.claim("notes-2") == "notes-2-2"
    assert registry.claim("other") == "other"


def test_the_index_matches_as_the_scan_does() -> None:
    for text in (ARTICLE.read_text(encoding="utf-8"), generate(5_000, seed=3)):
        doc = document_from(text)
        index = citations.Index(doc.references)
        items = [item for cite in doc.citations for item in cite.items]
        assert items
        for item in items:
            assert index.match(item) == citations.match(item, doc.references)


def _cycles_left(text: str) -> int:
    """Objects only the cyclic collector could free after parsing and transforming (with
    no automatic collection in between to free some of them first)."""
    gc.collect()
    gc.disable()
    try:
        document_from(text)
        return gc.collect()
    finally:
        gc.enable()


def test_parse_and_transforms_leave_no_cycles_that_grow_with_the_document() -> None:
    """With the collector paused, a cycle keeps everything it reaches until the next
    collection, which then walks every object the build made: markdown-it's tree (each
    node points at its parent) held every token, and the transforms' self-calling
    closures held every old note (200,000 objects for 100,000 notes)."""
    small, large = (_cycles_left(footnotes(n)) for n in (20, 400))
    assert small == large
    assert large < 50


def test_what_is_computed_from_the_text_is_remembered_for_that_text_only() -> None:
    """``per_document``: one walk per question while the text is the same, a new answer as
    soon as a transform changes a section or a note."""
    calls: list[Document] = []

    @model.per_document
    def count(doc: Document) -> int:
        calls.append(doc)
        return len(doc.footnotes)

    doc = document_from(footnotes(3))
    assert count(doc) == count(doc) == 3
    assert count(replace(doc, diagnostics=())) == 3  # same text: remembered
    assert len(calls) == 1
    assert count(replace(doc, footnotes=doc.footnotes[:1])) == 1
    assert count(replace(doc, sections=doc.sections[:0])) == 3
    assert len(calls) == 3
    assert doc.references is doc.references
    assert doc.citations is replace(doc, diagnostics=()).citations


def test_evolve_copies_as_dataclasses_replace_does() -> None:
    doc = document_from(generate(3_000, seed=5))
    nodes = [*model.walk_blocks(doc), *model.walk_inlines(doc), *doc.footnotes, doc]
    assert len({type(n) for n in nodes}) > 8
    for node in nodes:
        assert model.evolve(node) == node
        if hasattr(node, "id"):
            assert model.evolve(node, id="new") == replace(node, id="new")
    with pytest.raises(TypeError):
        model.evolve(doc, title="no such field")


def test_the_collector_is_paused_only_inside_the_block() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@given(
    st.text(alphabet="ab >\n\t.", max_size=40),
    st.text(alphabet="ab >.", max_size=12),
    st.integers(0, 45),
)
def test_word_search_finds_what_the_pattern_finds(haystack: str, text: str, start: int) -> None:
    start = min(start, len(haystack))
    match = parse._words_pattern(text).search(haystack, start) if text.strip() else None
    assert parse._search_words(haystack, text, start) == (
        (match.start(), match.end()) if match else None
    )
