"""Our BS.1770 measurement and peak estimate against ffmpeg's ``ebur128`` (the reference the
checker and the tests use on the written files)."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pytest
from audiotools import loudness

from pipeline.audio.loudness import BLOCK, CHUNK, GATE, Blocks, integrated
from pipeline.audio.speech import SAMPLE_RATE
from pipeline.audio.speech.espeak import Pyttsx3Engine

RNG = np.random.default_rng(7)


def _ours(samples: np.ndarray) -> float:
    return integrated(Blocks(samples.astype(np.int16)).k_power)


def _ffmpeg(samples: np.ndarray, tmp_path: Path) -> float:
    path = tmp_path / "x.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(samples.astype("<i2").tobytes())
    return loudness(path).integrated


def _tone(hz: float, dbfs: float, seconds: float, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return np.rint(32767 * 10 ** (dbfs / 20) * np.sin(2 * np.pi * hz * t + phase))


def _speech() -> np.ndarray:
    """A sentence of espeak-ng speech, with its pauses."""
    pcm = (
        Pyttsx3Engine()
        .synthesise(
            "Who are the individuals that willingly purchase people? This review asks, and "
            "answers with care: surveys, interviews, and court records from 2007 to 2018.",
            "gmw/en-us",
            175,
        )
        .pcm
    )
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def _bursts() -> np.ndarray:
    """Noise in bursts of varied level with silences between: the gates matter."""
    parts = []
    for level in (-12, -30, -20, -55, -16, -80, -25):
        noise = RNG.standard_normal(int(0.7 * SAMPLE_RATE)) * 32767 * 10 ** (level / 20)
        parts += [noise, np.zeros(int(0.3 * SAMPLE_RATE))]
    return np.clip(np.rint(np.concatenate(parts)), -32768, 32767)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("1 kHz at -20 dBFS", lambda: _tone(1000, -20, 5)),
        ("100 Hz at -10 dBFS", lambda: _tone(100, -10, 3)),
        ("6 kHz at -26 dBFS", lambda: _tone(6000, -26, 3)),
        ("noise bursts", _bursts),
        ("speech", _speech),
        ("quiet speech", lambda: np.rint(_speech() * 0.05)),
        ("speech over 10 s chunks", lambda: np.tile(_speech(), 3)),
    ],
)
def test_integrated_loudness_matches_ffmpeg(name: str, make: object, tmp_path: Path) -> None:
    samples = make()  # type: ignore[operator]
    ours, reference = _ours(samples), _ffmpeg(samples, tmp_path)
    assert abs(ours - reference) <= 0.1, (name, ours, reference)  # ffmpeg rounds to 0.1


def test_silence_and_short_audio_have_no_loudness() -> None:
    assert _ours(np.zeros(SAMPLE_RATE)) == -math.inf
    assert _ours(_tone(1000, -10, 0.3)) == -math.inf  # under one 400 ms gating block
    assert _ours(np.zeros(0)) == -math.inf
    assert int(0.4 * SAMPLE_RATE) == GATE * BLOCK


def test_peaks_include_the_points_between_samples() -> None:
    """A tone at a quarter of the sample rate, sampled 45° off its crests: every sample is
    3 dB under the true peak, the halfway points are on it."""
    tone = _tone(SAMPLE_RATE / 4, -6, 1, phase=math.pi / 4)
    blocks = Blocks(tone.astype(np.int16))
    true_peak = 32767 * 10 ** (-6 / 20) / 32768
    assert np.abs(tone).max() / 32768 < true_peak * 0.71
    assert blocks.peak.max() == pytest.approx(true_peak, rel=0.02)
    assert (
        blocks.peak >= np.abs(tone[: len(tone) // BLOCK * BLOCK]).reshape(-1, BLOCK).max(1) / 32768
    ).all()


def test_analysis_is_the_same_whatever_the_chunking() -> None:
    """Chunks see their neighbours' samples: cutting in chunks changes nothing."""
    speech = np.tile(_speech(), 3)
    assert len(speech) > 2 * CHUNK
    whole = Blocks(speech.astype(np.int16))
    shifted = Blocks(np.concatenate([np.zeros(BLOCK * 7), speech]).astype(np.int16))
    assert np.array_equal(whole.peak, shifted.peak[7:])
    assert np.allclose(whole.power, shifted.power[7:])
