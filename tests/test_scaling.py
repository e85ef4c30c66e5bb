"""The fast paths behind parse and transforms give exactly what the slow ones gave."""

from __future__ import annotations

import gc

from conftest import ARTICLE, document_from
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import generate
from pipeline.document import citations, gcpause, parse
from pipeline.document.ids import Registry


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
