"""Where each sentence of running text begins: the unit a reader sees highlighted.

Reading systems highlight what the narration is reading, element by element
(EPUB media overlays; the listen-along page does the same). A paragraph is too
coarse: a listener who looks back at the page finds a block of ten lines. So
the paragraphs of running text (in sections, quotations and figure
descriptions) are cut into sentences here, once, in the model:
``Paragraph.sentences`` holds the child indices where sentences begin, and
``model.sentence_runs`` names them ``p-4-s1``, ``p-4-s2``... The renderer wraps
each in a ``<span>`` with that id; the narration reads each on its own and
voices it by that id, so every utterance points at the text it says, with no
alignment after the fact.

The written text is cut with the same segmenter and abbreviation rules the
narration uses (``spoken.split_sentences``: sentencex plus each language's
abbreviations), so ``Dr. K. Mensah`` stays one sentence on the page as in the
audio. A cut falls only between inlines or inside plain text: a sentence end
inside emphasis, a link or a citation is not cut (its two sentences are one
target), so no element is ever split in two. Lists, tables, notes and
definitions keep one target per item, row, note or term, as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from pipeline.document.model import (
    Block,
    BlockQuote,
    Document,
    Figure,
    FootnoteRef,
    Inline,
    LineBreak,
    PageBreak,
    Paragraph,
    RawHtml,
    Section,
    SoftBreak,
    Text,
    plain_text,
    sentence_runs,
    walk_sections,
)
from pipeline.formats import spoken

#: Text with no sentence end followed by more text is one sentence: the segmenter is
#: not asked (most paragraphs of a long book's notes and most short ones).
_MAYBE_MORE = re.compile(r"[.!?…][\"'”»)\]]*\s+\S")


def mark_sentences(doc: Document) -> Document:
    """Cut the paragraphs of running text into sentences (``Paragraph.sentences``)."""
    taken = {s.id for s in walk_sections(doc.sections)} | {n.id for n in doc.footnotes}
    lang = doc.metadata.lang
    return replace(doc, sections=tuple(_section(s, lang, taken) for s in doc.sections))


# Module functions, not closures of ``mark_sentences``: nested functions that call each
# other are a reference cycle, which keeps ``taken`` alive until the cyclic collector runs.
def _section(node: Section, lang: str, taken: set[str]) -> Section:
    return replace(
        node,
        blocks=_blocks(node.blocks, lang, taken),
        subsections=tuple(_section(s, lang, taken) for s in node.subsections),
    )


def _blocks(nodes: tuple[Block, ...], lang: str, taken: set[str]) -> tuple[Block, ...]:
    return tuple(_block(node, lang, taken) for node in nodes)


def _block(node: Block, lang: str, taken: set[str]) -> Block:
    if isinstance(node, Paragraph):
        return _marked(node, node.lang or lang, taken)
    if isinstance(node, BlockQuote):
        return replace(node, blocks=_blocks(node.blocks, node.lang or lang, taken))
    if isinstance(node, Figure) and node.description:
        return replace(node, description=_blocks(node.description, lang, taken))
    return node


def _shown(node: Inline) -> str:
    """What ``node`` contributes to the text the segmenter reads."""
    if isinstance(node, Text):
        return node.text
    if isinstance(node, SoftBreak | LineBreak | RawHtml):
        return " "  # ``<br>`` written as HTML ends a line too
    if isinstance(node, FootnoteRef | PageBreak):
        return ""
    return plain_text((node,))


def _marked(paragraph: Paragraph, lang: str, taken: set[str]) -> Paragraph:
    if not paragraph.id or paragraph.sentences:
        return paragraph
    shown = [_shown(node) for node in paragraph.children]
    text = "".join(shown)
    if not _MAYBE_MORE.search(text):
        return paragraph
    found = spoken.split_sentences(text, lang)
    if len(found) < 2:
        return paragraph
    starts = _starts(text, found)
    if starts is None:  # the segmenter changed the text: keep the paragraph whole
        return paragraph
    children, cuts = _cut(paragraph.children, shown, starts)
    if not cuts:
        return paragraph
    marked = replace(paragraph, children=children, sentences=cuts)
    if any(ident in taken for ident, _ in sentence_runs(marked)):
        return paragraph  # an author's heading slug is already "p-4-s2": keep it theirs
    return marked


def _starts(text: str, found: list[str]) -> list[int] | None:
    """The offsets in ``text`` where the second, third... sentence begins.

    The segmenter keeps every character but the spaces between sentences, so the
    sentence k begins at the first non-space character after as many non-space
    characters as the sentences before it hold.
    """
    visible = [at for at, char in enumerate(text) if not char.isspace()]
    counts = [sum(not c.isspace() for c in sentence) for sentence in found]
    if sum(counts) != len(visible):
        return None
    starts: list[int] = []
    before = 0
    for count in counts[:-1]:
        before += count
        starts.append(visible[before])
    return starts


def _cut(
    children: tuple[Inline, ...], shown: list[str], starts: list[int]
) -> tuple[tuple[Inline, ...], tuple[int, ...]]:
    """``children`` with text nodes split where a sentence begins inside them, and the
    indices (into the result) where each later sentence begins. A start inside any
    other inline (emphasis, a link, a citation) is dropped: that element stays whole.
    A note reference or page break right after a sentence's end stays with it."""
    offsets: list[int] = []
    at = 0
    for piece in shown:
        offsets.append(at)
        at += len(piece)
    cut_at: dict[int, list[int]] = {}
    for start in starts:  # each start is a visible character, so inside a non-empty piece
        index = bisect_right(offsets, start) - 1
        within = start - offsets[index]
        if within == 0 or isinstance(children[index], Text):
            cut_at.setdefault(index, []).append(within)
    out: list[Inline] = []
    cuts: list[int] = []
    for index, node in enumerate(children):
        withins = sorted(set(cut_at.get(index, ())))
        if isinstance(node, Text) and withins:
            done = 0
            for within in withins:
                if within > done:
                    out.append(Text(node.text[done:within]))
                cuts.append(len(out))
                done = within
            out.append(Text(node.text[done:]))
            continue
        if withins:
            cuts.append(len(out))
        out.append(node)
    return tuple(out), tuple(sorted({c for c in cuts if 0 < c < len(out)}))
