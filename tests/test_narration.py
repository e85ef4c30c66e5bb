"""The narration script: golden files and one test per reading rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest

from pipeline.build import load
from pipeline.document.lexicon import Lexicon, load_lexicon
from pipeline.document.model import CiteItem, Locator
from pipeline.formats import spoken
from pipeline.formats.narration import Kind, lexicon_for, narrate, to_text

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "source" / "article.md"
FIXTURES = ROOT / "tests" / "fixtures"


def _script(path: Path) -> str:
    document = load(path)
    return to_text(narrate(document, lexicon_for(document)))


@pytest.mark.golden
@pytest.mark.parametrize(
    ("source", "name"),
    [
        (ARTICLE, "article.narration.txt"),
        (FIXTURES / "narration" / "features.md", "features.narration.txt"),
        (FIXTURES / "narration" / "french.md", "french.narration.txt"),
    ],
)
def test_narration_golden(source: Path, name: str, golden: Callable[[str, str], None]) -> None:
    golden(f"narration/{name}", _script(source))


def test_article_chapters_and_ids_are_unique() -> None:
    narration = narrate(load(ARTICLE))
    assert [c.title for c in narration.chapters] == [
        "Who are Individuals that Willingly Purchase People?",
        "References",
        "About the publisher",
    ]
    keys = [u.key for u in narration.utterances]
    assert len(keys) == len(set(keys))
    assert all(u.text.strip() for u in narration.utterances)
    chapters = [u.chapter for u in narration.utterances]
    assert chapters == sorted(chapters)


def test_article_numbers_and_citations_read_naturally() -> None:
    text = _script(ARTICLE)
    assert "in twenty seventeen there were 8,524 cases" in text
    assert "21 million people" in text
    assert "pages 318 to 343" in text
    assert "(Bach and colleagues, twenty seventeen)" in text
    assert "(Gallagher and Holmes, two thousand and eight; Wetizer, two thousand and seven)" in text
    assert "(Trouteaud, no date)" in text
    assert "et cetera." in text
    assert "&" not in text


def test_every_reference_entry_is_read_in_full() -> None:
    narration = narrate(load(ARTICLE))
    entries = [u for u in narration.utterances if u.kind == "reference"]
    assert [u.id for u in entries] == [
        "ref-bach-2017",
        "ref-gallagher-2008",
        "ref-hotline-statistics-nd",
    ]
    first = entries[0].text
    for part in (
        "Bach",
        "Litam",
        "Twenty seventeen",
        "Kind regards",
        "Journal of Sexual Aggression",
    ):
        assert part in first
    assert "volume 23, issue 2, pages 222 to 233" in first
    assert "Retrieved September twenty-eighth, twenty eighteen" in entries[2].text


def test_pauses_are_longer_around_sections_than_between_paragraphs() -> None:
    items = narrate(load(ARTICLE)).utterances
    paragraph = [re.sub(r"-s\d+$", "", u.id) for u in items]  # p-4-s2 is in p-4
    before_heading = [items[i - 1].pause for i, u in enumerate(items) if u.kind == "heading" and i]
    paragraph_ends = [
        u.pause
        for i, u in enumerate(items[:-1])
        if u.kind == "paragraph"
        and paragraph[i + 1] != paragraph[i]
        and items[i + 1].kind == "paragraph"
    ]
    sentence = [
        u.pause
        for i, u in enumerate(items[:-1])
        if u.kind == "paragraph" and paragraph[i + 1] == paragraph[i]
    ]
    assert min(before_heading) > max(paragraph_ends) > max(sentence)


@pytest.mark.parametrize(
    ("written", "lang", "said"),
    [
        (
            "e.g. this, i.e. that, vs. those, etc.",
            "en",
            "for example this, that is that, versus those, et cetera.",
        ),
        ("Dr. Smith saw Fig. 2", "en", "Doctor Smith saw Figure 2"),
        ("pp. 14–19 and p. 4", "en", "pages 14 to 19 and page 4"),
        (
            "from 1999–2000 and 2010-11",
            "en",
            "from nineteen ninety-nine to two thousand and twenty ten to 11",
        ),
        ("45% of 8,524", "en", "45 percent of 8,524"),
        ("see https://www.example.org/a/b?c=1.", "en", "see link to example.org."),
        ("doi:10.1177/1057567708", "en", "D O I 10.1177 slash 1 0 5 7 5 6 7 7 0 8"),
        ("A & B — and/or C", "en", "A and B, and or C"),
        (
            "p. ex. 45 %, c.-à-d. M. Dupont, etc.",
            "fr",
            "par exemple 45 pour cent, c'est-à-dire Monsieur Dupont, et cetera.",
        ),
        ("8 524 cas", "fr", "8 524 cas"),
    ],
)
def test_normalise(written: str, lang: str, said: str) -> None:
    assert spoken.normalise(written, lang) == said


def test_cite_items() -> None:
    words = spoken.words_for("en")
    item = CiteItem("Bach et al., 2017", ("Bach",), True, "2017")
    assert spoken.say_cite_item(item, words) == "Bach and colleagues, 2017"
    item = CiteItem("A, B & C, n.d.", ("A", "B", "C"), False, "n.d.")
    assert spoken.say_cite_item(item, words) == "A, B and C, no date"
    item = CiteItem("", ("Smith",), False, "2019a", Locator("pages", "14–19"))
    assert spoken.say_cite_item(item, words) == "Smith, 2019 a, pages 14 to 19"
    assert spoken.say_cite_item(item, spoken.words_for("fr")) == "Smith, 2019 a, pages 14 à 19"


def test_lexicon_from_pls_and_front_matter(tmp_path: Path) -> None:
    lexicon = load_lexicon(FIXTURES / "narration" / "features.pls")
    assert ("Babbage", "Babbidge") in lexicon.entries
    assert all(w != "tomato" for w, _ in lexicon.entries)  # phoneme-only: not usable
    merged = Lexicon.from_pairs((("Babbage", "Bab age"),)).merged(lexicon)
    assert merged.apply("Babbage's Babbages") == "Bab age's Babbages"  # whole words only
    assert Lexicon().digest() != merged.digest()
    text = _script(FIXTURES / "narration" / "features.md")
    assert "Luv lace" in text and "Babbidge" in text and "sequel" in text


def test_bad_lexicon_is_a_diagnostic(tmp_path: Path) -> None:
    from pipeline.diagnostics import PipelineError

    bad = tmp_path / "doc.pls"
    bad.write_text("<lexicon", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_lexicon(bad)
    assert caught.value.diagnostics[0].code == "A002"


def test_features_fixture_reads_every_kind() -> None:
    document = load(FIXTURES / "narration" / "features.md")
    narration = narrate(document, lexicon_for(document))
    kinds = {u.kind for u in narration.utterances}
    assert kinds >= set(get_args(Kind))  # every kind the narration knows
    # The note is read right after the paragraph that refers to it.
    ids = [re.sub(r"-s\d+$", "", u.id) for u in narration.utterances]  # sentences of p-1
    assert ids.index("fn-note") == ids.index("p-1") + ids.count("p-1")
    text = to_text(narration)
    assert "survey site" in text and "example.org/survey" not in text
    assert "def count" not in text


def test_a_document_opening_with_a_heading_keeps_one_chapter_per_section(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(
        "---\ntitle: Headed\nauthor: A. Writer\nlang: en\nidentifier: x\n---\n\n"
        "## First part\n\nOne.\n\n## Second part\n\nTwo.\n",
        encoding="utf-8",
    )
    narration = narrate(load(source))
    assert [c.title for c in narration.chapters] == ["First part", "Second part"]
    first = [u for u in narration.utterances if u.chapter == 0]
    assert [u.kind for u in first[:3]] == ["title", "authors", "heading"]
    assert first[2].text == "First part."


def test_front_matter_only_is_a_title_page(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: Only a Title\nlang: en\nidentifier: x\n---\n\n<!-- -->\n")
    narration = narrate(load(source))
    assert [c.title for c in narration.chapters] == ["Only a Title"]
    assert narration.utterances[0].text == "Only a Title"
