"""German: how an author's abbreviations, numbers and symbols are read aloud.

German writes ordinals as a number and a full stop (``am 3. Mai``, ``im 19.
Jahrhundert``) and inflects them by case: ``am dritten Mai``, ``der dritte Platz``.
The ending is chosen from the word before (an article or a contracted preposition);
without one, dates take ``-ten`` as in "Berlin, den dritten Mai".
"""

from __future__ import annotations

import re

from pipeline.formats.spoken import numbers
from pipeline.formats.spoken.language import Currency, Rules

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def cardinal(value: int, gender: str = "m") -> str:
    return numbers.cardinal(value, "de", gender)


def _ordinal_stem(value: int) -> str:
    return numbers.words(value, "de", "ordinal").removesuffix("e")


def ordinal(value: int, suffix: str = "e") -> str:
    return _ordinal_stem(value) + suffix


def date(day: int, month: int, year: int | None) -> str:
    said = f"{ordinal(day, 'en')} {MONTHS[month - 1]}"
    return f"{said} {year_words(year)}" if year else said


def time(hours: int, minutes: int) -> str:
    said = f"{'ein' if hours == 1 else cardinal(hours)} Uhr"
    return f"{said} {cardinal(minutes)}" if minutes else said


#: Queens and empresses: "Elisabeth die Zweite".
FEMININE_NAMES = frozenset({"Elisabeth", "Katharina", "Maria", "Viktoria", "Anna", "Christina"})


def regnal(value: int, name: str = "") -> str:
    article = "die" if name in FEMININE_NAMES else "der"
    return f"{article} {ordinal(value).capitalize()}"


def _streets(text: str) -> str:
    """``Goethestr. 12`` Goethestraße: the abbreviation ends a compound."""
    return re.sub(r"(?<=[a-zäöüß])str\.", "straße", text)


def year_words(value: int) -> str:
    if 1100 <= value <= 1999:
        return numbers.words(value, "de", "year")
    return cardinal(value)


#: Nouns a German ordinal number stands before (``19. Jahrhundert``, ``2. Auflage``).
_ORDINAL_NOUNS = (
    "Jahrhundert|Jahrhunderts|Jahrhunderten|Jh\\.|Jahrtausend|Auflage|Aufl\\.|Platz|Klasse|"
    "Kapitel|Stock|Etage|Mal|Tag|Woche|Monat|Liga|Weltkrieg|Weltkriegs|Bundestag|Symphonie|"
    "Sinfonie|Preis|Runde|Spieltag|Geburtstag|Jahrestag|Sitzung|Lesung|Stelle|Band|Teil|"
    "Ausgabe|Quartal|Halbjahr|Semester|Staffel|Folge|Kreuzzug|Republik|Armee|Reich|Korps|"
    "Division|Todestag|Hälfte|Grades|Grad|Ordnung|Person|Instanz|Senat|Strafsenat|Zivilsenat|"
    "Kammer|Sonntag|Advent|Fall|Buch|Akt|Satz|Vers|Gebot|Juni"
)
_TEN = (
    r"am|im|vom|zum|beim|dem|den|des|zur|der|seit dem|bis zum|Am|Im|Vom|Zum|Seit|seit|ab|Ab|"
    r"bis|Bis|nach dem|vor dem|Vor dem|Nach dem|ihrem|seinem|ihren|seinen|einem|einen|eines"
)
_TE = r"die|das|Die|Das|Der|der|jede|jedes|ihre|seine|eine"


def _ordinals(text: str) -> str:
    months = "|".join(MONTHS)

    def say(match: re.Match[str]) -> str:
        before = match.group(1) or ""
        value = int(match.group(2))
        noun = match.group(3)
        word = before.strip().split(" ")[-1] if before.strip() else ""
        if word in {"die", "das", "Die", "Das", "jede", "jedes", "ihre", "seine", "eine"}:
            ending = "e"
        elif word in {"der", "Der"}:
            # "der 3. Platz" (nominative) but "in der 3. Klasse" (dative)
            prior = match.string[: match.start(1)].rstrip().split(" ")[-1:]
            ending = (
                "en"
                if prior
                and prior[0] in {"in", "In", "an", "auf", "von", "zu", "mit", "nach", "bei", "aus"}
                else "e"
            )
        elif word or noun in MONTHS:
            ending = "en"
        else:
            ending = "e"
        noun_said = noun.replace("Jh.", "Jahrhundert").replace("Aufl.", "Auflage")
        return f"{before}{ordinal(value, ending)} {noun_said}"

    text = re.sub(
        rf"((?:\b(?:{_TEN}|{_TE})\s)?)\b([1-9]\d?|1\d\d)\.\s?({months}|{_ORDINAL_NOUNS})(?![\w])",
        say,
        text,
    )
    # "vom 3. bis 5. Mai": the first day of a range of dates
    text = re.sub(
        rf"\b(vom|von|zwischen dem)\s([1-9]\d?)\.(?=\s(?:bis|und)\s\w+\s(?:{months}))",
        lambda m: f"{m.group(1)} {ordinal(int(m.group(2)), 'en')}",
        text,
    )
    # "jedes 5. Kind", "die 3. Welle": an article, a number and a noun
    return re.sub(
        r"\b(jedes|jede|jeder|Jedes|Jede|Jeder|die|das|Die|Das)\s([1-9]\d?)\.\s(?=[A-ZÄÖÜ][a-zäöüß]+)",
        lambda m: f"{m.group(1)} {ordinal(int(m.group(2)), 'e')} ",
        text,
    )


