"""An interrupted audio build: earlier outputs whole, no temporary files, a sound cache."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from audiotools import slowed_publish
from conftest import ARTICLE
from support import processes

SLOWED = slowed_publish(0.4)


BUILD = [sys.executable, "-m", "pipeline", "build"]


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain ``text``."""
    return [process.command for process in processes() if text in process.command]


def _helpers_outside(parent: int, wait: float = 5.0) -> list[str]:
    """espeak-ng helper processes (``speech.zygote``) not started by ``parent``, after giving
    them ``wait`` seconds to notice their build is gone."""
    deadline = time.monotonic() + wait
    while True:
        found = [
            process.command
            for process in processes()
            if "pipeline.audio.speech.zygote" in process.command and process.parent != parent
        ]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.wav")) if cache.exists() else []


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT to the process group"])
def test_interrupted_synthesis_leaves_outputs_and_cache_sound(tmp_path: Path, how: str) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    earlier = {"article.mp3": b"earlier mp3", "article.html": b"earlier page"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    env = {**os.environ, "PUBLISH_SPEECH_CACHE": str(cache)}
    command = [sys.executable, "-c", SLOWED, "build", str(ARTICLE), "--out", str(out)]
    build = subprocess.Popen(
        [*command, "--formats", "audio"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal job would be
    )
    deadline = time.monotonic() + 120
    while len(_entries(cache)) < 3:  # some speech is finished, most is not
        assert build.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    if how == "SIGTERM":
        build.send_signal(signal.SIGTERM)
    else:
        os.killpg(build.pid, signal.SIGINT)
    _, err = build.communicate(timeout=60)

    assert build.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # nothing new, nothing torn
    finished = _entries(cache)
    assert 3 <= len(finished) < 30
    leftovers = {p.suffix for p in cache.rglob("*") if p.is_file()}
    assert leftovers <= {".wav", ".json", ".mp3", ".aac"}  # entries and encoded segments only
    for entry in finished:  # every entry left behind is a complete WAV
        with wave.open(str(entry)) as wav:
            assert wav.getnframes() > 0

    made = {entry: entry.stat().st_mtime_ns for entry in finished}
    rebuilt = subprocess.run(
        [*BUILD, str(ARTICLE), "--out", str(out), "--formats", "audio"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (out / "article.mp3").read_bytes() != earlier["article.mp3"]
    assert {entry: entry.stat().st_mtime_ns for entry in finished} == made  # reused, not redone
    assert len(_entries(cache)) > len(finished)


def test_ctrl_c_while_speaking_and_encoding_is_quiet_and_clean(tmp_path: Path) -> None:
    """Ctrl-C while espeak-ng speaks (in this process) and ffmpeg encodes (in others):
    the build stops with no traceback, and no encoder keeps running."""
    body = "".join(f"Paragraph {n} tells of case {n * 7} in its own words.\n\n" for n in range(400))
    source = tmp_path / "long.md"  # every utterance unique: synthesis is still going on
    source.write_text("---\ntitle: Long\nlang: en\nidentifier: x\n---\n" + body, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = {**os.environ, "PUBLISH_SPEECH_CACHE": str(cache)}
    build = subprocess.Popen(
        [*BUILD, str(source), "--out", str(out), "--formats", "audio"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(_entries(cache)) < 3 or not list(out.glob(".long.audio.*/batch.*")):
        assert build.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGINT)  # ffmpeg has a group of its own: the build stops it
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("publish: interrupted")
    assert not out.exists() or not list(out.iterdir())
    assert not _processes_mentioning(str(out))
    assert not _helpers_outside(os.getpid()), "espeak-ng's helper outlived the build"
    for entry in _entries(cache):
        with wave.open(str(entry)) as wav:
            assert wav.getnframes() > 0
    assert not list(cache.rglob("*.part"))
