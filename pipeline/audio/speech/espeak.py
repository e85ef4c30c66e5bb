"""The default engine: espeak-ng through pyttsx3's bindings, offline, no system packages.

espeak-ng comes from the ``espeakng-loader`` wheel. Its data path must be
set before the library initialises (otherwise the C library exits the
process) and the bundled ``.so`` loaded globally before pyttsx3 looks for
``libespeak-ng.so.1``.

pyttsx3's own driver loop is not used: in its asynchronous RETRIEVAL mode,
``save_to_file`` + ``runAndWait`` returned before the file was written, and
even with ``espeak_Synchronize`` one utterance in a 32-utterance build came
out empty and lengths varied by a few milliseconds between runs. Here
pyttsx3's ctypes bindings (``pyttsx3.drivers._espeak``) drive espeak-ng in
SYNCHRONOUS mode: ``espeak_Synth`` returns when all audio has been handed to
the callback, which is deterministic, has no quadratic ``bytes +=`` (chunks
are joined once), and reports word positions in the audio. Each utterance is spoken by a fresh
fork of a helper process (``zygote``): espeak-ng's state carries over from
one utterance to the next, and a cache entry must not depend on what was
spoken before it.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import signals
from pipeline.audio.speech import SAMPLE_RATE, Speech, SpeechError, Voice

if TYPE_CHECKING:
    from pipeline.audio.speech.zygote import Zygote


@cache
def _espeak() -> Any:  # pyttsx3 has no type information
    """Load espeak-ng from the wheel, then pyttsx3's bindings; initialise once per process."""
    import espeakng_loader

    data = espeakng_loader.get_data_path()
    os.environ["ESPEAK_DATA_PATH"] = data
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    from pyttsx3.drivers import _espeak as binding

    rate = binding.Initialize(
        binding.AUDIO_OUTPUT_SYNCHRONOUS, 0, str(Path(data).parent).encode(), 0
    )
    if rate != SAMPLE_RATE:
        raise SpeechError(f"espeak-ng could not start (returned {rate})")
    return binding


LICENCE = "GPL-3.0-or-later (espeak-ng and its voice data)"


class _Collector:
    """Receives audio chunks and word events from espeak-ng's callback."""

    def __init__(self, binding: Any) -> None:
        self.binding = binding
        self.chunks: list[bytes] = []
        self.words: list[tuple[float, int, int]] = []

    def __call__(self, wav: Any, count: int, events: Any) -> int:
        index = 0
        while events[index].type != self.binding.EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == self.binding.EVENT_WORD:
                self.words.append((event.audio_position / 1000, event.text_position, event.length))
            index += 1
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0


class Pyttsx3Engine:
    """espeak-ng via pyttsx3's bindings, one utterance per synchronous call."""

    name = "pyttsx3"

    def voices(self) -> list[Voice]:
        """espeak-ng's voices (about 130 languages and accents)."""
        binding = _espeak()
        found = []
        for voice in binding.ListVoices(None):
            languages = (voice.languages[1:].decode("utf-8", "ignore").lower(),)
            ident = voice.identifier.decode().lower()
            found.append(Voice(ident, voice.name.decode(), languages, "formant", LICENCE))
        return found

    def prepare(self) -> None:
        """Start the helper process now: it loads espeak-ng while the build goes on."""
        from pipeline.audio.speech import zygote

        if zygote.available():
            _helper().start()

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        """Speak one segment; word marks are (seconds, word) from espeak-ng's events."""
        if not text.strip():
            return Speech(b"")
        from pipeline.audio.speech import zygote

        if not zygote.available():  # no fork (Windows): in this process, history and all
            return speak_here(_espeak(), text, voice, rate)
        return _helper().speak(text, voice, rate)


@cache
def _helper() -> Zygote:
    """The process's one helper, closed when the process exits."""
    from pipeline.audio.speech.zygote import Zygote

    helper = Zygote()
    atexit.register(helper.close)
    return helper


def speak_here(binding: Any, text: str, voice: str | None, rate: int) -> Speech:
    """Speak one utterance with espeak-ng in this process (``voice`` None: the one loaded)."""
    if voice is not None and binding.SetVoiceByName(voice.encode()) != binding.EE_OK:
        raise SpeechError(f"espeak-ng has no voice '{voice}'")
    binding.SetParameter(binding.RATE, rate, 0)
    collector = _Collector(binding)
    binding.SetSynthCallback(collector)
    encoded = text.encode("utf-8")
    flags = binding.CHARS_UTF8 | binding.ENDPAUSE | (PHONEMES if "[[" in text else 0)
    with signals.held():  # ctypes would drop a Ctrl-C raised in espeak's callback
        status = binding.Synth(encoded, flags=flags)
    if status != binding.EE_OK:
        raise SpeechError(f"espeak-ng failed ({status}) on: {text[:60]}")
    pcm = b"".join(collector.chunks)
    if not pcm:
        raise SpeechError(f"espeak-ng produced no audio for: {text[:60]}")
    blocks = [(m.start(), m.end()) for m in _PHONEME_BLOCK.finditer(text)]
    marks: list[tuple[float, str]] = []
    for seconds, start, length in collector.words:  # positions count characters, from 1
        block = next(((a, b) for a, b in blocks if a <= start - 1 < b), None)
        if block is not None:  # a lexicon's phonemes: one word, named by the whole block
            if not marks or marks[-1][1] != text[block[0] : block[1]]:
                marks.append((seconds, text[block[0] : block[1]]))
        elif word := text[start - 1 : start - 1 + length].strip():
            marks.append((seconds, word))
    return Speech(pcm, tuple(marks))


PHONEMES = 0x100
"""``espeakPHONEMES``: text in ``[[...]]`` is read as phoneme mnemonics (a lexicon's
``<phoneme>`` entries, see ``speech.phonemes``)."""
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")
