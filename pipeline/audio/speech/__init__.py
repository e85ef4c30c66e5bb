"""Speech engines: text in, mono 16-bit PCM out, behind one small interface.

Every engine's audio is brought to ``SAMPLE_RATE`` mono so utterances from
any engine (and the cache) join into one stream. Built-in engines are
registered in ``ENGINES`` exactly as an extra engine would be.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.diagnostics import ExternalError, UsageError

#: The one sample rate of all narration audio (espeak-ng's native rate).
SAMPLE_RATE = 22050


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice an engine offers."""

    id: str
    """What ``--voice`` takes."""
    name: str
    languages: tuple[str, ...]
    """Lowercase BCP 47 tags (``en-us``)."""
    quality: str = ""
    """How it sounds, in the engine's words (Piper: ``x_low`` to ``high``; espeak-ng: formant)."""
    licence: str = ""
    """The licence the voice states (its model card and data set), for ``publish voices``."""
    installed: bool = True
    """False for a voice known to exist (a PyPI package) that is not on this machine."""


@dataclass(frozen=True, slots=True)
class Speech:
    """One synthesised utterance."""

    pcm: bytes
    """Signed 16-bit little-endian mono samples at ``SAMPLE_RATE``."""
    marks: tuple[tuple[float, str], ...] = ()
    """Optional (seconds, word) timings inside the utterance, when the engine reports them."""

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.pcm) / 2 / SAMPLE_RATE


class Engine(Protocol):
    """A speech engine."""

    @property
    def name(self) -> str:
        """Name used with ``--engine`` (and in the cache key)."""
        ...

    def voices(self) -> list[Voice]:
        """Every voice available."""
        ...

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        """Speak ``text`` with ``voice`` at ``rate`` words per minute."""
        ...


class SpeechError(ExternalError):
    """Synthesis failed for a reason the user can act on (printed as one line)."""


def _pyttsx3() -> Engine:
    from pipeline.audio.speech.espeak import Pyttsx3Engine

    return Pyttsx3Engine()


def _gtts() -> Engine:
    from pipeline.audio.speech.google import GttsEngine

    return GttsEngine()


def _piper() -> Engine:
    from pipeline.audio.speech.piper import PiperEngine

    return PiperEngine()


#: Engine factories by name. Offline, the neural ``piper`` reads a language it has a voice
#: for and espeak-ng (``pyttsx3``) every other one (see ``default_engine``); ``gtts`` is online
#: and only used when asked for.
ENGINES: dict[str, Callable[[], Engine]] = {"piper": _piper, "pyttsx3": _pyttsx3, "gtts": _gtts}
FALLBACK_ENGINE = "pyttsx3"
"""The engine of a language no neural voice reads (espeak-ng speaks about 100 languages)."""
DEFAULT_RATE = 175

#: How a narrator credit names each engine (tags, EPUB ``media:narrator``, the HTML page).
ENGINE_NAMES = {"piper": "Piper", "pyttsx3": "eSpeak NG", "gtts": "Google Text-to-Speech"}


def default_engine(lang: str) -> str:
    """``piper`` when one of its voices for ``lang`` is installed, else espeak-ng.

    ``PUBLISH_ENGINE`` overrides the choice (a test suite or a fast draft build pins
    espeak-ng with it); ``--engine`` overrides both. Looking for Piper voices reads their
    ``.onnx.json`` files only: nothing is loaded into this process.
    """
    pinned = os.environ.get("PUBLISH_ENGINE", "").strip()
    if pinned:
        return pinned
    from pipeline.audio.speech.piper import installed_voices

    if matching(installed_voices(), lang):
        return "piper"
    return FALLBACK_ENGINE


def credit(engine: str, voice: str) -> str:
    """The narrator credit, plainly a synthetic voice: ``Piper synthetic voice
    (en_US-joe-medium)``. A voice given as a file path is named by its file."""
    return f"{ENGINE_NAMES.get(engine, engine)} synthetic voice ({voice_name(voice)})"


def voice_name(voice: str) -> str:
    """A voice as credited: its id, or the name of the file it was given as."""
    return Path(voice).name.removesuffix(".onnx") if voice.endswith(".onnx") else voice


def get_engine(name: str) -> Engine:
    """The engine called ``name``, or a usage error listing the known ones."""
    factory = ENGINES.get(name)
    if factory is None:
        raise UsageError(f"unknown speech engine '{name}' (known: {', '.join(ENGINES)})")
    return factory()


def _offered(engine: Engine, method: str, *args: str) -> bool:
    """Call one of the engine's optional methods (``prepare``, ``preload``, ``release``,
    ``hold``) if it has it: an online engine has none of them. True if it did."""
    call = getattr(engine, method, None)
    if not callable(call):
        return False
    call(*args)
    return True


def prepare(engine: Engine) -> bool:
    """Start in the background what the engine can start ahead of its first utterance
    (espeak-ng's helper process), if it offers ``prepare()``: that method is optional, and an
    online engine has none, so it is asked nothing before it is needed. True if it did."""
    return _offered(engine, "prepare")


def preload(engine: Engine, voice: str) -> None:
    """Have the engine load ``voice`` before its first utterance, if it offers ``preload()``
    (Piper: its helper loads the voice while the build does other work)."""
    _offered(engine, "preload", voice)


def release(engine: Engine) -> None:
    """Free what the engine keeps between utterances, if it offers ``release()`` (Piper: its
    helper process, with the voice in memory): a build calls it once its last utterance is
    spoken, so the encoders and the M4B and MP3 writers run without the voice beside them.
    A resident process keeps the engine instead (``hold``)."""
    _offered(engine, "release")


def hold(engine: Engine) -> None:
    """Keep the engine ready between builds, if it offers ``hold()``: ``publish watch`` asks
    for it, and a rebuild after an edit speaks without loading the voice again."""
    _offered(engine, "hold")


def matching(voices: list[Voice], lang: str) -> list[Voice]:
    """Voices for a language, best first: exact tag, then the language's main voice."""
    tag = lang.lower()
    primary = tag.split("-", maxsplit=1)[0]

    def rank(voice: Voice) -> tuple[int, str]:
        if tag in voice.languages:
            return (0, voice.id)
        if voice.id.rsplit("/", 1)[-1] == primary or f"{primary}-{primary}" in voice.languages:
            return (1, voice.id)
        return (2, voice.id)

    found = [v for v in voices if any(lng.split("-")[0] == primary for lng in v.languages)]
    return sorted(found, key=rank)


def choose_voice(engine: Engine, lang: str, wanted: str | None) -> str:
    """``wanted`` if the engine has it, else the best voice for the document language.

    An engine that takes voices as files (Piper: ``voice.onnx`` with its ``.onnx.json``
    beside it) says so with ``accepts(wanted)``: no code change for a new voice."""
    voices = [v for v in engine.voices() if v.installed]
    if wanted:
        accepts = getattr(engine, "accepts", None)
        if any(v.id == wanted for v in voices) or (callable(accepts) and accepts(wanted)):
            return wanted
        raise UsageError(
            f"engine '{engine.name}' has no voice '{wanted}' "
            f"(see: publish voices --engine {engine.name} --lang {lang.split('-', maxsplit=1)[0]})"
        )
    found = matching(voices, lang)
    if not found:
        raise UsageError(f"engine '{engine.name}' has no voice for language '{lang}'")
    return found[0].id


def end_helper(process: subprocess.Popen[bytes] | None) -> None:
    """Close a speech helper's input (it exits at end of input) and wait for it; one that
    does not exit within 5 s is killed. Shared by espeak-ng's fork helper and Piper's."""
    if process is None:
        return
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
