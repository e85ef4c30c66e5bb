"""Loudness: ITU-R BS.1770 measurement in numpy, and reading ffmpeg's ``ebur128`` summary.

The build measures each segment itself (``Blocks``, ``integrated``) rather
than asking ffmpeg: one ffmpeg run per batch then only encodes. A segment is
analysed once into short blocks (``BLOCK`` samples, about 1 ms): their mean
square, their peak, and their K-weighted mean square. K-weighting is applied
in the frequency domain, one 100 ms hop at a time (an FFT per hop): the
ratio of weighted to plain power of each hop scales the plain power of its
blocks. A gain nearly constant across a block can then be measured
without touching the samples again: the weighted power of ``gain * x`` in a
block is ``gain² ×`` the block's weighted power. Gating follows BS.1770-4:
400 ms blocks every 100 ms, an absolute gate at −70 LUFS, a relative gate
10 LU under the ungated level. Tested against ffmpeg's ``ebur128``: within
0.1 LU, the one decimal it prints.
``publish check`` and the tests still measure the written files with ffmpeg.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from pipeline.audio.speech import SAMPLE_RATE

TARGET_LUFS = -18.0
HOP = SAMPLE_RATE // 10
"""Samples per 100 ms: the step of BS.1770's gating blocks."""
BLOCK = 21
"""Samples per analysis block (about 1 ms); ``HOP`` is a whole number of them."""
PER_HOP = HOP // BLOCK
GATE = 4 * PER_HOP
"""Blocks per 400 ms gating block."""
ABSOLUTE_GATE = -70.0

Floats = NDArray[np.float64]


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
    integrated_ = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated_ or not peak:
        raise ValueError("no ebur128 summary in ffmpeg's output")
    return Loudness(float(integrated_.group(1)), float(peak.group(1)))


Coefficients = tuple[float, float, float]


def _biquad(b: Coefficients, a: Coefficients, w: Floats) -> NDArray[np.complex128]:
    """Frequency response of a biquad at angular frequencies ``w`` (radians per sample)."""
    z1 = np.exp(-1j * w)
    z2 = z1 * z1
    return (b[0] + b[1] * z1 + b[2] * z2) / (a[0] + a[1] * z1 + a[2] * z2)  # type: ignore[no-any-return]


@cache
def k_weights(size: int, rate: int = SAMPLE_RATE) -> NDArray[np.float32]:
    """|H|² of BS.1770's K-weighting (high shelf, then high-pass) at the bins of an
    ``size``-point real FFT; coefficients from the analog prototypes, as libebur128 does."""
    w = 2 * np.pi * np.arange(size // 2 + 1) / size
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = _biquad(
        ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
        (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0),
        w,
    )
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    d = 1 + k / q + k * k
    high_pass = _biquad((1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / d, (1 - k / q + k * k) / d), w)
    return np.square(np.abs(shelf * high_pass)).astype(np.float32)


CHUNK = 100 * HOP
"""Samples converted to floats at a time (10 s): memory stays flat however long a segment."""


class Blocks:
    """A segment's 16-bit samples analysed into ``BLOCK``-sample blocks (the last one padded
    with silence), ``CHUNK`` samples at a time."""

    __slots__ = ("k_power", "length", "peak", "power")

    def __init__(self, samples: NDArray[np.int16]) -> None:
        self.length = len(samples)
        powers, peaks, ratios = [], [], []
        for start in range(0, self.length, CHUNK):
            power, peak, ratio = _analyse(samples, start, min(self.length, start + CHUNK))
            powers.append(power)
            peaks.append(peak)
            ratios.append(ratio)
        self.power: Floats = np.concatenate(powers) if powers else np.zeros(0)
        """Mean square of each block (full scale 1)."""
        self.peak: Floats = np.concatenate(peaks) if peaks else np.zeros(0)
        """Largest absolute value of each block, its samples and the points halfway between
        them (full scale 1): close to the true peak, which MP3 and AAC decoders reproduce."""
        hops = np.concatenate(ratios) if ratios else np.zeros(0)
        if len(hops) == 0:  # shorter than 100 ms: no weighting
            hops = np.ones(1)
        hop_of_block = np.minimum(np.arange(len(self.power)) // PER_HOP, len(hops) - 1)
        self.k_power: Floats = self.power * hops[hop_of_block]
        """K-weighted mean square of each block: its power times the K-weighted over plain
        power of its 100 ms hop (of the last whole hop, for a partial one at the end)."""


HALFWAY = (0.6124, -0.1466, 0.0393, -0.0035)
"""Taps of a Hann-windowed sinc at ±0.5, ±1.5, ±2.5, ±3.5 samples: the value halfway between
two samples. Speech at 22,050 Hz reaches near Nyquist, and its peaks between samples stood
up to 2 dB above the samples themselves."""


def _analyse(samples: NDArray[np.int16], start: int, stop: int) -> tuple[Floats, Floats, Floats]:
    """Block powers and peaks of ``samples[start:stop]``, and the weighted-to-plain power
    ratio of each of its whole hops (1 where silent)."""
    reach = len(HALFWAY)
    count = -(-(stop - start) // BLOCK)
    size = count * BLOCK
    low, high = max(0, start - reach), min(len(samples), stop + reach)
    audio = np.zeros(size + 2 * reach, dtype=np.float32)  # with neighbours for the halfway points
    at = reach - (start - low)
    np.multiply(samples[low:high], np.float32(1 / 32768), out=audio[at : at + high - low])
    body = audio[reach : reach + size]
    blocks = body.reshape(count, BLOCK)
    power = np.einsum("ij,ij->i", blocks, blocks, dtype=np.float64) / BLOCK
    halfway = np.zeros(size, dtype=np.float32)
    for k, tap in enumerate(HALFWAY):
        before, after = reach - k, reach + 1 + k
        halfway += np.float32(tap) * (audio[before : before + size] + audio[after : after + size])
    np.abs(halfway, out=halfway)
    np.maximum(halfway, np.abs(body), out=halfway)
    peak = halfway.reshape(count, BLOCK).max(axis=1).astype(np.float64)
    hops = (stop - start) // HOP
    spectrum = np.fft.rfft(body[: hops * HOP].reshape(hops, HOP), axis=1)
    square = spectrum.real * spectrum.real + spectrum.imag * spectrum.imag
    weights = k_weights(HOP)
    # HOP is odd: every bin but DC stands for two (its negative frequency too)
    plain = 2 * square.sum(axis=1, dtype=np.float64) - square[:, 0]
    weighted = 2 * (square @ weights).astype(np.float64) - square[:, 0] * weights[0]
    ratio = np.divide(weighted, plain, out=np.ones(hops), where=plain > 0)
    return power, peak, ratio


def integrated(k_power: Floats) -> float:
    """BS.1770 gated integrated loudness (LUFS) from K-weighted block powers; −inf when
    shorter than one gating block or silent."""
    if len(k_power) < GATE:
        return -math.inf
    total = np.concatenate(([0.0], np.cumsum(k_power)))
    starts = np.arange(0, len(k_power) - GATE + 1, PER_HOP)
    power = (total[starts + GATE] - total[starts]) / GATE
    with np.errstate(divide="ignore"):
        level = -0.691 + 10 * np.log10(power)
    audible = level > ABSOLUTE_GATE
    if not audible.any():
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(power[audible].mean())) - 10
    return -0.691 + 10 * math.log10(float(power[audible & (level > relative)].mean()))
