"""Typography of the author's text, per language, for the page and the book (never the source).

Straight quotes become curly ones as the language writes them (“ ” and ‘ ’ in English,
« » with narrow no-break spaces in French, « » in Spanish, „ “ in German), ``---`` an em
dash, ``--`` an en dash, ``...`` an ellipsis; in French the space an author typed before
``; ! ?`` (and ``:``) becomes a no-break one, so the sign never starts a line. ``H~2~O``
and ``m^2^`` are subscript and superscript. Code is never passed here, and a language
without rules keeps its quotes as typed (a guess would be wrong in Swedish or Polish).

The narration does not use the curly forms: ``for_speech`` only turns the dashes into the
characters its reading rules know ("pages 10–12" is "pages 10 to 12") and drops the
subscript and superscript marks ("m2" is "square metres").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.markup import text as escape

NNBSP = "\u202f"
"""Narrow no-break space: inside French guillemets and before ``; ! ?``."""
NBSP = "\u00a0"
"""No-break space: before a French colon."""


@dataclass(frozen=True, slots=True)
class Quotes:
    """A language's quotation marks: primary and secondary, opening and closing."""

    open: str
    close: str
    open_single: str
    close_single: str


#: Quotation marks by primary language subtag (the word tables' four languages).
QUOTES: dict[str, Quotes] = {
    "en": Quotes("“", "”", "‘", "’"),
    "fr": Quotes("«" + NNBSP, NNBSP + "»", "“", "”"),
    "es": Quotes("«", "»", "“", "”"),
    "de": Quotes("„", "“", "‚", "‘"),
}

_QUOTE_MARKS = re.compile("[\"']")
_SCRIPTS = re.compile(r"(?<![~\\])~([^\s~]+)~(?!~)|(?<![\^\\])\^([^\s^]+)\^(?!\^)")
_DASHES = (("---", "—"), ("--", "–"), ("...", "…"))
#: After these a quotation mark opens (else it closes).
_OPENERS = frozenset("([{<‘“«„‚—–-/")
_FRENCH_SPACE = re.compile(r"[ \u00a0](?=[;!?])|[ ](?=:)|(?<=«)[ \u00a0]|[ \u00a0](?=»)")


def primary(lang: str) -> str:
    """``fr`` for ``fr-CA``."""
    return lang.replace("_", "-").split("-", maxsplit=1)[0].lower()


class Typesetter:
    """Typesets the text runs of one inline context, in order.

    Whether a quotation mark opens or closes depends on the character before it, which may
    be in the run before (``"*word*"``): ``reset`` at the start of each paragraph, heading
    or cell, ``after`` for inline content that is not text (code, a note reference).
    """

    def __init__(self, lang: str) -> None:
        self.lang = primary(lang)
        self.quotes = QUOTES.get(self.lang)
        self.previous = ""

    @contextmanager
    def language(self, lang: str) -> Iterator[None]:
        """Set a passage in its own language (``[« oui »]{lang=fr}``); "" keeps the current."""
        saved = self.lang, self.quotes
        if lang:
            self.lang = primary(lang)
            self.quotes = QUOTES.get(self.lang)
        try:
            yield
        finally:
            self.lang, self.quotes = saved

    def reset(self) -> None:
        """A new paragraph, heading or cell: the next quotation mark opens."""
        self.previous = ""

    def after(self, char: str) -> None:
        """Inline content other than text ends with ``char`` (" " for a line break)."""
        self.previous = char

    def markup(self, value: str) -> str:
        """A text run as escaped markup with its typography and ``<sub>``/``<sup>``."""
        if "~" not in value and "^" not in value:  # most runs: the pattern would find none
            return escape(self.plain(value))  # and cost three times the rest
        out: list[str] = []
        cursor = 0
        for found in _SCRIPTS.finditer(value):
            out.append(escape(self.plain(value[cursor : found.start()])))
            inner = self.plain(found.group(1) or found.group(2))
            tag = "sub" if found.group(1) else "sup"
            out.append(f"<{tag}>{escape(inner)}</{tag}>")
            cursor = found.end()
        out.append(escape(self.plain(value[cursor:])))
        return "".join(out)

    def plain(self, value: str) -> str:
        """A text run with its typography, as text (no subscript or superscript)."""
        if not value:
            return value
        for typed, shown in _DASHES:
            value = value.replace(typed, shown)
        value = self._quotes(value)
        if self.lang == "fr":
            value = _FRENCH_SPACE.sub(
                lambda m: NBSP if value[m.end() : m.end() + 1] == ":" else NNBSP, value
            )
        self.previous = value[-1]
        return value

    def _quotes(self, value: str) -> str:
        # Only the quotation marks are looked at (a loop over every character of every run
        # was a tenth of a long build); the character before each is the one shown.
        marks = self.quotes
        if marks is None:
            return value
        out: list[str] = []
        previous = self.previous
        cursor = 0
        for found in _QUOTE_MARKS.finditer(value):
            index = found.start()
            if index > cursor:
                out.append(value[cursor:index])
                previous = value[index - 1]
            typed = found.group()
            opening = not previous or previous.isspace() or previous in _OPENERS
            following = value[index + 1] if index + 1 < len(value) else ""
            if typed == '"':
                shown = marks.open if opening else marks.close
            elif opening:
                shown = marks.open_single
            elif following.isalpha():  # an apostrophe: it's, l'eau
                shown = "’"
            else:
                shown = marks.close_single
            out.append(shown)
            previous = shown[-1]
            cursor = index + 1
        if not cursor:
            return value
        out.append(value[cursor:])
        return "".join(out)


def heading_text(value: str, lang: str) -> str:
    """A heading as plain text (a table of contents, a document title), set as its heading is:
    typography, and ``H~2~O`` as "H2O"."""
    typesetter = Typesetter(lang)
    return typesetter.plain(_SCRIPTS.sub(lambda m: m.group(1) or m.group(2), value))


def for_speech(value: str) -> str:
    """A text run as the narration reads it: dashes as dash characters, no ``~``/``^`` marks."""
    value = _SCRIPTS.sub(lambda m: m.group(1) or m.group(2), value)
    for typed, shown in _DASHES[:2]:
        value = value.replace(typed, shown)
    return value
