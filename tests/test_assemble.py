"""Trimming entries and laying them out in segments: clicks, pauses, grid, independence."""

from __future__ import annotations

import math
import struct
import tracemalloc
import wave
from array import array
from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.audio.assemble import (
    CUT_PAUSE,
    GRID,
    HEAD_SILENCE,
    LEAD,
    LONG_SEGMENT_CHARS,
    TAIL_SILENCE,
    TRAIL,
    Segment,
    groups,
    plan,
    timeline,
)
from pipeline.audio.speech import SAMPLE_RATE, Speech
from pipeline.audio.speech.cache import store
from pipeline.audio.speech.trim import FADE, KEEP, SILENCE_THRESHOLD, trim
from pipeline.formats.narration import Chapter, Narration, Utterance


def _tone(seconds: float, *, silence: float = 0.2) -> bytes:
    """A loud 220 Hz tone that starts and stops abruptly, with engine-like silence around."""
    quiet = [0] * int(silence * SAMPLE_RATE)
    # a phase offset so the tone starts far from zero: a hard cut would click
    tone = [
        int(20000 * math.sin(2 * math.pi * 220 * n / SAMPLE_RATE + 1.3))
        for n in range(int(seconds * SAMPLE_RATE))
    ]
    return struct.pack(f"<{len(quiet) * 2 + len(tone)}h", *quiet, *tone, *quiet)


def _entry(folder: Path, name: str, seconds: float) -> Path:
    path = folder / f"{name}.wav"
    store(path, Speech(_tone(seconds), ((0.2, "tone"),)))
    return path


def _narration(pauses: list[float]) -> Narration:
    items = tuple(
        Utterance(f"utterance {i}", f"p-{i}", "paragraph", pause, 0 if i < len(pauses) // 2 else 1)
        for i, pause in enumerate(pauses)
    )
    return Narration("en", (Chapter("One", "one"), Chapter("Two", "two")), items)


def _samples(data: bytes) -> array[int]:
    return array("h", data)


def test_entries_are_trimmed_and_faded_to_zero(tmp_path: Path) -> None:
    entry = _entry(tmp_path, "tone", 1.0)
    with wave.open(str(entry), "rb") as wav:
        samples = _samples(wav.readframes(wav.getnframes()))
    # the engine's 0.2 s of silence is gone but for KEEP seconds at each edge
    assert abs(len(samples) / SAMPLE_RATE - (1.0 + 2 * KEEP)) < 0.002
    assert samples[0] == 0 and samples[-1] == 0  # joins start and end at zero: no click
    keep = int(KEEP * SAMPLE_RATE)
    assert max(abs(s) for s in samples[:keep]) <= SILENCE_THRESHOLD  # cut in the silence
    assert abs(samples[keep + 1]) > 10000  # the sound itself untouched
    assert max(abs(s) for s in samples[-keep:]) <= SILENCE_THRESHOLD
    assert trim(Speech(bytes(4000))).pcm == b""  # silence only: nothing to say


def _trim_as_before(pcm: bytes) -> bytes:
    """The pure-Python trim the cache's entries were made with (before numpy did it)."""
    samples = array("h", pcm)
    loud = [i for i, s in enumerate(samples) if abs(s) > SILENCE_THRESHOLD]
    if not loud:
        return b""
    keep = int(KEEP * SAMPLE_RATE)
    kept = samples[max(0, loud[0] - keep) : min(len(samples), loud[-1] + 1 + keep)]
    length = min(int(FADE * SAMPLE_RATE), len(kept) // 2)
    for i in range(length):
        kept[i] = int(kept[i] * (i / length))
        kept[-1 - i] = int(kept[-1 - i] * (i / length))
    return kept.tobytes()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-32768, 32767),
            st.integers(-SILENCE_THRESHOLD - 2, SILENCE_THRESHOLD + 2),
        ),
        max_size=1200,
    )
)
def test_trim_keeps_the_bytes_of_existing_cache_entries(samples: list[int]) -> None:
    """Entries are not re-made when trimming moved to numpy: the same samples in, the same
    bytes out (edges, thresholds, -32768, the fades' rounding toward zero)."""
    pcm = array("h", samples).tobytes()
    assert trim(Speech(pcm)).pcm == _trim_as_before(pcm)


def test_word_times_move_with_the_trimmed_start() -> None:
    trimmed = trim(Speech(_tone(1.0), ((0.2, "a"), (0.7, "b"))))
    assert [w for _, w in trimmed.marks] == ["a", "b"]
    assert abs(trimmed.marks[0][0] - KEEP) < 0.001
    assert abs(trimmed.marks[1][0] - (0.5 + KEEP)) < 0.001


def _layout(
    tmp_path: Path, pauses: list[float], seconds: float = 1.0
) -> tuple[Narration, list[Segment]]:
    entry = _entry(tmp_path, "tone", seconds)
    narration = _narration(pauses)
    return narration, plan(narration, [entry] * len(pauses))


