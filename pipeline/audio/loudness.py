"""Loudness: the chain that levels a segment, and reading ffmpeg's ``ebur128`` summary.

espeak-ng speech has a high peak-to-loudness ratio (the article: −21.2 LUFS
with peaks at −1.3 dBTP, 20 dB apart; −18 LUFS under −3 dBTP allows 15), so
a plain gain would clip. Each segment (see ``assemble``) is measured and
goes through a gain that puts it at a fixed level, a gentle compressor (4:1
above −18 dBFS, 3 ms attack), a make-up gain and a peak limiter; the result
is measured again and a last gain (``encode.level``) brings it to
``AIM_LUFS``, followed by a limiter at ``CEILING_DBFS``. Everything a
segment goes through depends on that segment alone, so segments are cached
independently. Measured (MP3 / M4B): the article −18.1 / −17.8 LUFS, a
feature fixture −18.3 / −17.9, a French one −18.7 / −18.3 (a peakier voice,
held back by the ceiling); true peaks −4.2 to −5.5 dBTP. (``loudnorm``'s
dynamic mode was tried earlier and left the article at −18.9 LUFS, too close
to the ±1 LU tolerance.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET_LUFS = -18.0
AIM_LUFS = -17.7
"""What each levelled segment is brought to: the files measure 0.2–0.5 LU under it (the
MP3 the most), so both land within 0.4 LU of the target."""
CEILING_DBFS = -7.5
"""A limiter after the last gain holds sample peaks here: MP3 encoding at 96 kbit/s adds up
to about 3 dB of true peak, and −3 dBTP is the limit."""
LIMIT_DBFS = -8.0
"""Limiter ceiling (sample peaks, at the native rate: four times oversampling cost twice the
CPU), 5 dB under the −3 dBTP requirement, for the encoders' overshoot."""


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
MAKEUP_DB = 8.8
"""Gain after the compressor, before the limiter: puts English espeak-ng speech near the aim
already, so the last gain (``encode.level``) is small."""


def pre_gain(measured_lufs: float) -> float:
    """Gain (dB) that brings a segment measured at ``measured_lufs`` to the compressor's input
    level; a segment too short or quiet to measure is left as it is."""
    if measured_lufs < -70:
        return 0.0
    return max(-20.0, min(30.0, COMPRESSOR_INPUT_LUFS - measured_lufs))


def chain(pre_db: float) -> str:
    """Level, compressor, make-up gain, then a peak limiter."""
    limit = 10 ** (LIMIT_DBFS / 20)
    return (
        f"volume={pre_db:.2f}dB,{COMPRESSOR},volume={MAKEUP_DB:.2f}dB,"
        f"alimiter=limit={limit:.4f}:attack=1:release=40:level=false:latency=1"
    )
