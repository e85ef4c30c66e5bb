"""``publish watch``: one process that stays up and rebuilds when an input of the build changes.

Why a resident process: a fresh ``publish build`` after a one-sentence edit pays
Python's start-up, the imports (numpy, markdown-it-py, mutagen...) and the start
of espeak-ng's helper process before any work, which on a short article is most
of the rebuild. Here they are paid once: modules stay imported, the speech
helper stays up, and each rebuild is fulfilled exactly as ``publish build``
fulfils it (``request.fulfil``: the manifest, then the ordinary ``build``, one
parse, each writer once, the speech and segment caches on disk), so a later
``publish build`` with the same options reports "unchanged". What a build
synthesised and encoded comes back in its result; nothing is wrapped.

Changes are found by polling: every ``INTERVAL`` the watched files are
``stat``-ed (modification time, size, inode); a file whose stamp moved is
hashed once it has kept still for ``SETTLE`` (editors save in several
writes), and only a new SHA-256 counts, so a file touched but not changed
rebuilds nothing. Polling a handful of files costs microseconds, needs no
dependency and behaves the same on every file system (network shares and
containers included, where inotify events may never arrive); a library such
as ``watchfiles`` would save nothing measurable here.

``Watcher`` is that detection alone (its clock and sleep are parameters, so
tests need no real time); ``Session`` builds and prints; ``run`` is the loop.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import manifest
from pipeline.diagnostics import Diagnostic, ExternalError, PipelineError, UsageError, summary
from pipeline.formats.registry import Resident, Writer
from pipeline.request import Request, fulfil

if TYPE_CHECKING:
    from pipeline.build import BuildResult

INTERVAL = 0.05
"""Seconds between two looks at the watched files."""
SETTLE = 0.1
"""Seconds a changed file must keep still before it is read (an editor's save is over)."""

Stamp = tuple[int, int, int]
"""A file's modification time (ns), size and inode: what one ``stat`` tells of a change."""


def _stamp(path: Path) -> Stamp | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


class Watcher:
    """Which of a set of files changed content, once each change has settled.

    A file counts as changed when its bytes differ from when it was last seen
    (``manifest.digest``: a missing file and an unreadable one count too),
    however many writes that took; a stamp that moves with the same bytes
    (``touch``, a save without edits) is not a change.
    """

    def __init__(
        self,
        paths: Iterable[Path] = (),
        *,
        interval: float = INTERVAL,
        settle: float = SETTLE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.settle = settle
        self._clock = clock
        self._sleep = sleep
        self._stamps: dict[Path, Stamp | None] = {}
        self._digests: dict[Path, str | None] = {}
        self._moved: dict[Path, float] = {}
        """Files whose stamp moved and that are not read yet: when it last moved."""
        self.track(paths)

    @property
    def paths(self) -> frozenset[Path]:
        """The files watched."""
        return frozenset(self._stamps)

    def track(self, paths: Iterable[Path]) -> None:
        """Watch exactly ``paths`` from now on; one not watched before is taken as it is now."""
        wanted = dict.fromkeys(paths)
        for path in [p for p in self._stamps if p not in wanted]:
            del self._stamps[path], self._digests[path]
            self._moved.pop(path, None)
        for path in wanted:
            if path not in self._stamps:
                self._stamps[path] = _stamp(path)
                self._digests[path] = manifest.digest(path)

    def poll(self) -> frozenset[Path]:
        """Look once: the files whose contents changed, when every moved file has settled."""
        now = self._clock()
        for path, seen in self._stamps.items():
            stamp = _stamp(path)
            if stamp != seen:
                self._stamps[path] = stamp
                self._moved[path] = now
        if not self._moved or now - max(self._moved.values()) < self.settle:
            return frozenset()
        changed = set()
        for path in self._moved:
            digest = manifest.digest(path)
            if digest != self._digests[path]:
                self._digests[path] = digest
                changed.add(path)
        self._moved.clear()
        return frozenset(changed)

    def wait(self) -> frozenset[Path]:
        """Poll until a file's contents have changed; return the files that did."""
        while True:
            changed = self.poll()
            if changed:
                return changed
            self._sleep(self.interval)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _out(text: str) -> None:
    print(text, flush=True)


@dataclass
class Session:
    """Builds of one request, fulfilled as ``publish build`` fulfils it (``request.fulfil``:
    the same manifest, the same build), with the writers chosen once."""

    request: Request
    writers: list[Writer]
    inputs: list[Path] = field(init=False)
    """What the last build read or looked for (the sources before any build)."""

    def __post_init__(self) -> None:
        self.inputs = list(self.request.sources)

    @property
    def names(self) -> str:
        return ", ".join(str(source) for source in self.request.sources)

    def start(self, *, force: bool = False) -> None:
        """Bring the outputs up to date (``update``), then make the process warm (``warm``):
        even a build just done may have found every utterance cached, so never started
        the speech helper."""
        self.update(force=force, first=True)
        self.warm()

    def update(self, *, force: bool = False, first: bool = False) -> bool:
        """Build unless the manifest says the outputs are up to date; print the diagnostics and
        one summary line. True if a build ran and succeeded.

        A failed build is reported and leaves the earlier outputs and manifest as they
        were; only a usage error in the ``first`` build is raised (the command is wrong).
        """
        from pipeline.build import BuildError  # noqa: PLC0415 - imported by ``warm`` too

        began = time.perf_counter()
        try:
            done = fulfil(self.request, lambda: self.writers, force=force)
        except PipelineError as exc:  # errors in a source: nothing was written
            if isinstance(exc, BuildError):
                self.inputs = [*self.request.sources, *exc.inputs]
            self._show(exc.diagnostics)
            failed = summary(exc.diagnostics)
            _err(f"publish: build failed: {failed}; earlier outputs are unchanged")
            return False
        except UsageError as exc:
            if first:
                raise
            _err(f"publish: build failed: {exc}")
            return False
        except (ExternalError, OSError) as exc:  # a tool, the network, a full disk
            message = "; ".join(str(exc).splitlines()) or type(exc).__name__
            _err(f"publish: build failed: {message}")
            return False
        self.inputs = [*self.request.sources, *done.inputs]
        if isinstance(done, manifest.Recorded):
            for line in done.diagnostics:
                _err(line)
            outputs = _plural(len(done.outputs), "output")
            _out(f"up to date: {self.names} ({outputs} unchanged)")
            return False
        seconds = time.perf_counter() - began
        self._show(done.diagnostics)
        verb = "built" if first else "rebuilt"
        _out(f"{verb} {self.names} in {seconds:.3f} s: {_did(done)}")
        return True

    @staticmethod
    def _show(diagnostics: Iterable[Diagnostic]) -> None:
        for item in diagnostics:
            _err(str(item))

    def warm(self) -> None:
        """Pay now what the first rebuild would otherwise: the parser's first run, the audio
        stack's imports and, with the offline engine, the start of espeak-ng's helper."""
        from pipeline.build import read  # noqa: PLC0415 - the parser, markdown-it-py, PyYAML

        try:
            document = read(self.request.sources[0])
        except PipelineError:  # its front matter is broken: the build will say so
            return
        for writer in self.writers:
            if isinstance(writer, Resident):
                try:
                    writer.warm(document)
                except (UsageError, ExternalError):  # no such voice, a tool failing: builds say so
                    continue


def _did(result: BuildResult) -> str:
    """``9 files written, 1 utterance synthesised, 1 of 13 segments encoded``."""
    parts = [_plural(len(result.written), "file") + " written"]
    if result.recordings:
        spoken = sum(r.synthesised for r in result.recordings)
        encoded = sum(r.encoded for r in result.recordings)
        segments = sum(r.segments for r in result.recordings)
        parts.append(f"{_plural(spoken, 'utterance')} synthesised")
        parts.append(f"{encoded} of {_plural(segments, 'segment')} encoded")
    return ", ".join(parts)


def run(session: Session, watcher: Watcher | None = None, *, force: bool = False) -> int:
    """Build if needed, then rebuild on every change until interrupted (exit status 130)."""
    session.start(force=force)
    watcher = watcher or Watcher()
    watcher.track(session.inputs)
    inputs = _plural(len(watcher.paths), "input")
    announcement = f"watching {inputs} of {session.names}; press Ctrl-C to stop"
    while True:
        try:  # the announcement too: a Ctrl-C right after it is a stop, not a build's
            if announcement:
                _out(announcement)
                announcement = ""
            watcher.wait()
        except KeyboardInterrupt:
            _err("publish: stopped watching")
            return 130
        session.update()  # an interruption here is the CLI's: "interrupted", status 130
        watcher.track(session.inputs)
