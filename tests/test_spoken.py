"""How the author's own text is read aloud: the normalisation suite and sentence ends.

The suite is ``tests/fixtures/spoken/<lang>.txt`` (written => spoken, 300+ cases a
language), scored through espeak-ng's phonemiser by ``benchmarks.normalisation``;
``python -m benchmarks.normalisation --failures`` lists what fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import normalisation
from pipeline.build import load
from pipeline.formats import spoken
from pipeline.formats.narration import narrate

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang", normalisation.LANGUAGES)
def test_normalisation_suite_reads_95_percent_as_a_person_would(lang: str) -> None:
    score = normalisation.score(lang)
    assert len(score.results) >= 300, f"{lang}: only {len(score.results)} cases"
    classes = {r.case.group for r in score.results}
    assert len(classes) >= 10, f"{lang}: cases cover only {sorted(classes)}"
    report = normalisation.report_failures([score])
    assert score.ratio >= normalisation.TARGET, f"{lang}: {score.ratio:.1%}\n{report}"


def test_the_comparison_is_by_sound_not_spelling() -> None:
    """The phonemiser makes spelling variants equal and real differences unequal."""
    pairs = [
        ("en", "one hundred twenty", "one hundred and twenty"),
        ("en", "colour", "color"),
        ("en", "twenty-one", "twenty one"),
    ]
    items = [(lang, text) for lang, a, b in pairs for text in (a, b)]
    items += [("en", "less than"), ("en", "greater than")]
    said = [normalisation.canonical(p, "en") for p in normalisation.phonemise(items)]
    assert said[0] == said[1]
    assert said[2] == said[3]
    assert said[4] == said[5]
    assert said[6] != said[7]


SENTENCES = [
    ("en", "We met at St. Luke's Hospital. It was raining."),
    ("en", "Mr. K. Mensah chaired the panel. He spoke first."),
    ("en", "The foreword is by Prof. J. Smith, Jr. and a student. They agree."),
    ("en", "See vol. II, ch. 3 for the proofs. The rest follows."),
    ("en", "Lt. Col. Ama Boateng led the unit. The troops were ready."),
    ("en", "The expedition reached Mt. Everest at dawn. Nobody slept."),
    ("en", "They climbed Mt. Everest in May. Nobody slept."),
    ("en", "As shown in Sect. 2.1, the effect holds. We turn to costs."),
    ("es", "El Sr. Gómez y la Dra. Martínez firmaron. Después se fueron."),
    ("es", "En el s. XXI la población creció. La ciudad cambió."),
    ("es", "Según el art. 3 de la ley, el plazo es de un año. No hay excepciones."),
    ("fr", "M. Dupont et Mme Martin sont arrivés. Ils ont parlé."),
    ("fr", "Voir p. 12 et chap. 3 pour les détails. La suite vient."),
    ("de", "Das steht in Abs. 2 bzw. Art. 5 GG. Es ist klar."),
    ("de", "Er wurde im 19. Jh. geboren. Sein Vater war Arzt."),
]


@pytest.mark.parametrize(("lang", "text"), SENTENCES)
def test_sentences_do_not_end_after_abbreviations_initials_or_titles(lang: str, text: str) -> None:
    said = spoken.speak(text, lang)
    assert len(said) == 2, said
    written = r"\b(St|Mr|Prof|Jr|vol|ch|Lt|Col|Mt|Sect|Sr|Dra|s|art|M|Mme|p|chap|Abs|bzw|Art|Jh)\."
    assert not re.search(written, said[0]), f"not expanded: {said[0]}"


def test_abbreviations_are_expanded_when_spoken() -> None:
    assert spoken.speak("Prof. J. Smith, Jr. read vol. II, ch. 3.", "en") == [
        "Professor J. Smith, Junior read volume two, chapter 3."
    ]
    assert spoken.speak("El Sr. Gómez vive en el s. XXI.", "es") == [
        "El señor Gómez vive en el siglo veintiuno."
    ]


def test_a_sentence_that_ends_with_an_abbreviation_keeps_its_full_stop() -> None:
    assert spoken.speak("We sold pens, ink, etc. Then we left.", "en") == [
        "We sold pens, ink, et cetera.",
        "Then we left.",
    ]


def test_plain_counts_stay_digits_for_captions_and_the_script() -> None:
    """Digits every engine reads are left alone, so captions stay readable."""
    assert spoken.normalise("There were 8,524 cases.", "en") == "There were 8,524 cases."
    assert spoken.normalise("Le corpus compte 8 524 cas.", "fr") == "Le corpus compte 8 524 cas."


def test_dates_follow_the_document_locale() -> None:
    assert spoken.normalise("12/04/2017", "en-GB") == "the twelfth of April twenty seventeen"
    assert spoken.normalise("12/04/2017", "en-US") == "December fourth, twenty seventeen"


def test_a_language_without_rules_is_read_with_english_rules() -> None:
    assert spoken.has_rules("de-AT")
    assert not spoken.has_rules("it")
    assert spoken.normalise("p < .05", "it") == "p less than point zero five"


@pytest.mark.parametrize(
    "text",
    ["Why now?. He left.", "It ended.. Then silence.", "Note:; see below.", "He left,. Then"],
)
def test_no_stutter_reaches_the_engine(text: str) -> None:
    said = " ".join(spoken.speak(text, "en"))
    assert not normalisation._STUTTER.search(said), said


def _narration(tmp_path: Path, body: str, lang: str = "en") -> list[str]:
    source = tmp_path / "doc.md"
    source.write_text(f"---\ntitle: T\nlang: {lang}\nidentifier: x\n---\n\n{body}\n")
    return [u.text for u in narrate(load(source)).utterances]


def test_structure_words_do_not_stutter(tmp_path: Path) -> None:
    said = _narration(
        tmp_path,
        "## Why now?\n\nIt ended.. Then silence?. See below:; the end.\n\n"
        "| Region | Cases | Note |\n| --- | --- | --- |\n| North | 12 |  |\n",
    )
    assert "Why now?" in said
    text = " ".join(said)
    assert not normalisation._STUTTER.search(text), text
    assert "1 row, 3 columns." in text
    assert "1 rows" not in text
    assert "Region: North; Cases: 12." in said  # the empty cell is silent
    assert "—" not in text


@pytest.mark.parametrize(
    "source",
    [
        ROOT / "source" / "article.md",
        ROOT / "tests" / "fixtures" / "narration" / "features.md",
        ROOT / "tests" / "fixtures" / "narration" / "french.md",
    ],
)
def test_no_narration_of_a_fixture_stutters(source: Path) -> None:
    for utterance in narrate(load(source)).utterances:
        assert not normalisation._STUTTER.search(utterance.text), utterance


def test_a_passage_in_another_language_is_read_with_its_rules(tmp_path: Path) -> None:
    said = _narration(tmp_path, "The motto was [le 1er mai, M. Dupont]{lang=fr} on 1 May.")
    assert said[1:] == ["The motto was le premier mai, Monsieur Dupont on the first of May."]
