"""Extended descriptions: a ``::: description`` block right after a figure.

A chart or a complex picture needs more than its alt text. The author writes the
long description as ordinary Markdown in a fenced block after the figure::

    ![Bar chart of cases per year](cases.png "Cases reported, 2010-2020")

    ::: description
    Cases rose from 12 in 2010 to 48 in 2020, fastest after 2016.
    :::

It becomes the figure's ``description`` in the model; the renderer writes it as a
``<details>`` element the image points to with ``aria-details``, and the narration
reads it after the figure. A description with no figure before it is reported
(D001) and kept as ordinary text, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.diagnostics import Diagnostic, diagnostic
from pipeline.document.model import Block, Figure


@dataclass(frozen=True, slots=True)
class Description:
    """A ``::: description`` block while parsing, before it joins its figure."""

    blocks: tuple[Block, ...]
    line: int = 0


def attach(blocks: list[Block | Description], path: str) -> tuple[list[Block], list[Diagnostic]]:
    """Each description joined to the figure right before it; the others reported."""
    out: list[Block] = []
    found: list[Diagnostic] = []
    after_figure = False  # the previous block is a figure (a description may follow it)
    for block in blocks:
        if not isinstance(block, Description):
            out.append(block)
            after_figure = isinstance(block, Figure)
            continue
        if not block.blocks:
            found.append(diagnostic("D003", "the description block is empty", path, block.line))
            continue
        figure = out[-1] if out and after_figure else None
        if not isinstance(figure, Figure):
            found.append(
                diagnostic(
                    "D001",
                    "a description block must follow a figure (an image alone in its "
                    "paragraph); it is shown as ordinary text",
                    path,
                    block.line,
                )
            )
            out.extend(block.blocks)
            after_figure = False
            continue
        if figure.description:
            found.append(
                diagnostic(
                    "D002",
                    "the figure already has a description; this one is added to it",
                    path,
                    block.line,
                )
            )
        out[-1] = replace(figure, description=figure.description + block.blocks)
    return out, found
