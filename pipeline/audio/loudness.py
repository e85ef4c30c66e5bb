"""Loudness: measure with ffmpeg's ``ebur128``; the chain that levels a segment.

espeak-ng speech has a high peak-to-loudness ratio (the article: −21.2 LUFS
with peaks at −1.3 dBTP, 20 dB apart; −18 LUFS under −3 dBTP allows 15), so
a plain gain would clip. Each segment (see ``assemble``) goes through: a
gain that puts it at a fixed level (from its own measurement, so segments
do not depend on each other), a gentle compressor (4:1 above −18 dBFS, 3 ms
attack), a fixed make-up gain, and a limiter run at four times the sample
rate (so it limits true peaks). The make-up gain was calibrated once on the
article (MP3 −18.2, M4B −17.9 LUFS); ``loudnorm``'s dynamic mode was tried
earlier and left the article at −18.9 LUFS, too close to the ±1 LU tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET_LUFS = -18.0
LIMIT_DBTP = -7.0
"""Limiter ceiling, 4 dB under the −3 dBTP requirement: encoding the MP3 at 96 kbit/s
raised the article's true peak by 2.5 dB (AAC by 1.5)."""


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


COMPRESSOR_INPUT_LUFS = -13.0
"""Level a segment is brought to before the compressor, so it acts alike on any engine."""
COMPRESSOR = "acompressor=threshold=0.125:ratio=4:attack=3:release=60:knee=4"
MAKEUP_DB = 7.0
"""Gain after the compressor: the compressor and limiter take a near-constant amount off
speech that enters at a fixed level, so a fixed gain lands near −18 LUFS (the MP3 0.3 LU
under the M4B); tests measure the article and the fixtures."""


def pre_gain(measured_lufs: float) -> float:
    """Gain (dB) that brings a segment measured at ``measured_lufs`` to the compressor's input
    level; a segment too short or quiet to measure is left as it is."""
    if measured_lufs < -70:
        return 0.0
    return max(-20.0, min(30.0, COMPRESSOR_INPUT_LUFS - measured_lufs))


def chain(pre_db: float, sample_rate: int = 22050) -> str:
    """Level, compressor, make-up gain, then a true-peak limiter (at 4x the rate)."""
    limit = 10 ** (LIMIT_DBTP / 20)
    return (
        f"volume={pre_db:.2f}dB,{COMPRESSOR},"
        f"volume={MAKEUP_DB:.2f}dB,aresample={sample_rate * 4},"
        f"alimiter=limit={limit:.4f}:attack=1:release=40:level=false:latency=1,"
        f"aresample={sample_rate}"
    )
