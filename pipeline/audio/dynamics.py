"""Level a segment: a gain, a compressor and a limiter, computed per block in numpy.

espeak-ng speech has a high peak-to-loudness ratio (the article: −21.2 LUFS
with peaks near −1 dBFS), and MP3 encoding at 96 kbit/s raises true peaks
further, so −18 LUFS under −3 dBTP needs the peaks held down, not just a
gain. Each segment, on its own (so segments cache independently):

1. is measured (``loudness``) and brought to ``COMPRESSOR_INPUT_LUFS``;
2. goes through a syllabic compressor (4:1 above −18 dBFS on ~1 ms RMS,
   the reduction held and ramped over ±30 ms) and ``MAKEUP_DB``;
3. through a look-ahead limiter at ``LIMIT_DBFS``;
4. is measured again and brought to ``AIM_LUFS`` under a limiter at
   ``CEILING_DBFS``, then measured and corrected once more (the limiter
   takes some of the gain back).

Every gain is computed per ``loudness.BLOCK`` samples and interpolated
linearly between block centres. The limiter is a guarantee, not a
tendency: a block's gain is at most ``ceiling / peak`` of it and of both
neighbours (the interpolation reaches half a block either way), and the
required gains are spread by a sliding minimum and a moving average no
wider than it, so no sample is above the ceiling. Peaks include the points
halfway between samples (``loudness.HALFWAY``): limiting the samples alone
left true peaks up to 2 dB higher, and the MP3 at −2.8 dBTP. The gain dips
1 ms before a peak and holds 4 ms after it. About 0.1 s of CPU per 278 s of
speech, where ffmpeg's ``ebur128``, ``acompressor`` and ``alimiter`` took
0.9 s in two more ffmpeg runs per batch. Measured over builds in several
orders (MP3 / M4B): the article −18.0…−18.1 / −17.7 LUFS, the feature
fixture −18.2 / −17.8, the French one −18.3 / −17.9; true peaks −4.1 to
−5.7 dBTP.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from pipeline.audio.loudness import ABSOLUTE_GATE, BLOCK, CHUNK, Blocks, Floats, integrated
from pipeline.audio.speech import SAMPLE_RATE

AIM_LUFS = -17.7
"""What each segment is brought to: the files measure up to 0.4 LU under it (the MP3 the
most, its low-pass takes some of the K-weighted treble), so both land near −18."""
COMPRESSOR_INPUT_LUFS = -13.0
"""Level a segment is brought to before the compressor, so it acts alike on any engine."""
THRESHOLD_DBFS = -18.0
RATIO = 4.0
KNEE_DB = 4.0
COMPRESSOR_RAMP = 0.03
"""Seconds the compressor's reduction is held and ramped either side of a loud block."""
MAKEUP_DB = 11.0
LIMIT_DBFS = -7.0
"""The first limiter, before the last gain."""
CEILING_DBFS = -6.5
"""No sample, nor point halfway between two, exceeds this: the MP3 encoder adds up to about
2.5 dB of true peak (its quantisation noise)."""
LIMITER_ATTACK = 0.001
LIMITER_HOLD = 0.004
GAIN_RANGE_DB = 12.0
"""The last gain stays within ± this (a segment too quiet to level is left quieter)."""

Samples = NDArray[np.int16]


def settings() -> list[object]:
    """Everything that decides the output besides the samples (part of the segment key)."""
    return [
        "dynamics-1",
        AIM_LUFS,
        COMPRESSOR_INPUT_LUFS,
        [THRESHOLD_DBFS, RATIO, KNEE_DB, COMPRESSOR_RAMP, MAKEUP_DB],
        [LIMIT_DBFS, CEILING_DBFS, LIMITER_ATTACK, LIMITER_HOLD, GAIN_RANGE_DB],
        BLOCK,
        np.__version__,
    ]


def _blocks(seconds: float) -> int:
    return max(1, round(seconds * SAMPLE_RATE / BLOCK))


def _sliding(values: Floats, ahead: int, behind: int, op: Callable[..., Floats]) -> Floats:
    """``op`` (``np.maximum`` or ``np.minimum``) of ``values[k]`` for k in
    [i - behind, i + ahead], at each i."""
    result = values.copy()
    for shift in range(1, behind + 1):
        op(result[shift:], values[:-shift], out=result[shift:])
    for shift in range(1, ahead + 1):
        op(result[:-shift], values[shift:], out=result[:-shift])
    return result


