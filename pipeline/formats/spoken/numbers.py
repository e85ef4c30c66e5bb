"""Numbers in words, through num2words, with the agreement num2words leaves out.

num2words (LGPL, maintained by Savoir-faire Linux, 50+ languages) spells
cardinals, ordinals and years; it does not inflect for gender, so ``una libra``,
``veintiún euros``, ``ein Euro`` and ``une heure`` are fixed here. It imports every
language it knows (about 0.3 s), so it is imported on first use: a build that
narrates pays it once, ``publish --help`` never does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def _num2words() -> Any:  # num2words has no type information
    from num2words import num2words

    return num2words


@cache
def words(number: int | str, lang: str, to: str = "cardinal") -> str:
    """num2words, with the one French ordinal it misspells (``quatre-vingtsième``) mended."""
    value = int(number)
    if abs(value) >= 10**15:  # beyond num2words' range: a code, read digit by digit
        return " ".join(str(value))
    return str(_num2words()(value, lang=lang, to=to)).replace("vingtsième", "vingtième")


def cardinal(number: int, lang: str, gender: str = "m") -> str:
    """A whole number in words, agreeing with a following noun of ``gender``."""
    said = words(number, lang)
    if lang == "es":
        if gender == "f":
            said = re.sub(r"\buno$", "una", said)
            said = re.sub(r"iuno$", "iuna", said)
            said = re.sub(r"ientos\b", "ientas", said)
        else:
            said = re.sub(r"\buno$", "un", said)
            said = re.sub(r"iuno$", "iún", said)
    elif lang == "fr" and gender == "f":
        said = re.sub(r"\bun$", "une", said)
    elif lang == "de":
        said = re.sub(r"eins$", "ein" if gender == "m" else "eine", said)
    return said


def digits(text: str, names: tuple[str, ...]) -> str:
    """``97201`` -> ``nine seven two zero one``: for codes, not quantities."""
    return " ".join(names[int(d)] for d in text if d.isdigit())


#: Per language: the word for "one" before a fraction, the fractions it has a word for
#: (singular, plural), and the name of any other denominator (singular; the plural adds "s").
_FRACTIONS: dict[str, tuple[str, dict[int, tuple[str, str]], Callable[[int], str]]] = {
    "en": (
        "one",
        {2: ("half", "halves"), 4: ("quarter", "quarters")},
        lambda d: words(d, "en", "ordinal"),
    ),
    "fr": (
        "un",
        {2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")},
        lambda d: words(d, "fr", "ordinal"),
    ),
    "es": (
        "un",
        {
            2: ("medio", "medios"),
            3: ("tercio", "tercios"),
            4: ("cuarto", "cuartos"),
            5: ("quinto", "quintos"),
            6: ("sexto", "sextos"),
            7: ("séptimo", "séptimos"),
            8: ("octavo", "octavos"),
            9: ("noveno", "novenos"),
            10: ("décimo", "décimos"),
        },
        lambda d: words(d, "es") + "avo",
    ),
}


def fraction(numerator: int, denominator: int, lang: str) -> str:
    """``3/4`` -> ``three quarters``; the common fractions each language has a word for."""
    plural = numerator != 1
    top = cardinal(numerator, lang)
    if lang in _FRACTIONS:
        one_word, names, other = _FRACTIONS[lang]
        one, many = names.get(denominator) or (other(denominator), other(denominator) + "s")
        return f"{top if plural else one_word} {many if plural else one}"
    # German: Hälfte, Drittel, Viertel, Fünftel ... (the ordinal stem + "tel")
    if denominator == 2:
        return "eine Hälfte" if not plural else f"{top} Halbe"
    stem = (words(denominator, lang, "ordinal").removesuffix("e") + "el").capitalize()
    return f"{'ein' if not plural else top} {stem}"
