"""Synthesise a narration's utterances as they are needed; cached ones are skipped.

Synthesis runs one utterance at a time (espeak-ng's in a fresh fork of a
helper process, see ``zygote``): espeak-ng speaks the article in a fifth of
a second, several times faster than its audio is encoded, and the encoders
run meanwhile in their own processes on every core (see ``audio.writer``).
Engines that must not run concurrently (gTTS: a remote service with rate
limits) need nothing more.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.audio.speech import Engine, get_engine, prepare
from pipeline.audio.speech.cache import key, path_for, store


class Progress:
    """A one-line progress bar on a terminal; nothing otherwise."""

    def __init__(self, total: int, label: str = "speech") -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.enabled = total > 0 and sys.stderr.isatty()

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


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
    ) -> None:
        self.texts = tuple(texts)
        self.paths = tuple(
            path_for(cache_dir, key(engine_name, voice, rate, text, lexicon)) for text in texts
        )
        self.engine_name, self.voice, self.rate = engine_name, voice, rate
        self._todo = {path for path in self.paths if not path.exists()}
        self.progress = Progress(len(self._todo))
        self.synthesised = 0
        """Entries made by this build (the rest came from the cache)."""
        self._engine: Engine | None = None

    def start(self) -> None:
        """Get the engine ready, in the background if it can, when anything is to be spoken:
        espeak-ng's helper process starts while the build does other work."""
        if self._todo and self._engine is None:
            self._engine = get_engine(self.engine_name)
            prepare(self._engine)

    def ensure(self, indices: Iterable[int]) -> None:
        """Make sure the entries of these utterances exist."""
        for index in indices:
            path = self.paths[index]
            if path in self._todo:
                if self._engine is None:
                    self._engine = get_engine(self.engine_name)
                store(path, self._engine.synthesise(self.texts[index], self.voice, self.rate))
                self._todo.discard(path)
                self.synthesised += 1
                self.progress.step()
