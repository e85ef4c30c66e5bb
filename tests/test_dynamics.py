"""Levelling a segment: the ceiling holds for any input, the level does not depend on the
input's, silence stays silence, memory stays flat."""

from __future__ import annotations

import tracemalloc

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.audio.dynamics import AIM_LUFS, CEILING_DBFS, level
from pipeline.audio.loudness import HALFWAY, Blocks, integrated
from pipeline.audio.speech import SAMPLE_RATE
from pipeline.audio.speech.espeak import Pyttsx3Engine


def _peak(samples: np.ndarray) -> float:
    """Largest sample or halfway point, full scale 1 (what the ceiling bounds)."""
    audio = np.concatenate([np.zeros(4), samples.astype(np.float64), np.zeros(4)]) / 32768
    size = len(samples)
    halfway = sum(
        tap * (audio[4 - k : 4 - k + size] + audio[5 + k : 5 + k + size])
        for k, tap in enumerate(HALFWAY)
    )
    return float(max(np.abs(audio).max(), np.abs(halfway).max()))


def _loudness(samples: np.ndarray) -> float:
    return integrated(Blocks(samples).k_power)


_SPEECH: list[np.ndarray] = []


def _speech() -> np.ndarray:
    if not _SPEECH:
        pcm = (
            Pyttsx3Engine()
            .synthesise(
                "Buyers, the review finds, are ordinary men: employed, married, and forty on "
                "average. Few are caught; fewer still are convicted.",
                "gmw/en-us",
                175,
            )
            .pcm
        )
        _SPEECH.append(np.frombuffer(pcm, dtype=np.int16))
    return _SPEECH[0]


def _scaled(samples: np.ndarray, gain_db: float) -> np.ndarray:
    louder = samples.astype(np.float64) * 10 ** (gain_db / 20)
    return np.clip(np.rint(louder), -32768, 32767).astype(np.int16)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    seconds=st.floats(0.42, 4.0),
    level_db=st.floats(-60.0, 0.0),
    tone_hz=st.floats(60.0, 10_000.0),
    syllables=st.integers(1, 20),
)
def test_no_peak_passes_the_ceiling(
    seed: int, seconds: float, level_db: float, tone_hz: float, syllables: int
) -> None:
    """Noise and a tone under a random syllable envelope, at any level: the result never
    exceeds the ceiling (samples and the points between them), keeps its length, and is
    never louder than the aim."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    envelope = np.repeat(rng.uniform(0, 1, syllables) ** 2, -(-n // syllables))[:n]
    raw = (rng.standard_normal(n) * 0.3 + np.sin(2 * np.pi * tone_hz * t)) * envelope
    raw *= 10 ** (level_db / 20) / max(float(np.abs(raw).max()), 1e-9)
    samples = np.clip(np.rint(raw * 32767), -32768, 32767).astype(np.int16)
    out = level(samples)
    assert out.dtype == np.int16 and len(out) == len(samples)
    assert _peak(out) <= 10 ** (CEILING_DBFS / 20) + 1 / 32768  # rounding to whole samples
    assert _loudness(out) <= AIM_LUFS + 0.3


def test_speech_lands_on_the_aim_whatever_its_level() -> None:
    speech = _speech()
    results = [_loudness(level(_scaled(speech, gain))) for gain in (-30.0, -12.0, 0.0, 6.0)]
    # 30 dB down, 16-bit speech keeps 11 bits: its quantisation noise is brought up too
    assert all(abs(found - AIM_LUFS) <= 0.35 for found in results), results


def test_silence_and_near_silence_are_left_alone() -> None:
    silence = np.zeros(SAMPLE_RATE, dtype=np.int16)
    assert np.array_equal(level(silence), silence)
    hiss = np.random.default_rng(1).integers(-2, 3, SAMPLE_RATE).astype(np.int16)  # −80 dBFS
    assert np.array_equal(level(hiss), hiss)


def test_levelling_is_deterministic() -> None:
    speech = _speech()
    assert level(speech).tobytes() == level(speech.copy()).tobytes()


def test_memory_stays_flat_for_a_long_segment() -> None:
    """Ten minutes without a pause long enough to cut in: no full-length float copies."""
    long = np.tile(_speech(), -(-600 * SAMPLE_RATE // len(_speech())))
    tracemalloc.start()
    level(long)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # the result itself (2 bytes a sample) and per-block arrays; a float copy would be 4-8
    assert peak < 3.0 * long.nbytes, f"peak {peak / 1e6:.0f} MB for {long.nbytes / 1e6:.0f} MB"
