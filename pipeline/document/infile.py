"""Reading a file a manuscript uses (lexicon, image, cover) only if it is safe to read.

A manuscript's folder is untrusted: a name in it may be a symbolic link to a
file elsewhere (a password file), to a device that never ends (``/dev/zero``),
to a FIFO that blocks the reader for ever, or to itself. ``read`` follows
links only to learn where they lead, refuses a target outside the folder, opens
without blocking and without following a link swapped in since, and reads only
a regular file, at most ``limit`` bytes. Every refusal is a ``Refused`` with a
sentence for the author; nothing here raises for a bad file.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a file was not read."""

    kind: str
    """``missing``, ``outside``, ``loop``, ``special``, ``large`` or ``unreadable``."""
    message: str
    """What is wrong, to follow the file's name: "is a FIFO, not a regular file"."""


def inside(file: Path, folder: Path) -> bool:
    """Whether ``file``, links followed, is in ``folder`` or below it (False for a loop)."""
    try:
        resolved = file.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):  # a link loop: Python 3.11 raises RuntimeError
        return False
    return root in resolved.parents


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read(file: Path, folder: Path, limit: int) -> bytes | Refused:
    """The bytes of ``file`` if it is a regular file inside ``folder`` of at most ``limit``
    bytes, else why not."""
    try:
        resolved = file.resolve(strict=True)
    except FileNotFoundError:
        if file.is_symlink():
            return Refused("missing", "is a symbolic link to nothing")
        return Refused("missing", "does not exist")
    except RuntimeError:
        return Refused("loop", "is a symbolic link loop")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Refused("loop", "is a symbolic link loop")
        return Refused("unreadable", f"cannot be read: {exc.strerror or exc}")
    try:
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return Refused("unreadable", f"cannot be read: {exc}")
    if root not in resolved.parents:
        return Refused("outside", "links outside the source's folder; it is not read")
    try:
        fd = os.open(resolved, _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link put in its place since it was resolved
            return Refused("loop", "is a symbolic link loop")
        return Refused("unreadable", f"cannot be read: {exc.strerror or exc}")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return Refused("special", f"is {_kind(info.st_mode)}, not a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            return Refused("large", f"is {info.st_size:,} bytes; the limit is {limit:,}")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            return Refused("unreadable", f"cannot be read: {exc.strerror or exc}")
    if len(data) > limit:  # grew since fstat
        return Refused("large", f"is over {limit:,} bytes; the limit is {limit:,}")
    return data
