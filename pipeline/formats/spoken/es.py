"""Spanish: how an author's abbreviations, numbers and symbols are read aloud."""

from __future__ import annotations

import re

from pipeline.formats.spoken import numbers
from pipeline.formats.spoken.language import Currency, Rules

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

_ORDINALS = (
    "",
    "primero",
    "segundo",
    "tercero",
    "cuarto",
    "quinto",
    "sexto",
    "séptimo",
    "octavo",
    "noveno",
    "décimo",
)


def cardinal(value: int, gender: str = "m") -> str:
    return numbers.cardinal(value, "es", gender)


def ordinal(value: int, suffix: str = "º") -> str:
    """``1.º`` primero, ``1.er`` primer, ``2.ª`` segunda, ``3.er`` tercer, ``4.os`` cuartos."""
    said = _ORDINALS[value] if value <= 10 else numbers.words(value, "es", "ordinal")
    if suffix in {"ª", "a", "as"}:
        said = re.sub(r"o\b", "a", said)
    if suffix == "er":
        said = re.sub(r"(prim|terc)ero\b", r"\1er", said)
    if suffix in {"os", "as"}:
        said += "s"
    return said


def date(day: int, month: int, year: int | None) -> str:
    said = f"{numbers.words(day, 'es')} de {MONTHS[month - 1]}"
    return f"{said} de {year_words(year)}" if year else said


def time(hours: int, minutes: int) -> str:
    said = cardinal(hours, "f") if hours != 1 else "una"
    if not minutes:
        return said
    return f"{said} y {cardinal(minutes, 'f')}"


#: Queens and other women whose regnal ordinal is feminine: "Isabel segunda".
FEMININE_NAMES = frozenset({"Isabel", "Juana", "María", "Leonor", "Urraca", "Catalina"})


def regnal(value: int, name: str = "") -> str:
    if value > 10:
        return numbers.words(value, "es")
    said = _ORDINALS[value]
    return said[:-1] + "a" if name in FEMININE_NAMES else said


def _apocope(text: str) -> str:
    """A count agrees with its noun: ``21 millones`` veintiún, ``200 personas`` doscientas.

    A number ending in one shortens before a masculine noun and takes ``-a`` before a
    feminine one, and so do the hundreds (doscientas, quinientas); a noun in ``-a`` or
    ``-as`` is taken as feminine, except the usual masculine ones (día, problema).
    """

    def say(match: re.Match[str]) -> str:
        number, noun = match.group(1), match.group(2)
        if noun in _NOT_NOUNS:
            return number
        feminine = noun.endswith(("a", "as")) and noun not in _MASCULINE_IN_A
        value = int(number)
        agrees = (value % 10 == 1 and value % 100 != 11) or (feminine and value % 1000 >= 200)
        if not agrees:
            return number
        return cardinal(value, "f" if feminine else "m")

    return re.sub(r"(?<![\w.,])(\d{1,3})(?=\s+([a-záéíóúñ]+)\b)", say, text)


#: Words after a number that are not what it counts ("1 de enero", "21 por ciento").
_NOT_NOUNS = frozenset(
    {
        "de",
        "del",
        "por",
        "a",
        "al",
        "y",
        "o",
        "u",
        "que",
        "en",
        "con",
        "para",
        "es",
        "son",
        "fue",
        "se",
        "no",
        "la",
        "el",
        "los",
        "las",
        "lo",
        "entre",
        "sobre",
        "hasta",
        "desde",
        "contra",
        "sin",
    }
)

#: Masculine nouns ending in -a that a number may count.
_MASCULINE_IN_A = frozenset(
    {
        "día",
        "días",
        "mapa",
        "mapas",
        "problema",
        "problemas",
        "idioma",
        "idiomas",
        "programa",
        "programas",
        "tema",
        "temas",
        "sistema",
        "sistemas",
        "clima",
        "planeta",
        "planetas",
    }
)


def _parts(text: str) -> str:
    """``3/4 partes`` tres cuartas partes: the fraction agrees with "partes"."""
    return re.sub(
        r"\b(\d)/(\d{1,2})(?=\s+partes\b)",
        lambda m: f"{cardinal(int(m.group(1)), 'f')} {ordinal(int(m.group(2)), 'as')}",
        text,
    )


