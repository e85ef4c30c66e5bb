"""What the automated checks showed, and what a person must still review.

EPUBCheck, Ace, axe and the Nu HTML Checker test only part of WCAG: a
conformance claim is a person's statement after a review (see
``pipeline.document.review``). So the report lists the automated checks that
ran and whether they passed, then a checklist grouped the way DAISY's SMART
groups a manual review (text alternatives, reading order, colour, language of
parts...): for each group, what the tools already established and what a
person has to judge. The report's words are English, as the rest of it.

The statement a reader sees (``pipeline.formats.statement``) is made here
from the claims the EPUB itself declares, so the report shows what the book
says, not what the build meant it to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.check.run import ArtifactReport, Report
from pipeline.diagnostics import Severity
from pipeline.formats import statement


@dataclass(frozen=True, slots=True)
class Item:
    """One group of the manual review."""

    topic: str
    automated: str
    """What the tools established (or cannot)."""
    person: str
    """What a person must judge."""


CHECKLIST = (
    Item(
        "Text alternatives",
        "Every informative image has alt text or is marked decorative (lint I001); Ace and"
        " axe find no image without a text alternative.",
        "Read each alt text beside its image: does it say what the image shows and why it is"
        " there? Charts and diagrams need the data or a longer description in the text.",
    ),
    Item(
        "Reading order",
        "The spine, the page and the narration follow the manuscript's order.",
        "Read the book in order, and listen to it: does the order make sense, are notes,"
        " figures and asides where a reader expects them?",
    ),
    Item(
        "Headings and structure",
        "Heading levels never skip (H001) and no heading is empty (H002); landmarks and"
        " lists are checked by axe and Ace.",
        "Does each heading describe its section? Is everything that looks like a heading,"
        " list or quotation marked as one in the manuscript?",
    ),
    Item(
        "Colour and contrast",
        "axe finds no contrast failure on the page in light and dark themes and at 320 px;"
        " the book's text follows the reading system's colours.",
        "Is colour ever the only way something is said, in the text or in an image? Is the"
        " text in images large and contrasted enough?",
    ),
    Item(
        "Language of parts",
        "The book and the page declare their language; passages marked in the manuscript"
        " (lang=...) carry it.",
        "Is every passage, quotation or title in another language marked, so it is read"
        " with the right voice and braille table?",
    ),
    Item(
        "Links",
        "Links with unsafe schemes are shown as text (M003); citations and notes link both ways.",
        "Does each link's text say where it goes without its surroundings (no 'click here')?",
    ),
    Item(
        "Tables",
        "Header cells come from the manuscript's header row; axe checks their markup.",
        "Is each table data rather than layout, with headers that name its columns and a"
        " caption or heading that says what it holds?",
    ),
    Item(
        "Narration and synchronisation",
        "Media overlays, captions and chapters match the audio's timings (AUDIO checks);"
        " the narrator is credited as a synthetic voice.",
        "Listen: are names, numbers, abbreviations and foreign words said correctly? Add"
        " pronunciations (front matter or a .pls lexicon) where they are not.",
    ),
    Item(
        "Accessibility metadata",
        "The package declares access modes, features, hazards and a summary computed from"
        " the content; Ace checks they are present.",
        "Is the summary true of the book? After this review, record it in the front matter"
        " ('accessibility:' with conforms-to, certified-by, date) to make a conformance claim.",
    ),
)

TOOLS = {
    "epubcheck": "EPUBCheck",
    "ace": "Ace by DAISY",
    "metadata": "Accessibility metadata",
    "axe": "axe-core",
    "vnu": "Nu HTML Checker",
    "audio": "Audio checks",
}


def automated(report: Report) -> list[dict[str, Any]]:
    """One row per artifact and tool that ran on it: how many errors it found."""
    rows = []
    for artifact in report.artifacts:
        for tool in _tools(artifact):
            errors = sum(
                1 for f in artifact.findings if f.tool == tool and f.severity is Severity.ERROR
            )
            rows.append(
                {
                    "artifact": artifact.name,
                    "check": TOOLS[tool],
                    "passed": not errors,
                    "errors": errors,
                }
            )
    return rows


def _tools(artifact: ArtifactReport) -> tuple[str, ...]:
    return {
        "epub": ("epubcheck", "ace", "metadata"),
        "html": ("axe", "vnu"),
        "audio": ("audio",),
    }.get(artifact.format, ())


def epub_claims(report: Report) -> tuple[str, dict[str, Any]] | None:
    """The language and declared claims of the first EPUB that could be read; None when
    none could (a damaged book declares nothing a reader could be told)."""
    for artifact in report.artifacts:
        if artifact.format != "epub" or "accessibility_metadata" not in artifact.facts:
            continue
        declared = artifact.facts["accessibility_metadata"]
        return (declared.get("language") or ["en"])[0], declared.get("claims", {})
    return None


def epub_statement(report: Report) -> tuple[str, tuple[statement.Part, ...]] | None:
    """The statement made from the first readable EPUB's declared claims, with its language."""
    found = epub_claims(report)
    if found is None:
        return None
    lang, claims = found
    return lang, statement.parts(statement.from_claims(claims), lang)


def to_data(report: Report) -> dict[str, Any]:
    """The report's ``accessibility`` part: automated checks, checklist, statement."""
    found = epub_statement(report)
    return {
        "automated": automated(report),
        "checklist": [
            {"topic": i.topic, "automated": i.automated, "person": i.person} for i in CHECKLIST
        ],
        "statement": None
        if found is None
        else {
            "lang": found[0],
            "parts": [
                {"heading": p.heading, "lines": [_line(line) for line in p.lines]} for p in found[1]
            ],
        },
    }


def _line(line: str | tuple[str, str]) -> str:
    return f"{line[0]} <{line[1]}>" if isinstance(line, tuple) else line
