"""English: how an author's abbreviations, numbers and symbols are read aloud."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.formats.spoken import numbers
from pipeline.formats.spoken.language import Currency, Rules

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def year(value: int) -> str:
    """``1984`` -> ``nineteen eighty-four``; ``2005`` -> ``two thousand and five``."""
    if 2000 <= value <= 2009 or value % 1000 == 0:
        return numbers.words(value, "en")
    return numbers.words(value, "en", "year").replace("oh-", "oh ")


def ordinal(value: int, suffix: str = "") -> str:
    return numbers.words(value, "en", "ordinal")


def date(day: int, month: int, year_: int | None) -> str:
    said = f"the {ordinal(day)} of {MONTHS[month - 1]}"
    return f"{said} {year(year_)}" if year_ else said


def date_us(day: int, month: int, year_: int | None) -> str:
    said = f"{MONTHS[month - 1]} {ordinal(day)}"
    return f"{said}, {year(year_)}" if year_ else said


def time(hours: int, minutes: int) -> str:
    """``07:00`` seven o'clock, ``14:30`` fourteen thirty, ``9:05`` nine oh five."""
    said = numbers.words(hours, "en") if hours else "zero"
    if minutes == 0:
        return f"{said} o'clock" if 1 <= hours <= 12 else f"{said} hundred"
    if minutes < 10:
        return f"{said} oh {numbers.words(minutes, 'en')}"
    return f"{said} {numbers.words(minutes, 'en')}"


def regnal(value: int, name: str = "") -> str:
    return f"the {ordinal(value).capitalize()}"


def _cardinal(value: int, gender: str = "m") -> str:
    return numbers.words(value, "en")


def _saint_or_street(text: str) -> str:
    """``St. Luke's`` is a saint, ``Main St.`` a street; ``Mt. Everest`` a mountain."""
    text = re.sub(r"(?<![\w.])St\.?(?=\s+[A-Z])", "Saint", text)
    text = re.sub(r"(?<=[a-z] )St\.(?=\s*$|\s+[^A-Z]|[,;)])", "Street", text)
    text = re.sub(r"(?<=[a-z] )St\.(?=\s+[A-Z])", "Street.", text)
    return text


def _dates_in_words(text: str) -> str:
    """``3 May 2017`` -> ``the third of May``; ``May 3, 2017`` -> ``May third``."""
    months = "|".join(MONTHS)
    text = re.sub(
        rf"\b(?:the\s)?([0-3]?\d)(?:st|nd|rd|th)?\s(?:of\s)?({months})\b",
        lambda m: (
            f"the {ordinal(int(m.group(1)))} of {m.group(2)}"
            if 1 <= int(m.group(1)) <= 31
            else m.group()
        ),
        text,
    )
    return re.sub(
        rf"\b({months})\s([0-3]?\d)(?:st|nd|rd|th)?\b(?!\s?(?:\d|%))",
        lambda m: (
            f"{m.group(1)} {ordinal(int(m.group(2)))}" if 1 <= int(m.group(2)) <= 31 else m.group()
        ),
        text,
    )


STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "D C",
}

