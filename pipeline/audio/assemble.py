"""Lay the narration out in time: utterances, pauses and segments cut in the pauses.

Cache entries are stored ready to join (trimmed and faded, see
``speech.trim``), so laying them out needs only their lengths. The audio is
cut into *segments* in the longer pauses (paragraphs, sections). Each
segment is encoded on its own and cached by its content, so an edit
re-encodes only the segment it falls in, and segments encode on every core.
Three rules make that work:

- a segment's length is a whole number of ``GRID`` samples, which is both a
  whole number of MP3 frames (576 samples at 22,050 Hz) and of AAC frames
  (1024): encoded segments then join frame by frame, and the MP3 and the
  M4B keep one timeline;
- a segment's content depends only on its own utterances and pauses (a later
  segment starts with ``LEAD`` seconds of silence, and the pause it was cut
  in is rounded to fit the grid, by at most ``GRID / 2`` samples, about
  0.2 s): an edit does not shift the bytes of any other segment;
- a segment starts and ends in silence longer than the encoders' delay and
  their overlap between frames, so the joins are silent too.

The sample position of every utterance is recorded: chapters, captions and
media overlays are built from these timings.
"""

from __future__ import annotations

import hashlib
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.speech import SAMPLE_RATE, cache
from pipeline.formats.narration import Narration

HEAD_SILENCE = 0.75
"""Seconds of silence before the first word (0.5–1 s asked)."""
TAIL_SILENCE = 2.0
"""Seconds of silence after the last word at least (1–5 s asked; up to one grid step more)."""
CHAPTER_LEAD = 0.5
"""A chapter starts this long before its heading is spoken (less if the pause is shorter)."""
GRID = 9216
"""Segment lengths are multiples of this many samples: 16 MP3 frames, 9 AAC frames."""
CUT_PAUSE = 0.8
"""Segments are cut in every pause at least this long (paragraphs and sections)..."""
LONG_SEGMENT_CHARS = 1500
"""...and, once a segment holds this much text (about 90 s of speech), in its next pause of
``SHORT_CUT_PAUSE`` or more (between sentences): the reference list of a 100k-word book was
one 40-minute segment, 400 MB to level and one core encoding it alone at the end."""
SHORT_CUT_PAUSE = 0.3
LEAD = 0.15
"""Seconds of silence a segment after the first starts with (encoder delays are ≤ 0.05 s)."""
TRAIL = 0.15
"""Seconds of silence a cut segment ends with at least."""


def _samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


@dataclass(frozen=True, slots=True)
class Timing:
    """Where an utterance is in the audio, in seconds."""

    key: str
    id: str
    kind: str
    chapter: int
    start: float
    end: float
    text: str
    words: tuple[tuple[float, str], ...] = ()
    """(start in seconds, word) for each word, when the engine reports them."""


@dataclass(frozen=True, slots=True)
class ChapterTiming:
    """Where a chapter is in the audio, in seconds."""

    title: str
    id: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """Timings of every utterance and chapter, and the total length."""

    utterances: tuple[Timing, ...]
    chapters: tuple[ChapterTiming, ...]
    duration: float
    sample_rate: int = SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class Piece:
    """One cached utterance placed in a segment."""

    offset: int
    """Samples from the start of the segment."""
    entry: Path
    frames: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the audio that is encoded (and cached) on its own."""

    utterances: tuple[int, ...]
    """Indices of the narration's utterances it holds."""
    pieces: tuple[Piece, ...]
    length: int
    """In samples: a multiple of ``GRID``."""

    @property
    def key(self) -> str:
        """Content hash: the entries (themselves content hashes), where they are, the length."""
        layout = [self.length, *((p.offset, p.entry.stem, p.frames) for p in self.pieces)]
        return hashlib.sha256(repr(layout).encode("ascii")).hexdigest()

    def chunks(self, pad: int = 0) -> Iterator[bytes]:
        """The segment's samples (16-bit little-endian), then ``pad`` samples of silence."""
        cursor = 0
        for piece in self.pieces:
            if piece.offset > cursor:
                yield bytes(2 * (piece.offset - cursor))
            with wave.open(str(piece.entry), "rb") as wav:
                yield wav.readframes(piece.frames)
            cursor = piece.offset + piece.frames
        yield bytes(2 * (self.length - cursor + pad))


