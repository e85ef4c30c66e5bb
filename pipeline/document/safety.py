"""Transforms that report what a source asks for but no output will do.

Images need a text alternative (or an explicit ``{.decorative}``) and must be
files inside the source's folder: a manuscript must not be able to pull
``/etc/passwd`` or ``../../secret.png`` into a published page. Links with a
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
    walk_sections,
)


def _deep(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        yield from _deep(inline_children(node))


def _blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from _blocks(tuple(child_blocks(block)))


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
    for node, _ in _inlines_with_lines(doc):
        if isinstance(node, Image):
            yield node


def _image_problem(image: Image, source_dir: str) -> tuple[str, str] | None:
    """(code, message) for an image no output may use, else None."""
    shown = image.src if len(image.src) <= 80 else image.src[:77] + "..."
    if urls.relative_image(image.src) is None:
        return (
            "I002",
            f"image '{shown}' is not a relative path inside the source's folder; "
            "copy the file next to the manuscript and refer to it by a relative path",
        )
    file = urls.image_file(image.src, source_dir)
    if file is None:
        return "I002", f"image '{shown}' resolves outside the source's folder"
    if file.suffix.lower() not in urls.IMAGE_TYPES:
        kinds = ", ".join(sorted(urls.IMAGE_TYPES))
        return "I004", f"image '{shown}' is not a supported type ({kinds})"
    if not file.is_file():
        return "I003", f"image file '{shown}' does not exist"
    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        return "I003", f"image file '{shown}' cannot be read: {exc.strerror or exc}"
    if not urls.sniff_image_type(head):
        return "I004", f"image '{shown}' is not a PNG, JPEG, GIF, WebP or SVG image inside"
    return None


def check_images(doc: Document) -> Document:
    """Report images without alt text and images from outside the source's folder."""
    found: list[Diagnostic] = []
    for node, block_line in _inlines_with_lines(doc):
        if not isinstance(node, Image):
            continue
        line = node.line or block_line
        if not node.alt.strip() and not node.decorative:
            found.append(
                diagnostic(
                    "I001",
                    f"image '{node.src[:80]}' has no alt text; describe it in the brackets, "
                    "or mark it {.decorative} if it adds nothing to the text",
                    doc.path,
                    line,
                )
            )
        problem = _image_problem(node, doc.source_dir)
        if problem is not None:
            found.append(diagnostic(problem[0], problem[1], doc.path, line))
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
