"""What one language needs to read an author's text aloud: the data the reading rules use.

Each of ``en``, ``fr``, ``es`` and ``de`` fills one ``Rules`` in a module of its own, so
a reviewer fluent in that language reads one file. Numbers in words come from
num2words and CLDR unit names from Babel; what those libraries do not know (how a
person reads ``p < .001``, ``St.`` before a name, ``1.er``) is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Gender = str
"""``"m"`` or ``"f"``: the grammatical gender a number agrees with (es, fr, de)."""


@dataclass(frozen=True, slots=True)
class Currency:
    """How a currency is said after an amount."""

    one: str
    many: str
    cent_one: str
    cent_many: str
    gender: Gender = "m"
    """The gender of the unit: Spanish "una libra", German "ein Euro" (neuter reads as m)."""


@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    """One language's reading rules: every field is data a pass in ``reading`` looks up."""

    code: str
    """Primary language subtag: ``en``, ``fr``, ``es``, ``de``."""
    locale: str
    """The CLDR locale Babel names units in (``en_GB`` spells "kilometres")."""
    abbreviations: tuple[tuple[str, str], ...]
    """(written, spoken) pairs, whole words, case-sensitive, anywhere in the text."""
    before_number: tuple[tuple[str, str], ...]
    """Abbreviations said only before a number or roman numeral (``p. 4``, ``art. 3``)."""
    may_end: frozenset[str]
    """Abbreviations that can close a sentence (``etc.``): their full stop is kept there."""
    months: tuple[str, ...]
    """January to December, as said."""
    month_abbreviations: dict[str, int]
    """``Jan`` -> 1, with or without a full stop."""
    weekday_abbreviations: dict[str, str]
    """``Mon`` -> ``Monday``: expanded in ranges (``Mon–Fri``)."""
    to: str
    """Range word: ``14 to 19``."""
    per: str
    """Rate word: ``kilometres per hour``."""
    and_: str
    or_: str
    symbols: dict[str, str]
    """Comparison and maths symbols between numbers or letters: ``<`` -> ``less than``."""
    percent: str
    point: str
    """The decimal separator as said before digits that have no whole part (``.001``)."""
    currencies: dict[str, str]
    """Written symbol or code -> ISO code (``$`` -> ``USD``, ``GH₵`` -> ``GHS``)."""
    currency_words: dict[str, Currency]
    """ISO code -> words (units and cents), for the codes this language names itself."""
    multipliers: dict[str, str]
    """``m``, ``bn``, ``Mio.`` -> the word: ``million``, ``billion``, ``Millionen``."""
    multiplier_of: str
    """Joins a large amount to its currency: French "millions *d'*euros", Spanish "de"."""
    date_order: str
    """``dmy`` or ``mdy``: how ``12/04/2017`` is read."""
    decimal_comma: bool
    """``3,5`` is three and a half; ``8.524`` groups thousands (fr, es, de)."""
    telephone_pairs: bool
    """Read telephone groups two digits at a time (French ``01 23 45 67 89``)."""
    digits: tuple[str, ...]
    """Zero to nine, for codes read digit by digit."""
    heading_words: frozenset[str]
    """Words after which a roman numeral is a number: ``Chapter IV``, ``tome II``."""
    regnal_names: frozenset[str]
    """Names after which even ``I`` is a regnal number (``Elizabeth I``)."""
    regnal: Callable[[int, str], str]
    """``8``, ``Henry`` -> ``the Eighth`` (en), ``huit`` (fr), ``octavo`` (es), ``der Achte`` (de).

    The name is given for languages where the number agrees with it (``Isabel segunda``)."""
    date: Callable[[int, int, int | None], str]
    """Day, month, year (or None) as said."""
    time: Callable[[int, int], str]
    """Hours and minutes on a 24-hour clock, as said."""
    year: Callable[[int], str]
    """A calendar year as said (``1984`` -> ``nineteen eighty-four``)."""
    ordinal: Callable[[int, str], str]
    """A number and the suffix it was written with (``21``, ``st``) -> words."""
    cardinal: Callable[[int, Gender], str]
    """A whole number in words, agreeing in gender where the language needs it."""
    before: tuple[Callable[[str], str], ...] = field(default=())
    """Rules only this language has that must run first (``St.`` as Saint or Street)."""
    passes: tuple[Callable[[str], str], ...] = field(default=())
    """Rules only this language has (German ordinals), run after the shared ones."""
    states: dict[str, str] = field(default_factory=dict)
    """Two-letter state codes that follow a town (``Portland, OR``) -> names."""
