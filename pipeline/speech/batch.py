"""Synthesise a narration's utterances: cached ones skipped, the rest on every core.

espeak-ng keeps global state, so parallel synthesis uses processes (one
engine each, started with ``spawn`` so no library state is inherited), not
threads. Engines that must not run concurrently (gTTS: a remote service
with rate limits) run in this process, one request at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from . import SpeechError, get_engine
from .cache import key, path_for, store


@dataclass(frozen=True, slots=True)
class Job:
    """One utterance to synthesise into a cache entry."""

    text: str
    path: Path


@dataclass(frozen=True, slots=True)
class Batch:
    """Cache entries for every utterance, in order, and how many were made now."""

    paths: tuple[Path, ...]
    synthesised: int


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _leave_signals() -> None:
    """Workers ignore Ctrl-C and SIGTERM: the parent stops them after their current entry.

    Otherwise Ctrl-C, which reaches every process of a terminal job, prints one
    traceback per worker and may kill one between writing and renaming an entry.
    Workers start with the signals blocked (see ``synthesise_all``), so one that
    arrives while a worker is still importing waits here and is then discarded.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # pending ones are now ignored


def _run(engine_name: str, voice: str, rate: int, job: Job) -> Path:
    engine = get_engine(engine_name)
    store(job.path, engine.synthesise(job.text, voice, rate))
    return job.path


class _Progress:
    """A one-line progress bar on a terminal; nothing otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.enabled = total > 0 and sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\rspeech [{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def synthesise_all(
    texts: Sequence[str],
    *,
    engine_name: str,
    voice: str,
    rate: int,
    lexicon: str,
    cache_dir: Path,
    workers: int | None = None,
) -> Batch:
    """Make sure every text has a cache entry; return the entries in order."""
    paths = tuple(
        path_for(cache_dir, key(engine_name, voice, rate, text, lexicon)) for text in texts
    )
    todo: dict[Path, Job] = {}
    for text, path in zip(texts, paths, strict=True):
        if not path.exists() and path not in todo:
            todo[path] = Job(text, path)
    progress = _Progress(len(todo))
    engine = get_engine(engine_name)
    count = workers or os.cpu_count() or 1
    if not engine.parallel or count == 1 or len(todo) < 4:
        for job in todo.values():
            _run(engine_name, voice, rate, job)
            progress.step()
    else:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=min(count, len(todo)), mp_context=context, initializer=_leave_signals
        )
        try:
            # Workers are spawned during the first submit; they inherit this mask.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
            try:
                futures = [
                    pool.submit(_run, engine_name, voice, rate, job) for job in todo.values()
                ]
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a held Ctrl-C lands now
            for future in as_completed(futures):
                future.result()
                progress.step()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise SpeechError(
                "a speech worker process stopped unexpectedly; entries made so far are cached"
            ) from None
        except BaseException:  # Ctrl-C or SIGTERM: finish the entries under way, start no more
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    return Batch(paths, len(todo))
