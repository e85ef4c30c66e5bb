"""Synthesise a narration's utterances as they are needed; cached ones are skipped.

Synthesis runs one utterance at a time, each on its own, so its length (and
the timings built from it) is exactly its own: espeak-ng's in a fresh fork of
a helper process (see ``zygote``), Piper's in its one helper process (see
``piper``), which keeps the voice loaded for the whole build. The encoders run
meanwhile in their own processes (see ``audio.writer``). Engines that must not
run concurrently (gTTS: a remote service with rate limits) need nothing more.

An utterance with a passage in another language (``Utterance.langs``) is spoken
in pieces, each by a voice for its language (Piper's if one is installed, else
espeak-ng's; gTTS's language when gTTS reads the book), and joined into one
cache entry. A lexicon's ``<phoneme>`` entries are written in each engine's
phoneme notation here (``phonemes``).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from pipeline.audio.speech import (
    FALLBACK_ENGINE,
    SAMPLE_RATE,
    Engine,
    Speech,
    get_engine,
    matching,
    preload,
    prepare,
    release,
)
from pipeline.audio.speech import phonemes as phoneme_input
from pipeline.audio.speech.cache import key, path_for, store, usable
from pipeline.audio.speech.trim import trim
from pipeline.diagnostics import PipelineError

Runs = tuple[tuple[int, int, str], ...]
"""Passages in another language: (start, end, language) in an utterance's text."""

PASSAGE_GAP = 0.12
"""Seconds of silence between the pieces of an utterance read by two voices."""


