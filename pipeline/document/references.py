"""Reference lists: which section holds them, and what each entry says.

Entries are parsed for matching (authors, year) and for narration (title,
container, volume, issue, pages, DOI). The parser reads APA and the common
author-first styles (MLA, Chicago, Harvard); what it cannot find stays empty and
the entry is still rendered exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.document import names
from pipeline.document.citations import YEAR, year_as_written
from pipeline.document.model import Emphasis, Inline, Reference, plain_text

#: Headings of a reference section, case- and accent-folded, in many languages.
HEADINGS = frozenset(
    {
        # English
        "references",
        "reference list",
        "references cited",
        "bibliography",
        "works cited",
        "literature cited",
        "sources",
        "works consulted",
        # French
        "references bibliographiques",
        "bibliographie",
        "ouvrages cites",
        # German
        "literatur",
        "literaturverzeichnis",
        "quellen",
        "quellenverzeichnis",
        "bibliografie",
        # Spanish, Portuguese, Italian, Catalan
        "referencias",
        "referencias bibliograficas",
        "bibliografia",
        "obras citadas",
        "referencies",
        "riferimenti bibliografici",
        # Dutch, Scandinavian, Polish, Czech
        "literatuur",
        "literatuurlijst",
        "referenties",
        "litteratur",
        "litteraturliste",
        "kallor",
        "kilder",
        "lahteet",
        "literatura",
        "pismiennictwo",
        "zdroje",
    }
)


def fold(text: str) -> str:
    """Lowercase without accents or surrounding punctuation: ``Références:`` → ``references``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def is_reference_heading(title: str) -> bool:
    """True when a heading names a reference list in any supported language."""
    return fold(title) in HEADINGS


_YEAR_PAREN = re.compile(rf"\((?P<year>{YEAR})(?:,[^)]*)?\)\.?")
_YEAR_BARE = re.compile(r"(?<![\d\w])(?P<year>1[5-9]\d\d[a-z]?|20\d\d[a-z]?)(?![\d])")
#: A year (or no-date form) right after the authors, without parentheses (Harvard,
#: Chicago author-date): ``Smith, J. 2020.``, ``Smith, John. 2020.``, ``INE. s. f.``.
_YEAR_AFTER_NAMES = re.compile(rf"(?<=[.,])\s+(?P<year>{YEAR})(?:[.,]\s|(?<=\.)\s)")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(?P<doi>10\.\d{4,9}/[^\s]+)", re.I)
_URL = re.compile(r"https?://[^\s<>]+")
_PAGES = re.compile(r"(?:pp?\.\s*|S\.\s*)?(?P<pages>\d+\s*[-–—]\s*\d+|(?<=p\. )\d+)")
_TITLE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")
#: A period that ends an initial or a particle, not a sentence: ``J.``, ``Ma.``, ``Jr.``.
_NOT_AN_END = re.compile(r"(?:\b[A-ZÀ-Þ][a-z]?|\bJr|\bSr|\bSt|\bu\. ?a|\bet al|\bcols?|\bEds?)\.\Z")


def _names_end(text: str) -> int:
    """Where a surname-first author list ends: the first period that closes a sentence."""
    for found in _TITLE_END.finditer(text):
        if not _NOT_AN_END.search(text[: found.start()]):
            return found.start()
    return len(text)


def _emphasised(children: tuple[Inline, ...]) -> list[str]:
    return [
        plain_text(node.children).strip(" ,.") for node in children if isinstance(node, Emphasis)
    ]


def parse_entry(children: tuple[Inline, ...], number: int, line: int) -> Reference:
    """Parse one reference entry; fields not found are left empty."""
    text = " ".join(plain_text(children).split())
    match = _YEAR_PAREN.search(text)
    after_names = _YEAR_AFTER_NAMES.search(text)
    if after_names and after_names.start() > _names_end(text):
        after_names = None
    if match and (not after_names or match.start() <= after_names.start()):
        authors_text, rest = text[: match.start()], text[match.end() :]
        year = year_as_written(match["year"])
    elif after_names:
        authors_text, rest = text[: after_names.start()], text[after_names.end() :]
        year = year_as_written(after_names["year"])
    else:
        bare = _YEAR_BARE.search(text)
        head = text[: _names_end(text) + 1]
        authors_text = head
        year = bare["year"] if bare else ""
        rest = text[len(head) :]
    authors, more = names.people(authors_text) if authors_text.strip(" .") else ((), False)
    rest = rest.lstrip(" .")
    parts = _TITLE_END.split(rest, maxsplit=1)
    title = parts[0].rstrip(".") if parts and parts[0] else ""
    after = parts[1] if len(parts) > 1 else ""
    italics = _emphasised(children)
    container = volume = ""
    if title.startswith("In "):  # no title of its own: "Page. (n.d.). In Site. Retrieved..."
        after, title = f"{title}. {after}", ""
    if italics and title and italics[0] and _same_title(title, italics[0]):
        italics = italics[1:]  # an italic title: a book, no container
    if italics:
        container = italics[0]
        if len(italics) > 1 and re.fullmatch(r"\d+[A-Za-z]?", italics[1]):
            volume = italics[1]
    elif after.startswith("In "):
        container = _TITLE_END.split(after[3:], maxsplit=1)[0].rstrip(".,")
    issue = ""
    if volume:
        found = re.search(rf"{re.escape(volume)}\s*\((?P<issue>[^)]+)\)", after)
        issue = found["issue"] if found else ""
    pages_match = _PAGES.search(after[after.find(volume) if volume else 0 :])
    pages = re.sub(r"\s*[-–—]\s*", "–", pages_match["pages"]) if pages_match else ""
    doi_match = _DOI.search(text)
    url_match = _URL.search(text)
    return Reference(
        children=children,
        authors=authors,
        year=year,
        title=title,
        container=container,
        volume=volume,
        issue=issue,
        pages=pages,
        url=url_match.group().rstrip(".,") if url_match else "",
        doi=doi_match["doi"].rstrip(".,") if doi_match else "",
        number=number,
        line=line,
        more_authors=more,
    )


def _same_title(title: str, italic: str) -> bool:
    """Whether the italic text is the title itself (a book), not a journal that happens to
    begin the title the way ``Vaccine`` begins ``Vaccine hesitancy: ...``."""
    title, italic = title.rstrip(".?! "), italic.rstrip(".?! ")
    return title == italic or (title.startswith(italic) and len(italic) * 5 >= len(title) * 4)
