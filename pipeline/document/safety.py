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
from pipeline.document.model import (
    Block,
    Document,
    Image,
    Inline,
    Link,
    block_inlines,
    child_blocks,
    inline_children,
    per_document,
    walk_sections,
)


def _deep(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if children := inline_children(node):  # no generator for a node that holds none
            yield from _deep(children)


def _blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if children := tuple(child_blocks(block)):
            yield from _blocks(children)


def _inlines_with_lines(doc: Document) -> Iterator[tuple[Inline, int]]:
    """Every inline with the source line of the block (or heading) that holds it."""
    for section in walk_sections(doc.sections):
        for node in _deep(section.title):
            yield node, section.line
        for block in _blocks(section.blocks):
            line = getattr(block, "line", 0)
            for run in block_inlines(block):
                for node in _deep(run):
                    yield node, line
    for note in doc.footnotes:
        for block in _blocks(note.blocks):
            for run in block_inlines(block):
                for node in _deep(run):
                    yield node, getattr(block, "line", 0) or note.line


def images(doc: Document) -> Iterator[Image]:
    """Every image of the document, notes included."""
    for node, _ in image_lines(doc):
        yield node


@per_document
def image_lines(doc: Document) -> tuple[tuple[Image, int], ...]:
    """Every image of the document with its source line, notes included."""
    return tuple(
        (node, node.line or block_line)
        for node, block_line in _inlines_with_lines(doc)
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
        for node, line in _inlines_with_lines(doc)
        if isinstance(node, Link) and not urls.safe_link(node.href)
    ]
    return _report(doc, found)


def _report(doc: Document, found: list[Diagnostic]) -> Document:
    if not found:
        return doc
    return replace(doc, diagnostics=doc.diagnostics + tuple(found))
