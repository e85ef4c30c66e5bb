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
from dataclasses import dataclass

from pipeline.document.model import (
    BulletList,
    Document,
    OrderedList,
    ReferenceList,
    Table,
    walk_blocks,
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


@dataclass(frozen=True, slots=True)
class Segment:
    """Consecutive utterances of one element, stretched over the pause after them."""

    target: str
    """Id of the element to highlight (a heading's own id, not its section's)."""
    begin: int
    end: int
    structure: str = ""
    """``list``, ``table`` or ``footnote`` when the element belongs to one (skippable or
    escapable in a reading system), else ""."""
    container: str = ""
    """Id of that list, table or note."""


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


def structures(document: Document) -> dict[str, tuple[str, str]]:
    """For each element id inside a list, table or note: (structure, container id)."""
    found: dict[str, tuple[str, str]] = {}
    for note in document.footnotes:
        found[note.id] = ("footnote", note.id)
    for block in walk_blocks(document):
        if isinstance(block, BulletList | OrderedList) and block.id:
            found[block.id] = ("list", block.id)
            found.update({item.id: ("list", block.id) for item in block.items if item.id})
        elif isinstance(block, ReferenceList) and block.id:
            found.update({e.id: ("list", block.id) for e in block.entries if e.id})
        elif isinstance(block, Table) and block.id:
            found[block.id] = ("table", block.id)
            found.update({row.id: ("table", block.id) for row in block.body if row.id})
    return found


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
        structure, container = inside.get(target, ("", ""))
        out.append(Segment(target, begin, end, structure, container))
    return tuple(out)
