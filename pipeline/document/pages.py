"""Page breaks of a print edition: ``{pb=12}`` markers in running text.

A book made from a printed one keeps the printed page numbers, so a reader can
follow a class that says "turn to page 112" and cite a page. The author marks
where a page begins with ``{pb=12}`` anywhere in running text (``{pb=xii}`` for
front matter), or on its own line before a paragraph. Each marker becomes a
``PageBreak`` node: an empty ``doc-pagebreak`` element in the page and the
EPUB (``epub:type="pagebreak"`` there), an entry of the EPUB's ``page-list``
navigation, and a short announcement in the narration ("Page 12.") that media
overlays mark as skippable.

Markers are found in the text after markdown-it has parsed it, so a marker in
code (```` `{pb=1}` ````) stays code; a malformed one (``{pb=}``, ``{pb=a b}``)
stays text with a warning (P001).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.diagnostics import Diagnostic, diagnostic
from pipeline.document import rewrite
from pipeline.document.model import (
    Document,
    Inline,
    PageBreak,
    Text,
    per_document,
    walk_inlines,
)

#: A page label as printed: digits, roman numerals, letters, "12a", "A-3".
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,18}[A-Za-z0-9])?\Z")
#: Anything that looks like a marker; ``LABEL`` decides whether it is a usable one.
MARKER = re.compile(r"\{pb=([^{}\n]*)\}")

#: ``(line, col)`` of a marker's text in the source, found from a search offset.
Locate = Callable[[str], tuple[int, int]]
Report = Callable[[str, str, int, int], None]


def page_id(label: str) -> str:
    """The element id for a page label (``page-12``, ``page-xii``)."""
    return f"page-{label}"


def split(nodes: list[Inline], locate: Locate | None, report: Report | None = None) -> list[Inline]:
    """Text nodes with page-break markers cut into text and ``PageBreak`` nodes."""
    if not any(isinstance(n, Text) and "{pb=" in n.text for n in nodes):
        return nodes
    out: list[Inline] = []
    for node in nodes:
        if not isinstance(node, Text) or "{pb=" not in node.text:
            out.append(node)
            continue
        cursor = 0
        for match in MARKER.finditer(node.text):
            label = match.group(1).strip()
            line, col = locate(match.group(0)) if locate else (0, 0)
            if not LABEL.match(label):
                if report is not None:
                    report(
                        "P001",
                        f"page-break marker '{match.group(0)}' has no usable page number"
                        " (expected {pb=12}: letters, digits, '.' or '-'); kept as text",
                        line,
                        col,
                    )
                continue
            if match.start() > cursor:
                out.append(Text(node.text[cursor : match.start()]))
            out.append(PageBreak(label, page_id(label), line, col))
            cursor = match.end()
        if cursor < len(node.text):
            out.append(Text(node.text[cursor:]))
    return out


@per_document
def page_breaks(document: Document) -> tuple[PageBreak, ...]:
    """Every page break in reading order (section text, then notes)."""
    return tuple(n for n in walk_inlines(document) if isinstance(n, PageBreak))


def check_page_breaks(document: Document) -> Document:
    """Give each page break a unique id; report repeated pages (P002) and a missing source
    (P004)."""
    found = page_breaks(document)
    if not found:
        return document
    problems: list[Diagnostic] = []
    seen: dict[str, PageBreak] = {}
    for node in found:
        first = seen.setdefault(node.label, node)
        if first is not node:
            problems.append(
                diagnostic(
                    "P002",
                    f"page {node.label} is marked twice (first on line {first.line});"
                    " both are kept, the page list names it twice",
                    document.path,
                    node.line,
                    node.col,
                )
            )
    if not document.metadata.source:
        problems.append(
            diagnostic(
                "P004",
                "page breaks need the print edition they come from: add"
                " 'source: urn:isbn:...' (or its title) to the front matter",
                document.path,
                found[0].line,
                found[0].col,
            )
        )
    used: set[str] = set()

    def unique(node: Inline) -> Inline:
        if not isinstance(node, PageBreak):
            return node
        ident, n = node.id, 1
        while ident in used:
            n += 1
            ident = f"{node.id}-{n}"
        used.add(ident)
        return replace(node, id=ident)

    rebuilt = rewrite.document(document, inline_fn=unique)
    return replace(rebuilt, diagnostics=rebuilt.diagnostics + tuple(problems))
