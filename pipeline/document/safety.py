"""Transforms that report what a source asks for but no output will do.

Images need a text alternative (or an explicit ``{.decorative}``); that their
files are inside the source's folder (a manuscript must not be able to pull
``/etc/passwd`` or ``../../secret.png`` into a published page) is checked where
they are read, with the other inputs (``pipeline.document.inputs``). Links with a
scheme that can run code (``javascript:``) or carry content (``data:``) are
written as plain text. Reported here, once, so every writer and ``publish
lint`` agree; the renderer refuses the same things again on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pipeline.diagnostics import Diagnostic, diagnostic
from pipeline.document import urls
from pipeline.document.model import Document, Image, Link, per_document, walk_inlines_with_lines


def images(doc: Document) -> Iterator[Image]:
    """Every image of the document, notes included."""
    for node, _ in image_lines(doc):
        yield node


@per_document
def image_lines(doc: Document) -> tuple[tuple[Image, int], ...]:
    """Every image of the document with its source line, notes included."""
    return tuple(
        (node, node.line or block_line)
        for node, block_line in walk_inlines_with_lines(doc)
        if isinstance(node, Image)
    )


def check_images(doc: Document) -> Document:
    """Report images without alt text (their files are read and checked with the other
    inputs, in ``pipeline.document.inputs``)."""
    found = [
        diagnostic(
            "I001",
            f"image '{node.src[:80]}' has no alt text; describe it in the brackets, "
            "or mark it {.decorative} if it adds nothing to the text",
            doc.path,
            line,
        )
        for node, line in image_lines(doc)
        if not node.alt.strip() and not node.decorative
    ]
    return _report(doc, found)


def check_links(doc: Document) -> Document:
    """Report links whose scheme is refused (``javascript:``, ``data:``, ``file:``...)."""
    found = [
        diagnostic(
            "M003",
            f"link to '{node.href[:80]}' uses a scheme that is not allowed "
            f"(only {', '.join(sorted(urls.SAFE_SCHEMES))} and relative links); "
            "it is shown as text",
            doc.path,
            line,
        )
        for node, line in walk_inlines_with_lines(doc)
        if isinstance(node, Link) and not urls.safe_link(node.href)
    ]
    return _report(doc, found)


def _report(doc: Document, found: list[Diagnostic]) -> Document:
    if not found:
        return doc
    return replace(doc, diagnostics=doc.diagnostics + tuple(found))