def test_pauses_inside_a_segment_are_exact(tmp_path: Path) -> None:
    narration, segments = _layout(tmp_path, [0.5, 0.5, 0.5, 0.5])
    assert len(segments) == 1 and segments[0].length % GRID == 0
    laid = timeline(narration, segments)
    gaps = [round(b.start - a.end, 3) for a, b in pairwise(laid.utterances)]
    assert gaps == [0.5, 0.5, 0.5]
    assert laid.utterances[0].start == HEAD_SILENCE
    tail = laid.duration - laid.utterances[-1].end
    assert TAIL_SILENCE <= tail <= TAIL_SILENCE + GRID / SAMPLE_RATE
    assert [c.title for c in laid.chapters] == ["One", "Two"]
    assert laid.utterances[1].end < laid.chapters[1].start < laid.utterances[2].start
    assert laid.utterances[2].words == ((round(laid.utterances[2].start + KEEP, 3), "tone"),)


def test_segments_are_cut_in_long_pauses_on_the_grid(tmp_path: Path) -> None:
    pauses = [0.35, CUT_PAUSE, 0.35, 2.0, 0.8, 0.5]
    narration, segments = _layout(tmp_path, pauses)
    assert groups(narration) == [[0, 1], [2, 3], [4], [5]]
    assert all(s.length % GRID == 0 for s in segments)
    laid = timeline(narration, segments)
    gaps = [round(b.start - a.end, 3) for a, b in pairwise(laid.utterances)]
    for gap, pause in zip(gaps, pauses, strict=False):
        if pause >= CUT_PAUSE:  # rounded to the grid: off by at most half a step
            assert abs(gap - pause) <= GRID / 2 / SAMPLE_RATE + 0.001
        else:
            assert gap == pause
    for later in segments[1:]:
        assert later.pieces[0].offset == round(LEAD * SAMPLE_RATE)


def test_a_long_paragraph_is_cut_between_sentences(tmp_path: Path) -> None:
    """A list or paragraph with no long pause still makes segments of bounded size (memory,
    and cores sharing the encoding); such a cut pause is rounded to the grid, never below
    the silence both segments keep at their edges."""
    entry = _entry(tmp_path, "tone", 1.0)
    text = "x" * 99
    items = tuple(
        Utterance(f"{text}{i}", f"p-{i}", "paragraph", 0.35, 0) for i in range(100)
    )  # 10,000 characters, one paragraph
    narration = Narration("en", (Chapter("One", "one"),), items)
    found = groups(narration)
    per = -(-LONG_SEGMENT_CHARS // 100)
    assert [len(g) for g in found] == [per] * (100 // per) + ([100 % per] if 100 % per else [])
    laid = timeline(narration, plan(narration, [entry] * 100))
    gaps = [round(b.start - a.end, 3) for a, b in pairwise(laid.utterances)]
    cuts = {len(g) * (n + 1) - 1 for n, g in enumerate(found[:-1])}
    for at, gap in enumerate(gaps):
        if at in cuts:
            assert LEAD + TRAIL - 0.001 <= gap <= 0.35 + GRID / SAMPLE_RATE, (at, gap)
        else:
            assert abs(gap - 0.35) < 0.0015  # start and end are rounded to the millisecond


def test_an_edit_changes_only_its_own_segment(tmp_path: Path) -> None:
    """Segments depend on their own content only: the cache keeps every other one."""
    pauses = [0.8] * 6
    narration = _narration(pauses)
    short, long = _entry(tmp_path, "short", 1.0), _entry(tmp_path, "long", 1.7)
    before = plan(narration, [short] * 6)
    after = plan(narration, [short, short, long, short, short, short])
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.key != b.key]
    assert changed == [2]


def test_segment_audio_is_streamed_and_exact(tmp_path: Path) -> None:
    entry = _entry(tmp_path, "tone", 2.0)
    narration = _narration([0.25] * 300)  # pauses too short to cut in: 11 minutes, 30 MB
    [segment] = plan(narration, [entry] * 300)
    tracemalloc.start()
    size = sum(len(chunk) for chunk in segment.chunks(pad=2048))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size == 2 * (segment.length + 2048)
    assert segment.length / SAMPLE_RATE > 600
    assert peak < 3_000_000, f"peak {peak} bytes"


def test_entries_have_the_header_wave_writes(tmp_path: Path) -> None:
    """Entries are written without ``wave`` (Ctrl-C safety) but read by anything."""
    import io

    from pipeline.audio.speech.cache import frames, wav_header

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(bytes(2000))
    assert buffer.getvalue()[:44] == wav_header(1000)
    entry = _entry(tmp_path, "tone", 0.5)
    with wave.open(str(entry), "rb") as wav:
        assert wav.getnframes() == frames(entry) > 0
