"""Where each element is spoken: the audio writer's timings as text-audio pairs.

Captions, EPUB media overlays and the listen-along page are all built from
the positions measured when the utterances were joined (no forced alignment,
so nothing drifts). The audio writer hands them to the writers after it in
memory (``Recording.timings`` in the build context), parsed from the very text
it writes to ``<stem>.timings.json``, so both say the same; no writer reads
that file back. Times are whole milliseconds
here, so clips tile the audio exactly and durations sum without rounding
error.

A *segment* is a run of consecutive utterances voicing one element (the
sentences of a paragraph, a heading and its entry count); words closing an
element already read (the end of a quotation) join the segment before them. Each segment is
stretched over the pause that follows it, the first from 0 and the last to
the end of the audio, so the segments tile the whole recording: a reading
system or player always has an element to highlight.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.document.model import (
    Block,
    BulletList,
    Document,
    Inline,
    OrderedList,
    PageBreak,
    Paragraph,
    ReferenceList,
    Table,
    block_inlines,
    child_blocks,
    inline_children,
    sentence_runs,
    walk_sections,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One utterance as timed in the audio, in milliseconds."""

    key: str
    """Unique in the narration (``p-1``, ``p-1.2``): the caption's cue identifier."""
    id: str
    """The element voiced (shared by the sentences of one paragraph)."""
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ChapterCue:
    """One chapter of the audio, in milliseconds."""

    id: str
    title: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Timings:
    """The timings of one recording, in milliseconds."""

    cues: tuple[Cue, ...]
    chapters: tuple[ChapterCue, ...]
    duration: int
    engine: str
    voice: str


#: The lists, tables and notes an element is inside, outermost first: ``(structure, id)``.
Chain = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """Consecutive utterances of one element, stretched over the pause after them."""

    target: str
    """Id of the element to highlight (a heading's own id, not its section's)."""
    begin: int
    end: int
    chain: Chain = ()
    """The lists, tables and notes (``list``, ``table``, ``footnote``) the element is in,
    outermost first: each is a ``seq`` a reading system can skip or escape."""
    pagebreak: bool = False
    """The announcement of a print page number (skippable in a reading system)."""

    @property
    def structure(self) -> str:
        """The innermost structure the element belongs to, or ""."""
        return self.chain[-1][0] if self.chain else ""

    @property
    def container(self) -> str:
        """Id of that list, table or note, or ""."""
        return self.chain[-1][1] if self.chain else ""


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def loads(text: str) -> Timings:
    """Parse the timings sidecar's JSON text."""
    data = json.loads(text)
    cues = tuple(
        Cue(u["key"], u["id"], u["kind"], _ms(u["start"]), _ms(u["end"]), u["text"])
        for u in data["utterances"]
    )
    chapters = tuple(
        ChapterCue(c["id"], c["title"], _ms(c["start"]), _ms(c["end"])) for c in data["chapters"]
    )
    return Timings(cues, chapters, _ms(data["duration"]), data["engine"], data["voice"])


def structures(document: Document) -> dict[str, Chain]:
    """For each element id inside lists, tables or notes: those containers, outermost first.

    A list nested in a list item is inside the outer list too, so the overlay's
    ``seq`` for the inner list sits inside the outer one (never splitting it).
    Page breaks are inside whatever holds the text they are in.
    """
    found: dict[str, Chain] = {}
    stack: list[tuple[Block, Chain]] = []
    for section in reversed(tuple(walk_sections(document.sections))):
        stack.extend((block, ()) for block in reversed(section.blocks))
    notes: list[tuple[Block, Chain]] = []
    for note in document.footnotes:
        chain: Chain = (("footnote", note.id),)
        found[note.id] = chain
        notes.extend((block, chain) for block in note.blocks)
    stack[:0] = reversed(notes)
    while stack:
        block, chain = stack.pop()
        ident = getattr(block, "id", "")
        inner = chain
        if isinstance(block, BulletList | OrderedList | ReferenceList | Table) and ident:
            inner = (*chain, ("table" if isinstance(block, Table) else "list", ident))
            if not isinstance(block, ReferenceList):
                found[ident] = inner
        elif ident and chain:
            found[ident] = chain
        if isinstance(block, Paragraph) and chain:
            found.update((sentence, chain) for sentence, _ in sentence_runs(block))
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                if item.id and inner:
                    found[item.id] = inner
                stack.extend((child, inner) for child in reversed(item.blocks))
        else:
            stack.extend((child, inner) for child in reversed(tuple(child_blocks(block))))
        if isinstance(block, ReferenceList):
            found.update({e.id: inner for e in block.entries if e.id and inner})
        elif isinstance(block, Table):
            found.update({row.id: inner for row in block.body if row.id and inner})
        for run in block_inlines(block):
            for node in _deep(run):
                if isinstance(node, PageBreak) and node.id and inner:
                    found[node.id] = inner
    return found


def _deep(run: tuple[Inline, ...]) -> Iterator[Inline]:
    stack = list(reversed(run))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(inline_children(node)))


def heading_targets(document: Document, heading_ids: dict[str, str]) -> dict[str, str]:
    """Section id → the id of its heading element (what is highlighted when it is read)."""
    return {
        s.id: heading_ids[s.id]
        for s in walk_sections(document.sections)
        if s.id in heading_ids and not s.implicit
    }


def segments(
    timings: Timings, document: Document, heading_ids: dict[str, str]
) -> tuple[Segment, ...]:
    """The recording cut into element segments that tile it from 0 to its end."""
    headings = heading_targets(document, heading_ids)
    inside = structures(document)
    pages = {cue.id for cue in timings.cues if cue.kind == "pagebreak"}
    runs: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for cue in timings.cues:
        target = headings.get(cue.id, cue.id) if cue.kind == "heading" else cue.id
        # A return to an element already read ("End of quotation." after the quoted
        # paragraphs) joins the run before it: targets must stay in document order.
        if runs and (runs[-1][0] == target or target in seen):
            runs[-1] = (runs[-1][0], runs[-1][1], cue.end)
        else:
            runs.append((target, cue.start, cue.end))
            seen.add(target)
    out: list[Segment] = []
    for index, (target, _, _) in enumerate(runs):
        begin = 0 if index == 0 else runs[index][1]
        end = runs[index + 1][1] if index + 1 < len(runs) else timings.duration
        out.append(Segment(target, begin, end, inside.get(target, ()), target in pages))
    return tuple(out)
