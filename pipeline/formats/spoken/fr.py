"""French: how an author's abbreviations, numbers and symbols are read aloud."""

from __future__ import annotations

import re

from pipeline.formats.spoken import numbers
from pipeline.formats.spoken.language import Currency, Rules

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def cardinal(value: int, gender: str = "m") -> str:
    return numbers.cardinal(value, "fr", gender)


def ordinal(value: int, suffix: str = "e") -> str:
    """``1er`` premier, ``1re`` première, ``2nd`` second, ``21e`` vingt et unième."""
    plural = (suffix.endswith("s") and suffix not in {"es"}) or suffix in {"es", "èmes"}
    if value == 1:
        said = "première" if suffix.startswith(("r", "è")) else "premier"
    elif (value == 2 and suffix.startswith("n")) or suffix.startswith("d"):
        said = "seconde" if suffix in {"nde", "de", "ndes", "des"} else "second"
    else:
        said = numbers.words(value, "fr", "ordinal")
    return said + ("s" if plural and not said.endswith("s") else "")


def date(day: int, month: int, year: int | None) -> str:
    said = f"{'premier' if day == 1 else cardinal(day)} {MONTHS[month - 1]}"
    return f"{said} {cardinal(year)}" if year else said


def time(hours: int, minutes: int) -> str:
    said = f"{cardinal(hours, 'f')} heure{'s' if hours > 1 else ''}"
    return f"{said} {cardinal(minutes, 'f')}" if minutes else said


def regnal(value: int, name: str = "") -> str:
    return "premier" if value == 1 else cardinal(value)


def year(value: int) -> str:
    return cardinal(value)


def _roman_ordinals(text: str) -> str:
    """``XXIe siècle`` vingt et unième siècle, ``Ier`` premier, ``IIIe République``."""
    from pipeline.formats.spoken.reading import roman_value

    def say(match: re.Match[str]) -> str:
        value = roman_value(match.group(1))
        if value is None:
            return match.group()
        return ordinal(value, match.group(2))

    text = re.sub(r"\b((?:[IVXLC]{2,}|[IVX])(?:e|ème))\s+s\.", r"\1 siècle", text)
    return re.sub(r"\b([IVXLC]{2,}|[IVX])(ers?|res?|ères?|es?|èmes?)\b", say, text)


def _first_of_month(text: str) -> str:
    months = "|".join(MONTHS)
    return re.sub(rf"\b1(?:er)?\s+({months})\b", r"premier \1", text)


