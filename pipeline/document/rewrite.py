"""Rebuilding a frozen document with some nodes replaced.

Transforms are pure: they return a new ``Document``. These helpers walk the
tree in reading order (the same order as ``model.walk_blocks``) and rebuild
only the containers, so a transform states just what it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pipeline.document.model import (
    Block,
    BlockQuote,
    BulletList,
    DefinitionList,
    Document,
    Emphasis,
    Figure,
    Footnote,
    Inline,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    ReferenceList,
    Section,
    Span,
    Strikethrough,
    Strong,
    Table,
    TableRow,
)

InlineFn = Callable[[Inline], Inline]
BlockFn = Callable[[Block], Block]


def inlines(nodes: tuple[Inline, ...], fn: InlineFn) -> tuple[Inline, ...]:
    """Apply ``fn`` to every inline, children before their parent."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Emphasis | Strong | Strikethrough | Link | Span):
            out.append(fn(replace(node, children=inlines(node.children, fn))))
        else:
            out.append(fn(node))
    return tuple(out)


def _item(item: ListItem, block_fn: BlockFn, inline_fn: InlineFn) -> ListItem:
    return replace(item, blocks=blocks(item.blocks, block_fn, inline_fn))


def _cells(row: TableRow, inline_fn: InlineFn) -> TableRow:
    cells = tuple(replace(c, children=inlines(c.children, inline_fn)) for c in row.cells)
    return replace(row, cells=cells)


def block(node: Block, block_fn: BlockFn, inline_fn: InlineFn) -> Block:
    """Rebuild one block: its inlines, then its nested blocks, then ``block_fn`` on it.

    ``block_fn`` sees the container before its children (pre-order), as
    ``walk_blocks`` does, so counters assigned in it follow reading order.
    """
    node = block_fn(node)
    if isinstance(node, Paragraph):
        return replace(node, children=inlines(node.children, inline_fn))
    if isinstance(node, BulletList | OrderedList):
        return replace(node, items=tuple(_item(i, block_fn, inline_fn) for i in node.items))
    if isinstance(node, BlockQuote):
        return replace(node, blocks=blocks(node.blocks, block_fn, inline_fn))
    if isinstance(node, Table):
        return replace(
            node,
            caption=inlines(node.caption, inline_fn),
            head=tuple(_cells(r, inline_fn) for r in node.head),
            body=tuple(_cells(r, inline_fn) for r in node.body),
        )
    if isinstance(node, Figure):
        image = inline_fn(node.image)
        return replace(
            node,
            image=image if isinstance(image, type(node.image)) else node.image,
            caption=inlines(node.caption, inline_fn),
            description=blocks(node.description, block_fn, inline_fn),
        )
    if isinstance(node, DefinitionList):
        return replace(
            node,
            items=tuple(
                replace(
                    d,
                    term=inlines(d.term, inline_fn),
                    definitions=tuple(blocks(b, block_fn, inline_fn) for b in d.definitions),
                )
                for d in node.items
            ),
        )
    if isinstance(node, ReferenceList):
        return replace(
            node,
            entries=tuple(
                replace(e, children=inlines(e.children, inline_fn)) for e in node.entries
            ),
        )
    return node


def blocks(nodes: tuple[Block, ...], block_fn: BlockFn, inline_fn: InlineFn) -> tuple[Block, ...]:
    """Rebuild a run of blocks."""
    return tuple(block(b, block_fn, inline_fn) for b in nodes)


def document(
    doc: Document,
    *,
    block_fn: BlockFn | None = None,
    inline_fn: InlineFn | None = None,
    section_fn: Callable[[Section], Section] | None = None,
    footnote_fn: Callable[[Footnote], Footnote] | None = None,
) -> Document:
    """Rebuild a whole document in reading order (sections, then footnotes)."""
    bf: BlockFn = block_fn or (lambda b: b)
    inf: InlineFn = inline_fn or (lambda i: i)
    sf = section_fn or (lambda s: s)
    ff = footnote_fn or (lambda f: f)

    def section(node: Section) -> Section:
        node = sf(node)
        title = inlines(node.title, inf)
        body = blocks(node.blocks, bf, inf)
        subsections = tuple(section(s) for s in node.subsections)
        return replace(node, title=title, blocks=body, subsections=subsections)

    sections = tuple(section(s) for s in doc.sections)
    notes = tuple(
        replace(n, blocks=blocks(n.blocks, bf, inf)) for n in (ff(n) for n in doc.footnotes)
    )
    return replace(doc, sections=sections, footnotes=notes)
