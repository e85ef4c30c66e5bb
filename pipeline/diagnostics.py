"""Diagnostics: every problem found in a source, printed like a compiler would.

Each check has one stable code (see ``CODES``) so authors can look it up and
tests can pin it; the printed form is ``path:line:col: severity CODE message``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace


class Severity(enum.IntEnum):
    """How bad a problem is; ordered so ``max`` gives the worst."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


#: Every diagnostic code with its default severity and a one-line meaning.
#: ``docs/authoring.md`` lists the same table for authors.
CODES: dict[str, tuple[Severity, str]] = {
    "S001": (Severity.ERROR, "source file cannot be read"),
    "S002": (Severity.ERROR, "source is not valid UTF-8"),
    "S003": (Severity.ERROR, "source has no content"),
    "S004": (Severity.WARNING, "control character replaced by a space"),
    "S005": (Severity.ERROR, "source is too large"),
    "F001": (Severity.ERROR, "front matter is not valid YAML"),
    "F002": (Severity.ERROR, "document has no title"),
    "F003": (Severity.ERROR, "front matter field has the wrong type"),
    "F004": (Severity.INFO, "front matter field is not used"),
    "F005": (Severity.ERROR, "front matter is never closed"),
    "F006": (Severity.WARNING, "document language is missing or malformed"),
    "F007": (Severity.INFO, "identifier is missing; one is derived from the metadata"),
    "F008": (Severity.WARNING, "control character in a front matter value replaced by a space"),
    "F009": (
        Severity.INFO,
        "no word table for the language; the program's own words are English",
    ),
    "F030": (Severity.ERROR, "front matter nests too deep"),
    "F031": (
        Severity.ERROR,
        "front matter's aliases expand too far, or a value holds an alias to itself (`x: &a [*a]`)",
    ),
    "F012": (Severity.WARNING, "front matter date is not a date of the form YYYY-MM-DD"),
    "F020": (Severity.ERROR, "'accessibility' front matter has the wrong shape"),
    "F021": (Severity.WARNING, "'accessibility' front matter key is not used"),
    "F022": (Severity.ERROR, "conformance claim is not EPUB Accessibility 1.1 / WCAG 2.x"),
    "F023": (Severity.WARNING, "conformance claim names no certifier"),
    "F024": (Severity.ERROR, "conformance claim has no review date"),
    "F025": (Severity.ERROR, "review date is not a YYYY-MM-DD date"),
    "F026": (Severity.WARNING, "review is older than the last change to the text"),
    "F027": (Severity.ERROR, "exemption is not one the EPUB exemption property defines"),
    "F028": (Severity.ERROR, "report or contact is not a URL or an e-mail address"),
    "F029": (Severity.WARNING, "certifier given without a conformance claim"),
    "H001": (Severity.WARNING, "heading level skips a level"),
    "H002": (Severity.ERROR, "heading has no text"),
    "H003": (Severity.WARNING, "explicit id is invalid or already used"),
    "C001": (Severity.WARNING, "citation matches no reference"),
    "C002": (Severity.INFO, "reference is never cited"),
    "C003": (Severity.WARNING, "reference entry has no recognisable author or year"),
    "C004": (Severity.WARNING, "citation could mean two or more references: linked to neither"),
    "N001": (Severity.WARNING, "footnote reference has no definition"),
    "N002": (Severity.WARNING, "footnote is defined but never referenced, so left out"),
    "M001": (Severity.WARNING, "raw HTML is not passed through"),
    "M002": (Severity.ERROR, "nesting is too deep; inner content would be lost"),
    "M003": (Severity.WARNING, "link uses a scheme that is not allowed; shown as text"),
    "I001": (Severity.ERROR, "image has no text alternative (alt) and is not marked decorative"),
    "I002": (Severity.ERROR, "image is not a file inside the source's folder"),
    "I003": (Severity.ERROR, "image file is missing or cannot be read"),
    "I004": (Severity.ERROR, "image type is not supported"),
    "I005": (Severity.ERROR, "cover image is not a file inside the source's folder"),
    "I006": (Severity.ERROR, "cover image cannot be read or is not PNG or JPEG"),
    "I007": (Severity.ERROR, "input is not a regular file (FIFO, device, folder, link loop)"),
    "I008": (Severity.ERROR, "input is too large (bytes or pixels)"),
    "I009": (Severity.ERROR, "image cannot be decoded"),
    "A001": (Severity.ERROR, "pronunciation lexicon cannot be read"),
    "A002": (Severity.ERROR, "pronunciation lexicon is not well-formed XML"),
    "A003": (Severity.ERROR, "pronunciation lexicon is not a PLS lexicon"),
    "A004": (Severity.ERROR, "lexeme has no grapheme"),
    "A005": (Severity.ERROR, "lexicon alphabet is missing or not supported"),
    "Q001": (Severity.WARNING, "formula cannot be converted to MathML; shown as written"),
    "Q002": (Severity.WARNING, "formula uses an unknown LaTeX command; shown as written"),
    "Q003": (Severity.WARNING, "formula is empty"),
    "L001": (
        Severity.WARNING,
        "link to a file that is not in the publication; plain text in the EPUB",
    ),
    "L002": (Severity.WARNING, "link to an id no element has; shown as text"),
    "D001": (Severity.WARNING, "description block does not follow a figure; shown as text"),
    "D002": (Severity.WARNING, "figure has more than one description block; they are joined"),
    "D003": (Severity.WARNING, "description block is empty"),
    "B001": (Severity.ERROR, "bibliography or style file cannot be read"),
    "B002": (Severity.ERROR, "bibliography file cannot be parsed"),
    "B003": (Severity.ERROR, "bibliography file type is not supported"),
    "B004": (Severity.ERROR, "CSL style cannot be used"),
    "B005": (
        Severity.WARNING,
        "bibliography entry or a field of it is malformed, or repeats a key; left out",
    ),
    "B006": (Severity.WARNING, "nocite key is not in the bibliography"),
    "P001": (Severity.WARNING, "page-break marker has no usable page number; kept as text"),
    "P002": (Severity.WARNING, "page number marked twice"),
    "P003": (
        Severity.WARNING,
        "page-break marker on a heading, figure, list or other non-paragraph; left out",
    ),
    "P004": (
        Severity.WARNING,
        "page breaks without a 'source' (the print edition) in the front matter",
    ),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a source, with where it is."""

    code: str
    """Stable code from ``CODES``, e.g. ``C001``."""
    severity: Severity
    """How bad it is (``--strict`` raises warnings to errors)."""
    message: str
    """One line for the author, naming the offending text."""
    path: str
    """The file the problem is in, as the user gave it: the source, or an input beside it
    (its ``.pls`` lexicon, its cover)."""
    line: int = 1
    """1-based line in that file."""
    col: int = 1
    """1-based column (in characters) in that line."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"


def diagnostic(code: str, message: str, path: str, line: int = 1, col: int = 1) -> Diagnostic:
    """Make a diagnostic with the code's default severity."""
    return Diagnostic(code, CODES[code][0], message, path, max(line, 1), max(col, 1))


def strict(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Raise every warning to an error, as ``--strict`` asks."""
    return tuple(
        replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
        for d in diagnostics
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """``2 errors, 1 warning``, or ``no problems``: the end of a build's or lint's report."""
    counts = dict.fromkeys(Severity, 0)
    for item in diagnostics:
        counts[item.severity] += 1
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    return ", ".join(parts) if parts else "no problems"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    """Source order, then code, so output is stable."""
    return (d.path, d.line, d.col, d.code)


class PipelineError(Exception):
    """The project's own error: the source (or a request) cannot be processed.

    Carries the diagnostics that explain why; the CLI prints them, never a traceback.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class UsageError(Exception):
    """The command line asks for something impossible (exit status 2)."""


class ExternalError(Exception):
    """A tool or service the build needs failed (offline, missing, refused).

    The CLI prints its message as one line (exit status 1), never a traceback.
    """
