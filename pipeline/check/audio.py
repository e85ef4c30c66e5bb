"""Audio probes: duration, pace, chapters, loudness, true peak and silence at the ends.

One ffmpeg decode per file measures everything at once (``silencedetect``
then ``ebur128`` in one filter chain, chapters and duration from the same
run), since decoding is the cost. MP3 chapters are read with mutagen as well,
because players look for ID3 ``CTOC`` + ``CHAP`` frames specifically: a file
whose ffmpeg-visible chapters lack a table of contents still fails.

Targets (a podcast/audiobook convention, EBU R 128 S1 style): integrated
loudness −18 LUFS ± 1 LU, true peak at most −3 dBTP, 0.5–1 s of silence at
the head and 1–5 s at the tail. Pace outside 100–220 words per minute is a
warning (too slow or too fast to follow), not a failure.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.loudness import parse_ebur128
from pipeline.check import tools
from pipeline.check.findings import Finding, validator_failed
from pipeline.diagnostics import Severity

TARGET_LUFS = -18.0
LUFS_TOLERANCE = 1.0
MAX_TRUE_PEAK = -3.0
HEAD_SILENCE = (0.5, 1.0)
TAIL_SILENCE = (1.0, 5.0)
PACE_WPM = (100.0, 220.0)
SILENCE_FLOOR = "-50dB"
"""Quieter than this counts as silence (about ±100 in 16-bit samples, as the audio tests use)."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter mark as a player reads it."""

    title: str
    start: float
    """Seconds from the start of the file."""
    end: float = 0.0
    """Where the chapter says it ends (0 when the file does not say)."""


@dataclass(frozen=True, slots=True)
class AudioResult:
    """Everything measured in one audio file, and what is out of range."""

    duration: float
    words: int | None
    """Words spoken (from ``<stem>.timings.json``), when that sidecar is there."""
    words_per_minute: float | None
    chapters: tuple[Chapter, ...]
    expected_chapters: int | None
    """Chapters the narration has (from the timings sidecar), when known."""
    integrated_lufs: float
    true_peak_dbtp: float
    head_silence: float
    tail_silence: float
    findings: tuple[Finding, ...]


def _seconds(text: str) -> float:
    hours, minutes, seconds = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _ffmpeg_chapters(log: str) -> list[Chapter]:
    header = log.split("Stream mapping:", maxsplit=1)[0]
    found = re.finditer(
        r"Chapter #\d+:\d+: start (-?[\d.]+), end ([\d.]+)\n"
        r"(?:\s+Metadata:\n\s+title\s*: (.*)\n)?",
        header,
    )
    return sorted(
        (Chapter((m.group(3) or "").strip(), float(m.group(1)), float(m.group(2))) for m in found),
        key=lambda c: c.start,
    )


def _id3_chapters(path: Path) -> tuple[list[Chapter], bool]:
    """CHAP frames (by start) and whether a CTOC table of contents lists them."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        tags = ID3(path)
    except (MutagenError, ValueError, EOFError):  # no tag, or a damaged one
        return [], False
    chapters = []
    for frame in tags.getall("CHAP"):
        title = frame.sub_frames.get("TIT2")
        name = str(title.text[0]) if title and title.text else ""
        chapters.append(Chapter(name, frame.start_time / 1000, frame.end_time / 1000))
    return sorted(chapters, key=lambda c: c.start), bool(tags.getall("CTOC"))


def _silences(log: str, duration: float) -> tuple[float, float]:
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", log)]
    ends = [float(x) for x in re.findall(r"silence_end: (-?[\d.]+)", log)]
    head = ends[0] if starts and starts[0] <= 0.05 and ends else 0.0
    tail = 0.0
    if starts and (len(ends) < len(starts) or ends[-1] >= duration - 0.05):
        tail = max(0.0, duration - starts[-1])
    return head, tail


def _sidecar(path: Path) -> tuple[int | None, int | None]:
    """Words spoken and chapters narrated, from the writer's ``<stem>.timings.json``."""
    timings = path.with_name(f"{path.stem}.timings.json")
    if not timings.is_file():
        return None, None
    try:
        data = json.loads(timings.read_text(encoding="utf-8"))
        words = sum(len(str(u.get("text", "")).split()) for u in data.get("utterances", []))
        return words, len(data.get("chapters", []))
    except (OSError, ValueError, AttributeError, TypeError):  # damaged: judged without it
        return None, None


def _range(value: float, low: float, high: float) -> bool:
    return low <= value <= high


#: A file that decodes this much shorter than its chapters say is reported as cut short.
TRUNCATION_TOLERANCE = 0.5


def _unmeasured(finding: Finding) -> AudioResult:
    return AudioResult(0.0, None, None, (), None, 0.0, 0.0, 0.0, 0.0, (finding,))


