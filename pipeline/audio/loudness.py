"""Loudness: measure with ffmpeg's ``ebur128``, then reach −18 LUFS under a true-peak ceiling.

espeak-ng speech has a high peak-to-loudness ratio (the article: −21.2 LUFS
with peaks at −1.3 dBTP, 20 dB apart; −18 LUFS under −3 dBTP allows 15), so
a plain gain would clip. The chain: a gain that puts the speech at a fixed
level, a gentle compressor (4:1 above −18 dBFS, 3 ms attack) that brings the
ratio to about 15 dB, a make-up gain, and a limiter run at four times the
sample rate (so it limits true peaks) for what is left (about 1.5 dB; without
the compressor the limiter took 9 dB off the peaks). The make-up gain is
found by measuring (secant steps). ``loudnorm``'s dynamic mode was tried and
left the article at −18.9 LUFS: too close to the ±1 LU tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import ffmpeg

TARGET_LUFS = -18.0
AIM_LUFS = -17.8
"""What the joined WAV is brought to: MP3 encoding measured 0.4 LU quieter than its
source at any bitrate (AAC 0 to 0.1), so aiming 0.2 LU high centres both files."""
TOLERANCE = 0.15
LIMIT_DBTP = -6.0
"""Limiter ceiling, 3 dB under the −3 dBTP requirement: MP3 encoding raises true peaks
(see ``mp3.BITRATE_KBPS``); the MP3 is measured and re-encoded if it still overshoots."""


@dataclass(frozen=True, slots=True)
class Loudness:
    """An EBU R 128 measurement."""

    integrated: float
    """Integrated loudness, LUFS."""
    true_peak: float
    """Maximum true peak, dBTP."""


def parse_ebur128(log: str) -> Loudness:
    """Read the summary ffmpeg's ``ebur128`` filter prints at the end."""
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        raise ValueError("no ebur128 summary in ffmpeg's output")
    return Loudness(float(integrated.group(1)), float(peak.group(1)))


def measure(path: Path, chain: str = "") -> Loudness:
    """Loudness of an audio file (after an optional filter chain)."""
    graph = (
        f"{chain},ebur128=peak=true:framelog=quiet" if chain else "ebur128=peak=true:framelog=quiet"
    )
    return parse_ebur128(ffmpeg.run("-i", str(path), "-filter_complex", graph, "-f", "null", "-"))


COMPRESSOR_INPUT_LUFS = -13.0
"""Level the speech is brought to before the compressor, so it acts alike on any engine."""
COMPRESSOR = "acompressor=threshold=0.125:ratio=4:attack=3:release=60:knee=4"


def chain(pre_db: float, gain_db: float, sample_rate: int) -> str:
    """Level, compressor, make-up gain, then a true-peak limiter (at 4x the rate)."""
    limit = 10 ** (LIMIT_DBTP / 20)
    return (
        f"volume={pre_db:.2f}dB,{COMPRESSOR},"
        f"volume={gain_db:.2f}dB,aresample={sample_rate * 4},"
        f"alimiter=limit={limit:.4f}:attack=1:release=40:level=false,"
        f"aresample={sample_rate}"
    )


def normalise(source: Path, target: Path, sample_rate: int) -> Loudness:
    """Write ``source`` at ``AIM_LUFS`` with true peaks ≤ ``LIMIT_DBTP``; return the result."""
    before = measure(source)
    pre = COMPRESSOR_INPUT_LUFS - before.integrated
    gain, slope = AIM_LUFS - COMPRESSOR_INPUT_LUFS + 9.0, 1.0  # the compressor takes ~9 LU
    previous: tuple[float, float] | None = None
    for _ in range(4):  # limiting costs loudness; converge on the aim (secant steps)
        after = measure(source, chain(pre, gain, sample_rate)).integrated
        if abs(after - AIM_LUFS) <= TOLERANCE:
            break
        if previous is not None and gain != previous[0]:
            slope = min(1.0, max(0.2, (after - previous[1]) / (gain - previous[0])))
        previous = (gain, after)
        gain += (AIM_LUFS - after) / slope
    # write and measure the result in one pass
    measured = "[m]ebur128=peak=true:framelog=quiet[mo]"
    graph = f"[0:a]{chain(pre, gain, sample_rate)},asplit=2[out][m];{measured}"
    log = ffmpeg.run(
        "-i", str(source), "-filter_complex", graph,
        "-map", "[out]", "-c:a", "pcm_s16le", str(target),
        "-map", "[mo]", "-f", "null", "-",
    )  # fmt: skip
    return parse_ebur128(log)
