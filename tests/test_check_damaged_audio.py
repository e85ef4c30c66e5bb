"""``publish check``'s audio probe on damaged files: a finding each, never an exception.

The MP3s are made here: six seconds of tone from ffmpeg, ID3 chapters from mutagen, then
damaged (cut in half, chapters moved past the end, emptied, replaced by garbage).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.audio import ffmpeg
from pipeline.check import audio

SECONDS = 6.0


def _tone(path: Path, fmt: str) -> None:
    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}"]
    codec = ["-c:a", "libmp3lame", "-b:a", "64k"] if fmt == "mp3" else ["-c:a", "aac"]
    subprocess.run([*command, *codec, "-f", fmt, str(path)], check=True)


def _chapters(path: Path, spans: list[tuple[float, float]]) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

    tags = ID3()
    ids = [f"ch{i}" for i in range(len(spans))]
    tags.add(
        CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids)
    )
    for ident, (start, end) in zip(ids, spans, strict=True):
        title = TIT2(encoding=3, text=[ident])
        tags.add(
            CHAP(
                element_id=ident,
                start_time=int(start * 1000),
                end_time=int(end * 1000),
                sub_frames=[title],
            )
        )
    tags.save(path)


def _codes(path: Path) -> set[str]:
    return {f.code for f in audio.check_file(str(path), path).findings}


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    path = tmp_path / "book.mp3"
    _tone(path, "mp3")
    return path


def test_a_whole_file_is_neither_truncated_nor_past_its_end(mp3: Path) -> None:
    _chapters(mp3, [(0, 3), (3, SECONDS)])
    codes = _codes(mp3)
    assert not codes & {"AUDIO-TRUNCATED", "AUDIO-CHAPTER-PAST-END", "AUDIO-UNREADABLE"}
    assert "AUDIO-NO-CHAPTERS" not in codes


def test_a_file_cut_in_half_is_truncated(mp3: Path) -> None:
    _chapters(mp3, [(0, 1), (1, SECONDS)])
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2])
    result = audio.check_file("book.mp3", mp3)
    assert "AUDIO-TRUNCATED" in {f.code for f in result.findings}
    assert result.duration < SECONDS - 1


def test_a_chapter_after_the_end_is_found(mp3: Path) -> None:
    _chapters(mp3, [(0, SECONDS), (SECONDS + 4, SECONDS + 5)])
    assert {"AUDIO-CHAPTER-PAST-END", "AUDIO-TRUNCATED"} <= _codes(mp3)


@pytest.mark.parametrize("suffix", [".mp3", ".m4b"])
@pytest.mark.parametrize(
    "content", [b"", b"garbage, not audio " * 50, bytes(4096)], ids=["empty", "text", "zeros"]
)
def test_empty_or_garbage_audio_is_unreadable(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"book{suffix}"
    path.write_bytes(content)
    result = audio.check_file(path.name, path)
    assert [f.code for f in result.findings] == ["AUDIO-UNREADABLE"]
    assert result.duration == 0


def test_an_m4b_cut_short_is_unreadable_or_truncated(tmp_path: Path) -> None:
    path = tmp_path / "book.m4b"
    _tone(path, "ipod")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    codes = _codes(path)
    assert codes & {"AUDIO-UNREADABLE", "AUDIO-TRUNCATED"}, codes


def test_a_damaged_timings_sidecar_is_ignored(mp3: Path) -> None:
    _chapters(mp3, [(0, SECONDS)])
    mp3.with_name("book.timings.json").write_text("{not json", encoding="utf-8")
    result = audio.check_file("book.mp3", mp3)
    assert result.words is None and result.expected_chapters is None


def test_the_probe_is_stopped_at_its_time_limit(mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_CHECK_TIMEOUT", "0.001")
    assert [f.code for f in audio.check_file("book.mp3", mp3).findings] == ["VALIDATOR-TIMEOUT"]
