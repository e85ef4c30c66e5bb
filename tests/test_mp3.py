"""The MP3 encoder's true-peak guard: an overshooting encode is redone through a limiter."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

from audiotools import decode, loudness

from pipeline.audio import mp3


def test_overshoot_is_limited_and_timing_kept(tmp_path: Path) -> None:
    rate = 22050
    head = [0] * rate  # 1 s of silence, as the joined audio has
    # a 300 Hz square wave at −4 dBFS: MP3's band limit makes it ring well above that
    square = [20000 if (n // 37) % 2 else -20000 for n in range(3 * rate)]
    source = tmp_path / "square.wav"
    with wave.open(str(source), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack(f"<{len(head) + len(square)}h", *head, *square))
    plain = tmp_path / "plain.mp3"
    mp3.encode(source, plain)
    assert loudness(plain).true_peak > mp3.MAX_TRUE_PEAK  # the case the guard is for
    guarded = tmp_path / "guarded.mp3"
    measured = mp3.encode_within_peak(source, guarded)
    assert measured.true_peak <= mp3.MAX_TRUE_PEAK
    assert loudness(guarded) == measured
    samples, got = decode(guarded)
    onset = next(i for i, s in enumerate(samples) if abs(s) > 1000) / got
    assert abs(onset - 1.0) < 0.01  # the limiter pass keeps the audio in step
