"""pandoc-style citations in running text: ``[@key]``, ``[see @key, p. 33]``, ``[@a; @b]``,
``[-@key]`` and narrative ``@key says`` (or ``@key [p. 33] says``).

The parser finds them where it finds author–year citations and keeps them as written,
each cited work's key in ``CiteItem.key``; ``pipeline.document.bibliography`` formats them
with the document's bibliography and CSL style. The syntax is pandoc's: a key begins with
a letter, digit or ``_`` and may hold ``:.#$%&-+?<>~/`` inside it (``@{...}`` holds
anything but braces); an ``@`` after a letter or digit (an e-mail address) is no citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document.citations import Found
from pipeline.document.model import CiteItem

_KEY = r"@(?:\{(?P<braced>[^{}\n]+)\}|(?P<key>\w(?:[\w:.#$%&\-+?<>~/]*\w)?))"
_KEY_RE = re.compile(rf"(?P<suppress>-)?{_KEY}")
#: A bracketed citation: no brackets inside, an ``@`` somewhere, not a link's text.
_BRACKET = re.compile(r"(?<![\]!\\])\[(?P<body>[^\[\]]*@[^\[\]]*)\](?![(\[{:])")
#: A narrative citation, with pandoc's optional bracketed locator after it.
_NARRATIVE = re.compile(rf"(?<![\w@\\]){_KEY}(?P<after>\s\[(?P<locator>[^\[\]@]*)\](?![(\[{{:]))?")

#: Locator terms pandoc and CSL know, as written (lowercase, without the final dot) ->
#: CSL's locator label.
LOCATOR_TERMS: dict[str, str] = {
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "pg": "page",
    "pgs": "page",
    "chap": "chapter",
    "chaps": "chapter",
    "ch": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "sec": "section",
    "secs": "section",
    "section": "section",
    "sections": "section",
    "§": "section",
    "§§": "section",
    "para": "paragraph",
    "paras": "paragraph",
    "paragraph": "paragraph",
    "paragraphs": "paragraph",
    "¶": "paragraph",
    "¶¶": "paragraph",
    "fig": "figure",
    "figs": "figure",
    "figure": "figure",
    "figures": "figure",
    "vol": "volume",
    "vols": "volume",
    "volume": "volume",
    "volumes": "volume",
    "n": "note",
    "nn": "note",
    "note": "note",
    "notes": "note",
    "l": "line",
    "ll": "line",
    "line": "line",
    "lines": "line",
    "col": "column",
    "cols": "column",
    "column": "column",
    "columns": "column",
    "bk": "book",
    "bks": "book",
    "book": "book",
    "no": "issue",
    "nos": "issue",
    "v": "verse",
    "vv": "verse",
    "verse": "verse",
    "verses": "verse",
    "pt": "part",
    "pts": "part",
    "part": "part",
    "parts": "part",
}
_VALUE = (
    r"(?P<value>(?:[\dIVXLCDMivxlcdm]+[a-z]?)"
    r"(?:\s*(?:[-–—]|,\s*(?=\d))\s*[\dIVXLCDMivxlcdm]+[a-z]?)*|\{[^{}]*\})(?P<rest>.*)\Z"
)
_LOCATOR = re.compile(r"\A\s*,?\s*(?P<term>[^\W\d_]+\.?|§§?|¶¶?)\s*" + _VALUE, re.S)
_BARE_LOCATOR = re.compile(r"\A\s*,\s*" + _VALUE, re.S)


@dataclass(frozen=True, slots=True)
class Part:
    """One cited work of a pandoc citation, as written."""

    key: str
    prefix: str = ""
    """Words before the key (``see``)."""
    suffix: str = ""
    """Words after the locator (``, and passim``)."""
    label: str = ""
    """CSL locator label (``page``, ``chapter``...) or "" without a locator."""
    locator: str = ""
    """The locator's value: ``33``, ``33–35``."""
    suppress_author: bool = False
    """``-@key``: the year alone, the author being named in the sentence."""


