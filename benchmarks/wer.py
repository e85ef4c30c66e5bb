"""Word error rate of a recogniser's transcript against the narration script.

Both sides go through one normaliser, ``words``: lower case, punctuation
dropped (an apostrophe inside a word kept: the recogniser's dictionary has
"buyer's"), hyphens and slashes between words as spaces, and numerals in
words ("2017" -> "two thousand seventeen", "8,524" -> "eight thousand five
hundred twenty four", "0.5" -> "zero point five", "3%" -> "three percent").
The recogniser never writes digits, so a reference left with digits would
count every number as an error the voice did not make.

Two kinds of spelling the recogniser chooses are not heard differences, and
are mapped to one spelling on both sides (``SPELLINGS``): British and US
spellings of one word ("labour" and "labor" are the same entry twice in the
recogniser's dictionary, same phonemes; its language model picks either),
and "etc", which the dictionary pronounces "et cetera" (so a voice that says
"et cetera" is transcribed "etc"). The list is short and written out; it
never merges two different words, such as homophones.

Numbers are read as plain cardinals with no "and", as the US-English
recogniser's language model writes them. A voice that says "twenty
seventeen" for a year is counted as wrong there; that costs every engine
the same words, and the script after text normalisation has few numerals.

The rate itself comes from jiwer, a maintained implementation of the
standard definition (substitutions + deletions + insertions over reference
words, on a Levenshtein alignment of words; rapidfuzz's C++ underneath),
so the figure is the one other reports mean by WER, and it is fast enough
for a 100k-word script.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))

#: A numeral: digits with optional thousands commas and one decimal part.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
#: Characters that separate words when they stand between them.
_JOINERS = re.compile(r"[-‐‑‒–—/_]")
#: Anything that is not a letter, a digit, an apostrophe or a space.
_PUNCTUATION = re.compile(r"[^\w\s']|_")
_APOSTROPHES = re.compile(r"[’‘ʼ`´]")

#: British spellings the recogniser's dictionary holds beside the US one (same phonemes),
#: mapped to the US spelling the narration scripts use.
_BRITISH = {
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "centre": "center",
    "centres": "centers",
    "colour": "color",
    "colours": "colors",
    "defence": "defense",
    "favour": "favor",
    "favourite": "favorite",
    "honour": "honor",
    "labour": "labor",
    "labours": "labors",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "offence": "offense",
    "organisation": "organization",
    "organisations": "organizations",
    "theatre": "theater",
}
#: One spelling for words spelt two ways that sound the same (see the module's docstring).
SPELLINGS: dict[str, tuple[str, ...]] = {
    **{uk: (us,) for uk, us in _BRITISH.items()},
    "etc": ("et", "cetera"),
}


def cardinal(number: int) -> str:
    """``number`` (0 to 10**15 - 1) in US-English words: ``2017`` -> "two thousand seventeen"."""
    if number < 0:
        return "minus " + cardinal(-number)
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _ONES[hundreds] + " hundred" + ("" if rest == 0 else " " + cardinal(rest))
    for size, name in _SCALES:
        if number >= size:
            head, rest = divmod(number, size)
            if head >= 1000:
                raise ValueError(f"{number} is too large to read")
            return cardinal(head) + " " + name + ("" if rest == 0 else " " + cardinal(rest))
    raise AssertionError("unreachable")  # pragma: no cover - the scales cover 1000 and up


def _numeral(match: re.Match[str]) -> str:
    whole, _, decimals = match.group(0).replace(",", "").partition(".")
    spoken = cardinal(int(whole))
    if decimals:
        spoken += " point " + " ".join(_ONES[int(d)] for d in decimals)
    return f" {spoken} "


def words(text: str) -> list[str]:
    """The words of ``text`` as the comparison sees them (see the module's docstring)."""
    text = _APOSTROPHES.sub("'", text)
    text = text.replace("%", " percent ")
    text = _NUMBER.sub(_numeral, text)
    text = _JOINERS.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text.lower())
    found: list[str] = []
    for token in text.split():
        word = token.strip("'")
        if word:
            found.extend(SPELLINGS.get(word, (word,)))
    return found


@dataclass(frozen=True, slots=True)
class Score:
    """Errors of a transcript against its reference, summed over utterances."""

    reference_words: int
    substitutions: int
    deletions: int
    insertions: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        """Word error rate: errors over reference words (can exceed 1.0)."""
        return self.errors / self.reference_words if self.reference_words else 0.0


def score(references: Sequence[str], hypotheses: Sequence[str]) -> Score:
    """Word errors of ``hypotheses`` against ``references``, pair by pair (one pair per
    utterance), both normalised by ``words``; an empty reference is left out."""
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(references)} references but {len(hypotheses)} transcripts")
    pairs = [(words(r), words(h)) for r, h in zip(references, hypotheses, strict=True)]
    pairs = [(r, h) for r, h in pairs if r]
    if not pairs:
        return Score(0, 0, 0, 0)
    # jiwer is imported by name: a benchmark dependency, untyped, absent from the main install.
    jiwer = importlib.import_module("jiwer")
    empty = [i for i, (_, h) in enumerate(pairs) if not h]
    heard = [p for i, p in enumerate(pairs) if i not in set(empty)]
    deleted = sum(len(pairs[i][0]) for i in empty)  # nothing heard: every word deleted
    if not heard:
        return Score(deleted, 0, deleted, 0)
    output = jiwer.process_words([" ".join(r) for r, _ in heard], [" ".join(h) for _, h in heard])
    return Score(
        reference_words=sum(len(r) for r, _ in pairs),
        substitutions=int(output.substitutions),
        deletions=int(output.deletions) + deleted,
        insertions=int(output.insertions),
    )