def _average(values: Floats, reach: int) -> Floats:
    """Mean of ``values`` over [i - reach, i + reach] (the ends repeated outward)."""
    width = 2 * reach + 1
    padded = np.concatenate((np.full(reach, values[0]), values, np.full(reach, values[-1])))
    total = np.concatenate(([0.0], np.cumsum(padded)))
    return (total[width:] - total[:-width]) / width


def compressor(power: Floats) -> Floats:
    """Gain per block of a compressor fed blocks of mean square ``power``."""
    with np.errstate(divide="ignore"):
        over = 10 * np.log10(power) - THRESHOLD_DBFS
    slope = 1 - 1 / RATIO
    knee = slope * np.square(np.maximum(over + KNEE_DB / 2, 0)) / (2 * KNEE_DB)
    reduction = np.where(over >= KNEE_DB / 2, slope * over, knee)
    reach = _blocks(COMPRESSOR_RAMP)
    held = _sliding(reduction, reach, reach, np.maximum)
    return np.power(10.0, -_average(held, reach) / 20)


def limit(gain: Floats, peak: Floats, ceiling_dbfs: float) -> Floats:
    """``gain`` lowered where needed so that, interpolated, no sample exceeds the ceiling."""
    ceiling = 10 ** (ceiling_dbfs / 20)
    cap = ceiling / np.maximum(peak, 1e-9)
    near = cap.copy()  # a block's gain also reaches half of each neighbour
    np.minimum(near[1:], cap[:-1], out=near[1:])
    np.minimum(near[:-1], cap[1:], out=near[:-1])
    wanted = np.minimum(1.0, near / gain)
    attack = _blocks(LIMITER_ATTACK)
    spread = _sliding(wanted, attack, max(attack, _blocks(LIMITER_HOLD)), np.minimum)
    return gain * np.minimum(_average(spread, attack), 1.0)


def _db(value: float) -> float:
    return float(10 ** (value / 20))


def _clamp(gain_db: float) -> float:
    return max(-GAIN_RANGE_DB, min(GAIN_RANGE_DB, gain_db))


def level(samples: Samples) -> Samples:
    """The segment levelled (see the module docstring); silence comes back as it is."""
    blocks = Blocks(samples)
    measured = integrated(blocks.k_power)
    if measured < ABSOLUTE_GATE:
        return samples
    pre = max(-20.0, min(30.0, COMPRESSOR_INPUT_LUFS - measured))
    gain = compressor(blocks.power * _db(pre) ** 2) * _db(pre + MAKEUP_DB)
    gain = limit(gain, blocks.peak, LIMIT_DBFS)
    last = AIM_LUFS - integrated(blocks.k_power * gain * gain)
    final = limit(gain * _db(_clamp(last)), blocks.peak, CEILING_DBFS)
    last += AIM_LUFS - integrated(blocks.k_power * final * final)  # what the limiter took
    final = limit(gain * _db(_clamp(last)), blocks.peak, CEILING_DBFS)
    return _apply(samples, final)


def _apply(samples: Samples, gain: Floats) -> Samples:
    """Multiply by the block gains interpolated linearly between block centres (each block's
    first half from its left neighbour, its second half towards its right one), a chunk of
    whole blocks at a time, in single precision."""
    half = BLOCK // 2
    offset = (np.arange(BLOCK, dtype=np.float32) - half) / np.float32(BLOCK)
    towards_left = np.minimum(offset, 0)  # (k - centre) / BLOCK before the centre, else 0
    towards_right = np.maximum(offset, 0)
    edged = np.concatenate(([gain[0]], gain, [gain[-1]])).astype(np.float32)
    out = np.empty(len(samples), dtype=np.int16)
    per_chunk = CHUNK // BLOCK
    for first in range(0, len(gain), per_chunk):
        last = min(len(gain), first + per_chunk)
        left, middle, right = (
            edged[first:last],
            edged[first + 1 : last + 1],
            edged[first + 2 : last + 2],
        )
        curve = middle[:, None] + (middle - left)[:, None] * towards_left
        curve += (right - middle)[:, None] * towards_right
        start, stop = first * BLOCK, min(len(samples), last * BLOCK)
        scaled = curve.reshape(-1)[: stop - start] * samples[start:stop]
        np.clip(np.rint(scaled, out=scaled), -32768, 32767, out=scaled)
        out[start:stop] = scaled
    return out
