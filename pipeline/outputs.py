"""Writing artifacts atomically, so a failed build never damages earlier outputs.

Each artifact is written to a hidden temporary file in its target folder and
moved over the old one with ``os.replace`` (atomic on POSIX), only once it is
complete. An interrupted build leaves the previous file whole and removes its
temporary file. While a build's writers run (``staged``), the moves wait until all of
them have finished: a build that fails part-way replaces nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline import signals
from pipeline.diagnostics import UsageError


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; on success it replaces ``path``, else it is removed.

    For tools that write files themselves (ffmpeg, mutagen); ``atomic`` wraps it
    for writing from Python.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp: Path | None = None
    try:
        with signals.held():  # a Ctrl-C here is raised once ``temp`` is known and removable
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            os.close(fd)
            temp = Path(name)
        yield temp
        temp.chmod(0o644)
        if _STAGE is None or path.parent.resolve() != _STAGED_IN:  # a cache entry: now
            temp.replace(path)
        else:  # put in place with the build's other artifacts (``staged``)
            earlier = _STAGE.pop(path, None)
            if earlier is not None:
                earlier.unlink(missing_ok=True)
            _STAGE[path] = temp
    except BaseException as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:
            # a full disk names no file: say which artifact it stopped
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it replaces ``path``."""
    with atomic_path(path) as temp, temp.open("wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


_STAGE: dict[Path, Path] | None = None
"""While a build's writers run (``staged``): each artifact written, by its temporary file."""
_STAGED_IN: Path | None = None
"""The output folder being staged (files written elsewhere, cache entries, are not)."""


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[None]:
    """All or nothing: artifacts written into ``out_dir`` inside it (``atomic_path``,
    ``atomic``, ``write_*``) stay under their temporary names until it ends; then all are
    put in place, one rename each. If it ends with an error or an interrupt, none is, and
    each temporary file is removed: every earlier output stays byte-identical. A killed
    build's temporary files are swept by the next (``pipeline.sweep``).

    A writer that reads an artifact an earlier writer made asks ``current`` where it is.
    """
    global _STAGE, _STAGED_IN  # noqa: PLW0603 - one build per process; threads see it too
    outer, _STAGE = (_STAGE, _STAGED_IN), {}
    _STAGED_IN = out_dir.resolve()
    stage = _STAGE
    try:
        yield
    except BaseException:
        for temp in stage.values():
            temp.unlink(missing_ok=True)
        raise
    finally:
        _STAGE, _STAGED_IN = outer
    with signals.held():  # a Ctrl-C now waits for the renames: all are done, or none
        for path, temp in stage.items():
            temp.replace(path)


def current(path: Path) -> Path:
    """Where the artifact ``path`` is now: its temporary file while the build is staged."""
    return _STAGE.get(path, path) if _STAGE else path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write a whole artifact atomically."""
    with atomic(path) as handle:
        handle.write(data)
    return path


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 text artifact atomically (``\\n`` line endings on every OS)."""
    return write_bytes(path, text.encode("utf-8"))


#: The folders of the manuscripts this process builds (``check_out_dir`` adds them): no
#: cache is made in one of them.
_SOURCE_FOLDERS: set[Path] = set()


def cache_folder(out_dir: Path, name: str) -> Path:
    """Where the cache ``name`` (``speech``, ``covers``, ``builds``) of builds into
    ``out_dir`` lives: ``.cache/NAME`` beside the output folder, except when the folder
    beside it is, or is inside, a manuscript's folder (an ``--out`` inside the source's
    folder): then inside the output folder, as ``OUT/.cache/NAME``. A build never makes a
    folder beside the author's manuscript."""
    out = out_dir.resolve()
    if any(out.parent == folder or folder in out.parent.parents for folder in _SOURCE_FOLDERS):
        return out / ".cache" / name
    return out.parent / ".cache" / name


def note_sources(sources: Iterable[Path]) -> None:
    """Remember the folders of manuscripts being built, for ``cache_folder``."""
    _SOURCE_FOLDERS.update(source.resolve().parent for source in sources)


def check_out_dir(out_dir: Path, sources: list[Path]) -> None:
    """Refuse an output folder that is, or contains, a source's folder.

    Writers replace whole files there; a source beside them could be overwritten
    (``article.md`` and an output of the same stem) or swept up by a clean.
    """
    target = out_dir.resolve()
    note_sources(sources)
    for source in sources:
        folder = source.resolve().parent
        if folder == target or target in folder.parents:
            raise UsageError(
                f"output folder '{out_dir}' contains the source '{source}'; "
                "choose another with --out"
            )


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder while a build writes to it.

    Two builds into one folder then take turns instead of interleaving their
    artifacts. The lock is ``flock`` on the folder itself, so no lock file is
    left behind, and the kernel releases it if the process dies.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
