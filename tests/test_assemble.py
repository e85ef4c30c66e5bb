"""Joining utterances: click-free joins, exact pauses, timings, memory that does not grow."""

from __future__ import annotations

import math
import struct
import tracemalloc
import wave
from array import array
from itertools import pairwise
from pathlib import Path

from pipeline.audio.assemble import FADE, HEAD_SILENCE, TAIL_SILENCE, assemble
from pipeline.narration import Chapter, Narration, Utterance
from pipeline.speech import SAMPLE_RATE


def _segment(path: Path, seconds: float, *, silence: float = 0.2) -> Path:
    """A loud 220 Hz tone that starts and stops abruptly, with engine-like silence around."""
    quiet = [0] * int(silence * SAMPLE_RATE)
    # a phase offset so the tone starts far from zero: a hard cut would click
    tone = [
        int(20000 * math.sin(2 * math.pi * 220 * n / SAMPLE_RATE + 1.3))
        for n in range(int(seconds * SAMPLE_RATE))
    ]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(struct.pack(f"<{len(quiet) * 2 + len(tone)}h", *quiet, *tone, *quiet))
    return path


def _narration(count: int, pause: float = 0.5) -> Narration:
    items = tuple(
        Utterance(f"utterance {i}", f"p-{i}", "paragraph", pause, 0 if i < count // 2 else 1)
        for i in range(count)
    )
    return Narration("en", (Chapter("One", "one"), Chapter("Two", "two")), items)


def _samples(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == SAMPLE_RATE
        return array("h", wav.readframes(wav.getnframes()))


def test_joins_are_faded_and_pauses_exact(tmp_path: Path) -> None:
    segment = _segment(tmp_path / "tone.wav", 1.0)
    narration = _narration(4)
    timeline = assemble(narration, [segment] * 4, tmp_path / "joined.wav")
    samples = _samples(tmp_path / "joined.wav")
    fade = int(FADE * SAMPLE_RATE)
    for timing in timeline.utterances:
        start = round(timing.start * SAMPLE_RATE)
        end = round(timing.end * SAMPLE_RATE)
        assert abs(samples[start]) < 300 and abs(samples[end - 1]) < 300  # starts/ends near zero
        # no step bigger than the tone's own slope anywhere near the join
        window = samples[max(0, start - fade) : start + fade]
        steps = [abs(b - a) for a, b in pairwise(window)]
        assert max(steps) <= 20000 * 2 * math.pi * 220 / SAMPLE_RATE + 50
        # the engine's silence was trimmed: the audio is the tone (1 s) plus a little
        assert 1.0 <= timing.end - timing.start <= 1.05
    gaps = [round(b.start - a.end, 3) for a, b in pairwise(timeline.utterances)]
    assert gaps == [0.5, 0.5, 0.5]
    assert timeline.utterances[0].start == HEAD_SILENCE
    assert round(timeline.duration - timeline.utterances[-1].end, 3) == TAIL_SILENCE
    assert [c.title for c in timeline.chapters] == ["One", "Two"]
    assert timeline.chapters[1].start < timeline.utterances[2].start
    assert timeline.chapters[1].start > timeline.utterances[1].end


def test_memory_does_not_grow_with_length(tmp_path: Path) -> None:
    segment = _segment(tmp_path / "tone.wav", 2.0)
    count = 300  # 300 × 2.7 s: 13 minutes, a 36 MB WAV
    narration = _narration(count)
    tracemalloc.start()
    timeline = assemble(narration, [segment] * count, tmp_path / "joined.wav")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = (tmp_path / "joined.wav").stat().st_size
    assert timeline.duration > 600 and size > 30_000_000
    assert peak < 3_000_000, f"peak {peak} bytes while writing {size} bytes"
