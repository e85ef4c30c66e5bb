"""Reading audio back for tests: chapters, loudness, samples (all through real tools)."""

from __future__ import annotations

import re
import subprocess
from array import array
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio import ffmpeg
from pipeline.audio.loudness import Loudness, parse_ebur128
from pipeline.audio.writer import AudioResult


@dataclass(frozen=True)
class ReadChapter:
    title: str
    start: float
    end: float


def ffmpeg_chapters(path: Path) -> list[ReadChapter]:
    """Chapters as ffmpeg reads them (what players built on it see), by start time."""
    done = subprocess.run(
        [ffmpeg.exe(), "-hide_banner", "-nostdin", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    chapters = []
    for block in done.stdout.split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        num, den = (int(x) for x in fields["TIMEBASE"].split("/"))
        chapters.append(
            ReadChapter(
                fields.get("title", ""),
                int(fields["START"]) * num / den,
                int(fields["END"]) * num / den,
            )
        )
    return sorted(chapters, key=lambda c: c.start)


def offline_audio(source: Path, out: Path, stem: str, cache: Path) -> AudioResult:
    """The audio of ``source`` as the tests build it: offline engine, default rate."""
    from pipeline.audio.writer import build_audio
    from pipeline.build import load

    return build_audio(load(source), out, stem, engine_name="pyttsx3", rate=175, cache_dir=cache)


def loudness(path: Path) -> Loudness:
    """Integrated loudness and true peak with ffmpeg's ebur128 filter."""
    log = ffmpeg.run(
        "-i", str(path), "-filter_complex", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"
    )
    return parse_ebur128(log)


def decode(path: Path, start: float = 0.0, end: float | None = None) -> tuple[array[int], int]:
    """Decoded mono 16-bit samples (of a stretch) and the file's own sample rate."""
    rate = sample_rate(path)
    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    command += ["-i", str(path), "-ss", f"{start:.3f}"]
    if end is not None:
        command += ["-to", f"{end:.3f}"]
    command += ["-ac", "1", "-f", "s16le", "-"]
    done = subprocess.run(command, capture_output=True, check=True)
    return array("h", done.stdout), rate


def sample_rate(path: Path) -> int:
    done = subprocess.run(
        [ffmpeg.exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Audio: .*?, (\d+) Hz", done.stderr)
    assert found, done.stderr
    return int(found.group(1))


def silence_at_ends(samples: array[int], rate: int, threshold: int = 100) -> tuple[float, float]:
    """Seconds of near-silence (|sample| <= threshold, about −50 dBFS) at head and tail."""
    first = next(i for i, s in enumerate(samples) if abs(s) > threshold)
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold)
    return first / rate, (len(samples) - 1 - last) / rate


def rms(samples: array[int]) -> float:
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


REPORT_FD = "PUBLISH_TEST_REPORT_FD"
"""With this variable set to a file descriptor, ``slowed_publish`` reports what the build does
on it, one line each: ``speaking <n>`` as it starts its n-th utterance, and
``started <pid> <helper|ffmpeg|...>`` for every process it starts."""


def slowed_publish(seconds: float) -> str:
    """Python code (for ``python -c``) that runs ``publish`` with the offline engine slowed to
    ``seconds`` per utterance, so a signal surely lands while speech is being synthesised (in
    the build's own process, so the slowed engine is the one used; cache keys are the real
    engine's), and reports on ``REPORT_FD`` if it is set. Arguments after the code are
    ``publish``'s."""
    return f"""
import os, subprocess, sys, threading, time
from pipeline.audio import speech
fd = os.environ.get({REPORT_FD!r})
stream = os.fdopen(int(fd), "w", buffering=1) if fd else None
lock = threading.Lock()
def report(line):
    if stream:
        with lock:
            stream.write(line + "\\n")
spoken = [0]
real_factory = speech.ENGINES["pyttsx3"]
class Slow:
    def __init__(self):
        self.real = real_factory()
    name = "pyttsx3"
    def voices(self):
        return self.real.voices()
    def prepare(self):
        return self.real.prepare()
    def synthesise(self, text, voice, rate):
        spoken[0] += 1
        report(f"speaking {{spoken[0]}}")  # the utterances before this one are stored
        time.sleep({seconds!r})
        return self.real.synthesise(text, voice, rate)
speech.ENGINES["pyttsx3"] = Slow
class Reporting(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        super().__init__(args, *rest, **options)
        kind = "helper" if any("speech.zygote" in str(a) for a in args) else "ffmpeg"
        if kind == "helper" or "ffmpeg" in os.path.basename(str(args[0])):
            report(f"started {{self.pid}} {{kind}}")
if stream:
    subprocess.Popen = Reporting
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""
