"""Join utterances into one WAV file, streaming, with pauses and click-free joins.

Each cached utterance is read, its leading and trailing silence trimmed (the
narration decides pauses, not the engine), given 8 ms fades at both ends so
no join clicks, and appended with the pause the script asks for. Only one
utterance is in memory at a time: a book's audio never is. The sample
position of every utterance is recorded: chapters, captions and media
overlays are built from these timings.
"""

from __future__ import annotations

import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..narration import Narration
from ..speech import SAMPLE_RATE, cache

HEAD_SILENCE = 0.75
"""Seconds of silence before the first word (0.5–1 s asked)."""
TAIL_SILENCE = 2.0
"""Seconds of silence after the last word (1–5 s asked)."""
FADE = 0.008
"""Fade-in and fade-out at each utterance edge, in seconds."""
SILENCE_THRESHOLD = 150
"""Samples quieter than this (about −47 dBFS) count as silence when trimming."""
KEEP = 0.015
"""Seconds of an engine's own silence kept at each edge, so consonants are not cut."""
CHAPTER_LEAD = 0.5
"""A chapter starts this long before its heading is spoken (less if the pause is shorter)."""


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


def _trim(samples: array[int]) -> tuple[array[int], int]:
    """Drop the engine's leading and trailing silence, keeping ``KEEP`` seconds.

    Returns the samples kept and how many were dropped at the start.
    """
    first = next((i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD), None)
    if first is None:
        return array("h"), 0
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_THRESHOLD)
    keep = int(KEEP * SAMPLE_RATE)
    start = max(0, first - keep)
    return samples[start : min(len(samples), last + 1 + keep)], start


def _fade(samples: array[int]) -> None:
    """Linear fade-in and fade-out in place: a join then starts and ends at zero."""
    length = min(int(FADE * SAMPLE_RATE), len(samples) // 2)
    for i in range(length):
        gain = i / length
        samples[i] = int(samples[i] * gain)
        samples[-1 - i] = int(samples[-1 - i] * gain)


def _read(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as wav:
        data = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data


def _words(path: Path, start: int, dropped: int, length: int) -> tuple[tuple[float, str], ...]:
    """An entry's word timings moved to where its kept samples landed in the whole."""
    placed = []
    for seconds, word in cache.words(path):
        at = min(max(round(seconds * SAMPLE_RATE) - dropped, 0), max(length - 1, 0))
        placed.append((round((start + at) / SAMPLE_RATE, 3), word))
    return tuple(placed)


def _silence(seconds: float) -> bytes:
    return bytes(2 * round(seconds * SAMPLE_RATE))


def assemble(narration: Narration, segments: Sequence[Path], target: Path) -> Timeline:
    """Write the whole narration to ``target`` (16-bit mono WAV) and return its timings."""
    timings: list[Timing] = []
    position = 0  # in samples
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)

        def write(data: bytes) -> None:
            nonlocal position
            out.writeframes(data)
            position += len(data) // 2

        write(_silence(HEAD_SILENCE))
        for utterance, path in zip(narration.utterances, segments, strict=True):
            samples, dropped = _trim(_read(path))
            _fade(samples)
            if sys.byteorder == "big":
                samples.byteswap()
            start = position
            write(samples.tobytes())
            timings.append(
                Timing(
                    utterance.key,
                    utterance.id,
                    utterance.kind,
                    utterance.chapter,
                    round(start / SAMPLE_RATE, 3),
                    round(position / SAMPLE_RATE, 3),
                    utterance.text,
                    _words(path, start, dropped, len(samples)),
                )
            )
            write(_silence(utterance.pause))
        # The last pause is part of the tail: replace it by the tail silence.
        last_pause = narration.utterances[-1].pause if narration.utterances else 0.0
        write(_silence(max(0.0, TAIL_SILENCE - last_pause)))
    duration = round(position / SAMPLE_RATE, 3)
    return Timeline(tuple(timings), _chapters(narration, timings, duration), duration)


def _chapters(
    narration: Narration, timings: list[Timing], duration: float
) -> tuple[ChapterTiming, ...]:
    starts: list[float] = []
    for index in range(len(narration.chapters)):
        first = next((i for i, t in enumerate(timings) if t.chapter == index), None)
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