class Progress:
    """Progress of long work on a terminal: done / total, audio minutes, time left.

    Nothing is written when ``stream`` is not a terminal (a log, a pipe, CI). The time
    left is the pace so far applied to the work left, weighted by text length (a long
    sentence takes longer than a heading).
    """

    def __init__(
        self,
        total: int,
        label: str = "speech",
        *,
        weights: Sequence[int] = (),
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 0 and self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.weight_total = sum(weights) or total
        self.weight_done = 0
        self.seconds = 0.0
        """Audio made so far, in seconds."""
        self._shown = 0

    def step(self, count: int = 1, *, weight: int = 0, seconds: float = 0.0) -> None:
        """``count`` more items done, of text length ``weight``, giving ``seconds`` of audio."""
        self.done += count
        self.weight_done += weight or count
        self.seconds += seconds
        if self.enabled:
            line = self.line()  # the previous line blanked first: a shorter one leaves no tail
            self.stream.write("\r" + " " * self._shown + "\r" + line)
            self._shown = len(line)
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The progress line as it is shown."""
        width = 24
        filled = width * self.done // max(self.total, 1)
        text = f"{self.label} [{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total}"
        if self.seconds:
            text += f", {self.seconds / 60:.1f} min of audio"
        elapsed = self.clock() - self.started
        if 0 < self.weight_done < self.weight_total and elapsed > 0:
            left = elapsed * (self.weight_total - self.weight_done) / self.weight_done
            text += f", {int(left // 60)}:{int(left % 60):02d} left"
        return text


class Synthesis:
    """The cache entries of a narration's texts, made when first asked for."""

    def __init__(
        self,
        texts: Sequence[str],
        *,
        engine_name: str,
        voice: str,
        rate: int,
        lexicon: str,
        cache_dir: Path,
        runs: Sequence[Runs] = (),
        phonemes: tuple[tuple[str, str, str], ...] = (),
        lang: str = "",
        progress: Callable[[int, Sequence[int]], Progress] | None = None,
    ) -> None:
        self.texts = tuple(texts)
        self.runs = tuple(runs) or tuple(() for _ in self.texts)
        self.engine_name, self.voice, self.rate = engine_name, voice, rate
        self.phonemes = phonemes
        self.lang = lang
        self._engines: dict[str, Engine] = {}
        self._voices: dict[str, tuple[str, str]] = {}
        self.paths = tuple(
            path_for(cache_dir, key(engine_name, voice, rate, text, self._detail(lexicon, runs)))
            for text, runs in zip(self.texts, self.runs, strict=True)
        )
        self._todo = {path for path in self.paths if not usable(path)}  # damaged: a miss
        weights = [len(t) for t, p in zip(self.texts, self.paths, strict=True) if p in self._todo]
        self.progress = (progress or _progress)(len(self._todo), weights)
        self.synthesised = 0
        """Entries made by this build (the rest came from the cache)."""

    def _detail(self, lexicon: str, runs: Runs) -> str:
        """The cache key's lexicon part, with each passage's language and the voice reading
        it: changing the voice of a language re-synthesises only the utterances it reads."""
        if not runs:
            return lexicon
        voices = [(start, end, *self.voice_for(lang)) for start, end, lang in runs]
        return json.dumps([lexicon, voices])

    def engine(self, name: str) -> Engine:
        """The engine called ``name``, made once per build."""
        if name not in self._engines:
            self._engines[name] = get_engine(name)
        return self._engines[name]

    def voice_for(self, lang: str) -> tuple[str, str]:
        """(engine, voice) reading passages in ``lang``: the book's engine if it has a voice
        for it, else Piper's voice for it, else espeak-ng's; the book's voice if none has."""
        if lang in self._voices:
            return self._voices[lang]
        chosen = (self.engine_name, self.voice)
        if self.engine_name == "gtts":
            order = ["gtts"]
        else:
            order = [self.engine_name] + [
                n for n in ("piper", FALLBACK_ENGINE) if n != self.engine_name
            ]
        for name in order:
            try:
                found = [v for v in matching(self.engine(name).voices(), lang) if v.installed]
            except (PipelineError, ImportError, OSError, RuntimeError):
                continue
            if found:
                chosen = (name, found[0].id)
                break
        self._voices[lang] = chosen
        return chosen

    def start(self) -> None:
        """Get the engine ready, in the background if it can, when anything is to be spoken:
        espeak-ng's helper process starts, Piper's loads the voice, while the build does
        other work."""
        if self._todo and self.engine_name not in self._engines:
            engine = self.engine(self.engine_name)
            prepare(engine)
            preload(engine, self.voice)

    def finish(self) -> None:
        """Every utterance is spoken: free what the engines keep (``speech.release``)."""
        for engine in self._engines.values():
            release(engine)

    def _speak(self, engine_name: str, voice: str, text: str) -> Speech:
        """One piece of text, with the lexicon's phonemes in the engine's notation; word
        timings name the written words again."""
        spoken, blocks = phoneme_input.apply(text, engine_name, self.phonemes)
        speech = self.engine(engine_name).synthesise(spoken, voice, self.rate)
        if blocks:
            marks = tuple((at, blocks.get(word, word)) for at, word in speech.marks)
            speech = Speech(speech.pcm, marks)
        return speech

    def speak(self, index: int) -> Speech:
        """The speech of one utterance: its passages each in their language's voice."""
        text, runs = self.texts[index], self.runs[index]
        if not runs:
            return self._speak(self.engine_name, self.voice, text)
        pieces: list[tuple[str, str, str]] = []
        at = 0
        for start, end, lang in runs:
            if text[at:start].strip():
                pieces.append((self.engine_name, self.voice, text[at:start]))
            pieces.append((*self.voice_for(lang), text[start:end]))
            at = end
        if text[at:].strip(" ,.;:!?"):
            pieces.append((self.engine_name, self.voice, text[at:]))
        pcm = bytearray()
        marks: list[tuple[float, str]] = []
        gap = bytes(2 * round(PASSAGE_GAP * SAMPLE_RATE))
        for engine_name, voice, piece in pieces:
            speech = trim(self._speak(engine_name, voice, piece))
            if not speech.pcm:
                continue
            if pcm:
                pcm += gap
            offset = len(pcm) / 2 / SAMPLE_RATE
            marks += [(offset + seconds, word) for seconds, word in speech.marks]
            pcm += speech.pcm
        return Speech(bytes(pcm), tuple(marks))

    def ensure(self, indices: Iterable[int]) -> None:
        """Make sure the entries of these utterances exist."""
        for index in indices:
            path = self.paths[index]
            if path in self._todo:
                speech = self.speak(index)
                store(path, speech)
                self._todo.discard(path)
                self.synthesised += 1
                self.progress.step(weight=len(self.texts[index]), seconds=speech.duration)


def _progress(total: int, weights: Sequence[int]) -> Progress:
    return Progress(total, "speech", weights=weights)