def year_words(value: int) -> str:
    """A year is a number on its own: "dos mil veintiuno", never "veintiún"."""
    return numbers.words(value, "es")


def _centuries(text: str) -> str:
    """``siglo XXI`` siglo veintiuno (centuries above the tenth are read as cardinals)."""
    from pipeline.formats.spoken.reading import roman_value

    def say(match: re.Match[str]) -> str:
        value = roman_value(match.group(2))
        if value is None:
            return match.group()
        word = "siglo" if match.group(1) == "s." else match.group(1)
        return f"{word} {regnal(value)}"

    return re.sub(r"\b([Ss]iglos?|[Ss]\.)\s*([IVXL]+)\b", say, text)


def _us(text: str) -> str:
    """``EE. UU.`` (plural initials doubled) is Estados Unidos."""
    return re.sub(r"\bEE\.\s?UU\.?", "Estados Unidos", text)


RULES = Rules(
    code="es",
    locale="es",
    abbreviations=(
        ("p. ej.", "por ejemplo"),
        ("P. ej.", "Por ejemplo"),
        ("i. e.", "es decir"),
        ("etc.", "etcétera"),
        ("et al.", "y colaboradores"),
        ("s. f.", "sin fecha"),
        ("aprox.", "aproximadamente"),
        ("Sr.", "señor"),
        ("Sres.", "señores"),
        ("Sra.", "señora"),
        ("Sras.", "señoras"),
        ("Srta.", "señorita"),
        ("Dr.", "doctor"),
        ("Dra.", "doctora"),
        ("Dres.", "doctores"),
        ("D.ª", "doña"),
        ("Dña.", "doña"),
        ("D.", "don"),
        ("Ud.", "usted"),
        ("Uds.", "ustedes"),
        ("Vd.", "usted"),
        ("Lic.", "licenciado"),
        ("Lcda.", "licenciada"),
        ("Ing.", "ingeniero"),
        ("Prof.", "profesor"),
        ("Profa.", "profesora"),
        ("Sto.", "santo"),
        ("Sta.", "santa"),
        ("Excmo.", "excelentísimo"),
        ("Excma.", "excelentísima"),
        ("Av.", "avenida"),
        ("Avda.", "avenida"),
        ("c/", "calle"),
        ("C/", "calle"),
        ("pza.", "plaza"),
        ("Pza.", "plaza"),
        ("a. C.", "antes de Cristo"),
        ("d. C.", "después de Cristo"),
        ("fig.", "figura"),
        ("Fig.", "figura"),
        ("vol.", "volumen"),
        ("ed.", "edición"),
        ("eds.", "editores"),
        ("trad.", "traducción"),
        ("cía.", "compañía"),
        ("Cía.", "compañía"),
        ("S. A.", "sociedad anónima"),
        ("S.A.", "sociedad anónima"),
        ("admón.", "administración"),
        ("dcha.", "derecha"),
        ("izq.", "izquierda"),
        ("tel.", "teléfono"),
        ("Tel.", "teléfono"),
        ("hab.", "habitantes"),
        ("máx.", "máximo"),
        ("mín.", "mínimo"),
        ("op. cit.", "obra citada"),
        ("ibíd.", "ibídem"),
        ("cf.", "compárese"),
        ("vid.", "véase"),
        ("&", "y"),
        ("§", "párrafo"),
        ("ene.", "enero"),
        ("feb.", "febrero"),
        ("abr.", "abril"),
        ("ago.", "agosto"),
        ("sept.", "septiembre"),
        ("oct.", "octubre"),
        ("nov.", "noviembre"),
        ("dic.", "diciembre"),
    ),
    before_number=(
        ("págs.", "páginas"),
        ("pág.", "página"),
        ("pp.", "páginas"),
        ("p.", "página"),
        ("núm.", "número"),
        ("n.º", "número"),
        ("nº", "número"),
        ("no.", "número"),
        ("art.", "artículo"),
        ("arts.", "artículos"),
        ("Art.", "artículo"),
        ("cap.", "capítulo"),
        ("caps.", "capítulos"),
        ("t.", "tomo"),
        ("párr.", "párrafo"),
    ),
    may_end=frozenset(
        {
            "etc.",
            "et al.",
            "s. f.",
            "a. C.",
            "d. C.",
            "S. A.",
            "S.A.",
            "hab.",
            "op. cit.",
            "ibíd.",
            "izq.",
            "dcha.",
        }
    ),
    months=MONTHS,
    month_abbreviations={
        "ene": 1,
        "feb": 2,
        "mar": 3,
        "abr": 4,
        "may": 5,
        "jun": 6,
        "jul": 7,
        "ago": 8,
        "sept": 9,
        "sep": 9,
        "oct": 10,
        "nov": 11,
        "dic": 12,
    },
    weekday_abbreviations={
        "lun": "lunes",
        "mar": "martes",
        "miér": "miércoles",
        "jue": "jueves",
        "vie": "viernes",
        "sáb": "sábado",
        "dom": "domingo",
    },
    to="a",
    per="por",
    and_="y",
    or_="o",
    symbols={
        "α": "alfa",
        "β": "beta",
        "γ": "gamma",
        "δ": "delta",
        "η²": "eta cuadrado",
        "χ²": "ji cuadrado",
        "μ": "mu",
        "σ": "sigma",
        "π": "pi",
        "<": "menor que",
        ">": "mayor que",
        "≤": "menor o igual que",
        "≥": "mayor o igual que",
        "=": "igual a",
        "≠": "distinto de",
        "≈": "aproximadamente",
        "±": "más menos",
        "×": "por",
        "÷": "entre",
        "~": "aproximadamente",
        "−": "menos",
        "-": "menos",
        "+": "más",
        "‰": "por mil",
    },
    percent="por ciento",
    point="cero coma",
    currencies={
        "€": "EUR",
        "EUR": "EUR",
        "US$": "USD",
        "$": "USD",
        "USD": "USD",
        "£": "GBP",
        "MXN": "MXN",
        "MX$": "MXN",
        "ARS": "ARS",
        "COP": "COP",
        "GH₵": "GHS",
    },
    currency_words={
        "EUR": Currency("euro", "euros", "céntimo", "céntimos"),
        "USD": Currency("dólar", "dólares", "centavo", "centavos"),
        "GBP": Currency("libra", "libras", "penique", "peniques", "f"),
        "MXN": Currency("peso mexicano", "pesos mexicanos", "centavo", "centavos"),
        "ARS": Currency("peso argentino", "pesos argentinos", "centavo", "centavos"),
        "COP": Currency("peso colombiano", "pesos colombianos", "centavo", "centavos"),
        "GHS": Currency("cedi", "cedis", "pesewa", "pesewas"),
    },
    multipliers={
        "millones": "millón",
        "millón": "millón",
        "M": "millón",
        "mill.": "millón",
        "mil millones": "mil millón",
        "bn": "mil millón",
    },
    multiplier_of="de ",
    date_order="dmy",
    decimal_comma=True,
    telephone_pairs=False,
    digits=("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    heading_words=frozenset(
        {
            "capítulo",
            "Capítulo",
            "tomo",
            "Tomo",
            "parte",
            "Parte",
            "libro",
            "Libro",
            "acto",
            "Acto",
            "volumen",
            "Volumen",
            "anexo",
            "Anexo",
            "título",
            "Título",
            "artículo",
            "Artículo",
            "sección",
            "Sección",
            "fase",
            "Fase",
            "tipo",
            "Tipo",
            "Guerra",
            "legislatura",
            "Legislatura",
            "Concilio",
        }
    ),
    regnal_names=frozenset(
        {
            "Felipe",
            "Carlos",
            "Juan",
            "Fernando",
            "Alfonso",
            "Isabel",
            "Enrique",
            "Pedro",
            "Jaime",
            "Sancho",
            "Pablo",
            "Pío",
            "Benedicto",
            "León",
            "Luis",
            "Francisco",
            "Gregorio",
            "Juana",
            "Amadeo",
            "Ramiro",
        }
    ),
    regnal=regnal,
    date=date,
    time=time,
    year=year_words,
    ordinal=ordinal,
    cardinal=cardinal,
    before=(_centuries, _us, _parts),
    passes=(_apocope,),
)