RULES = Rules(
    code="fr",
    locale="fr",
    abbreviations=(
        ("p. ex.", "par exemple"),
        ("P. ex.", "Par exemple"),
        ("c.-à-d.", "c'est-à-dire"),
        ("C.-à-d.", "C'est-à-dire"),
        ("c-à-d", "c'est-à-dire"),
        ("cf.", "voir"),
        ("Cf.", "Voir"),
        ("etc.", "et cetera"),
        ("et al.", "et collaborateurs"),
        ("n.d.", "sans date"),
        ("s.d.", "sans date"),
        ("env.", "environ"),
        ("M.", "Monsieur"),
        ("MM.", "Messieurs"),
        ("Mme", "Madame"),
        ("Mmes", "Mesdames"),
        ("Mlle", "Mademoiselle"),
        ("Mlles", "Mesdemoiselles"),
        ("Me", "Maître"),
        ("Mgr", "Monseigneur"),
        ("Dr", "Docteur"),
        ("Dre", "Docteure"),
        ("Pr", "Professeur"),
        ("Pre", "Professeure"),
        ("St-", "Saint-"),
        ("Ste-", "Sainte-"),
        ("fig.", "figure"),
        ("Fig.", "Figure"),
        ("tabl.", "tableau"),
        ("vol.", "volume"),
        ("chap.", "chapitre"),
        ("éd.", "édition"),
        ("trad.", "traduction"),
        ("av. J.-C.", "avant Jésus-Christ"),
        ("apr. J.-C.", "après Jésus-Christ"),
        ("J.-C.", "Jésus-Christ"),
        ("bd", "boulevard"),
        ("av.", "avenue"),
        ("Cie", "compagnie"),
        ("hab.", "habitants"),
        ("&", "et"),
        ("§", "paragraphe"),
        ("ibid.", "ibidem"),
        ("op. cit.", "opus citatum"),
    ),
    before_number=(
        ("pp.", "pages"),
        ("p.", "page"),
        ("n°", "numéro"),
        ("nº", "numéro"),
        ("no", "numéro"),
        ("art.", "article"),
        ("Art.", "Article"),
        ("al.", "alinéa"),
        ("t.", "tome"),
        ("s.", "siècle"),
        ("ch.", "chapitre"),
        ("vers", "vers"),
    ),
    may_end=frozenset(
        {
            "etc.",
            "et al.",
            "n.d.",
            "s.d.",
            "J.-C.",
            "av. J.-C.",
            "apr. J.-C.",
            "ibid.",
            "hab.",
            "op. cit.",
        }
    ),
    months=MONTHS,
    month_abbreviations={
        "janv": 1,
        "févr": 2,
        "avr": 4,
        "juill": 7,
        "juil": 7,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "déc": 12,
    },
    weekday_abbreviations={
        "lun": "lundi",
        "mar": "mardi",
        "mer": "mercredi",
        "jeu": "jeudi",
        "ven": "vendredi",
        "sam": "samedi",
        "dim": "dimanche",
    },
    to="à",
    per="par",
    and_="et",
    or_="ou",
    symbols={
        "α": "alpha",
        "β": "bêta",
        "γ": "gamma",
        "δ": "delta",
        "η²": "êta carré",
        "χ²": "khi deux",
        "μ": "mu",
        "σ": "sigma",
        "π": "pi",
        "<": "inférieur à",
        ">": "supérieur à",
        "≤": "inférieur ou égal à",
        "≥": "supérieur ou égal à",
        "=": "égal",
        "≠": "différent de",
        "≈": "environ",
        "±": "plus ou moins",
        "×": "fois",
        "÷": "divisé par",
        "~": "environ",
        "−": "moins",
        "-": "moins",
        "+": "plus",
        "‰": "pour mille",
    },
    percent="pour cent",
    point="zéro virgule",
    currencies={
        "€": "EUR",
        "EUR": "EUR",
        "$": "USD",
        "US$": "USD",
        "$ US": "USD",
        "USD": "USD",
        "£": "GBP",
        "GBP": "GBP",
        "CHF": "CHF",
        "FCFA": "XOF",
        "F CFA": "XOF",
        "GH₵": "GHS",
        "$ CA": "CAD",
        "¥": "JPY",
    },
    currency_words={
        "EUR": Currency("euro", "euros", "centime", "centimes"),
        "USD": Currency("dollar", "dollars", "cent", "cents"),
        "CAD": Currency("dollar canadien", "dollars canadiens", "cent", "cents"),
        "GBP": Currency("livre", "livres", "penny", "pence", "f"),
        "CHF": Currency("franc suisse", "francs suisses", "centime", "centimes"),
        "XOF": Currency("franc CFA", "francs CFA", "centime", "centimes"),
        "GHS": Currency("cédi", "cédis", "pesewa", "pesewas"),
        "JPY": Currency("yen", "yens", "sen", "sen"),
    },
    multipliers={
        "million": "million",
        "millions": "million",
        "milliard": "milliard",
        "milliards": "milliard",
        "M": "million",
        "Md": "milliard",
        "Mds": "milliard",
        "k": "mille",
    },
    multiplier_of="de ",
    date_order="dmy",
    decimal_comma=True,
    telephone_pairs=True,
    digits=("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    heading_words=frozenset(
        {
            "chapitre",
            "Chapitre",
            "tome",
            "Tome",
            "partie",
            "Partie",
            "livre",
            "Livre",
            "acte",
            "Acte",
            "scène",
            "Scène",
            "volume",
            "Volume",
            "annexe",
            "Annexe",
            "titre",
            "Titre",
            "article",
            "Article",
            "section",
            "Section",
            "phase",
            "Phase",
            "type",
            "Type",
            "guerre",
            "Guerre",
            "alinéa",
            "Concile",
            "concile",
        }
    ),
    regnal_names=frozenset(
        {
            "Henri",
            "Louis",
            "François",
            "Charles",
            "Philippe",
            "Napoléon",
            "Jean",
            "Pie",
            "Benoît",
            "Léon",
            "Paul",
            "Élisabeth",
            "Guillaume",
            "Pierre",
            "Catherine",
            "Jacques",
            "Édouard",
            "Grégoire",
            "Frédéric",
            "Alexandre",
            "Nicolas",
            "Victor",
            "Albert",
            "Baudouin",
            "Rainier",
            "Marie",
        }
    ),
    regnal=regnal,
    date=date,
    time=time,
    year=year,
    ordinal=ordinal,
    cardinal=cardinal,
    before=(_roman_ordinals, _first_of_month),
)
