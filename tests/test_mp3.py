"""Encoded segments: exact frame counts, joins in step with the timeline; MP3 chapter tables."""

from __future__ import annotations

from pathlib import Path

from audiotools import decode, loudness
from test_assemble import _entry, _narration

from pipeline.audio import encode
from pipeline.audio.assemble import plan, timeline
from pipeline.speech import SAMPLE_RATE
from pipeline.speech.trim import KEEP


def test_segments_join_frame_exact_and_in_step(tmp_path: Path) -> None:
    """Each segment is encoded alone; joined, both files decode to the timeline's samples."""
    entry = _entry(tmp_path, "tone", 1.0)
    narration = _narration([0.8, 2.0, 0.8, 0.5])
    segments = plan(narration, [entry] * 4)
    assert len(segments) == 4
    cache, work = tmp_path / "cache", tmp_path / "work"
    work.mkdir()
    setting = encode.settings()
    encode.Runner().encode_batch(segments, cache, setting, work)
    assert all(encode.cached(cache, s, setting) for s in segments)
    laid = timeline(narration, segments)
    for index, suffix in ((0, ".mp3"), (1, ".aac")):
        joined = tmp_path / f"joined{suffix}"
        parts = [encode.paths(cache, s, setting)[index] for s in segments]
        joined.write_bytes(b"".join(part.read_bytes() for part in parts))
        data = joined.read_bytes()
        frames = (encode.mp3_frames if suffix == ".mp3" else encode.aac_frames)(data)
        size = encode.MP3_FRAME if suffix == ".mp3" else encode.AAC_FRAME
        assert (len(frames) - 1) * size == sum(s.length for s in segments)
        samples, rate = decode(joined)
        assert rate == SAMPLE_RATE
        assert abs(len(samples) - sum(s.length for s in segments)) <= size
        for timing in laid.utterances:  # every tone starts where the timeline says
            at = round(timing.start * rate)
            window = samples[at - 2000 : at + 2000]
            onset = next(i for i, v in enumerate(window) if abs(v) > 1000) - 2000
            # the entry starts with KEEP seconds of the engine's silence, then the tone
            assert abs(onset - KEEP * rate) < 0.003 * rate, (suffix, timing.key, onset)
        measured = loudness(joined)
        assert measured.true_peak <= -3.0, (suffix, measured)


def test_frame_readers_refuse_what_is_not_frames() -> None:
    import pytest

    with pytest.raises(ValueError, match="no MP3 frame"):
        encode.mp3_frames(b"ID3\x03\x00")
    with pytest.raises(ValueError, match="no ADTS frame"):
        encode.aac_frames(b"\x00" * 8)


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
