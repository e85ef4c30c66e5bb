"""Speech engines: text in, mono 16-bit PCM out, behind one small interface.

Every engine's audio is brought to ``SAMPLE_RATE`` mono so utterances from
any engine (and the cache) join into one stream. Built-in engines are
registered in ``ENGINES`` exactly as an extra engine would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


#: Engine factories by name; the first is the default (offline).
ENGINES: dict[str, Callable[[], Engine]] = {"pyttsx3": _pyttsx3, "gtts": _gtts}
DEFAULT_ENGINE = "pyttsx3"
DEFAULT_RATE = 175


def get_engine(name: str) -> Engine:
    """The engine called ``name``, or a usage error listing the known ones."""
    factory = ENGINES.get(name)
    if factory is None:
        raise UsageError(f"unknown speech engine '{name}' (known: {', '.join(ENGINES)})")
    return factory()


def prepare(engine: Engine) -> bool:
    """Start in the background what the engine can start ahead of its first utterance
    (espeak-ng's helper process), if it offers ``prepare()``: that method is optional, and an
    online engine has none, so it is asked nothing before it is needed. True if it did."""
    start = getattr(engine, "prepare", None)
    if not callable(start):
        return False
    start()
    return True


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
    """``wanted`` if the engine has it, else the best voice for the document language."""
    voices = engine.voices()
    if wanted:
        if any(v.id == wanted for v in voices):
            return wanted
        raise UsageError(
            f"engine '{engine.name}' has no voice '{wanted}' "
            f"(see: publish voices --engine {engine.name} --lang {lang.split('-', maxsplit=1)[0]})"
        )
    found = matching(voices, lang)
    if not found:
        raise UsageError(f"engine '{engine.name}' has no voice for language '{lang}'")
    return found[0].id