RULES = Rules(
    code="en",
    locale="en_GB",
    abbreviations=(
        ("e.g.", "for example"),
        ("E.g.", "For example"),
        ("i.e.", "that is"),
        ("I.e.", "That is"),
        ("cf.", "compare"),
        ("Cf.", "Compare"),
        ("vs.", "versus"),
        ("v.", "versus"),
        ("viz.", "namely"),
        ("etc.", "et cetera"),
        ("et al.", "and colleagues"),
        ("n.d.", "no date"),
        ("approx.", "approximately"),
        ("Approx.", "Approximately"),
        ("ca.", "circa"),
        ("Mr.", "Mister"),
        ("Mr", "Mister"),
        ("Mrs.", "Missus"),
        ("Mrs", "Missus"),
        ("Ms.", "Miz"),
        ("Dr.", "Doctor"),
        ("Prof.", "Professor"),
        ("Jr.", "Junior"),
        ("Sr.", "Senior"),
        ("Lt. Col.", "Lieutenant Colonel"),
        ("Lt.", "Lieutenant"),
        ("Col.", "Colonel"),
        ("Gen.", "General"),
        ("Capt.", "Captain"),
        ("Sgt.", "Sergeant"),
        ("Rev.", "Reverend"),
        ("Hon.", "Honourable"),
        ("Gov.", "Governor"),
        ("Sen.", "Senator"),
        ("Pres.", "President"),
        ("Mt.", "Mount"),
        ("Ft.", "Fort"),
        ("Ave.", "Avenue"),
        ("Blvd.", "Boulevard"),
        ("Rd.", "Road"),
        ("Dept.", "Department"),
        ("Univ.", "University"),
        ("Inc.", "Incorporated"),
        ("Ltd.", "Limited"),
        ("Corp.", "Corporation"),
        ("Co.", "Company"),
        ("Fig.", "Figure"),
        ("fig.", "figure"),
        ("Figs.", "Figures"),
        ("Tab.", "Table"),
        ("Eq.", "Equation"),
        ("eq.", "equation"),
        ("Vol.", "Volume"),
        ("vol.", "volume"),
        ("Vols.", "Volumes"),
        ("(Ed.)", "(Editor)"),
        ("(Eds.)", "(Editors)"),
        ("ed.", "edition"),
        ("eds.", "editors"),
        ("trans.", "translated by"),
        ("Trans.", "Translated by"),
        ("Rev. ed.", "Revised edition"),
        ("chap.", "chapter"),
        ("Chap.", "Chapter"),
        ("Ch.", "Chapter"),
        ("ch.", "chapter"),
        ("Sect.", "Section"),
        ("sect.", "section"),
        ("Sec.", "Section"),
        ("sec.", "section"),
        ("para.", "paragraph"),
        ("Para.", "Paragraph"),
        ("ibid.", "ibidem"),
        ("Ibid.", "Ibidem"),
        ("U.S.", "U S"),
        ("U.K.", "U K"),
        ("U.N.", "U N"),
        ("E.U.", "E U"),
        ("D.C.", "D C"),
        ("min.", "minimum"),
        ("max.", "maximum"),
        ("est.", "established"),
        ("Jan.", "January"),
        ("Feb.", "February"),
        ("Mar.", "March"),
        ("Apr.", "April"),
        ("Aug.", "August"),
        ("Sept.", "September"),
        ("Sep.", "September"),
        ("Oct.", "October"),
        ("Nov.", "November"),
        ("Dec.", "December"),
        ("&", "and"),
        ("§§", "sections"),
        ("§", "section"),
    ),
    before_number=(
        ("pp.", "pages"),
        ("p.", "page"),
        ("No.", "number"),
        ("no.", "number"),
        ("Nos.", "numbers"),
        ("nos.", "numbers"),
        ("#", "number"),
        ("c.", "circa"),
        ("b.", "born"),
        ("d.", "died"),
        ("l.", "line"),
        ("ll.", "lines"),
        ("vv.", "verses"),
        ("v.", "verse"),
        ("Art.", "Article"),
        ("art.", "article"),
        ("ff.", "and following"),
    ),
    may_end=frozenset(
        {
            "etc.",
            "et al.",
            "n.d.",
            "Jr.",
            "Sr.",
            "Inc.",
            "Ltd.",
            "Co.",
            "Corp.",
            "ibid.",
            "Ibid.",
            "ed.",
            "eds.",
            "min.",
            "max.",
            "approx.",
            "ff.",
            "St.",
        }
    ),
    months=MONTHS,
    month_abbreviations={
        "Jan": 1,
        "Feb": 2,
        "Mar": 3,
        "Apr": 4,
        "Jun": 6,
        "Jul": 7,
        "Aug": 8,
        "Sep": 9,
        "Sept": 9,
        "Oct": 10,
        "Nov": 11,
        "Dec": 12,
    },
    weekday_abbreviations={
        "Mon": "Monday",
        "Tue": "Tuesday",
        "Tues": "Tuesday",
        "Wed": "Wednesday",
        "Thu": "Thursday",
        "Thurs": "Thursday",
        "Fri": "Friday",
        "Sat": "Saturday",
        "Sun": "Sunday",
    },
    to="to",
    per="per",
    and_="and",
    or_="or",
    symbols={
        "α": "alpha",
        "β": "beta",
        "γ": "gamma",
        "δ": "delta",
        "η²": "eta squared",
        "χ²": "chi squared",
        "μ": "mu",
        "σ": "sigma",
        "π": "pi",
        "<": "less than",
        ">": "greater than",
        "≤": "less than or equal to",
        "≥": "greater than or equal to",
        "<=": "less than or equal to",
        ">=": "greater than or equal to",
        "=": "equals",
        "≠": "is not equal to",
        "≈": "approximately",
        "±": "plus or minus",
        "×": "times",
        "÷": "divided by",
        "~": "about",
        "−": "minus",
        "-": "minus",
        "+": "plus",
        "‰": "per mille",
    },
    percent="percent",
    point="point",
    currencies={
        "US$": "USD",
        "$": "USD",
        "USD": "USD",
        "€": "EUR",
        "EUR": "EUR",
        "£": "GBP",
        "GBP": "GBP",
        "¥": "JPY",
        "GH₵": "GHS",
        "GH¢": "GHS",
        "₵": "GHS",
        "GHS": "GHS",
        "₦": "NGN",
        "₹": "INR",
        "A$": "AUD",
        "AU$": "AUD",
        "C$": "CAD",
        "CA$": "CAD",
        "CHF": "CHF",
        "ZAR": "ZAR",
        "KSh": "KES",
    },
    currency_words={
        "USD": Currency("dollar", "dollars", "cent", "cents"),
        "EUR": Currency("euro", "euros", "cent", "cents"),
        "GBP": Currency("pound", "pounds", "penny", "pence"),
        "GHS": Currency("cedi", "cedis", "pesewa", "pesewas"),
        "JPY": Currency("yen", "yen", "sen", "sen"),
        "NGN": Currency("naira", "naira", "kobo", "kobo"),
        "INR": Currency("rupee", "rupees", "paisa", "paise"),
        "AUD": Currency("Australian dollar", "Australian dollars", "cent", "cents"),
        "CAD": Currency("Canadian dollar", "Canadian dollars", "cent", "cents"),
        "CHF": Currency("Swiss franc", "Swiss francs", "centime", "centimes"),
        "ZAR": Currency("rand", "rand", "cent", "cents"),
        "KES": Currency("Kenyan shilling", "Kenyan shillings", "cent", "cents"),
    },
    multipliers={
        "million": "million",
        "billion": "billion",
        "trillion": "trillion",
        "m": "million",
        "M": "million",
        "mn": "million",
        "bn": "billion",
        "b": "billion",
        "B": "billion",
        "k": "thousand",
        "K": "thousand",
        "thousand": "thousand",
    },
    multiplier_of="",
    date_order="dmy",
    decimal_comma=False,
    telephone_pairs=False,
    digits=("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    heading_words=frozenset(
        {
            "Chapter",
            "chapter",
            "Part",
            "part",
            "Volume",
            "volume",
            "Book",
            "book",
            "Act",
            "Scene",
            "Phase",
            "phase",
            "Type",
            "type",
            "Section",
            "section",
            "Appendix",
            "Stage",
            "stage",
            "Title",
            "War",
            "Article",
            "article",
            "Level",
            "level",
            "Class",
            "Grade",
            "Schedule",
            "Annex",
            "Canto",
            "Psalm",
        }
    ),
    regnal_names=frozenset(
        {
            "Henry",
            "Edward",
            "Elizabeth",
            "Charles",
            "James",
            "George",
            "William",
            "Mary",
            "Richard",
            "John",
            "Louis",
            "Peter",
            "Catherine",
            "Napoleon",
            "Pius",
            "Leo",
            "Benedict",
            "Gregory",
            "Paul",
            "Philip",
            "Frederick",
            "Alexander",
            "Nicholas",
            "Victor",
            "Francis",
            "Innocent",
            "Clement",
            "Urban",
            "Boniface",
            "Anne",
            "Ferdinand",
            "Isabella",
            "Wilhelm",
            "Otto",
            "Ivan",
            "Selim",
            "Mehmed",
            "Suleiman",
            "Ramesses",
            "Amenhotep",
            "Thutmose",
            "Alfonso",
            "Juan",
            "Carlos",
            "Felipe",
            "Haile",
            "Rama",
        }
    ),
    regnal=regnal,
    date=date,
    time=time,
    year=year,
    ordinal=ordinal,
    cardinal=_cardinal,
    before=(_saint_or_street,),
    passes=(_dates_in_words,),
    states=STATES,
)

#: US English reads dates month first; the rest of its rules are the same.
RULES_US = replace(RULES, date=date_us, date_order="mdy", locale="en_US")
