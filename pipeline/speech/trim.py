"""Make an engine's utterance ready to join: its own silence trimmed, its edges faded.

The narration decides the pauses, not the engine, so leading and trailing
silence is cut (keeping ``KEEP`` seconds so no consonant is clipped), and
8 ms fades at both ends make every join start and end at zero: no clicks.
Word timings move with the samples dropped at the start.
"""

from __future__ import annotations

import sys
from array import array

from . import SAMPLE_RATE, Speech

FADE = 0.008
"""Fade-in and fade-out at each utterance edge, in seconds."""
SILENCE_THRESHOLD = 150
"""Samples quieter than this (about −47 dBFS) count as silence when trimming."""
KEEP = 0.015
"""Seconds of an engine's own silence kept at each edge, so consonants are not cut."""


def _bounds(samples: array[int]) -> tuple[int, int] | None:
    """First and one-past-last sample to keep, or ``None`` for silence only."""
    first = next((i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD), None)
    if first is None:
        return None
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_THRESHOLD)
    keep = int(KEEP * SAMPLE_RATE)
    return max(0, first - keep), min(len(samples), last + 1 + keep)


def _fade(samples: array[int]) -> None:
    """Linear fade-in and fade-out in place: a join then starts and ends at zero."""
    length = min(int(FADE * SAMPLE_RATE), len(samples) // 2)
    for i in range(length):
        gain = i / length
        samples[i] = int(samples[i] * gain)
        samples[-1 - i] = int(samples[-1 - i] * gain)


def trim(speech: Speech) -> Speech:
    """The speech without the engine's edge silence, faded in and out."""
    samples = array("h", speech.pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    bounds = _bounds(samples)
    if bounds is None:
        return Speech(b"", ())
    start, end = bounds
    kept = samples[start:end]
    _fade(kept)
    if sys.byteorder == "big":
        kept.byteswap()
    length = len(kept)
    marks = tuple(
        (min(max(round(seconds * SAMPLE_RATE) - start, 0), max(length - 1, 0)) / SAMPLE_RATE, word)
        for seconds, word in speech.marks
    )
    return Speech(kept.tobytes(), marks)
