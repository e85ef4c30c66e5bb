"""An interrupted audio build: earlier outputs whole, no temporary files, a sound cache, and
nothing it started left running.

The build under test reports on a pipe what it does (``audiotools.REPORT_FD``): each
utterance it starts to speak and each process it starts. The tests wait on that pipe, not
on the clock, and check the processes the build reported, never any other process.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from audiotools import REPORT_FD, slowed_publish
from conftest import ARTICLE

BUILD = [sys.executable, "-m", "pipeline", "build"]
WAIT = 120.0
"""Seconds a test waits for a report or an exit before it fails (not a synchronisation)."""


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat: with the pid, it names one process for good."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


@dataclass
class Reported:
    """What the build reported: utterances started, and the processes it started (kept as
    pidfds, which become readable when the process ends)."""

    speaking: int = 0
    started: dict[str, list[int]] = field(default_factory=dict)
    """pidfds by kind (``helper``, ``ffmpeg``) of the started processes still to be checked."""

    def take(self, line: str) -> None:
        words = line.split()
        if words[0] == "speaking":
            self.speaking = int(words[1])
            return
        pid, kind = int(words[1]), words[2]
        known = _start_time(pid)
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:  # ended and reaped already
            return
        if known is None or _start_time(pid) != known:  # not the process reported: it ended
            os.close(handle)
            return
        self.started.setdefault(kind, []).append(handle)

    def still_running(self, kind: str, wait: float = 0.0) -> int:
        """How many of the reported processes of ``kind`` have not ended within ``wait``
        seconds."""
        running = self.started.pop(kind, [])
        deadline = time.monotonic() + wait
        try:
            while running:
                left = max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select(running, [], [], left)
                if not ready:
                    break
                for fd in ready:
                    os.close(fd)
                    running.remove(fd)
            return len(running)
        finally:
            for fd in running:
                os.close(fd)


class ReportingBuild:
    """``publish`` with the engine slowed to ``slow`` seconds per utterance, in its own process
    group (as a terminal job would be), reporting what it does on a pipe."""

    def __init__(self, args: list[str], env: dict[str, str], slow: float) -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-c", slowed_publish(slow), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **env, REPORT_FD: str(write_end)},
            pass_fds=(write_end,),
            start_new_session=True,
        )
        os.close(write_end)  # the build holds the only write end: its exit ends the reports
        self.lines = os.fdopen(read_end, encoding="utf-8")
        self.reported = Reported()

    def until(self, reached: Callable[[Reported], bool]) -> bool:
        """Read reports until ``reached`` holds (True) or the build has ended (False)."""
        while not reached(self.reported):
            ready, _, _ = select.select([self.lines], [], [], WAIT)
            assert ready, "the build reported nothing for too long"
            line = self.lines.readline()
            if not line:
                return False
            self.reported.take(line)
        return True

    def finish(self) -> tuple[int, str]:
        """Read the reports to the end; the build's exit status and standard error."""
        self.until(lambda _: False)
        _, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, err

    def __enter__(self) -> ReportingBuild:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self.lines.close()


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.wav")) if cache.exists() else []


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT to the process group"])
def test_interrupted_synthesis_leaves_outputs_and_cache_sound(tmp_path: Path, how: str) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    earlier = {"article.mp3": b"earlier mp3", "article.html": b"earlier page"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    env = {"PUBLISH_SPEECH_CACHE": str(cache)}
    args = ["build", str(ARTICLE), "--out", str(out), "--formats", "audio"]
    with ReportingBuild(args, env, slow=0.4) as build:
        # three utterances stored, most still to speak
        assert build.until(lambda reported: reported.speaking > 3), "the build ended first"
        if how == "SIGTERM":
            build.process.send_signal(signal.SIGTERM)
        else:
            os.killpg(build.process.pid, signal.SIGINT)
        status, err = build.finish()
    assert status == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert build.reported.still_running("ffmpeg") == 0  # stopped before the build's exit
    assert build.reported.still_running("helper", wait=10) == 0  # its input closed: it exits
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # nothing new, nothing torn
    finished = _entries(cache)
    assert 3 <= len(finished) < 30
    leftovers = {p.suffix for p in cache.rglob("*") if p.is_file()}
    assert leftovers <= {".wav", ".json", ".mp3", ".aac", ".sum"}  # entries, segments, sums
    for entry in finished:  # every entry left behind is a complete WAV
        with wave.open(str(entry)) as wav:
            assert wav.getnframes() > 0

    made = {entry: entry.stat().st_mtime_ns for entry in finished}
    rebuilt = subprocess.run(
        [*BUILD, str(ARTICLE), "--out", str(out), "--formats", "audio"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=600,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (out / "article.mp3").read_bytes() != earlier["article.mp3"]
    assert {entry: entry.stat().st_mtime_ns for entry in finished} == made  # reused, not redone
    assert len(_entries(cache)) > len(finished)


def test_ctrl_c_while_speaking_and_encoding_is_quiet_and_clean(tmp_path: Path) -> None:
    """Ctrl-C while espeak-ng's helper speaks and ffmpeg encodes (each in processes of its
    own; ffmpeg in a process group of its own, which the terminal's Ctrl-C does not reach):
    the build stops with no traceback and stops every process it started."""
    body = "".join(f"Paragraph {n} tells of case {n * 7} in its own words.\n\n" for n in range(400))
    source = tmp_path / "long.md"  # every utterance unique: synthesis is still going on
    source.write_text("---\ntitle: Long\nlang: en\nidentifier: x\n---\n" + body, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["build", str(source), "--out", str(out), "--formats", "audio"]
    with ReportingBuild(args, {"PUBLISH_SPEECH_CACHE": str(cache)}, slow=0.02) as build:
        assert build.until(lambda reported: {"ffmpeg", "helper"} <= set(reported.started))
        assert build.reported.speaking < 300  # an encoder runs, most speech is still to come
        os.killpg(build.process.pid, signal.SIGINT)
        status, err = build.finish()
    assert status == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("publish: interrupted")
    assert not out.exists() or not list(out.iterdir())
    assert build.reported.still_running("ffmpeg") == 0, "an encoder outlived the build"
    assert build.reported.still_running("helper", wait=10) == 0, "the speech helper too"
    for entry in _entries(cache):
        with wave.open(str(entry)) as wav:
            assert wav.getnframes() > 0
    assert not list(cache.rglob("*.part"))
