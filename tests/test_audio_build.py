"""Audio builds end to end on a small document: cover art, reproducibility, the CLI."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from audiotools import ffmpeg_chapters, loudness, offline_audio
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from pipeline.audio.assemble import Segment

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
    out = tmp_path / "out"
    out.mkdir()
    cover = out / "features.cover.png"  # where the EPUB writer's cover generator puts it
    cover.write_bytes(_png())
    result = offline_audio(FEATURES, out, "features", tmp_path / "c")
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


@pytest.mark.parametrize("edited", [False, True])
def test_batches_side_by_side_get_a_core_each_and_a_lone_batch_gets_every_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: bool
) -> None:
    """Encoders that run at once keep an ffmpeg each on its own core; a batch alone (the one
    segment an edit changed) is started on no core in particular, so its MP3 and AAC
    encoders use two; an encoder that runs out of work releases the cores. (On one core
    nothing is pinned.)"""
    import time

    from pipeline.audio import encode, writer
    from pipeline.audio.speech.batch import Synthesis
    from pipeline.build import load
    from pipeline.formats.narration import lexicon_for, narrate, source_path

    document = load(FEATURES)
    lexicon = lexicon_for(document, source_path(document))
    narration = narrate(document, lexicon)
    synthesis = Synthesis(
        [u.text for u in narration.utterances],
        engine_name="pyttsx3",
        voice="gmw/en-US",
        rate=175,
        lexicon=lexicon.digest(),
        cache_dir=tmp_path / "cache",
    )
    calls: list[tuple[int, int | None, bool]] = []
    released: list[bool] = []
    in_flight: list[bool] = []
    encoding_mp3: list[bool] = []
    mux_began_while_encoding: list[bool] = []
    muxed_during_lame: list[bool] = []

    def mux(segments: list[Segment], _: None, stored: Callable[[Segment], None]) -> None:
        mux_began_while_encoding.append(bool(in_flight))
        for segment in segments:  # the M4B takes each segment's frames once stored
            stored(segment)
        muxed_during_lame.append(bool(encoding_mp3))

    class Recording:
        def encode_batch(
            self,
            segments: list[object],
            cache: Path,
            setting: str,
            work: Path,
            core: int | None,
            *,
            split: bool,
            aac_stored: Callable[[], None],
        ) -> None:
            calls.append((len(segments), core, split))
            in_flight.append(True)
            time.sleep(0.3)  # an encode: the other encoder meanwhile takes the next batch
            aac_stored()
            encoding_mp3.append(True)
            time.sleep(0.1)  # LAME, slower than the AAC encoder, still running
            encoding_mp3.pop()
            in_flight.pop()

        def release(self) -> None:
            released.append(True)

        def stop(self) -> None:
            pass

    monkeypatch.setattr(encode, "Runner", Recording)
    monkeypatch.setattr(writer, "BATCH_SECONDS", 3.0)
    monkeypatch.setattr(writer, "BATCH_LEAST", 0.0)
    if edited:  # every segment but the third is cached: an edit
        seen = iter(range(1000))
        monkeypatch.setattr(encode, "cached", lambda *_: next(seen) != 2)
    writer._encode(
        synthesis,
        narration,
        tmp_path,
        "",
        tmp_path,
        meanwhile=lambda: None,
        spoken=mux,
    )
    cores = [core for _, core, _ in calls]
    available = set(os.sched_getaffinity(0))
    if not edited:
        pinned = {c for c in cores if c is not None}
        assert len(calls) > 2 and pinned <= available, calls
        # on two cores: both, each batch side by side with another on a core of its own
        assert len(pinned) >= 2 if len(available) > 1 else not pinned, calls
        assert not any(split for _, core, split in calls if core is not None), calls
        assert mux_began_while_encoding == [True]  # fed as segments are stored
    else:  # alone, its MP3 and AAC in two ffmpeg runs: the M4B is muxed while LAME runs
        assert calls == [(1, None, len(available) > 1)]
        assert muxed_during_lame == [True]
    assert len(released) == len(available)


def test_the_cover_is_drawn_while_the_speech_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audiobook's cover (0.1 s of CPU when not cached) is drawn while the first
    utterances are spoken, when a core is still free, not once everything is spoken."""
    from pipeline.audio import writer
    from pipeline.audio.speech import batch

    spoken: list[Path] = []
    at_cover: list[int] = []
    store, draw = batch.store, writer._book_cover

    def counting_store(path: Path, speech: object) -> None:
        store(path, speech)  # type: ignore[arg-type]
        spoken.append(path)

    def drawing(*args: object) -> Path:
        at_cover.append(len(spoken))
        return draw(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "store", counting_store)
    monkeypatch.setattr(writer, "_book_cover", drawing)
    offline_audio(FEATURES, tmp_path / "out", "features", tmp_path / "cache")
    assert len(at_cover) == 1
    assert at_cover[0] < len(spoken) // 2, (at_cover, len(spoken))
