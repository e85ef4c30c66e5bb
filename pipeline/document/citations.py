"""Author–year citations: finding them in running text and matching them to entries.

Recognised forms (APA 7, Harvard, Chicago author-date, MLA author-page; English,
Spanish, German, French): ``(Weitzer, 2007)``, ``(Bach et al., 2017)``,
``(Fernández y Puig, 2020)``, ``(Müller u. a., 2019, S. 12)``, ``(INE, s. f.)``,
``(World Health Organization [WHO], 2020)``, ``(Gallagher & Holmes, 2008; Weitzer, 2007)``,
``(see Smith, 2020, p. 4)``, ``(Lee et al., 2021, Table 2)``, ``(Smith, 2019, 2020)``,
Harvard ``(Smith 2020: 45)``, Chicago ``(Smith 2020, 45)``, MLA ``(Morrison 45)``, and
narrative ``Weitzer (2007)``, ``Pucher y Buehler (2008)``, ``Gallagher and Holmes (2008)``.

A parenthesis is a citation if one of its parts parses as a cited work; each part is
judged on its own, so ``(see below)``, ``(2017)`` and ``(ILO)`` are left alone. Forms
without APA's comma (Harvard, MLA) are *tentative*: prose looks the same, so they count
only when they name an entry.

Matching (``match``, ``Index``) agrees on every author and the year; see docs/authoring.md.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from pipeline.document.model import CiteItem, Locator, Reference


def _upper_class() -> str:
    """A regex character class of the uppercase letters (``re`` has no ``\\p{Lu}``).

    Limited to the alphabetic scripts below U+2000 (Latin, Greek, Cyrillic,
    Armenian, Georgian...): names in scripts without case are not author–year.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(_WIDE_END):
        if _is_upper(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return (
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
        + "]"
    )


_WIDE_END = 0x2000


def _is_upper(char: str) -> bool:
    return char.isupper() or unicodedata.category(char) == "Lt"


_PARTICLE = (
    r"(?:van|von|der|den|de|del|della|des|di|da|du|dos|das|do|le|la|los|las|ten|ter|zu"
    r"|bin|ibn|al|el|st\.)"
)
#: Lowercase words inside a group author's name: ``Ministry of Health``,
#: ``Ayuntamiento de Valladolid``, ``Bundesministerium für Gesundheit``.
_LINK = (
    r"(?:of|for|on|the|in|at|to|de|del|de\s+la|des|du|la|le|les|los|las|el|für|fur|der|die"
    r"|das|zur|zum|im|am|von|van|della|di|da|do|dos|d['’]|l['’])"
)
#: No date: ``n.d.``, Spanish ``s. f.``, French ``s. d.``, German ``o. J.``, ``n.p.``.
NO_DATE = r"(?:n\.\s?d\.|s\.\s?f\.|s\.\s?d\.|o\.\s?J\.|n\.\s?p\.)"
#: Not yet published: en, es, fr, de.
IN_PRESS = r"(?:in\s+press|[Ff]orthcoming|en\s+prensa|sous\s+presse|à\s+paraître|im\s+Druck)"
YEAR = rf"(?:\d{{4}}[a-z]?|{NO_DATE}(?:-[a-z])?|{IN_PRESS}(?:-[a-z])?)"
#: ``et al.`` and its translations: es ``y cols.``, ``y otros``, de ``u. a.``, fr ``et coll.``.
ET_AL = r"(?:et\s+al\.?|y\s+cols?\.|y\s+otros|u\.\s?a\.|et\s+coll\.)"
_LocatorKind = Literal[
    "page", "pages", "chapter", "section", "paragraph", "table", "figure", "note"
]
_LOCATOR_WORDS: dict[str, _LocatorKind] = {
    **dict.fromkeys(["p.", "p", "page", "pág.", "pag.", "s.", "seite", "página"], "page"),
    **dict.fromkeys(["pp.", "pages", "págs.", "pags.", "páginas", "seiten"], "pages"),
    **dict.fromkeys(
        ["ch.", "chap.", "chapter", "cap.", "capítulo", "chapitre", "kap.", "kapitel"], "chapter"
    ),
    **dict.fromkeys(["sec.", "section", "§", "§§", "sección", "abschn."], "section"),
    **dict.fromkeys(["para.", "paras.", "¶", "párr.", "paragraph", "abs."], "paragraph"),
    **dict.fromkeys(["table", "tabla", "tableau", "tabelle", "tab."], "table"),
    **dict.fromkeys(["figure", "fig.", "figura", "abb.", "abbildung"], "figure"),
    **dict.fromkeys(["n.", "nn.", "note", "nota", "anm.", "fn."], "note"),
}
_LABEL = "|".join(
    re.escape(word).replace(r"\ ", r"\s")
    for word in sorted(_LOCATOR_WORDS, key=len, reverse=True)
    if word != "p"
)
_VALUE = r"[\dIVXLCivxlc]+[a-z]?(?:\s*[-–—]\s*[\dIVXLCivxlc]+[a-z]?)?(?:\s?ff?\.)?"
LOCATOR = rf"(?P<label>(?i:{_LABEL}))\s*(?P<value>{_VALUE})"
#: Chicago ``(Smith 2020, 45)`` and Harvard ``(Smith 2020: 45)``: a page without a label.
_BARE_PAGE = r"(?P<bare>\d+(?:\s*[-–—]\s*\d+)?)"
_CONJ = r"(?:&|and|y|e|et|und|en)"
_JOIN = rf"(?:\s*,\s*{_CONJ}\s+|\s*,\s*|\s+{_CONJ}\s+|\s*&\s*)"
_PREFIX = (
    r"(?P<prefix>(?:(?i:see(?:\s+also)?|cf\.|e\.g\.,?|i\.e\.,?|for\s+example,?|also"
    r"|as\s+cited\s+in|véase|ver|voir|siehe|vgl\.|z\.\s?B\.|p\.\s?ej\.,?|par\s+exemple,?"
    r"|citado\s+en|cité\s+dans|zitiert\s+nach)\s+)?)"
)


@functools.cache
def _patterns(wide: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The item and narrative patterns, compiled on first use. A surname
    begins with a capital: ``wide`` allows every uppercase letter below U+2000, the narrow
    patterns only A–Z. The wide class is 500 characters, repeated some twenty times, and
    compiling it took 15 ms at every start; on a text with no other capitals the two match
    alike."""
    upper = _upper_class() if wide else "[A-Z]"
    #: ``Anon.``: the one surname written with its abbreviation's full stop (Harvard,
    #: Chicago: an unsigned work).
    word = rf"(?:Anon\.|{upper}[^\W\d_]*(?:['’\-][^\W\d_]+)*)"
    #: A surname: optional lowercase particles, then capitalised words, which a group
    #: author's name joins with lowercase words (``Ministry of Health``); after such a
    #: word a group's name may go on in lowercase (``Haute Autorité de santé``).
    #: Never part of a name: what follows the names (``et al.``, ``in press``, ``n.d.``).
    after = rf"(?!{ET_AL}|{IN_PRESS}|{NO_DATE})"
    lower = rf"{after}(?!{upper})[^\W\d_]+(?:['’\-][^\W\d_]+)*"
    name = (
        rf"(?:{_PARTICLE}[\s\-]+|d['’])*{word}"
        rf"(?:[ \-]{word}|\s+{after}(?:{_LINK}\s+)+(?:{word}|{lower}(?=\s+(?:\(|{_LINK}\s))))"
        r"{0,9}(?:\s*\[[^\[\]]{1,20}\])?"
    )
    #: In a parenthesis a group's name may go on in lowercase, as French and Spanish
    #: write them: ``Institut national de la statistique``. One copy of the name pattern
    #: serves every author (a join is required after a name, none before the first),
    #: which halves the time to compile it.
    group = rf"{name}(?:\s+{lower}|[ \-]{word}){{0,12}}(?:\s*\[[^\[\]]{{1,20}}\])?"
    after_name, before_any = r"(?<=[\w.\]'’])", r"(?<![\w.\]'’])"
    #: Each name is atomic (``(?>...)``): taken as long as it goes, never re-split on
    #: failure, which would try every way to cut a long list into names (minutes).
    authors = (
        rf"(?P<authors>(?:(?:{after_name}{_JOIN}|{before_any})(?>(?:the\s+)?{group})){{1,21}})"
    )
    #: APA and Harvard (a year), or MLA's author–page ``(Smith 45)`` (``mla``).
    item = re.compile(
        rf"""\s*{_PREFIX}
        {authors}
        (?P<etal>,?\s+{ET_AL})?
        (?:(?P<comma>\s*,\s*|\s+)(?P<years>{YEAR}(?:\s*,\s*{YEAR}){{0,9}})
        (?:\s*[,:]\s*(?:{LOCATOR}|{_BARE_PAGE}))?
        |\s+(?P<mla>\d+(?:\s*[-–—]\s*\d+)?))\s*\Z""",
        re.VERBOSE,
    )
    narrative = re.compile(
        rf"""(?<![\w\-’'])(?P<authors>(?>{name})(?:(?:\s*,\s*|,?\s+{_CONJ}\s+)(?>{name})){{0,9}})
        (?P<etal>,?\s+{ET_AL})?
        \s+\((?P<years>{YEAR})(?:\s*[,:]\s*(?:{LOCATOR}|{_BARE_PAGE}))?\)""",
        re.VERBOSE,
    )
    return item, narrative


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ENDS_IN_CONJUNCTION = re.compile(rf"\s{_CONJ}\s+(?:(?!,).)+\Z|&(?:(?!,).)+\Z", re.DOTALL)


def _needs_wide(text: str) -> bool:
    """Whether ``text`` has a capital outside A–Z that a surname could begin with."""
    return not text.isascii() and any(
        ord(char) < _WIDE_END and _is_upper(char) for char in set(_NON_ASCII.findall(text))
    )


_PAREN = re.compile(rf"\((?P<body>[^()]*?(?:\d|{NO_DATE}|{IN_PRESS})[^()]*?)\)")
_SPLIT_AUTHORS = re.compile(_JOIN)
_ABBREVIATION = re.compile(r"\s*\[(?P<short>[^\[\]]{1,20})\]")
#: Longer parentheses are prose, not citations (and would cost backtracking).
_MAX_PAREN = 400
_SPLIT_YEARS = re.compile(r"\s*,\s*")

#: Capitalised words that begin sentences, never a narrative citation's author.
_NOT_NAMES = frozenset(
    [
        "a",
        "about",
        "according",
        "after",
        "also",
        "although",
        "among",
        "an",
        "and",
        "another",
        "as",
        "at",
        "because",
        "before",
        "between",
        "both",
        "but",
        "by",
        "despite",
        "during",
        "each",
        "earlier",
        "every",
        "finally",
        "first",
        "following",
        "for",
        "from",
        "further",
        "furthermore",
        "hence",
        "her",
        "here",
        "his",
        "however",
        "if",
        "in",
        "indeed",
        "it",
        "its",
        "later",
        "like",
        "many",
        "moreover",
        "most",
        "my",
        "notably",
        "of",
        "on",
        "one",
        "or",
        "other",
        "our",
        "recently",
        "second",
        "similarly",
        "since",
        "so",
        "some",
        "still",
        "that",
        "the",
        "their",
        "then",
        "there",
        "therefore",
        "these",
        "they",
        "this",
        "those",
        "though",
        "thus",
        "to",
        "unlike",
        "until",
        "we",
        "when",
        "where",
        "while",
        "with",
        "within",
        "yet",
        "you",
        "un",
        "une",
        "dans",
        "selon",
        "der",
        "die",
        "ein",
        "eine",
        "laut",
        "en",
        "según",
        # German, French, Spanish sentence openers (never particles such as de, la, von)
        "wie",
        "nach",
        "bei",
        "mit",
        "auch",
        "dass",
        "doch",
        "zudem",
        "ferner",
        "sowie",
        "während",
        "weil",
        "wenn",
        "aber",
        "oder",
        "und",
        "gemäß",
        "siehe",
        "vgl",
        "comme",
        "pour",
        "chez",
        "avec",
        "mais",
        "ou",
        "et",
        "donc",
        "ainsi",
        "alors",
        "car",
        "si",
        "quand",
        "lorsque",
        "depuis",
        "enfin",
        "aussi",
        "toutefois",
        "cependant",
        "voir",
        "como",
        "para",
        "con",
        "pero",
        "así",
        "también",
        "aunque",
        "cuando",
        "desde",
        "mientras",
        "porque",
        "pues",
        "sin",
        "sobre",
        "tras",
        "véase",
        "ver",
    ]
)


#: Capitalised nouns that an author–page (MLA) citation never begins with:
#: ``(Chapter 3)``, ``(Table 2)``, ``(Phase 2)``.
_NOT_MLA = frozenset(
    [
        "chapter",
        "table",
        "figure",
        "page",
        "section",
        "part",
        "volume",
        "vol",
        "appendix",
        "step",
        "phase",
        "level",
        "grade",
        "room",
        "model",
        "version",
        "study",
        "experiment",
        "wave",
        "group",
        "article",
        "verse",
        "line",
        "act",
        "scene",
        "book",
        "week",
        "day",
        "year",
        "age",
        "covid",
        "sars",
        "type",
        "class",
        "stage",
        "form",
        "item",
        "question",
        "session",
        "round",
        "module",
        "unit",
        "lesson",
        "capítulo",
        "tabla",
        "figura",
        "página",
        "parte",
        "tableau",
        "chapitre",
        "kapitel",
        "tabelle",
        "abbildung",
        "seite",
        "teil",
        "stufe",
    ]
)


@dataclass(frozen=True, slots=True)
class Found:
    """A citation found in text: offsets into the text and its parsed items."""

    start: int
    end: int
    narrative: bool
    items: tuple[tuple[int, CiteItem], ...]
    """Each item with its offset into the text."""


def _locator(label: str | None, value: str | None) -> Locator | None:
    if not value:
        return None
    value = re.sub(r"\s*[-–—]\s*", "–", value)
    kind: _LocatorKind = _LOCATOR_WORDS[label.lower()] if label else "page"
    if kind == "page" and "–" in value:
        kind = "pages"
    return Locator(kind, value)


def year_as_written(text: str) -> str:
    """A year or no-date form with its spacing tidied: ``n. d.`` → ``n.d.``, ``s.f.`` kept."""
    text = " ".join(text.split())
    return re.sub(r"n\.\s?d\.", "n.d.", text)


_year = year_as_written


def _authors(text: str) -> tuple[str, ...]:
    text = _ABBREVIATION.sub("", text)
    names = tuple(" ".join(a.split()) for a in _SPLIT_AUTHORS.split(text.strip()) if a.strip())
    return tuple(re.sub(r"^the\s+", "", name) for name in names)


def _item_text(authors: str, etal: str | None, year: str, comma: bool = True) -> str:
    """The item as written, spacing tidied: ``Lee et al., 2021``, Harvard ``Lee et al. 2021``."""
    text = " ".join(authors.split())
    if etal:
        text += re.sub(r"\s+", " ", etal)
    return f"{text}, {year}" if comma else f"{text} {year}".strip()


def _loose(upper: str) -> re.Pattern[str]:
    """A part of a parenthesis beside recognised citations that still ends in a year."""
    return re.compile(
        rf"""\s*{_PREFIX}(?P<authors>{upper}[^;]{{0,150}}?)(?P<etal>,?\s+{ET_AL})?
        \s*,\s*(?P<years>{YEAR}(?:\s*,\s*{YEAR}){{0,9}})
        (?:\s*[,:]\s*(?:{LOCATOR}|{_BARE_PAGE}))?\s*\Z""",
        re.VERBOSE,
    )


@functools.cache
def _loose_pattern(wide: bool) -> re.Pattern[str]:
    return _loose(_upper_class() if wide else "[A-Z]")


def _part(part: str, wide: bool) -> tuple[re.Match[str], bool] | None:
    """One part of a parenthesis as a cited work, and whether the form is tentative."""
    match = _patterns(wide)[0].match(part)
    if match is None:
        return None
    tentative = bool(match["mla"]) or not match["comma"].strip()
    authors = _authors(match["authors"])
    first = authors[0].split()[0].lower() if authors and authors[0].split() else ""
    if not first or first in _NOT_NAMES or (match["mla"] and first in _NOT_MLA):
        return None
    return match, tentative


def _parse_parenthetical(
    body: str, offset: int, wide: bool
) -> tuple[tuple[int, CiteItem], ...] | None:
    """Items of a parenthetical citation, or None if it holds none.

    Each part between semicolons is judged on its own: a part that is not a citation
    but ends in a year beside recognised ones is kept (it will not resolve, and says so).
    """
    parts = body.split(";")
    parsed = [_part(part, wide) for part in parts]
    if not any(parsed):
        return None
    items: list[tuple[int, CiteItem]] = []
    pos = 0
    for part, judged in zip(parts, parsed, strict=True):
        at, pos = pos, pos + len(part) + 1
        if judged is not None:
            match, tentative = judged
        else:
            loose = _loose_pattern(wide).match(part)
            if loose is None or _authors(loose["authors"])[0].split()[0].lower() in _NOT_NAMES:
                continue
            match, tentative = loose, False
        authors = _authors(match["authors"])
        start = offset + at + match.start("authors")
        if "mla" in match.re.groupindex and match["mla"]:  # MLA: (Smith 45)
            written = _item_text(match["authors"], match["etal"], "", comma=False)
            item = CiteItem(
                text=f"{written} {match['mla']}",
                authors=authors,
                et_al=bool(match["etal"]),
                year="",
                locator=_locator(None, match["mla"]),
                tentative=True,
            )
            items.append((start, item))
            continue
        locator = _locator(match["label"], match["value"] or match["bare"])
        for written in _SPLIT_YEARS.split(match["years"]):
            year = _year(written)
            item = CiteItem(
                text=_item_text(match["authors"], match["etal"], year, comma=not tentative),
                authors=authors,
                et_al=bool(match["etal"]),
                year=year,
                locator=locator,
                tentative=tentative,
            )
            items.append((start, item))
    return tuple(items) or None


def find(text: str) -> list[Found]:
    """Every citation in a run of text, in order, without overlaps."""
    if "(" not in text:  # every form has one; a text without is not worth compiling for
        return []
    found: list[Found] = []
    wide = _needs_wide(text)
    narrative = _patterns(wide)[1]
    for match in _PAREN.finditer(text):
        if match.end() - match.start() > _MAX_PAREN:
            continue
        items = _parse_parenthetical(match["body"], match.start("body"), wide)
        if items:
            found.append(Found(match.start(), match.end(), False, items))
    for match in narrative.finditer(text):
        start = match.start("authors")
        # A list of names ends in a conjunction ("Adams, Brown and Clark (2003)"); without
        # one the names before the last comma belong to the sentence ("In Paris, Smith").
        if not _ENDS_IN_CONJUNCTION.search(match["authors"]) and "," in match["authors"]:
            start += match["authors"].rindex(",") + 1
            start += len(text[start:]) - len(text[start:].lstrip(" \n"))
        names = text[start : match.end("authors")].split()
        # Drop sentence words caught before the name: "In Weitzer (2007)".
        while names and names[0].lower().strip(",") in _NOT_NAMES:
            skipped = names.pop(0)
            start = text.index(skipped, start) + len(skipped)
            start += len(text[start:]) - len(text[start:].lstrip(" ,\n"))
        if not names:
            continue
        authors_text = text[start : match.end("authors")]
        authors = _authors(authors_text)
        if not authors or any(a.split()[0].lower() in _NOT_NAMES for a in authors):
            continue
        year = _year(match["years"])
        item = CiteItem(
            text=_item_text(authors_text, match["etal"], year),
            authors=authors,
            et_al=bool(match["etal"]),
            year=year,
            locator=_locator(match["label"], match["value"] or match["bare"]),
        )
        found.append(Found(start, match.end(), True, ((start, item),)))
    found.sort(key=lambda f: f.start)
    result: list[Found] = []
    for cite in found:
        if result and cite.start < result[-1].end:
            continue
        result.append(cite)
    return result


# --------------------------------------------------------------------------- matching


_CONJ_WORDS = re.compile(r"\b(?:and|y|e|et|und|en)\b")


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Fold case, diacritics, conjunctions (``&``, ``y``, ``und``...) and punctuation for
    comparing names: ``Fernández y Puig`` and ``Fernandez & Puig`` agree."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    text = _CONJ_WORDS.sub("and", text)
    return " ".join(text.split())


_NO_DATE_KEY = re.compile(rf"\A{NO_DATE}", re.IGNORECASE)
_IN_PRESS_KEY = re.compile(rf"\A{IN_PRESS}", re.IGNORECASE)


def _year_key(year: str) -> str:
    """``s. f.``, ``o. J.`` and ``n.d.`` agree; so do ``en prensa`` and ``in press``."""
    year = year.strip()
    if found := _NO_DATE_KEY.match(year):
        return "nd" + normalise(year[found.end() :]).replace(" ", "")
    if found := _IN_PRESS_KEY.match(year):
        return "inpress" + normalise(year[found.end() :]).replace(" ", "")
    return normalise(year).replace(" ", "")


def cite_form(entry: Reference) -> str:
    """How an entry is cited in author–date style: ``Gallagher & Holmes, 2008``."""
    names = [person.family for person in entry.authors]
    if not names:
        lead = "?"
    elif len(names) == 1:
        lead = names[0]
    elif len(names) == 2 and not entry.more_authors:
        lead = f"{names[0]} & {names[1]}"
    else:
        lead = f"{names[0]} et al."
    return f"{lead}, {entry.year or 'n.d.'}"


_INTRODUCED = re.compile(r"(?P<name>[^,;&\[\]]+?)\s*\[(?P<short>[^\[\]]{1,20})\]")


def abbreviations(items: Iterator[CiteItem]) -> dict[str, str]:
    """Group abbreviations the text introduces: ``World Health Organization [WHO]``."""
    found: dict[str, str] = {}
    for item in items:
        for match in _INTRODUCED.finditer(item.text):
            found.setdefault(normalise(match["short"]), normalise(match["name"]))
    return found


def _names(entry: Reference) -> list[str]:
    return [_THE.sub("", normalise(person.family)) for person in entry.authors]


_THE = re.compile(r"\Athe ")


def _shorts(entry: Reference) -> dict[str, str]:
    return {normalise(p.short): normalise(p.family) for p in entry.authors if p.short}


def _cited(item: CiteItem, shorts: dict[str, str]) -> list[str]:
    names = [normalise(a) for a in item.authors]
    return [shorts.get(name, name) for name in names]


def _agrees(item: CiteItem, entry: Reference, shorts: dict[str, str]) -> bool:
    """Every author named in the citation is the entry's, in order, and none is missing.

    ``et al.`` stands for at least one more author; an entry that ends in ``et al.``
    itself agrees with any citation that begins with its names. Names are compared joined,
    so a citation that splits a group at its ``and`` (``Centers for Disease Control and
    Prevention``) still agrees.
    """
    shorts = {**shorts, **_shorts(entry)}
    cited = " and ".join(_cited(item, shorts))
    named = " and ".join(_names(entry))
    if not named:
        return False
    if item.et_al:
        return named.startswith(cited + " and ") or (entry.more_authors and named == cited)
    if entry.more_authors:
        return cited == named or cited.startswith(named + " and ")
    return cited == named


def _loosely(item: CiteItem, entry: Reference, shorts: dict[str, str]) -> bool:
    """First and last authors agree, with a name between them the entry lacks
    (``Bach, Diane & Litam`` for ``Bach & Litam``): used only when nothing agrees fully."""
    cited = _cited(item, {**shorts, **_shorts(entry)})
    named = _names(entry)
    return len(cited) > len(named) >= 2 and cited[0] == named[0] and cited[-1] == named[-1]


def _dated(item: CiteItem, entry: Reference) -> bool:
    """The years agree; an author–page citation (MLA) has none and any year will do."""
    return not item.year or _year_key(item.year) == _year_key(entry.year)


def _acronyms(entries: tuple[Reference, ...]) -> dict[str, str]:
    """``WHO`` for ``World Health Organization``, ``INE`` for ``Instituto Nacional de
    Estadística``: the initials of a group author's capitalised words, when no other
    group in the list has the same."""
    found: dict[str, str] = {}
    clashes: set[str] = set()
    for entry in entries:
        if len(entry.authors) != 1 or entry.authors[0].given:
            continue
        words = entry.authors[0].family.split()
        capitals = [w for w in words if w[:1].isupper()]
        if len(capitals) < 2:
            continue
        acronym = normalise("".join(w[0] for w in capitals))
        name = normalise(entry.authors[0].family)
        if found.get(acronym, name) != name:
            clashes.add(acronym)
        found[acronym] = name
    return {short: name for short, name in found.items() if short not in clashes}


def _without_first_word(item: CiteItem) -> CiteItem | None:
    """The first author without its first word, tried when nothing matches: a preposition
    (``el protocolo de García y cols.``, ``la obra de de la Fuente``) or, in German, a
    capitalised noun (``den Empfehlungen von Thadden``) caught before a name."""
    if not item.authors or " " not in item.authors[0]:
        return None
    bare = item.authors[0].split(" ", 1)[1]
    return replace(item, authors=(bare, *item.authors[1:]))


def match(
    item: CiteItem, entries: tuple[Reference, ...], shorts: dict[str, str] | None = None
) -> list[Reference]:
    """Entries a cited item may mean: every author and the year agree.

    More than one means the citation is ambiguous; none, that it is unresolved.
    """
    shorts = {**_acronyms(entries), **(shorts or {})}
    dated = [entry for entry in entries if _dated(item, entry)]
    found = [entry for entry in dated if _agrees(item, entry, shorts)]
    if not found and not item.et_al:
        found = [entry for entry in dated if _loosely(item, entry, shorts)]
    return found


def _head(name: str) -> str:
    """A normalised name up to its first ``and``: a citation may split a group there."""
    return name.split(" and ", 1)[0]


class Index:
    """Entries by first author's surname (and a group's abbreviation), so matching a
    citation looks at a handful of entries.

    ``Index(entries).match(item)`` gives what ``match(item, entries)`` gives; a
    document's citations are matched in time proportional to their number,
    not to citations times entries.
    """

    def __init__(
        self, entries: tuple[Reference, ...], shorts: dict[str, str] | None = None
    ) -> None:
        self._shorts = {**_acronyms(entries), **(shorts or {})}
        self._by_head: dict[str, list[Reference]] = {}
        for entry in entries:
            if entry.authors:
                key = _head(_THE.sub("", normalise(entry.authors[0].family)))
                self._by_head.setdefault(key, []).append(entry)
                self._shorts.update(_shorts(entry))

    def match(self, item: CiteItem) -> list[Reference]:
        """Entries a cited item may mean, in reference-list order."""
        first = normalise(item.authors[0]) if item.authors else ""
        candidates = tuple(self._by_head.get(_head(self._shorts.get(first, first)), ()))
        return match(item, candidates, self._shorts)

    def match_narrative(self, item: CiteItem) -> list[Reference]:
        """Entries a narrative citation may mean: when its first name matches nothing, the
        name without its first word, then its second... (see ``_without_first_word``)."""
        found = self.match(item)
        while not found and (shorter := _without_first_word(item)) is not None:
            item = shorter
            found = self.match(item)
        return found


def _described(entry: Reference) -> str:
    """``Lee, A., 2010, "One"``: enough to tell two entries of one author and year apart."""
    first = entry.authors[0] if entry.authors else None
    who = ", ".join(p for p in (first.family, first.given) if p) if first else "?"
    if len(entry.authors) > 1 or entry.more_authors:
        who += " et al."
    title = entry.title if len(entry.title) <= 40 else entry.title[:39].rstrip() + "…"
    return f"{who}, {entry.year or 'n.d.'}" + (f', "{title}"' if title else "")


def ambiguity(item: CiteItem, entries: list[Reference]) -> str:
    """Why a citation could mean each of several entries, for the C004 warning."""
    listed = ", ".join(f"{entry.number} ({_described(entry)})" for entry in entries[:-1])
    listed += f" and {entries[-1].number} ({_described(entries[-1])})"
    if item.et_al:
        why = f'each begins with {item.authors[0]} and "et al." hides the rest'
        fix = "name more authors"
    elif not item.year:
        why = "a citation by page alone does not say which year"
        fix = "give the year"
    else:
        why = "they have the same authors and year"
        fix = "add a letter to the years (2017a, 2017b)"
    return f'citation "{item.text}" could mean entries {listed}: {why}; {fix} to tell them apart'


def other_authors(item: CiteItem, entries: tuple[Reference, ...]) -> Reference | None:
    """An entry with the same first author and year but a different author list."""
    first = normalise(item.authors[0]) if item.authors else ""
    for entry in entries:
        if entry.authors and normalise(entry.authors[0].family) == first and _dated(item, entry):
            return entry
    return None


def suggest(item: CiteItem, entries: tuple[Reference, ...]) -> Reference | None:
    """The entry a misspelt or misdated citation most likely means, if any is close."""
    cited = normalise(item.authors[0])
    year = _year_key(item.year)
    best: tuple[float, int] | None = None
    chosen: Reference | None = None
    for index, entry in enumerate(entries):
        if not entry.authors:
            continue
        family = normalise(entry.authors[0].family)
        ratio = difflib.SequenceMatcher(None, cited, family).ratio()
        same_year = _year_key(entry.year) == year
        if family == cited or (ratio >= 0.8 and same_year):
            score = (ratio + (1.0 if same_year else 0.0), -index)
            if best is None or score > best:
                best, chosen = score, entry
    return chosen


def near_spellings(item: CiteItem, others: Iterator[CiteItem]) -> list[str]:
    """Other citations in the document that look like the same work spelt differently."""
    cited = normalise(item.authors[0])
    seen: list[str] = []
    for other in others:
        name = normalise(other.authors[0])
        if (
            name != cited
            and _year_key(other.year) == _year_key(item.year)
            and difflib.SequenceMatcher(None, cited, name).ratio() >= 0.8
            and other.text not in seen
        ):
            seen.append(other.text)
    return seen