def split_locator(text: str) -> tuple[str, str, str]:
    """``(label, value, rest)`` of what follows a key: ``", p. 33, and passim"`` gives
    ``("page", "33", ", and passim")``; ``("", "", text)`` when no locator leads it."""
    found = _LOCATOR.match(text)
    term = found["term"].lower().rstrip(".") if found else ""
    if found is None or term not in LOCATOR_TERMS:  # "xii", not a term: a bare page
        found, term = _BARE_LOCATOR.match(text), ""
    if found is None:
        return "", "", text
    value = found["value"]  # in pandoc's braces: the locator exactly as written
    value = value[1:-1] if value.startswith("{") else re.sub(r"\s*[-–—]+\s*", "–", value)
    rest = found["rest"]
    if rest and not re.match(r"[\s,;.]", rest):  # "p. 33a-ish" is no locator
        return "", "", text
    return LOCATOR_TERMS.get(term, "page"), value, rest


def parts(body: str) -> list[Part] | None:
    """The works of a bracketed citation's body, or None when a part has no single key."""
    out: list[Part] = []
    for piece in body.split(";"):
        keys = list(_KEY_RE.finditer(piece))
        if len(keys) != 1:
            return None
        key = keys[0]
        prefix = piece[: key.start()]
        if prefix.strip() and not re.search(r"\s\Z", prefix):  # "x@key": an address
            return None
        label, value, rest = split_locator(piece[key.end() :])
        out.append(
            Part(
                key["braced"] or key["key"],
                " ".join(prefix.split()),
                " ".join(rest.split()) if rest.strip() else "",
                label,
                value,
                bool(key["suppress"]),
            )
        )
    return out


def narrative(text: str) -> Part | None:
    """The work of a narrative citation as written (``@key`` or ``@key [p. 33]``)."""
    found = _NARRATIVE.fullmatch(text)
    if found is None:
        return None
    key = found["braced"] or found["key"]
    if found["locator"] is None:
        return Part(key)
    label, value, rest = split_locator(", " + found["locator"].strip())
    return Part(key, "", " ".join(rest.split()), label, value)


def _item(written: str, key: re.Match[str]) -> CiteItem:
    """A work as the parser keeps it: its key, and the key as written in ``authors`` (where
    its column is found) until the bibliography names the authors."""
    token = f"@{{{key['braced']}}}" if key["braced"] else f"@{key['key']}"
    words = " ".join(written.split())
    return CiteItem(words, (token,), False, "", key=key["braced"] or key["key"])


def find(text: str) -> list[Found]:
    """Every pandoc-style citation in a run of text, in order."""
    if "@" not in text:
        return []
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(text):
        works = parts(match["body"])
        if not works:
            continue
        items: list[tuple[int, CiteItem]] = []
        offset = match.start("body")
        for piece in match["body"].split(";"):
            key = _KEY_RE.search(piece)
            if key is not None:  # ``parts`` checked that every piece has one
                items.append((offset + key.start(), _item(piece, key)))
            offset += len(piece) + 1
        found.append(Found(match.start(), match.end(), False, tuple(items)))
        taken.append((match.start(), match.end()))
    for match in _NARRATIVE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        end = match.end("braced") + 1 if match["braced"] else match.end("key")
        if match["after"] and narrative(match.group()) is not None:
            end = match.end()
        written = text[match.start() : end]
        found.append(Found(match.start(), end, True, ((match.start(), _item(written, match)),)))
    found.sort(key=lambda f: f.start)
    return found


def merged(pandoc: list[Found], author_year: list[Found]) -> list[Found]:
    """Both kinds in text order; an author–year citation inside a pandoc one is dropped."""
    if not pandoc:
        return author_year
    kept = [
        cite
        for cite in author_year
        if not any(cite.start < other.end and other.start < cite.end for other in pandoc)
    ]
    return sorted([*pandoc, *kept], key=lambda f: f.start)
