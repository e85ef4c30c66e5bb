"""The author's text as a person reads it aloud: one ordered list of rewriting passes.

Speech engines read plain digits and words well in every language they have; what
they get wrong is what print leaves to the reader: ``$4.75``, ``p < .001``,
``12/04/2017``, ``Henry VIII``, ``3.er``, ``km/h``, ``St. Luke's``. Each pass below
rewrites one such class, with the words of the document's language (``Rules``, one
module per language). Order matters and is shown in ``PASSES``: telephone numbers
before times, currency before ranges, units before slashes, abbreviations before
roman numerals (``vol. II`` -> ``volume II`` -> ``volume two``).

Plain cardinals (``8,524``, ``21 million``) are left as digits: every engine reads
them, and the narration script and captions stay readable. Numbers are put in words
where the engine would say them wrongly: years, ordinals, amounts that agree with a
noun (``un dólar``, ``ein Euro``), times and dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pipeline.formats.spoken import numbers
from pipeline.formats.spoken.language import Currency, Rules

Pass = Callable[[str, Rules, str], str]
"""A rewriting pass: text, the language's rules, the full locale tag -> text."""

_NUMBER = r"\d{1,12}(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_value(text: str) -> int | None:
    """``XXI`` -> 21; None for anything that is not a well-formed roman numeral."""
    import roman

    if not text or not _ROMAN.match(text):
        return None
    return int(roman.fromRoman(text))


def parse_amount(text: str, rules: Rules) -> tuple[int, str]:
    """``1,234.50`` (en) or ``1.234,50`` (de) -> (1234, "50"): whole part and decimals."""
    text = re.sub(r"[\u00a0\u202f ]", "", text)
    decimal = "," if rules.decimal_comma else "."
    group = "." if rules.decimal_comma else ","
    if (text.count(decimal) == 1 and len(text.split(decimal)[1]) != 3) or (
        text.count(decimal) == 1 and group not in text and rules.decimal_comma
    ):
        whole, _, frac = text.partition(decimal)
    elif rules.decimal_comma and "." in text and "," not in text and len(text.split(".")[-1]) != 3:
        whole, _, frac = text.partition(".")  # "0.9" in a Spanish text written the English way
    elif (
        not rules.decimal_comma
        and "," in text
        and "." not in text
        and len(text.split(",")[-1]) != 3
    ):
        whole, _, frac = text.partition(",")
    else:
        whole, frac = text, ""
    whole = re.sub(r"[.,]", "", whole) or "0"
    return int(whole), frac


def spoken_decimal(text: str, rules: Rules) -> str:
    """A number as digits the engine reads in this language (``0.9`` -> ``0,9`` in French)."""
    whole, frac = parse_amount(text, rules)
    if not frac:
        return str(whole)
    return f"{whole}{',' if rules.decimal_comma else '.'}{frac}"


# --------------------------------------------------------------------------- telephone


_PHONE = re.compile(
    r"(?<![\w.,+])(?:(?:\+\d{1,3}|\(\d{1,4}\)|0\d{0,4})(?:[ .\-/]\(?\d{1,8}\)?)+"
    r"|\(\d{3}\)\s?\d{3}-\d{4}|\d{3}-\d{3}-\d{4}|[6789]\d{2}(?: \d{2,3}){2,3})(?![\w])"
)


def _telephone(text: str, rules: Rules, locale: str) -> str:
    def say(match: re.Match[str]) -> str:
        raw = match.group()
        if sum(c.isdigit() for c in raw) < 7:
            return raw
        if raw[0] in "6789" and (rules.code != "es" or sum(c.isdigit() for c in raw) != 9):
            return raw  # Spanish numbers have no prefix; elsewhere these are quantities
        groups = re.findall(r"\+|\d+", raw)
        out: list[str] = []
        for group in groups:
            if group == "+":
                out.append("plus" if rules.code != "es" else "más")
            elif rules.telephone_pairs and len(group) % 2 == 0:
                pairs = [group[i : i + 2] for i in range(0, len(group), 2)]
                out.append(
                    ", ".join(
                        numbers.digits(p, rules.digits)
                        if p.startswith("0")
                        else numbers.words(int(p), rules.code)
                        for p in pairs
                    )
                )
            elif rules.code == "es" and not group.startswith("0"):
                out.append(numbers.words(int(group), "es"))
            else:
                out.append(numbers.digits(group, rules.digits))
        spoken = ", ".join(out).replace("plus, ", "plus ").replace("más, ", "más ")
        return spoken

    return _PHONE.sub(say, text)


