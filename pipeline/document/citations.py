"""Author–year citations: finding them in running text and matching them to entries.

Recognised forms (APA, Harvard, Chicago author-date):
``(Weitzer, 2007)``, ``(Bach et al., 2017)``, ``(Bach, Diane & Litam, 2017)``,
``(Gallagher & Holmes, 2008; Wetizer, 2007)``, ``(Trouteaud, n.d.)``,
``(see Smith, 2020, p. 4)``, ``(Smith, 2020, pp. 14-19)``, ``(Smith, 2019, 2020)``,
and narrative ``Weitzer (2007)``, ``Smith et al. (2019)``, ``Gallagher and Holmes (2008)``.

A parenthesis is a citation only if every part of it parses as a cited work,
so ``(see below)``, ``(2017)`` and ``(ILO)`` are left alone.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
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


_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|dos|das|le|la|ten|ter|bin|al|el|st\.)"
YEAR = r"(?:\d{4}[a-z]?|n\.\s?d\.(?:-[a-z])?|in\s+press|forthcoming)"
_LOCATOR_WORDS: dict[str, Literal["page", "pages", "chapter", "section", "paragraph"]] = {
    "p.": "page",
    "page": "page",
    "pp.": "pages",
    "pages": "pages",
    "ch.": "chapter",
    "chap.": "chapter",
    "chapter": "chapter",
    "sec.": "section",
    "section": "section",
    "§": "section",
    "§§": "section",
    "para.": "paragraph",
    "¶": "paragraph",
}
LOCATOR = (
    r"(?P<label>pp\.|p\.|pages?|chap\.|ch\.|chapter|sec\.|section|§§?|para\.|¶)\s*"
    r"(?P<value>[\dIVXLCivxlc]+(?:\s*[-–—]\s*[\dIVXLCivxlc]+)?)"
)
_JOIN = r"(?:\s*,\s*(?:&|and)\s+|\s*,\s*|\s+(?:&|and)\s+|\s*&\s*)"
_PREFIX = (
    r"(?P<prefix>(?:(?i:see(?:\s+also)?|cf\.|e\.g\.,?|i\.e\.,?|for\s+example,?|also"
    r"|as\s+cited\s+in)\s+)?)"
)


@functools.cache
def _patterns(wide: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The item and narrative patterns, compiled on first use. A surname begins with a
    capital: ``wide`` allows every uppercase letter below U+2000, the narrow patterns only
    A–Z. The wide class is 500 characters, repeated some twenty times, and compiling it took
    15 ms at every start; on a text with no other capitals the two match alike."""
    upper = _upper_class() if wide else "[A-Z]"
    word = rf"{upper}[^\W\d_]*(?:['’\-]{upper}?[^\W\d_]+)*"
    #: A surname: optional lowercase particles, then one to four capitalised words.
    name = rf"(?:{_PARTICLE}[\s\-]+)*{word}(?:[ \-]{word}){{0,3}}"
    item = re.compile(
        rf"""\s*{_PREFIX}
        (?P<authors>{name}(?:{_JOIN}{name}){{0,20}})
        (?P<etal>,?\s+et\s+al\.?)?
        \s*,\s*(?P<years>{YEAR}(?:\s*,\s*{YEAR}){{0,9}})
        (?:\s*,\s*{LOCATOR})?\s*\Z""",
        re.VERBOSE,
    )
    narrative = re.compile(
        rf"""(?<![\w\-’'])(?P<authors>{name}(?:(?:\s*,\s*{name}){{0,8}},?\s+(?:&|and)\s+{name})?)
        (?P<etal>\s+et\s+al\.?)?
        \s+\((?P<years>{YEAR})(?:\s*,\s*{LOCATOR})?\)""",
        re.VERBOSE,
    )
    return item, narrative


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _needs_wide(text: str) -> bool:
    """Whether ``text`` has a capital outside A–Z that a surname could begin with."""
    return not text.isascii() and any(
        ord(char) < _WIDE_END and _is_upper(char) for char in set(_NON_ASCII.findall(text))
    )


_PAREN = re.compile(r"\((?P<body>[^()]*?(?:\d|n\.\s?d\.|in\s+press|forthcoming)[^()]*?)\)")
_SPLIT_AUTHORS = re.compile(_JOIN)
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
    if not label or not value:
        return None
    value = re.sub(r"\s*[-–—]\s*", "–", value)
    kind = _LOCATOR_WORDS[label.lower()]
    if kind == "page" and "–" in value:
        kind = "pages"
    return Locator(kind, value)


