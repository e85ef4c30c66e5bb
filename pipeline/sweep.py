"""Removing what a killed build left behind.

A build that is killed (``SIGKILL``, a power cut) cannot remove its temporary files:
``.<name>.<random>.part`` beside each artifact it was writing (``outputs.atomic_path``),
the ``.<stem>.audio.<random>/`` folder the audio writer works in, and ``.part`` files of
cache entries it was storing. Outputs stay whole (each is replaced only once complete),
but these would stay for ever: the next build into the folder removes them, holding the
folder's lock, so no other build is writing them.

A speech cache can be shared by builds into other folders, which do not hold this
lock: there only ``.part`` files older than ``STALE_SECONDS`` are removed.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

STALE_SECONDS = 3600
"""A cache entry's temporary file this old is no build's (an entry is written in
milliseconds)."""

_PART = re.compile(r"\..+\.part\Z")
_AUDIO = re.compile(r"\..+\.audio\.[^/]+\Z")


def sweep(out_dir: Path) -> list[Path]:
    """Remove a killed build's temporary files and folders from ``out_dir`` (call with its
    lock held); return what was removed."""
    removed: list[Path] = []
    if not out_dir.is_dir():
        return removed
    for path in sorted(out_dir.iterdir()):
        if path.is_file() and not path.is_symlink() and _PART.match(path.name):
            path.unlink(missing_ok=True)
            removed.append(path)
        elif path.is_dir() and not path.is_symlink() and _AUDIO.match(path.name):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def sweep_cache(cache_dir: Path) -> list[Path]:
    """Remove ``.part`` files older than ``STALE_SECONDS`` from a cache folder."""
    removed: list[Path] = []
    if not cache_dir.is_dir():
        return removed
    now = time.time()
    for path in cache_dir.rglob(".*.part"):
        try:
            if path.is_file() and now - path.lstat().st_mtime > STALE_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