# --------------------------------------------------------------------------- times


def _times(text: str, rules: Rules, locale: str) -> str:
    def clock(match: re.Match[str]) -> str:
        hours, minutes = int(match.group(1)), int(match.group(2))
        return rules.time(hours, minutes)

    text = re.sub(
        r"(?<![\d:.,])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?![\d:])(?:\s?(?:h|Uhr|hrs)\b)?",
        clock,
        text,
    )
    if rules.code == "en":

        def meridiem(match: re.Match[str]) -> str:
            hours = int(match.group(1))
            minutes = int(match.group(2) or 0)
            said = numbers.words(hours, "en")
            if minutes:
                said += " oh " if minutes < 10 else " "
                said += numbers.words(minutes, "en")
            tail = " " if match.group(4) else ""
            return f"{said} {match.group(3).upper()} M" + tail

        text = re.sub(
            r"\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s?([aApP])\.?\s?[mM]\.?(?=(\s)|[^\w]|$)",
            meridiem,
            text,
        )
    elif rules.code == "fr":
        text = re.sub(
            r"\b([01]?\d|2[0-3])\s?h(?:\s?([0-5]\d))?\b",
            lambda m: rules.time(int(m.group(1)), int(m.group(2) or 0)),
            text,
        )
    elif rules.code == "de":
        text = re.sub(
            r"\b([01]?\d|2[0-3])[.:]([0-5]\d)\s?Uhr\b",
            lambda m: rules.time(int(m.group(1)), int(m.group(2))),
            text,
        )
        text = re.sub(r"\b([01]?\d|2[0-3])\s?Uhr\b", lambda m: rules.time(int(m.group(1)), 0), text)
    return text


# --------------------------------------------------------------------------- dates


def _dates(text: str, rules: Rules, locale: str) -> str:
    order = rules.date_order

    def numeric(match: re.Match[str]) -> str:
        first, second, year = int(match.group(1)), int(match.group(3)), match.group(4)
        day, month = (second, first) if order == "mdy" else (first, second)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group()
        full = (
            int(year)
            if len(year) == 4
            else 2000 + int(year)
            if int(year) < 50
            else 1900 + int(year)
        )
        return rules.date(day, month, full)

    text = re.sub(
        r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)", numeric, text
    )
    text = re.sub(
        r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])",
        lambda m: (
            rules.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31
            else m.group()
        ),
        text,
    )
    return text


# --------------------------------------------------------------------------- currency


