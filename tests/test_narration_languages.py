"""Narration in French, Spanish and German: framed in the book's language, word for word.

Realistic manuscripts (headings, a list, a table, a figure with a caption, footnotes,
citations, a reference list with volume, issue and pages, front matter with authors and
a publisher) have golden narration files, and no word of the English catalogue that is
not also a word of the book's language may appear in what is said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from pipeline.build import load
from pipeline.formats.narration import lexicon_for, narrate, to_text
from pipeline.words import TABLES, Words

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "narration"
LANGUAGES = {"fr": "fr-article.md", "es": "es-article.md", "de": "de-article.md"}


def _strings(value: object) -> Iterator[str]:
    """Every string in a catalogue value (dataclasses, tuples, strings)."""
    if isinstance(value, str):
        yield re.sub(r"\{\w+\}", " ", value)
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)
    elif is_dataclass(value):
        for field in fields(value):
            yield from _strings(getattr(value, field.name))


def _tokens(text: str) -> set[str]:
    """Words of two letters or more, folded (single letters are initials: "A. Schneider")."""
    return {w.casefold() for w in re.findall(r"[^\W\d_]{2,}", text)}


def _vocabulary(words: Words) -> set[str]:
    """The words the narration frames with, and the page's (the player's never reach it)."""
    return set().union(*(_tokens(s) for s in _strings((words.spoken, words.page))))


def _narration(name: str) -> str:
    document = load(FIXTURES / name)
    return to_text(narrate(document, lexicon_for(document)))


@pytest.mark.golden
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_narration_golden(lang: str, golden: Callable[[str, str], None]) -> None:
    name = LANGUAGES[lang]
    golden(f"narration/{name.removesuffix('.md')}.narration.txt", _narration(name))


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_english_framing_word_in_the_narration(lang: str) -> None:
    english = _vocabulary(TABLES["en"]) - _vocabulary(TABLES[lang])
    document = load(FIXTURES / LANGUAGES[lang])
    assert document.metadata.lang.startswith(lang)
    narration = narrate(document, lexicon_for(document))
    leaks = {
        (word, item.key) for item in narration.utterances for word in _tokens(item.text) & english
    }
    assert leaks == set()


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_fixture_exercises_every_kind_of_framing(lang: str) -> None:
    """The check above means something only if the fixture makes the program frame a lot."""
    kinds = {u.kind for u in narrate(load(FIXTURES / LANGUAGES[lang])).utterances}
    assert kinds >= {
        "title", "subtitle", "authors", "publisher", "heading", "list", "list-item",
        "table", "table-row", "figure", "footnote", "reference", "code", "quote",
    }  # fmt: skip
    spoken = TABLES[lang].spoken
    text = _narration(LANGUAGES[lang])
    for said in (
        spoken.by, spoken.published_by, spoken.list_of.format(n=3), spoken.figure,
        spoken.table, f"{spoken.note} 1.", spoken.end_note, spoken.colleagues,
        spoken.volume, spoken.issue, spoken.locators.pages[0], spoken.percent,
        spoken.entries, spoken.dot, spoken.deleted, spoken.quote, spoken.end_quote,
    ):  # fmt: skip
        assert said.replace(" :", ":") in text, said  # no space before a colon once said
