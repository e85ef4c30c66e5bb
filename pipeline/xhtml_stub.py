"""TEMPORARY stand-in for ``render.Renderer`` until the shared renderer lands.

Same interface, plain markup: headings and each block's plain text. It exists
only so the EPUB packaging can be built and validated meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .model import Block, Document, Inline, Section, block_inlines, plain_text


class Renderer:
    """Minimal renderer with the agreed interface."""

    def __init__(
        self, document: Document, *, href: Callable[[str], str] = lambda t: "#" + t
    ) -> None:
        self.document = document
        self.href = href

    def section(self, section: Section) -> str:
        level = min(section.depth + 1, 6)
        heading = (
            "" if section.implicit else f"<h{level}>{escape(plain_text(section.title))}</h{level}>"
        )
        inner = heading + self.blocks(section.blocks)
        inner += "".join(self.section(s) for s in section.subsections)
        ident = f' id="{section.id}"' if section.id else ""
        return f"<section{ident}>{inner}</section>"

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        out = []
        for block in blocks:
            text = " ".join(plain_text(run) for run in block_inlines(block))
            if text.strip():
                out.append(f"<p>{escape(text)}</p>")
        return "".join(out)

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        return escape(plain_text(inlines))

    def footnotes(self) -> str:
        if not self.document.footnotes:
            return ""
        items = "".join(
            f'<li id="{n.id}">{self.blocks(n.blocks)}</li>' for n in self.document.footnotes
        )
        return f'<section role="doc-endnotes"><h2>Notes</h2><ol>{items}</ol></section>'