@cache
def _currency_pattern(rules: Rules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    symbols = sorted(rules.currencies, key=len, reverse=True)
    alternatives = "|".join(re.escape(s) for s in symbols)
    multipliers = "|".join(re.escape(m) for m in sorted(rules.multipliers, key=len, reverse=True))
    mult = rf"(?:\s?(?P<mult{{n}}>{multipliers})(?![\w]))?"
    before = re.compile(
        rf"(?<![\w])(?P<sym>{alternatives})\s?(?P<a>{_NUMBER}){mult.format(n=1)}"
        rf"(?:\s?[–—-]\s?(?:{alternatives})?\s?(?P<b>{_NUMBER}){mult.format(n=2)})?"
        r"(?![\d])"
    )
    after = re.compile(
        rf"(?<![\w.,])(?P<a>{_NUMBER}){mult.format(n=1)}"
        rf"(?:\s?[–—-]\s?(?P<b>{_NUMBER}){mult.format(n=2)})?"
        rf"(?:\s(?:de|d'))?\s?(?P<sym>{alternatives})(?![\w])"
    )
    return before, after


def _money(amount: str, multiplier: str | None, code: str, rules: Rules) -> str:
    words = rules.currency_words.get(code)
    if words is None:
        words = _babel_currency(code, rules.code)
    if multiplier:
        big = rules.multipliers[multiplier]
        number = spoken_decimal(amount, rules)
        whole, frac = parse_amount(amount, rules)
        if rules.code in {"fr", "es", "de"} and (whole > 1 or frac):
            big = _plural_multiplier(big, rules.code)
        said = f"{number} {big} {rules.multiplier_of}{words.many}"
        return said.replace("de e", "d'e") if rules.code == "fr" else said
    whole, frac = parse_amount(amount, rules)
    cents = int((frac + "0")[:2]) if frac else 0
    unit = words.one if whole == 1 else words.many
    said_whole = count(whole, rules, words.gender)
    if not cents:
        return f"{said_whole} {unit}"
    said_cents = count(cents, rules)
    cent_unit = words.cent_one if cents == 1 else words.cent_many
    if whole == 0:
        return f"{said_cents} {cent_unit}"
    return rules_money(rules.code, said_whole, unit, said_cents, cent_unit)


def rules_money(lang: str, whole: str, unit: str, cents: str, cent_unit: str) -> str:
    """An amount with cents, the way each language says it aloud."""
    if lang == "en":
        return f"{whole} {unit} and {cents} {cent_unit}"
    if lang == "es":
        return f"{whole} {unit} con {cents} {cent_unit}"
    if lang == "fr":
        return f"{whole} {unit} {cents}"
    return f"{whole} {unit} {cents}"


def _plural_multiplier(word: str, lang: str) -> str:
    if lang == "fr":
        return {"million": "millions", "milliard": "milliards"}.get(word, word)
    if lang == "es":
        return {"millón": "millones", "billón": "billones"}.get(word, word)
    return {"Million": "Millionen", "Milliarde": "Milliarden"}.get(word, word)


@cache
def _babel_currency(code: str, lang: str) -> Currency:
    from babel.numbers import get_currency_name

    return Currency(
        get_currency_name(code, 1, locale=lang),
        get_currency_name(code, 2, locale=lang),
        "",
        "",
    )


def _currency(text: str, rules: Rules, locale: str) -> str:
    before, after = _currency_pattern(rules)

    def say(match: re.Match[str]) -> str:
        code = rules.currencies[match.group("sym")]
        second = match.group("b")
        if second is None:
            return _money(match.group("a"), match.group("mult1"), code, rules)
        first_mult = match.group("mult1")
        first = spoken_decimal(match.group("a"), rules)
        if first_mult and first_mult != match.group("mult2"):
            first += " " + rules.multipliers[first_mult]
        return f"{first} {rules.to} {_money(second, match.group('mult2'), code, rules)}"

    text = before.sub(say, text)
    return after.sub(say, text)


# --------------------------------------------------------------------------- units

#: Written unit -> CLDR unit id (names and plurals per language come from Babel).
UNITS: dict[str, str] = {
    "kg": "mass-kilogram",
    "g": "mass-gram",
    "mg": "mass-milligram",
    "µg": "mass-microgram",
    "μg": "mass-microgram",
    "t": "mass-tonne",
    "lb": "mass-pound",
    "lbs": "mass-pound",
    "oz": "mass-ounce",
    "km": "length-kilometer",
    "m": "length-meter",
    "cm": "length-centimeter",
    "mm": "length-millimeter",
    "µm": "length-micrometer",
    "μm": "length-micrometer",
    "mi": "length-mile",
    "ft": "length-foot",
    "yd": "length-yard",
    "in": "length-inch",
    "m²": "area-square-meter",
    "m2": "area-square-meter",
    "km²": "area-square-kilometer",
    "km2": "area-square-kilometer",
    "cm²": "area-square-centimeter",
    "ft²": "area-square-foot",
    "sq ft": "area-square-foot",
    "sq. ft.": "area-square-foot",
    "sq mi": "area-square-mile",
    "ha": "area-hectare",
    "m³": "volume-cubic-meter",
    "m3": "volume-cubic-meter",
    "cm³": "volume-cubic-centimeter",
    "L": "volume-liter",
    "l": "volume-liter",
    "ml": "volume-milliliter",
    "mL": "volume-milliliter",
    "cl": "volume-centiliter",
    "km/h": "speed-kilometer-per-hour",
    "kph": "speed-kilometer-per-hour",
    "mph": "speed-mile-per-hour",
    "m/s": "speed-meter-per-second",
    "°C": "temperature-celsius",
    "°F": "temperature-fahrenheit",
    "kWh": "energy-kilowatt-hour",
    "kcal": "energy-kilocalorie",
    "W": "power-watt",
    "kW": "power-kilowatt",
    "MW": "power-megawatt",
    "GW": "power-gigawatt",
    "V": "electric-volt",
    "Hz": "frequency-hertz",
    "kHz": "frequency-kilohertz",
    "MHz": "frequency-megahertz",
    "GHz": "frequency-gigahertz",
    "kB": "digital-kilobyte",
    "KB": "digital-kilobyte",
    "MB": "digital-megabyte",
    "GB": "digital-gigabyte",
    "TB": "digital-terabyte",
    "ko": "digital-kilobyte",
    "Mo": "digital-megabyte",
    "Go": "digital-gigabyte",
    "To": "digital-terabyte",
    "h": "duration-hour",
    "hrs": "duration-hour",
    "min": "duration-minute",
    "s": "duration-second",
    "ms": "duration-millisecond",
    "mmHg": "pressure-millimeter-ofhg",
    "°": "angle-degree",
}

#: Units that are feminine nouns, for "una milla", "une tonne", "eine Stunde".
FEMININE = {
    "es": {
        "mass-tonne",
        "mass-pound",
        "mass-ounce",
        "length-mile",
        "length-yard",
        "energy-kilocalorie",
        "length-inch",
        "area-hectare",
        "duration-hour",
        "duration-minute",
    },
    "fr": {
        "mass-tonne",
        "mass-pound",
        "mass-ounce",
        "duration-hour",
        "duration-minute",
        "duration-second",
        "length-inch",
    },
    "de": {
        "mass-tonne",
        "length-mile",
        "duration-hour",
        "duration-minute",
        "duration-second",
        "duration-millisecond",
    },
}

# Looked up at a match's end with ``pattern.match(text, pos)``: slicing the rest of the
# text at every match would make a long paragraph quadratic.
_LOWER_WORD = re.compile(r"\s(?!of\b|de\b)[a-zà-ÿ]")
_SCALE = re.compile(r"\s*[CF]\b")
_NOT_A_YEAR = re.compile(r"\s?(?:%|[,.]\d)")
_SENTENCE_GOES_ON = re.compile(r"(?!\s*$)(?!\s+[A-ZÀ-Ý¿¡])")

#: A unit after "in" is read only in a context that shows it is a length ("6 in long").
_INCH = re.compile(
    r"(?=\s*(?:[)\],;.:×x]|$|by\b|long\b|wide\b|tall\b|high\b|deep\b|thick\b|screen\b"
    r"|display\b|diameter\b))"
)


@cache
def unit_words(amount: str, unit: str, rules: Rules) -> str:
    """``12``, ``mass-kilogram`` -> ``12 kilograms``: CLDR's long name in the right plural."""
    from babel.units import format_unit

    whole, frac = parse_amount(amount, rules)
    value: float = float(f"{whole}.{frac}") if frac else whole
    said = format_unit(value, unit, length="long", locale=rules.locale, format="#,##0.###")
    said = said.replace("\u00a0", " ").replace("\u202f", " ")
    number = re.match(r"\d[\d.,]*(?: \d{3})*", said)
    if frac and number is not None:  # as written: "1,80 m" keeps its zero
        said = spoken_decimal(amount, rules) + said[number.end() :]
    elif number is not None:
        gender = "f" if unit in FEMININE.get(rules.code, set()) else "m"
        said = count(whole, rules, gender) + said[number.end() :]
    return said


def count(value: int, rules: Rules, gender: str = "m") -> str:
    """A count before a noun: digits, unless the number must agree with the noun.

    Digits keep the script and captions readable, and every engine reads them; but
    ``1 milla``, ``21 libras``, ``1 Stunde`` need ``una``, ``veintiuna``, ``eine``.
    """
    if rules.code != "en" and value % 10 == 1 and value % 100 != 11 and value < 10**6:
        return numbers.cardinal(value, rules.code, gender)
    if rules.code == "es" and gender == "f" and 200 <= value % 1000 < 1000 and value < 10**6:
        return numbers.cardinal(value, rules.code, gender)
    if value < 10000 and rules.code in {"es", "fr"}:
        return str(value)
    grouped = f"{value:,}"  # grouped, so a later pass cannot take 1250 for a year
    return grouped.replace(",", {"en": ",", "de": ".", "es": ".", "fr": " "}[rules.code])


@cache
def _unit_pattern() -> re.Pattern[str]:
    names = sorted(UNITS, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    per = "|".join(re.escape(n) for n in names if "/" not in n)
    return re.compile(
        rf"(?<![\w.,])(?P<a>{_NUMBER})(?:\s?[–—-]\s?(?P<b>{_NUMBER}))?\s?"
        rf"(?P<unit>{alternatives})(?:/(?P<per>{per}|d|day|yr|año|an|Tag|person|capita))?(?![\w²³/'’])"
    )


def _per_name(unit: str, rules: Rules) -> str:
    if unit in UNITS:
        one = unit_words("1", UNITS[unit], rules)
        return one.split(" ", 1)[1] if " " in one else one
    return {
        "d": {"en": "day", "fr": "jour", "es": "día", "de": "Tag"},
        "day": {"en": "day"},
        "yr": {"en": "year"},
        "año": {"es": "año"},
        "an": {"fr": "an"},
        "Tag": {"de": "Tag"},
        "person": {"en": "person"},
        "capita": {"en": "capita"},
    }[unit].get(rules.code, unit)


def _units(text: str, rules: Rules, locale: str) -> str:
    def say(match: re.Match[str]) -> str:
        unit = match.group("unit")
        if unit == "in" and not _INCH.match(text, match.end()):
            return match.group()
        if unit in {"t", "s"} and _LOWER_WORD.match(text, match.end()):
            return match.group()  # "5 s" and "3 t" are units only before "of" or punctuation
        if unit == "°" and _SCALE.match(text, match.end()):
            return match.group()
        said = unit_words(match.group("b") or match.group("a"), UNITS[unit], rules)
        if match.group("b"):
            said = f"{spoken_decimal(match.group('a'), rules)} {rules.to} {said}"
        if match.group("per"):
            said += f" {rules.per} {_per_name(match.group('per'), rules)}"
        return said

    text = re.sub(
        r"(\d+)\s?[′']\s?(\d+)\s?[″\"]",
        lambda m: (
            f"{unit_words(m.group(1), 'length-foot', rules)} "
            f"{unit_words(m.group(2), 'length-inch', rules)}"
        ),
        text,
    )
    text = _unit_pattern().sub(say, text)
    # a unit on its own after a word that counts it: "le prix du m²", "5 euros per kg"
    return re.sub(
        r"\b(le|du|au|par|per|a|the|el|por|pro|je|each|al|del|la|das)\s"
        r"(m²|km²|m³|kg|km|ha|kWh)(?![\w²³])",
        lambda m: f"{m.group(1)} {_per_name(m.group(2), rules)}",
        text,
    )


# --------------------------------------------------------------------------- percent


def _percent(text: str, rules: Rules, locale: str) -> str:
    text = re.sub(
        rf"({_NUMBER})\s?[–—-]\s?({_NUMBER})\s?%",
        lambda m: f"{m.group(1)} {rules.to} {m.group(2)} {rules.percent}",
        text,
    )
    text = re.sub(r"(\d)\s?%", lambda m: f"{m.group(1)} {rules.percent}", text)
    return text


# --------------------------------------------------------------------------- ordinals


def _ordinals(text: str, rules: Rules, locale: str) -> str:
    if rules.code == "en":
        return re.sub(
            r"\b(\d{1,9})(st|nd|rd|th)\b",
            lambda m: rules.ordinal(int(m.group(1)), m.group(2)),
            text,
        )
    if rules.code == "fr":
        return re.sub(
            r"\b(\d{1,9})(ers|er|res|re|ères|ère|èmes|ème|es|e|nds|nd|ndes|nde|des|de|d)\b",
            lambda m: rules.ordinal(int(m.group(1)), m.group(2)),
            text,
        )
    if rules.code == "es":
        return re.sub(
            r"\b(\d{1,9})\.?(?:(er|os|as)|([ºª°oa]))(?![\w])",
            lambda m: rules.ordinal(int(m.group(1)), m.group(2) or m.group(3)),
            text,
        )
    return text


# --------------------------------------------------------------------------- decades, years


def _decades(text: str, rules: Rules, locale: str) -> str:
    if rules.code == "en":

        def decade(match: re.Match[str]) -> str:
            said = rules.year(int(match.group(1)))
            if said.endswith("y"):
                return said[:-1] + "ies"
            return said + "s"

        text = re.sub(r"\b(1\d[1-9]0|1\d00|20[0-9]0)['’]?s\b", decade, text)
        short = {
            "2": "twenties",
            "3": "thirties",
            "4": "forties",
            "5": "fifties",
            "6": "sixties",
            "7": "seventies",
            "8": "eighties",
            "9": "nineties",
        }
        text = re.sub(r"(?<!\w)['’]([2-9])0s\b", lambda m: short[m.group(1)], text)
        text = re.sub(r"(?<!\w)(?<!['’])([2-9])0s\b", lambda m: short[m.group(1)], text)
    elif rules.code == "de":
        text = re.sub(r"\b(1\d\d0|20\d0)er\b", lambda m: rules.year(int(m.group(1))) + "er", text)
    return text


def years(text: str, rules: Rules) -> str:
    """Four-digit years in words (English, German); other text unchanged."""
    return _years(text, rules, rules.locale)


def _years(text: str, rules: Rules, locale: str) -> str:
    """Four-digit years in words where the engine reads them as quantities (en, de)."""
    if rules.code not in {"en", "de"}:
        return text

    def say(match: re.Match[str]) -> str:
        value = int(match.group(1))
        if _NOT_A_YEAR.match(text, match.end()):
            return match.group()
        return match.group().replace(match.group(1), rules.year(value))

    if rules.code == "de":
        return re.sub(r"(?<![\d.,\w])(1[1-9]\d\d)(?![\d.,]\d|\w)", say, text)
    return re.sub(r"(?<![\d.,\w$£€])(1\d\d\d|20\d\d)(?![\d]|[.,]\d|\w)", say, text)


# --------------------------------------------------------------------------- slashes


_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")


def _slashes(text: str, rules: Rules, locale: str) -> str:
    def fraction(match: re.Match[str]) -> str:
        top, bottom = int(match.group(1)), int(match.group(2))
        if top == 24 and bottom == 7:
            return numbers.words(24, rules.code) + " " + numbers.words(7, rules.code)
        if 2 <= bottom <= 10 and top < 100:
            return numbers.fraction(top, bottom, rules.code)
        return match.group()

    text = _FRACTION.sub(fraction, text)
    # A number over a year: "Ley 6/2021", "Directive 2010/31/EU"
    joiner = {"es": "de", "fr": "de", "de": "von", "en": "of"}[rules.code]
    text = re.sub(
        r"(?<![\w/])(\d{1,4})/((?:19|20)\d\d)(?![\w/])",
        lambda m: f"{m.group(1)} {joiner} {m.group(2)}",
        text,
    )

    slash = {"es": "barra", "fr": "barre", "de": "Schrägstrich", "en": "slash"}[rules.code]
    text = re.sub(
        r"(?<![\w/.,])(\d+)/(\d+)(?![\w/]|[.,]\d)",
        lambda m: f"{m.group(1)} {slash} {m.group(2)}",
        text,
    )

    def words(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        if first.isupper() and second.isupper():
            return f"{first} {second}"
        if first.lower() in {"and", "et", "y", "und"}:
            return f"{first} {second}"
        return f"{first} {rules.or_} {second}"

    return re.sub(r"(?<![\w/:.])([^\W\d_]+)/([^\W\d_]+)(?![\w/])", words, text)


# --------------------------------------------------------------------------- ranges


def _ranges(text: str, rules: Rules, locale: str) -> str:
    months = {k: rules.months[v - 1] for k, v in rules.month_abbreviations.items()}

    def name(word: str) -> str:
        bare = word.rstrip(".")
        return months.get(bare) or rules.weekday_abbreviations.get(bare) or word

    def words(match: re.Match[str]) -> str:
        return f"{name(match.group(1))} {rules.to} {name(match.group(2))}"

    text = re.sub(
        r"\b(1[5-9]\d\d|20\d\d)[–-](\d{2})\b(?![–-])",
        lambda m: f"{m.group(1)} {rules.to} {m.group(2)}",
        text,
    )
    text = re.sub(
        r"(?<![\d,.])(\d[\d,.]*)\s*[–—]\s*(\d[\d,.]*)(?!\d)",
        lambda m: f"{m.group(1)} {rules.to} {m.group(2)}",
        text,
    )
    text = re.sub(r"(?<![\w–])(\w+\.?)[–](\w+\.?)(?![\w–])", words, text)
    text = re.sub(r"(?<=\w)\s+–\s+(?=\w)", ", ", text)  # a spaced en dash is a pause
    return text


# --------------------------------------------------------------------------- abbreviations


@cache
def _abbreviation_patterns(rules: Rules) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """One alternation per context (what may stand before and after), longest first.

    A pattern per abbreviation was a hundred scans of every sentence; grouped, it is six.
    """
    groups: dict[tuple[str, str], dict[str, str]] = {}
    pairs = [(w, s, False) for w, s in rules.abbreviations]
    pairs += [(w, s, True) for w, s in rules.before_number]
    for written, spoken, needs_number in pairs:
        left = r"(?<![\w.\-])" if written[0].isalnum() else r"(?<!\S)"
        if needs_number:
            right = r"(?=\s*(?:\d|[IVXLC]+\b))"
        elif written.endswith("."):
            right = r"(?![\w])"
        else:
            right = r"(?![\w.])"
        groups.setdefault((left, right), {}).setdefault(written, spoken)  # first one wins
    found = []
    for (left, right), table in groups.items():
        alternatives = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
        found.append((re.compile(f"{left}(?:{alternatives}){right}"), table))
    return found


@cache
def _month_patterns(rules: Rules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = "|".join(sorted(rules.month_abbreviations, key=len, reverse=True))
    return (
        re.compile(rf"\b({months})\.?(?=\s+\d|\s*[–-]\s*\d|\s*,?\s*\d{{4}})"),
        re.compile(rf"(?<=\d\s)({months})\.?(?![\w])"),
    )


def _abbreviations(text: str, rules: Rules, locale: str) -> str:
    def month(match: re.Match[str]) -> str:
        return rules.months[rules.month_abbreviations[match.group(1)] - 1]

    for pattern in _month_patterns(rules):
        text = pattern.sub(month, text)
    for pattern, table in _abbreviation_patterns(rules):

        def replace(match: re.Match[str], table: dict[str, str] = table) -> str:
            written = match.group()
            ends = (
                written in rules.may_end
                and _SENTENCE_GOES_ON.match(match.string, match.end()) is None
            )
            return table[written] + ("." if ends else "")

        text = pattern.sub(replace, text)
    return text


# --------------------------------------------------------------------------- states, postcodes


def _places(text: str, rules: Rules, locale: str) -> str:
    if rules.states:
        codes = "|".join(rules.states)

        def state(match: re.Match[str]) -> str:
            zip_code = match.group(3)
            said = f"{match.group(1)}{rules.states[match.group(2)]}"
            if zip_code:
                said += " " + numbers.digits(zip_code, rules.digits)
            return said

        text = re.sub(
            rf"(\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*,\s)({codes})\b(?:\s(\d{{5}}(?:-\d{{4}})?))?(?![\w'])",
            state,
            text,
        )
        text = re.sub(
            r"\b([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})\b",
            lambda m: " ".join(m.group(1)) + ", " + " ".join(m.group(2)),
            text,
        )
    else:

        def postcode(match: re.Match[str]) -> str:
            code = match.group(1)
            if rules.telephone_pairs:  # French: the département, then digit by digit
                return (
                    f"{numbers.cardinal(int(code[:2]), rules.code)} "
                    f"{numbers.digits(code[2:], rules.digits)} "
                )
            return numbers.digits(code, rules.digits) + " "

        text = re.sub(r"(?<![\w.,])((?:[0-9]\d{4}))\s(?=[A-ZÀ-Ý][a-zà-ÿ]+)", postcode, text)
    return text


# --------------------------------------------------------------------------- roman numerals


def _roman(text: str, rules: Rules, locale: str) -> str:
    heading = "|".join(sorted(rules.heading_words, key=len, reverse=True))

    def cardinal(match: re.Match[str]) -> str:
        value = roman_value(match.group(2))
        if value is None:
            return match.group()
        return f"{match.group(1)} {numbers.words(value, rules.code)}"

    text = re.sub(rf"\b({heading})\s+([IVXLC]{{2,}}|[IVX])\b(?!['’])", cardinal, text)

    def regnal(match: re.Match[str]) -> str:
        name, numeral = match.group(1), match.group(2)
        value = roman_value(numeral)
        if value is None or value > 39:
            return match.group()
        if len(numeral) == 1 and name not in rules.regnal_names:
            return match.group()
        said = f"{name} {rules.regnal(value, name)}"
        return said

    dot = r"\.?" if rules.code == "de" else ""
    text = re.sub(rf"\b([A-ZÀ-Ý][a-zà-ÿ]+)\s+([IVX]+){dot}(?![\w'’])", regnal, text)
    return text


# --------------------------------------------------------------------------- symbols


def _symbols(text: str, rules: Rules, locale: str) -> str:
    text = re.sub(
        r"(?<![\w.,])\.(\d+)\b",
        lambda m: f"{rules.point} " + numbers.digits(m.group(1), rules.digits),
        text,
    )
    plain = {k: v for k, v in rules.symbols.items() if k not in {"~", "−", "-", "+"}}
    text = _symbol_pattern(rules).sub(lambda m: f" {plain[m.group(1)]} ", text)
    # signs that are words only beside a number: "~200", "−5", "-5", "2 + 2"
    for symbol in ("~", "−", "-", "+"):
        word = rules.symbols.get(symbol)
        if word is None:
            continue
        if symbol == "+":
            text = re.sub(r"(?<=[\w)])\s*\+\s*(?=[\w(])", f" {word} ", text)
        elif symbol == "-":
            text = re.sub(r"(?<![\w\d])-(?=\d)", f"{word} ", text)
        else:
            text = re.sub(rf"{re.escape(symbol)}\s?(?=\d)", f"{word} ", text)
    return text


@cache
def _symbol_pattern(rules: Rules) -> re.Pattern[str]:
    plain = [k for k in rules.symbols if k not in {"~", "−", "-", "+"}]
    alternatives = "|".join(re.escape(k) for k in sorted(plain, key=len, reverse=True))
    return re.compile(rf"\s*({alternatives})\s*")


# --------------------------------------------------------------------------- structure


def _structure(text: str, rules: Rules, locale: str) -> str:
    return tidy_punctuation(text)


def tidy_punctuation(text: str) -> str:
    """Punctuation a listener would hear as a stumble: ``..``, ``?.``, ``:;``, ``,.``."""
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([?!])\.(?!\.)", r"\1", text)
    text = re.sub(r"[:;,]+(?=[.;:!?])", "", text)
    text = re.sub(r"([;:])[;:,]+", r"\1", text)
    return text


PASSES: tuple[Pass, ...] = (
    _dates,
    _telephone,
    _times,
    _currency,
    _decades,
    _units,
    _percent,
    _ordinals,
    _slashes,
    _ranges,
    _abbreviations,
    _places,
    _roman,
    _symbols,
    _years,
    _structure,
)
"""Every pass, in the order they run."""


def read(text: str, rules: Rules, locale: str) -> str:
    """Run every pass, then the language's own."""
    for first in rules.before:
        text = first(text)
    for rewrite in PASSES:
        text = rewrite(text, rules, locale)
    for extra in rules.passes:
        text = extra(text)
    return text
