"""Loudness: measure with ffmpeg's ``ebur128``, then reach −18 LUFS under a true-peak ceiling.

espeak-ng speech has a high peak-to-loudness ratio (the article: −21.2 LUFS
with peaks at −1.3 dBTP), so a plain gain to −18 LUFS would clip. The chain
is a gain, then a limiter run at four times the sample rate (so it limits
true peaks, not only sample peaks). Limiting lowers loudness a little, so the
gain is corrected from a second measurement. ``loudnorm``'s dynamic mode was
tried and left the article at −18.9 LUFS: too close to the ±1 LU tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import ffmpeg

TARGET_LUFS = -18.0
LIMIT_DBTP = -4.5
"""Limiter ceiling: 1.5 dB under the −3 dBTP requirement leaves room for MP3/AAC overshoot."""


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


def chain(gain_db: float, sample_rate: int) -> str:
    """Gain, then a true-peak limiter (at 4x the rate), back to ``sample_rate``."""
    limit = 10 ** (LIMIT_DBTP / 20)
    return (
        f"volume={gain_db:.2f}dB,aresample={sample_rate * 4},"
        f"alimiter=limit={limit:.4f}:attack=1:release=40:level=false,"
        f"aresample={sample_rate}"
    )


def normalise(source: Path, target: Path, sample_rate: int) -> Loudness:
    """Write ``source`` at −18 LUFS with true peaks ≤ ``LIMIT_DBTP``; return the result."""
    before = measure(source)
    gain = TARGET_LUFS - before.integrated
    for _ in range(3):  # limiting costs loudness; converge on the target
        after = measure(source, chain(gain, sample_rate))
        if abs(after.integrated - TARGET_LUFS) <= 0.2:
            break
        gain += TARGET_LUFS - after.integrated
    filters = chain(gain, sample_rate)
    ffmpeg.run("-i", str(source), "-af", filters, "-c:a", "pcm_s16le", str(target))
    return measure(target)
