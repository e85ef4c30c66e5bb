"""The default engine: pyttsx3 over espeak-ng, offline, no system packages.

espeak-ng comes from the ``espeakng-loader`` wheel. Its data path must be
set before the library initialises (otherwise the C library exits the
process) and the bundled ``.so`` loaded globally before pyttsx3 looks for
``libespeak-ng.so.1``. pyttsx3 2.99 returns from ``runAndWait`` before the
WAV is written; ``espeak_Synchronize`` waits for it. One file per
``runAndWait``: several queued saves keep only the last.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import tempfile
import wave
from functools import cache
from pathlib import Path
from typing import Any

from . import SAMPLE_RATE, Speech, SpeechError, Voice


@cache
def _driver() -> Any:
    """Load espeak-ng from the wheel, then pyttsx3's engine (once per process)."""
    import espeakng_loader

    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    import pyttsx3

    return pyttsx3.init("espeak")


class Pyttsx3Engine:
    """espeak-ng through pyttsx3: one utterance per ``runAndWait``."""

    name = "pyttsx3"
    parallel = True

    def voices(self) -> list[Voice]:
        """espeak-ng's voices (about 130 languages and accents)."""
        return [
            Voice(str(v.id), str(v.name), tuple(str(lang).lower() for lang in v.languages))
            for v in _driver().getProperty("voices")
        ]

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        """Speak one short segment (pyttsx3's cost grows with its square)."""
        if not text.strip():
            return Speech(b"")
        engine = _driver()
        from pyttsx3.drivers import _espeak  # importable only once _driver() loaded the library

        engine.setProperty("voice", voice)
        engine.setProperty("rate", rate)
        with tempfile.TemporaryDirectory(prefix="publish-tts-") as folder:
            path = Path(folder) / "utterance.wav"
            with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
                engine.save_to_file(text, str(path))
                engine.runAndWait()
                _espeak.dll.espeak_Synchronize()
            if not path.exists():
                raise SpeechError(f"espeak-ng wrote no audio for: {text[:60]}")
            with wave.open(str(path), "rb") as wav:
                if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
                    raise SpeechError("espeak-ng produced an unexpected audio format")
                return Speech(wav.readframes(wav.getnframes()))
