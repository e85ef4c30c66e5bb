"""The MP3 encoder's true-peak guard: an overshooting encode is redone through a limiter."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

from audiotools import decode, loudness

from pipeline.audio import mp3


def test_overshoot_is_limited_and_timing_kept(tmp_path: Path) -> None:
    rate = 22050
    head = [0] * rate  # 1 s of silence, as the joined audio has
    # a 300 Hz square wave at −4 dBFS: MP3's band limit makes it ring well above that
    square = [20000 if (n // 37) % 2 else -20000 for n in range(3 * rate)]
    source = tmp_path / "square.wav"
    with wave.open(str(source), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack(f"<{len(head) + len(square)}h", *head, *square))
    plain = tmp_path / "plain.mp3"
    mp3.encode(source, plain)
    assert loudness(plain).true_peak > mp3.MAX_TRUE_PEAK  # the case the guard is for
    guarded = tmp_path / "guarded.mp3"
    measured = mp3.encode_within_peak(source, guarded)
    assert measured.true_peak <= mp3.MAX_TRUE_PEAK
    assert loudness(guarded) == measured
    samples, got = decode(guarded)
    onset = next(i for i, s in enumerate(samples) if abs(s) > 1000) / got
    assert abs(onset - 1.0) < 0.01  # the limiter pass keeps the audio in step


def test_more_than_255_chapters_use_nested_tables_of_contents(tmp_path: Path) -> None:
    """An ID3 CTOC holds at most 255 entries; a long book must not crash at tagging."""
    from mutagen.id3 import ID3

    from pipeline.audio.assemble import ChapterTiming
    from pipeline.audio.mp3 import tag
    from pipeline.audio.tags import Tags

    target = tmp_path / "long.mp3"
    target.write_bytes(b"")
    chapters = tuple(
        ChapterTiming(title=f"Part {n}", id=f"part-{n}", start=n * 1.0, end=n * 1.0 + 1)
        for n in range(600)
    )
    tags = Tags("Long", "", "Long", "eng", year="", publisher="", description="")
    tag(target, tags, chapters)
    frames = ID3(target)
    assert len(frames.getall("CHAP")) == 600
    tocs = {t.element_id: t for t in frames.getall("CTOC")}
    assert len(tocs["toc"].child_element_ids) == 3
    children = [tocs[c] for c in tocs["toc"].child_element_ids]
    assert [len(c.child_element_ids) for c in children] == [255, 255, 90]
    listed = [chap for c in children for chap in c.child_element_ids]
    assert listed == [f"chp{n}" for n in range(600)]
