"""Sentences of running text: where the page, the EPUB and the narration cut a paragraph.

Cases are in ``fixtures/sentences/cases.txt``; the properties below hold for any text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import transforms
from pipeline.document.model import (
    Document,
    Emphasis,
    Paragraph,
    Text,
    plain_text,
    sentence_runs,
    walk_blocks,
)
from pipeline.document.parse import parse
from pipeline.document.source import SourceText
from pipeline.formats.narration import narrate
from pipeline.formats.render import Renderer

CASES = Path(__file__).parent / "fixtures" / "sentences" / "cases.txt"


def _document(markdown: str, lang: str = "en", tmp: Path = Path()) -> Document:
    text = f"---\ntitle: T\nlang: {lang}\n---\n\n{markdown}\n\n[^n]: A note.\n"
    return transforms.apply(parse(SourceText("doc.md", text, tmp)))


def _first_paragraph(document: Document) -> Paragraph:
    return next(b for b in walk_blocks(document) if isinstance(b, Paragraph))


def _cases() -> list[tuple[str, str, str]]:
    found = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, markdown, expected = (part.strip() for part in line.split(" | "))
            found.append((lang, markdown.replace("\\n", "\n"), expected))
    return found


def _shown(paragraph: Paragraph) -> list[str]:
    runs = sentence_runs(paragraph) or ((paragraph.id, paragraph.children),)
    return [" ".join(plain_text(run).split()) for _, run in runs]


@pytest.mark.parametrize(("lang", "markdown", "expected"), _cases())
def test_sentence_cases(lang: str, markdown: str, expected: str) -> None:
    paragraph = _first_paragraph(_document(markdown, lang))
    assert " / ".join(_shown(paragraph)) == expected


def test_there_are_enough_cases_in_every_language() -> None:
    langs = [lang for lang, _, _ in _cases()]
    assert len(langs) >= 30
    assert {lang: langs.count(lang) >= 3 for lang in ("en", "fr", "es", "de")} == dict.fromkeys(
        ("en", "fr", "es", "de"), True
    )


def test_each_sentence_is_a_span_on_the_page_and_an_utterance_in_the_narration() -> None:
    document = _document("First one here. *Second one.* Third one [^n] ends. Fourth.")
    paragraph = _first_paragraph(document)
    ids = [ident for ident, _ in sentence_runs(paragraph)]
    assert ids == ["p-1-s1", "p-1-s2", "p-1-s3", "p-1-s4"]
    html = Renderer(document).block(paragraph)
    assert re.findall(r'<span id="(p-1-s\d)">', html) == ids
    voiced = [u.id for u in narrate(document).utterances if u.kind == "paragraph"]
    assert voiced == ids
    pauses = [u.pause for u in narrate(document).utterances if u.kind == "paragraph"]
    assert pauses[:-1] == [0.35] * 3 and pauses[-1] > 0.35


def test_quotes_are_typeset_across_sentence_spans() -> None:
    document = _document('He said "Stop. Now." Then he left.')
    html = Renderer(document).block(_first_paragraph(document))
    assert "“Stop. Now.”" in re.sub(r"</?span[^>]*>", "", html)


def test_notes_list_items_and_table_cells_stay_whole() -> None:
    document = _document(
        "- One item. Two sentences.\n\n> Quoted first. Quoted second.[^n]\n\nMore."
    )
    items = [b for b in walk_blocks(document) if isinstance(b, Paragraph)]
    in_list, in_quote = items[0], items[1]
    assert not in_list.sentences  # read as one item: one target
    assert [i for i, _ in sentence_runs(in_quote)] == [f"{in_quote.id}-s1", f"{in_quote.id}-s2"]
    note = document.footnotes[0].blocks[0]
    assert isinstance(note, Paragraph) and not note.sentences


def test_a_heading_slug_that_looks_like_a_sentence_id_keeps_its_id() -> None:
    document = _document("# P 1 S2\n\nFirst sentence. Second sentence.")
    paragraph = _first_paragraph(document)
    assert paragraph.id == "p-1" and not paragraph.sentences


_words = st.text(alphabet="abcdefgh ", min_size=1, max_size=12)
_piece = st.one_of(
    _words.map(Text),
    st.sampled_from([". ", "? ", "! ", ". A", "Dr. ", " e.g. "]).map(Text),
    _words.map(lambda t: Emphasis((Text(t + ". B"),))),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_piece, min_size=1, max_size=12), st.sampled_from(["en", "fr", "es", "de"]))
def test_cutting_keeps_every_inline_and_character(pieces: list[Text | Emphasis], lang: str) -> None:
    from pipeline.document.sentences import mark_sentences

    paragraph = Paragraph(tuple(pieces), id="p-1")
    document = _document("x", lang)
    section = document.sections[0]
    document = mark_sentences(
        document.__class__(
            path=document.path,
            metadata=document.metadata,
            sections=(section.__class__(title=section.title, blocks=(paragraph,)),),
        )
    )
    marked = document.sections[0].blocks[0]
    assert isinstance(marked, Paragraph)
    assert plain_text(marked.children) == plain_text(paragraph.children)
    assert [n for n in marked.children if not isinstance(n, Text)] == [
        n for n in paragraph.children if not isinstance(n, Text)
    ]
    runs = sentence_runs(marked)
    assert all(run for _, run in runs)
    assert list(marked.sentences) == sorted(set(marked.sentences))
