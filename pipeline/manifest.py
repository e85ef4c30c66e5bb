"""Up-to-date builds: a build whose inputs and outputs are as the last one left them is skipped.

After a build, a manifest records what it depended on and what it wrote:
the settings (formats, voice, rate, strictness, ``SOURCE_DATE_EPOCH`` or the
date taken from git, ``PUBLISH_*`` variables, the Python version, the
installed distributions and this package's own files), the SHA-256 of every
file it read (the sources, their ``.pls`` lexicons, their images, the cover
files the audio writer looks for, present or not), the size and modification
time of every file it wrote, and the diagnostics it printed. The next build
with the same command compares before parsing anything; if all agree, it
prints the same diagnostics and stops. Anything else, or ``--force``, builds.

Manifests live in ``.cache/builds/`` beside the output folder
(``PUBLISH_BUILD_CACHE`` overrides it), one per output folder and list of
sources. Only the standard library, ``epoch`` and ``outputs`` are imported
here: the check must cost next to nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.epoch import source_epoch
from pipeline.outputs import cache_folder, note_sources, write_text

FORMAT = 1
"""Bump when the manifest's layout or meaning changes."""


def folder(out_dir: Path) -> Path:
    """``PUBLISH_BUILD_CACHE``, else ``.cache/builds`` beside the output folder
    (``outputs.cache_folder``)."""
    override = os.environ.get("PUBLISH_BUILD_CACHE")
    if override:
        return Path(override)
    return cache_folder(out_dir, "builds")


def location(out_dir: Path, sources: Sequence[Path]) -> Path:
    """The manifest of building ``sources`` into ``out_dir``."""
    names = [str(out_dir.resolve()), *(str(s.resolve()) for s in sources)]
    name = hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:32]
    note_sources(sources)  # before ``folder``: never a cache in a manuscript's folder
    return folder(out_dir) / f"{name}.json"


@cache
def _code() -> list[list[object]]:
    """This package's files (name, size, modification time): any edit rebuilds.

    Taken once per process: a long-running ``publish watch`` records the code it
    runs, not files edited since it started (a later build then sees the edit)."""
    root = Path(__file__).parent
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".css", ".js", ".json", ".txt"} and path.is_file():
            stat = path.stat()
            found.append([str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns])
    return found


@cache
def _distributions() -> list[str]:
    """Names (with versions) of every installed distribution on the path (once per process,
    like ``_code``)."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = [p.name for p in Path(entry or ".").iterdir()]
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def settings(options: dict[str, object], sources: Sequence[Path]) -> str:
    """Everything besides file contents that decides what a build writes, as one hash."""
    env = {k: v for k, v in os.environ.items() if k.startswith("PUBLISH_")}
    # SOURCE_DATE_EPOCH, else the source's last commit, else its mtime (see ``epoch``)
    epochs = [source_epoch(source) if source.is_file() else None for source in sources]
    data = [FORMAT, options, env, epochs, sys.version, _distributions(), _code()]
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None if there is no such file."""
    try:  # not blocking on a FIFO, nor hashing /dev/zero for ever: regular files only
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return "not a regular file"
        with os.fdopen(fd, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:  # unreadable now: never equal to what was read before
        return "unreadable"


def _stat(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the last build read, wrote and printed."""

    outputs: tuple[Path, ...]
    diagnostics: tuple[str, ...]
    inputs: tuple[Path, ...]
    """Every file it read or looked for (what ``publish watch`` watches)."""


def up_to_date(path: Path, key: str) -> Recorded | None:
    """The last build's record if nothing it depended on or wrote has changed, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    try:
        for name, recorded in data["inputs"]:
            if digest(Path(name)) != recorded:
                return None
        for name, stat in data["outputs"]:
            if _stat(Path(name)) != stat:
                return None
        outputs = tuple(Path(name) for name, _ in data["outputs"])
        inputs = tuple(Path(name) for name, _ in data["inputs"])
        return Recorded(outputs, tuple(str(line) for line in data["diagnostics"]), inputs)
    except (KeyError, TypeError, ValueError):  # damaged: build, and write a new one
        return None


def record(
    path: Path,
    key: str,
    inputs: Iterable[Path],
    outputs: Iterable[Path],
    diagnostics: Iterable[str],
) -> None:
    """Write the manifest of a successful build (atomically; a failure to write is ignored:
    the next build then simply runs)."""
    data = {
        "format": FORMAT,
        "key": key,
        "inputs": [[str(p), digest(p)] for p in sorted(set(inputs))],
        "outputs": [[str(p), _stat(p)] for p in outputs],
        "diagnostics": list(diagnostics),
    }
    with contextlib.suppress(OSError):
        write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