def _regnal(text: str) -> str:
    """``Heinrich VIII.`` der Achte; ``Friedrich II.`` der Zweite."""
    from pipeline.formats.spoken.reading import roman_value

    def say(match: re.Match[str]) -> str:
        value = roman_value(match.group(2))
        if value is None:
            return match.group()
        return f"{match.group(1)} {regnal(value, match.group(1))}"

    names = "|".join(sorted(RULES_NAMES))
    return re.sub(rf"\b({names})\s+([IVX]+)\.?(?![\w])", say, text)


RULES_NAMES = frozenset(
    {
        "Heinrich",
        "Friedrich",
        "Wilhelm",
        "Karl",
        "Ludwig",
        "Otto",
        "Franz",
        "Maximilian",
        "Leopold",
        "Joseph",
        "Josef",
        "Rudolf",
        "Konrad",
        "Johannes",
        "Paul",
        "Benedikt",
        "Pius",
        "Leo",
        "Elisabeth",
        "Georg",
        "Philipp",
        "Ferdinand",
        "Albrecht",
        "August",
        "Gregor",
        "Innozenz",
        "Klemens",
        "Katharina",
        "Peter",
        "Iwan",
        "Eduard",
        "Richard",
        "Jakob",
        "Napoleon",
        "Lothar",
        "Sigismund",
    }
)

