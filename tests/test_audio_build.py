"""Audio builds end to end on a small document: cover art, reproducibility, the CLI."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from audiotools import ffmpeg_chapters, loudness, offline_audio
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "tests" / "fixtures" / "narration" / "features.md"
FRENCH = ROOT / "tests" / "fixtures" / "narration" / "french.md"


def _png(width: int = 4, height: int = 4) -> bytes:
    """A tiny valid PNG (grey square)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_feature_fixture_audio_has_a_chapter_per_section_and_cover(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(FEATURES.parent, source)
    cover = source / "features.cover.png"  # the author's own cover, beside the source
    cover.write_bytes(_png())
    result = offline_audio(source / FEATURES.name, tmp_path / "out", "features", tmp_path / "c")
    titles = [
        "Listening to Numbers",
        "Method and materials",
        "A list and its steps",
        "References",
        "About the publisher",
    ]
    mp3, m4b = result.paths[0], result.paths[1]
    assert [c.title for c in ffmpeg_chapters(mp3)] == titles
    assert [c.title for c in ffmpeg_chapters(m4b)] == titles
    id3 = ID3(mp3, translate=False)  # as stored: ID3v2.3 frames (TYER, not TDRC)
    assert id3.version[:2] == (2, 3)
    assert id3.getall("APIC")[0].data == cover.read_bytes()
    assert str(id3["TYER"]) == "2024"
    assert str(id3["TPE1"]) == "Ada Lovelace, Charles Babbage"
    assert str(id3["TALB"]) == "Listening to Numbers: A feature-rich fixture for narration"
    tags = MP4(m4b).tags
    assert tags is not None
    assert bytes(tags["covr"][0]) == cover.read_bytes()
    assert result.voice == "gmw/en"  # en-GB document, British voice


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(
        "---\ntitle: Twice\nlang: fr\nidentifier: urn:uuid:00000000-0000-4000-8000-0000000000aa\n"
        "---\n\nUne phrase, p. ex. celle-ci.\n\n## Fin\n\nC'est tout.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"

    def build() -> dict[str, bytes]:
        offline_audio(source, out, "doc", tmp_path)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first = build()
    assert build() == first
    assert sorted(first) == [
        "doc.chapters.vtt",
        "doc.m4b",
        "doc.mp3",
        "doc.narration.txt",
        "doc.timings.json",
        "doc.vtt",
    ]


def test_bytes_do_not_depend_on_what_the_process_built_before(tmp_path: Path) -> None:
    """A build after other builds in the same process (a warm helper, other voices spoken)
    writes the same audio as a cold build in a fresh process."""
    offline_audio(FRENCH, tmp_path / "fr", "french", tmp_path / "c1")
    warm = offline_audio(FEATURES, tmp_path / "warm", "features", tmp_path / "c2")
    script = (
        "import sys; from pathlib import Path; from pipeline.audio.writer import build_audio; "
        "from pipeline.build import load; "
        "build_audio(load(sys.argv[1]), Path(sys.argv[2]), 'features', engine_name='pyttsx3', "
        "rate=175, cache_dir=Path(sys.argv[3]))"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(FEATURES), str(tmp_path / "cold"), str(tmp_path / "c3")],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    for name in ("features.mp3", "features.m4b", "features.timings.json"):
        assert (tmp_path / "cold" / name).read_bytes() == (
            warm.paths[0].parent / name
        ).read_bytes(), name


def test_cli_narration_format_writes_the_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "build",
            str(FEATURES),
            "--out",
            str(tmp_path / "o"),
            "--formats",
            "narration",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    script = (tmp_path / "o" / "features.narration.txt").read_text(encoding="utf-8")
    assert script.startswith("== Chapter 1: Listening to Numbers\n")
    assert not (tmp_path / "o" / "features.mp3").exists()


def test_cli_rejects_unknown_voice_and_rate(tmp_path: Path) -> None:
    for extra, message in (
        (["--voice", "nobody"], "has no voice 'nobody'"),
        (["--rate", "20"], "--rate 20 is outside"),
        (["--engine", "nope"], "unknown speech engine 'nope'"),
    ):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "build",
                str(FEATURES),
                "--out",
                str(tmp_path / "o"),
                "--formats",
                "audio",
                *extra,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 2
        assert message in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("source", [FEATURES, FRENCH], ids=["features", "french"])
def test_every_voice_lands_on_the_loudness_target(tmp_path: Path, source: Path) -> None:
    """Levelling is measured per segment, not calibrated on one voice: the French voice
    (peakier than the English one) came out at −19.3 LUFS with a fixed make-up gain."""
    out = tmp_path / "out"
    result = offline_audio(source, out, source.stem, tmp_path / "c")
    for path in result.paths[:2]:
        measured = loudness(path)
        assert -18.8 <= measured.integrated <= -17.2, (path.name, measured)
        assert measured.true_peak <= -3.5, (path.name, measured)  # -3 asked; a margin


def test_a_failing_encoder_is_one_line_and_leaves_outputs_alone(tmp_path: Path) -> None:
    """ffmpeg failing on a batch stops the build at once: one message, no traceback,
    earlier outputs untouched, no half-made segment in the cache."""
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Invalid data found when processing input' >&2\nexit 1\n")
    fake.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.mp3").write_bytes(b"earlier")
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: Broken\nlang: en\n---\n\nOne.\n\nTwo.\n", encoding="utf-8")
    env = {
        **os.environ,
        "PUBLISH_FFMPEG": str(fake),
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)]
    done = subprocess.run(
        [*command, "--formats", "audio"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "publish: error: ffmpeg could not encode the audio: "
        "Invalid data found when processing input"
    )
    assert sorted(p.name for p in out.iterdir()) == ["doc.mp3"]
    assert (out / "doc.mp3").read_bytes() == b"earlier"
    assert not list((tmp_path / "cache").rglob("segments/**/*.*"))


def test_an_edit_re_encodes_one_segment_and_matches_a_cold_build(tmp_path: Path) -> None:
    """A sentence edited: one utterance spoken and one segment encoded again, and the files
    are the bytes a build with empty caches makes of the edited source."""
    source = Path(shutil.copytree(FEATURES.parent, tmp_path / "src")) / FEATURES.name
    first = offline_audio(source, tmp_path / "warm", "features", tmp_path / "c1")
    assert first.encoded == first.segments > 2
    text = source.read_text(encoding="utf-8")
    sentence = "After a thematic break, the text continues."
    assert sentence in text
    source.write_text(text.replace(sentence, "After a thematic break, it goes on."), "utf-8")
    again = offline_audio(source, tmp_path / "warm", "features", tmp_path / "c1")
    assert (again.synthesised, again.encoded, again.segments) == (1, 1, first.segments)
    cold = offline_audio(source, tmp_path / "cold", "features", tmp_path / "c2")
    for warm_path, cold_path in zip(again.paths, cold.paths, strict=True):
        assert warm_path.read_bytes() == cold_path.read_bytes(), warm_path.name
