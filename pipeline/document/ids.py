"""Stable, unique, readable ids for everything a reader or a link can target.

Ids are valid in HTML and as XML ids in EPUB (start with a letter; letters,
digits, ``-``, ``_``, ``.``). Section slugs come from heading text, so they
survive edits elsewhere in the document; other ids count in reading order.
"""

from __future__ import annotations

import re
import unicodedata

_VALID = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*\Z")

#: The id of each credit line of the title page, by MARC relator code ("oth": any other role).
CREDIT_IDS = {
    "aut": "doc-authors",
    "edt": "doc-editors",
    "trl": "doc-translators",
    "ill": "doc-illustrators",
    "nrt": "doc-narrators",
    "ctb": "doc-contributors",
    "oth": "doc-credits",
}

#: The title page has no element in the model; the narration voices it by these ids and
#: the HTML page and the EPUB put them on their title-page elements, so none is handed out.
TITLE_PAGE_IDS = ("doc-title", "doc-subtitle", *CREDIT_IDS.values(), "doc-publisher")


def slugify(text: str, fallback: str = "section") -> str:
    """``Who are Individuals…?`` → ``who-are-individuals``; ASCII, lowercase."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-")
    if not slug:
        return fallback
    return slug if slug[0].isalpha() else f"{fallback}-{slug}"


def is_valid(candidate: str) -> bool:
    """Whether an author-given id can be used as written."""
    return bool(_VALID.match(candidate))


class Registry:
    """Hands out ids, never the same twice in one document."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}
        self.suffixes: dict[str, int] = {}
        """The last suffix given for each wanted id: the next search starts there."""

    def claim(self, wanted: str) -> str:
        """``wanted`` if free, else ``wanted-2``, ``wanted-3``, ...

        Ids are never released, so the search for a repeated slug resumes
        where the last one stopped (10,000 headings "Notes" no longer cost
        50 million set lookups).
        """
        candidate = wanted
        if candidate in self.used:
            n = self.suffixes.get(wanted, 1)
            while candidate in self.used:
                n += 1
                candidate = f"{wanted}-{n}"
            self.suffixes[wanted] = n
        self.used.add(candidate)
        return candidate

    def next(self, prefix: str) -> str:
        """The next numbered id for a kind of node: ``p-1``, ``p-2``, ..."""
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            candidate = f"{prefix}-{n}"
            if candidate not in self.used:
                self.counters[prefix] = n
                self.used.add(candidate)
                return candidate
