"""The word error rate of the listening benchmark and the normaliser both sides go through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.wer import Score, cardinal, score, words


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (40, "forty"),
        (99, "ninety nine"),
        (100, "one hundred"),
        (222, "two hundred twenty two"),
        (2017, "two thousand seventeen"),
        (8524, "eight thousand five hundred twenty four"),
        (26_557, "twenty six thousand five hundred fifty seven"),
        (1_000_000, "one million"),
        (21_000_003, "twenty one million three"),
    ],
)
def test_cardinal_reads_numbers_as_the_recogniser_writes_them(number: int, spoken: str) -> None:
    assert cardinal(number) == spoken


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_cardinal_is_letters_and_spaces_only(number: int) -> None:
    spoken = cardinal(number)
    assert spoken.replace(" ", "").isalpha()
    assert " and " not in f" {spoken} "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Human trafficking.", "human trafficking"),
        ("Who are Individuals?", "who are individuals"),
        (
            "in 2017 there were 8,524 cases",
            "in two thousand seventeen there were eight thousand five hundred twenty four cases",
        ),
        ("0.5 of it", "zero point five of it"),
        ("3% of 12", "three percent of twelve"),
        ("one buyer's attempt", "one buyer's attempt"),
        ("one buyer’s attempt", "one buyer's attempt"),  # typographic apostrophe
        ("'quoted' words", "quoted words"),  # quotes are not apostrophes inside a word
        ("white, married, middle-class men", "white married middle class men"),
        (
            "pages 222–233 and/or more",
            "pages two hundred twenty two two hundred thirty three and or more",
        ),
        ("(Bach and colleagues, 2017).", "bach and colleagues two thousand seventeen"),
        ("be it labour, sex, etc.", "be it labor sex et cetera"),  # spellings, not sounds
        ("be it labor, sex, et cetera.", "be it labor sex et cetera"),
        ("Labour organisations", "labor organizations"),
        ("  ", ""),
    ],
)
def test_words_normalises_case_punctuation_and_numbers(text: str, expected: str) -> None:
    assert words(text) == expected.split()


def test_a_transcript_that_differs_only_in_form_has_no_errors() -> None:
    result = score(["Human trafficking, in 2017."], ["human trafficking in two thousand seventeen"])
    assert result == Score(reference_words=6, substitutions=0, deletions=0, insertions=0)
    assert result.rate == 0.0


def test_substitutions_deletions_and_insertions_are_counted() -> None:
    result = score(
        ["the cat sat on the mat", "a dog"],
        ["the cat sit on mat", "a big dog"],
    )
    assert (result.substitutions, result.deletions, result.insertions) == (1, 1, 1)
    assert result.reference_words == 8
    assert result.rate == pytest.approx(3 / 8)


def test_nothing_heard_is_every_word_deleted() -> None:
    result = score(["one two three", "four five"], ["", "four five"])
    assert result == Score(reference_words=5, substitutions=0, deletions=3, insertions=0)
    assert score(["one two"], [""]).rate == 1.0


def test_utterances_are_aligned_one_by_one_not_across_each_other() -> None:
    # A word missing from the first utterance and heard in the second is two errors:
    # the alignment never moves a word from one utterance into another.
    result = score(["alpha beta", "gamma"], ["alpha", "beta gamma"])
    assert result.errors == 2


def test_empty_references_are_left_out_and_mismatched_lists_refused() -> None:
    assert score(["", "word"], ["noise", "word"]) == Score(1, 0, 0, 0)
    assert score([], []).rate == 0.0
    with pytest.raises(ValueError, match="references"):
        score(["a"], [])


def test_a_spelling_the_recogniser_chose_is_not_an_error() -> None:
    """labour/labor and etc/et cetera are one dictionary pronunciation each: no error."""
    reference = "the purchase and sale of human beings, be it labor, sex, et cetera."
    assert score([reference], ["the purchase and sale of human beings be it labour sex etc"]) == (
        Score(reference_words=13, substitutions=0, deletions=0, insertions=0)
    )


def test_homophones_stay_different_words() -> None:
    assert score(["two words"], ["to words"]).substitutions == 1
