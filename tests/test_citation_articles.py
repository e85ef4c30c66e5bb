"""Realistic articles in English (APA), Spanish, German and French: every citation links to
the right entry, nothing is reported, and the reference lists are narrated word for word
in the book's language (golden files under ``tests/golden/citations/``).

The articles use group authors and their abbreviations, particles, compound surnames,
no-date and in-press entries, et al. forms and locators as each language writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_narration_languages import _tokens, _vocabulary

from pipeline.build import load
from pipeline.document.model import plain_text
from pipeline.formats.narration import lexicon_for, narrate
from pipeline.words import TABLES

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
NAMES = ["en-apa.md", "es-movilidad.md", "de-radverkehr.md", "fr-velo.md"]


def _expected(name: str) -> list[str]:
    lines = (ARTICLES / "links.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[1] for line in lines if line.startswith(f"{name}:")]


@pytest.mark.parametrize("name", NAMES)
def test_every_citation_links_to_its_entry(name: str) -> None:
    document = load(ARTICLES / name)
    numbers = {entry.id: entry.number for entry in document.references}
    links = [
        f"{item.line}: {item.text} -> {numbers.get(item.reference_id, '-')}"
        for cite in document.citations
        for item in cite.items
    ]
    assert links == _expected(name)
    assert [str(d) for d in document.diagnostics if d.code.startswith("C")] == []
    assert all(entry.cited_by for entry in document.references)


@pytest.mark.golden
@pytest.mark.parametrize("name", NAMES)
def test_reference_list_narration(name: str, golden: Callable[[str, str], None]) -> None:
    document = load(ARTICLES / name)
    said = [u.text for u in narrate(document, lexicon_for(document)).utterances]
    spoken = [u for u in said if u[:1].isdigit() and ". " in u[:4]]
    assert len(spoken) == len(document.references)
    golden(f"citations/{name.removesuffix('.md')}.references.txt", "\n".join(spoken) + "\n")


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("en-")])
def test_no_english_word_in_the_narrated_references(name: str) -> None:
    document = load(ARTICLES / name)
    lang = document.metadata.lang.split("-", 1)[0]
    english = _vocabulary(TABLES["en"]) - _vocabulary(TABLES[lang])
    written = {entry.id: _tokens(plain_text(entry.children)) for entry in document.references}
    narration = narrate(document, lexicon_for(document))
    # The entry's own words may be English (a title); the words around them may not.
    leaks = {
        (word, u.key)
        for u in narration.utterances
        if u.kind == "reference"
        for word in (_tokens(u.text) - written[u.id]) & english
    }
    assert leaks == set()


@pytest.mark.parametrize("name", NAMES)
def test_no_doubled_or_stray_punctuation_in_entries(name: str) -> None:
    document = load(ARTICLES / name)
    for utterance in narrate(document, lexicon_for(document)).utterances:
        if utterance.kind == "reference":
            for stutter in ("..", "?.", "!.", ",.", " ,", ",,"):
                assert stutter not in utterance.text, (stutter, utterance.text)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("en-apa.md", "(World Health Organization, WHO, twenty twenty)"),
        ("es-movilidad.md", "(Instituto Nacional de Estadística, INE, sin fecha)"),
        ("de-radverkehr.md", "(Statistisches Bundesamt, Destatis, ohne Datum)"),
        ("fr-velo.md", "(Insee, 2021, tableau 3)"),
    ],
)
def test_an_abbreviation_is_said_where_the_text_introduces_it(name: str, said: str) -> None:
    document = load(ARTICLES / name)
    text = " ".join(u.text for u in narrate(document, lexicon_for(document)).utterances)
    assert said in text
