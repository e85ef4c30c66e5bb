"""The per-stage recognition tool's own work: laying out, finding cache entries, scoring.

No voice and no recogniser run here (``python -m benchmarks.stages`` runs them).
"""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from benchmarks import stages
from benchmarks.recognise import Utterance
from pipeline.audio.speech import Speech
from pipeline.audio.speech.cache import key, path_for, store

SPANS = [Utterance("p-1", "Two words.", 0.0, 1.0), Utterance("p-2", "Three more words.", 1.0, 2.0)]
TIMINGS = {"engine": "piper", "voice": "en_US-joe-medium", "rate": 175}


def test_pieces_are_laid_out_with_silence_around_each_and_their_times_returned(
    tmp_path: Path,
) -> None:
    wav = tmp_path / "out.wav"
    one_second = b"\x01\x00" * stages.RATE
    spans = stages.lay_out([one_second, one_second[: stages.RATE]], wav)
    assert spans == [(0.4, 1.4), (1.8, 2.3)]
    with wave.open(str(wav)) as found:
        assert found.getnframes() == round(2.7 * stages.RATE)
    pcm = stages.read_wav(wav)
    assert pcm[: 2 * round(0.4 * stages.RATE)] == bytes(2 * round(0.4 * stages.RATE))


def test_a_wav_at_another_rate_is_refused(tmp_path: Path) -> None:
    wav = tmp_path / "16k.wav"
    stages.lay_out([b"\x00\x00"], wav, rate=16_000)
    with pytest.raises(ValueError, match="22050"):
        stages.read_wav(wav)


def test_cache_entries_are_found_by_the_builds_key_and_a_missing_one_is_named(
    tmp_path: Path,
) -> None:
    lexicon = "e3b0c44298fc1c14"  # an empty lexicon's digest
    first = path_for(tmp_path, key("piper", "en_US-joe-medium", 175, "Two words.", lexicon))
    first.parent.mkdir(parents=True)
    store(first, Speech(b"\x00\x10" * 2000))
    with pytest.raises(FileNotFoundError, match="first: p-2"):
        stages.cache_entries(TIMINGS, SPANS, tmp_path)
    second = path_for(tmp_path, key("piper", "en_US-joe-medium", 175, "Three more words.", lexicon))
    second.parent.mkdir(parents=True, exist_ok=True)
    store(second, Speech(b"\x00\x10" * 2000))
    assert stages.cache_entries(TIMINGS, SPANS, tmp_path) == [first, second]


def test_a_stage_is_scored_per_line_against_the_script() -> None:
    found = stages.figures(SPANS, ["two words", "three words more"])
    assert (found["errors"], found["reference_words"]) == (2, 5)
    assert [line["errors"] for line in found["lines"]] == [0, 2]
    assert found["lines"][1] == {"key": "p-2", "heard": "three words more", "errors": 2}