RULES = Rules(
    code="de",
    locale="de",
    abbreviations=(
        ("z. B.", "zum Beispiel"),
        ("z.B.", "zum Beispiel"),
        ("Z. B.", "Zum Beispiel"),
        ("d. h.", "das heißt"),
        ("d.h.", "das heißt"),
        ("u. a.", "unter anderem"),
        ("u.a.", "unter anderem"),
        ("usw.", "und so weiter"),
        ("bzw.", "beziehungsweise"),
        ("ca.", "circa"),
        ("vgl.", "vergleiche"),
        ("Vgl.", "Vergleiche"),
        ("et al.", "und Kollegen"),
        ("o. J.", "ohne Jahr"),
        ("Dr.", "Doktor"),
        ("Prof.", "Professor"),
        ("Hr.", "Herr"),
        ("Fr.", "Frau"),
        ("St.", "Sankt"),
        ("Str.", "Straße"),
        ("geb.", "geboren"),
        ("gest.", "gestorben"),
        ("evtl.", "eventuell"),
        ("ggf.", "gegebenenfalls"),
        ("inkl.", "inklusive"),
        ("zzgl.", "zuzüglich"),
        ("max.", "maximal"),
        ("min.", "mindestens"),
        ("Mio.", "Millionen"),
        ("Mrd.", "Milliarden"),
        ("Tsd.", "Tausend"),
        ("s. o.", "siehe oben"),
        ("s. u.", "siehe unten"),
        ("u. U.", "unter Umständen"),
        ("o. Ä.", "oder Ähnliches"),
        ("i. d. R.", "in der Regel"),
        ("z. T.", "zum Teil"),
        ("u. v. m.", "und vieles mehr"),
        ("v. a.", "vor allem"),
        ("sog.", "sogenannte"),
        ("Tel.", "Telefon"),
        ("Abb.", "Abbildung"),
        ("Tab.", "Tabelle"),
        ("Hrsg.", "Herausgeber"),
        ("hrsg.", "herausgegeben"),
        ("Jh.", "Jahrhundert"),
        ("v. Chr.", "vor Christus"),
        ("n. Chr.", "nach Christus"),
        ("Std.", "Stunden"),
        ("Mo.", "Montag"),
        ("Di.", "Dienstag"),
        ("Mi.", "Mittwoch"),
        ("Do.", "Donnerstag"),
        ("Sa.", "Samstag"),
        ("So.", "Sonntag"),
        ("Jan.", "Januar"),
        ("Feb.", "Februar"),
        ("Febr.", "Februar"),
        ("Aug.", "August"),
        ("Sept.", "September"),
        ("Okt.", "Oktober"),
        ("Nov.", "November"),
        ("Dez.", "Dezember"),
        ("&", "und"),
        ("§§", "Paragrafen"),
        ("§", "Paragraf"),
        ("ebd.", "ebenda"),
        ("Dipl.-Ing.", "Diplomingenieur"),
        ("GmbH", "G m b H"),
    ),
    before_number=(
        ("S.", "Seite"),
        ("Nr.", "Nummer"),
        ("Abs.", "Absatz"),
        ("Art.", "Artikel"),
        ("Kap.", "Kapitel"),
        ("Bd.", "Band"),
        ("Bde.", "Bände"),
        ("Ziff.", "Ziffer"),
        ("Aufl.", "Auflage"),
        ("ff.", "folgende"),
        ("f.", "folgende"),
    ),
    may_end=frozenset(
        {
            "usw.",
            "u. a.",
            "u.a.",
            "et al.",
            "o. J.",
            "v. Chr.",
            "n. Chr.",
            "u. v. m.",
            "o. Ä.",
            "ff.",
            "f.",
            "ebd.",
            "z. T.",
            "Jh.",
            "Mio.",
            "Mrd.",
            "Tsd.",
            "Str.",
            "geb.",
        }
    ),
    months=MONTHS,
    month_abbreviations={
        "Jan": 1,
        "Feb": 2,
        "Febr": 2,
        "Mär": 3,
        "Apr": 4,
        "Jun": 6,
        "Jul": 7,
        "Aug": 8,
        "Sep": 9,
        "Sept": 9,
        "Okt": 10,
        "Nov": 11,
        "Dez": 12,
    },
    weekday_abbreviations={
        "Mo": "Montag",
        "Di": "Dienstag",
        "Mi": "Mittwoch",
        "Do": "Donnerstag",
        "Fr": "Freitag",
        "Sa": "Samstag",
        "So": "Sonntag",
    },
    to="bis",
    per="pro",
    and_="und",
    or_="oder",
    symbols={
        "α": "Alpha",
        "β": "Beta",
        "γ": "Gamma",
        "δ": "Delta",
        "η²": "Eta-Quadrat",
        "χ²": "Chi-Quadrat",
        "μ": "My",
        "σ": "Sigma",
        "π": "Pi",
        "<": "kleiner als",
        ">": "größer als",
        "≤": "kleiner oder gleich",
        "≥": "größer oder gleich",
        "=": "gleich",
        "≠": "ungleich",
        "≈": "ungefähr",
        "±": "plus minus",
        "×": "mal",
        "÷": "geteilt durch",
        "~": "etwa",
        "−": "minus",
        "-": "minus",
        "+": "plus",
        "‰": "Promille",
    },
    percent="Prozent",
    point="null Komma",
    currencies={
        "€": "EUR",
        "EUR": "EUR",
        "Euro": "EUR",
        "$": "USD",
        "US$": "USD",
        "USD": "USD",
        "£": "GBP",
        "GBP": "GBP",
        "CHF": "CHF",
        "Fr.": "CHF",
        "GH₵": "GHS",
    },
    currency_words={
        "EUR": Currency("Euro", "Euro", "Cent", "Cent"),
        "USD": Currency("Dollar", "Dollar", "Cent", "Cent"),
        "GBP": Currency("Pfund", "Pfund", "Penny", "Pence"),
        "CHF": Currency("Franken", "Franken", "Rappen", "Rappen"),
        "GHS": Currency("Cedi", "Cedi", "Pesewa", "Pesewas"),
    },
    multipliers={
        "Mio.": "Million",
        "Millionen": "Million",
        "Million": "Million",
        "Mrd.": "Milliarde",
        "Milliarden": "Milliarde",
        "Milliarde": "Milliarde",
        "Tsd.": "Tausend",
    },
    multiplier_of="",
    date_order="dmy",
    decimal_comma=True,
    telephone_pairs=False,
    digits=("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    heading_words=frozenset(
        {
            "Kapitel",
            "Band",
            "Teil",
            "Buch",
            "Akt",
            "Szene",
            "Anhang",
            "Abschnitt",
            "Titel",
            "Artikel",
            "Phase",
            "Typ",
            "Stufe",
            "Weltkrieg",
            "Konzil",
            "Sozialgesetzbuch",
            "SGB",
        }
    ),
    regnal_names=RULES_NAMES,
    regnal=regnal,
    date=date,
    time=time,
    year=year_words,
    ordinal=ordinal,
    cardinal=cardinal,
    before=(_streets, _regnal, _ordinals),
)
