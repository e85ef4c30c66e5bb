"""Finding ffmpeg: the wheel's binary, without running it at every build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.audio import ffmpeg


@pytest.fixture(autouse=True)
def _fresh_lookup() -> object:
    ffmpeg.exe.cache_clear()
    yield None
    ffmpeg.exe.cache_clear()


def test_the_wheels_binary_is_found_without_running_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """imageio-ffmpeg's own lookup runs ``ffmpeg -version``: 35 ms at every audio build."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"ran {args[:1]}")

    monkeypatch.delenv("PUBLISH_FFMPEG", raising=False)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    found = Path(ffmpeg.exe())
    assert found.parent.name == "binaries" and found.name.startswith("ffmpeg-")
    assert found.parent.parent.name == "imageio_ffmpeg"


def test_the_wheels_lookup_is_asked_when_its_binary_is_not_where_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import imageio_ffmpeg

    monkeypatch.delenv("PUBLISH_FFMPEG", raising=False)
    monkeypatch.setattr(ffmpeg, "_bundled", lambda: None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: "/somewhere/else/ffmpeg")
    assert ffmpeg.exe() == "/somewhere/else/ffmpeg"


def test_publish_ffmpeg_names_another_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")
    assert ffmpeg.exe() == "/opt/ffmpeg/bin/ffmpeg"


FAKE = """#!{python}
import json, os, sys, time
time.sleep(float(os.environ.get("FAKE_FFMPEG_SLEEP", "0")))
print(json.dumps(sorted(os.sched_getaffinity(0))), file=sys.stderr)
"""
"""An "ffmpeg" that reports the cores it may run on (after sleeping, if asked)."""


@pytest.fixture
def reporting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake = tmp_path / "ffmpeg"
    fake.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PUBLISH_FFMPEG", str(fake))
    return fake


@pytest.mark.usefixtures("reporting")
def test_a_stream_copy_runs_on_one_core_and_the_build_keeps_its_cores() -> None:
    """The M4B mux hands each packet between two threads: on one core it took half the time."""
    before = os.sched_getaffinity(0)
    pinned = ffmpeg.run("-version", one_core=True)
    free = ffmpeg.run("-version")
    assert len(json.loads(pinned)) == 1
    assert set(json.loads(free)) == before
    assert os.sched_getaffinity(0) == before  # the calling thread has its cores back


@pytest.mark.usefixtures("reporting")
def test_an_encoder_runs_on_its_core_until_released(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches encoding side by side keep a core each; once one encoder has no more work,
    the batch still running (and any started later) may use every core."""
    import threading

    from pipeline.audio.encode import Runner

    every = os.sched_getaffinity(0)
    core = max(every)
    runner = Runner()
    assert json.loads(runner.run([], core)) == [core]
    assert set(json.loads(runner.run([]))) == every
    monkeypatch.setenv("FAKE_FFMPEG_SLEEP", "1.5")
    logs: list[str] = []
    running = threading.Thread(target=lambda: logs.append(runner.run([], core)))
    running.start()
    time.sleep(0.7)  # started, pinned, still sleeping
    runner.release()
    running.join(timeout=30)
    assert set(json.loads(logs[0])) == every  # its threads were given every core back
    monkeypatch.setenv("FAKE_FFMPEG_SLEEP", "0")
    assert set(json.loads(runner.run([], core))) == every  # released: no more pinning
    assert os.sched_getaffinity(0) == every


@pytest.mark.usefixtures("reporting")
def test_a_batch_split_in_two_runs_gives_lame_a_core_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch alone (an edit) encodes its MP3 and AAC in two runs: LAME, the longest, on the
    last core; the AAC encoder on the first, the M4B mux's. They are placed so even once the
    runner is released (the other encoder had nothing to do)."""
    from pipeline.audio import encode

    placed: dict[str, list[int]] = {}

    def recording(*args: object, **kwargs: object) -> None:
        run = args[4]
        run_aac = kwargs["run_aac"]
        assert callable(run) and callable(run_aac) and kwargs["split"]
        placed["mp3"], placed["aac"] = json.loads(run([])), json.loads(run_aac([]))

    monkeypatch.setattr(encode, "encode_batch", recording)
    runner = encode.Runner()
    runner.release()
    runner.encode_batch([], tmp_path, "", tmp_path, split=True)
    every = sorted(os.sched_getaffinity(0))
    mux = json.loads(ffmpeg.run("-version", one_core=True))
    if len(every) > 1:
        assert placed == {"mp3": [every[-1]], "aac": [every[0]]}
        assert mux == placed["aac"]
    else:
        assert placed == {"mp3": every, "aac": every}