def check_file(name: str, path: Path) -> AudioResult:
    """Measure one MP3 or M4B file (reported as ``name``); a file ffmpeg cannot decode
    (empty, garbage, cut before its first frame) is one ``AUDIO-UNREADABLE`` finding."""
    graph = f"silencedetect=noise={SILENCE_FLOOR}:d=0.2,ebur128=peak=true:framelog=quiet"
    seconds = tools.timeout()
    done = tools.run_limited(
        [
            tools.ffmpeg(),
            "-hide_banner",
            "-nostdin",
            "-i",
            str(path),
            "-af",
            graph,
            "-f",
            "null",
            "-",
        ],
        seconds=seconds,
        address_space_mb=tools.memory_mb(),
    )
    log = done.stderr
    if done.timed_out:
        return _unmeasured(validator_failed(name, "audio", "ffmpeg", True, f"{seconds:g}"))
    decoded = re.findall(r"time=(\d+:\d+:[\d.]+)", log)
    header = re.search(r"Duration: (\d+:\d+:[\d.]+)", log)
    duration = _seconds(decoded[-1] if decoded else header.group(1) if header else "0:0:0")
    if done.returncode != 0 or duration <= 0:
        reason = done.last_line() if done.returncode else "no audio in it"
        return _unmeasured(
            Finding(
                name,
                "audio",
                "AUDIO-UNREADABLE",
                Severity.ERROR,
                f"ffmpeg cannot decode it ({reason}); nothing measured",
            )
        )
    loudness = parse_ebur128(log)
    head, tail = _silences(log, duration)
    words, expected = _sidecar(path)
    wpm = round(words / (duration / 60), 1) if words and duration else None
    findings: list[Finding] = []

    def fail(code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        findings.append(Finding(name, "audio", code, severity, message))

    if path.suffix.lower() == ".mp3":
        chapters, has_toc = _id3_chapters(path)
        if chapters and not has_toc:
            fail("AUDIO-CHAPTER-TOC", "ID3 CHAP frames have no CTOC table of contents")
    else:
        chapters = _ffmpeg_chapters(log)
    declared_end = max((c.end for c in chapters), default=0.0)
    if declared_end > duration + TRUNCATION_TOLERANCE:
        fail(
            "AUDIO-TRUNCATED",
            f"the audio ends at {duration:.2f} s but its chapters run to {declared_end:.2f} s: "
            "the file is cut short",
        )
    past = [c for c in chapters if c.start >= duration]
    if past:
        fail(
            "AUDIO-CHAPTER-PAST-END",
            f"{len(past)} chapter(s) start at or after the end of the audio ({duration:.2f} s), "
            f"first '{past[0].title}' at {past[0].start:.2f} s",
        )
    if not chapters:
        fail("AUDIO-NO-CHAPTERS", "no chapters (players cannot navigate the narration)")
    elif expected is not None and len(chapters) != expected:
        fail("AUDIO-CHAPTER-COUNT", f"{len(chapters)} chapters, but the narration has {expected}")
    if abs(loudness.integrated - TARGET_LUFS) > LUFS_TOLERANCE:
        fail(
            "AUDIO-LOUDNESS",
            f"integrated loudness {loudness.integrated:.1f} LUFS is outside "
            f"{TARGET_LUFS:.0f} ± {LUFS_TOLERANCE:.0f} LU",
        )
    if loudness.true_peak > MAX_TRUE_PEAK:
        fail(
            "AUDIO-TRUE-PEAK",
            f"true peak {loudness.true_peak:.1f} dBTP is above {MAX_TRUE_PEAK:.0f} dBTP",
        )
    if not _range(round(head, 2), *HEAD_SILENCE):
        fail("AUDIO-HEAD-SILENCE", f"{head:.2f} s of silence at the start, not 0.5–1 s")
    if not _range(round(tail, 2), *TAIL_SILENCE):
        fail("AUDIO-TAIL-SILENCE", f"{tail:.2f} s of silence at the end, not 1–5 s")
    if wpm is not None and not _range(wpm, *PACE_WPM):
        fail("AUDIO-PACE", f"{wpm:.0f} words per minute, outside 100–220", Severity.WARNING)
    return AudioResult(
        duration=round(duration, 3),
        words=words,
        words_per_minute=wpm,
        chapters=tuple(chapters),
        expected_chapters=expected,
        integrated_lufs=loudness.integrated,
        true_peak_dbtp=loudness.true_peak,
        head_silence=round(head, 3),
        tail_silence=round(tail, 3),
        findings=tuple(findings),
    )


def ffmpeg_version() -> str:
    """The ffmpeg version string (for the report's list of tools)."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [tools.ffmpeg(), "-hide_banner", "-version"], capture_output=True, text=True, check=False
    )
    first = done.stdout.split("\n", 1)[0].split()
    return first[2] if len(first) > 2 else "unknown"