def _round_to_grid(content: int, wanted: int, minimum: int) -> int:
    """The multiple of ``GRID`` nearest ``wanted`` that leaves ``minimum`` after ``content``."""
    length = max(GRID, round(wanted / GRID) * GRID)
    while length < content + minimum:
        length += GRID
    return length


def groups(narration: Narration) -> list[list[int]]:
    """Utterance indices of each segment: cut after every pause of ``CUT_PAUSE`` or more, and
    after a pause of ``SHORT_CUT_PAUSE`` or more once ``LONG_SEGMENT_CHARS`` are reached."""
    found: list[list[int]] = [[]]
    last = len(narration.utterances) - 1
    chars = 0
    for index, utterance in enumerate(narration.utterances):
        found[-1].append(index)
        chars += len(utterance.text)
        long = chars >= LONG_SEGMENT_CHARS and utterance.pause >= SHORT_CUT_PAUSE
        if index < last and (utterance.pause >= CUT_PAUSE or long):
            found.append([])
            chars = 0
    return found


def layout(
    narration: Narration, indices: Sequence[int], entries: Sequence[Path], *, first: bool
) -> Segment:
    """Place a group's cached utterances in a segment of its own."""
    last = not indices or indices[-1] == len(narration.utterances) - 1
    position = _samples(HEAD_SILENCE if first else LEAD)
    pieces: list[Piece] = []
    for number, index in enumerate(indices):
        entry = entries[index]
        frames = cache.frames(entry)
        pieces.append(Piece(position, entry, frames))
        position += frames
        if number < len(indices) - 1:
            position += _samples(narration.utterances[index].pause)
    if last:
        length = _round_to_grid(position, position + _samples(TAIL_SILENCE), _samples(TAIL_SILENCE))
    else:
        pause = narration.utterances[indices[-1]].pause
        wanted = position + _samples(pause - LEAD)
        length = _round_to_grid(position, wanted, _samples(TRAIL))
    return Segment(tuple(indices), tuple(pieces), length)


def plan(narration: Narration, entries: Sequence[Path]) -> list[Segment]:
    """Every segment of the narration, in order (the entries must all exist)."""
    return [
        layout(narration, group, entries, first=number == 0)
        for number, group in enumerate(groups(narration))
    ]


def _words(entry: Path, start: int) -> tuple[tuple[float, str], ...]:
    """An entry's word timings moved to where the entry is in the whole."""
    return tuple((round(start / SAMPLE_RATE + at, 3), word) for at, word in cache.words(entry))


def timeline(narration: Narration, segments: Sequence[Segment]) -> Timeline:
    """Where every utterance and chapter is once the segments are joined in order."""
    timings: list[Timing] = []
    base = 0
    for segment in segments:
        for index, piece in zip(segment.utterances, segment.pieces, strict=True):
            utterance = narration.utterances[index]
            start = base + piece.offset
            timings.append(
                Timing(
                    utterance.key,
                    utterance.id,
                    utterance.kind,
                    utterance.chapter,
                    round(start / SAMPLE_RATE, 3),
                    round((start + piece.frames) / SAMPLE_RATE, 3),
                    utterance.text,
                    _words(piece.entry, start),
                )
            )
        base += segment.length
    duration = round(base / SAMPLE_RATE, 3)
    return Timeline(tuple(timings), _chapters(narration, timings, duration), duration)


def _chapters(
    narration: Narration, timings: list[Timing], duration: float
) -> tuple[ChapterTiming, ...]:
    firsts: dict[int, int] = {}
    for number, timing in enumerate(timings):
        firsts.setdefault(timing.chapter, number)
    starts: list[float] = []
    for index in range(len(narration.chapters)):
        first = firsts.get(index)
        if first is None or not starts:
            starts.append(0.0 if not starts else starts[-1])
            continue
        gap = timings[first].start - timings[first - 1].end if first else timings[first].start
        starts.append(round(timings[first].start - min(CHAPTER_LEAD, gap / 2), 3))
    ends = [*starts[1:], duration]
    return tuple(
        ChapterTiming(chapter.title, chapter.id, start, end)
        for chapter, start, end in zip(narration.chapters, starts, ends, strict=True)
    )