def _year(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"n\.\s?d\.", "n.d.", text)


def _authors(text: str) -> tuple[str, ...]:
    return tuple(" ".join(a.split()) for a in _SPLIT_AUTHORS.split(text.strip()) if a.strip())


def _item_text(authors: str, etal: str | None, year: str) -> str:
    text = " ".join(authors.split())
    if etal:
        text += " et al."
    return f"{text}, {year}"


def _parse_parenthetical(
    body: str, offset: int, item: re.Pattern[str]
) -> tuple[tuple[int, CiteItem], ...] | None:
    """Items of a parenthetical citation, or None if any part is not a cited work."""
    items: list[tuple[int, CiteItem]] = []
    pos = 0
    for part in body.split(";"):
        match = item.match(part)
        if not match:
            return None
        authors = _authors(match["authors"])
        if authors[0].split()[0].lower() in _NOT_NAMES:
            return None
        start = offset + pos + match.start("authors")
        locator = _locator(match["label"], match["value"])
        for written in _SPLIT_YEARS.split(match["years"]):
            year = _year(written)
            items.append(
                (
                    start,
                    CiteItem(
                        text=_item_text(match["authors"], match["etal"], year),
                        authors=authors,
                        et_al=bool(match["etal"]),
                        year=year,
                        locator=locator,
                    ),
                )
            )
        pos += len(part) + 1
    return tuple(items)


def find(text: str) -> list[Found]:
    """Every citation in a run of text, in order, without overlaps."""
    found: list[Found] = []
    items_of, narrative = _patterns(_needs_wide(text))
    for match in _PAREN.finditer(text):
        if match.end() - match.start() > _MAX_PAREN:
            continue
        items = _parse_parenthetical(match["body"], match.start("body"), items_of)
        if items:
            found.append(Found(match.start(), match.end(), False, items))
    for match in narrative.finditer(text):
        names = match["authors"].split()
        start = match.start("authors")
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
            locator=_locator(match["label"], match["value"]),
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


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Fold case, diacritics, ``&``/``and`` and punctuation for comparing names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split())


def _year_key(year: str) -> str:
    return normalise(year).replace(" ", "")


def cite_form(entry: Reference) -> str:
    """How an entry is cited in author–date style: ``Gallagher & Holmes, 2008``."""
    names = [person.family for person in entry.authors]
    if not names:
        lead = "?"
    elif len(names) == 1:
        lead = names[0]
    elif len(names) == 2:
        lead = f"{names[0]} & {names[1]}"
    else:
        lead = f"{names[0]} et al."
    return f"{lead}, {entry.year or 'n.d.'}"


def _family_matches(cited: str, entry: Reference) -> bool:
    return bool(entry.authors) and normalise(entry.authors[0].family) == normalise(cited)


def match(item: CiteItem, entries: tuple[Reference, ...]) -> list[Reference]:
    """Entries a cited item may mean: first author's surname and year agree.

    When several agree, later authors named in the citation narrow the choice.
    """
    year = _year_key(item.year)
    candidates = [
        entry
        for entry in entries
        if _year_key(entry.year) == year and _family_matches(item.authors[0], entry)
    ]
    return _narrow(item, candidates)


def _narrow(item: CiteItem, candidates: list[Reference]) -> list[Reference]:
    """Among entries whose first author and year agree, those the later authors name."""
    if len(candidates) > 1 and len(item.authors) > 1:
        named = {normalise(a) for a in item.authors[1:]}
        narrowed = [
            entry
            for entry in candidates
            if named <= {normalise(p.family) for p in entry.authors[1:]}
        ]
        candidates = narrowed or candidates
    return candidates


class Index:
    """Entries by (first author's surname, year), so matching a citation is one lookup.

    ``Index(entries).match(item)`` gives what ``match(item, entries)`` gives; a
    document's citations are matched in time proportional to their number,
    not to citations times entries.
    """

    def __init__(self, entries: tuple[Reference, ...]) -> None:
        self._by_key: dict[tuple[str, str], list[Reference]] = {}
        for entry in entries:
            if entry.authors:
                key = (normalise(entry.authors[0].family), _year_key(entry.year))
                self._by_key.setdefault(key, []).append(entry)

    def match(self, item: CiteItem) -> list[Reference]:
        """Entries a cited item may mean, in reference-list order."""
        key = (normalise(item.authors[0]), _year_key(item.year))
        return _narrow(item, list(self._by_key.get(key, ())))


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
