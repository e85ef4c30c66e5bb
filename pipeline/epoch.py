"""The one timestamp a reproducible build may use.

Artifacts never read the wall clock: ``SOURCE_DATE_EPOCH`` wins (the
reproducible-builds convention Sphinx and Standard Ebooks honour), else the
time of the source's last git commit, else the source file's mtime. The same
inputs therefore give the same ``dcterms:modified`` and zip timestamps.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

#: Zip (DOS) timestamps cannot go below 1980-01-01.
_ZIP_EPOCH = 315532800


def source_epoch(source: Path, environ: dict[str, str] | None = None) -> int:
    """Seconds since 1970 for a build of ``source`` (see the module docstring)."""
    env = os.environ if environ is None else environ
    given = env.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        try:
            return max(int(given), 0)
        except ValueError:
            pass  # a malformed value falls through to the source's own time
    committed = _git_commit_time(source)
    if committed is not None:
        return committed
    return int(source.stat().st_mtime)


def _in_repository(folder: Path) -> bool:
    """Whether a ``.git`` is in ``folder`` or above (a stat per level, no process)."""
    return any((level / ".git").exists() for level in (folder, *folder.parents))


@cache
def _git_commit_time(source: Path) -> int | None:
    """Last commit time touching ``source``, or None outside a repository (asked once per
    process: the build manifest and the EPUB writer both need it)."""
    git = shutil.which("git")
    if git is None or not source.exists() or not _in_repository(source.resolve().parent):
        return None
    import subprocess  # noqa: PLC0415 - only inside a repository (1.8 ms at start-up)

    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [git, "log", "-1", "--format=%ct", "--", source.name],
            cwd=source.resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    return int(text) if done.returncode == 0 and text.isdigit() else None


def w3c_datetime(epoch: int) -> str:
    """``2026-11-24T23:19:34Z``: the form ``dcterms:modified`` requires."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zip_datetime(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The epoch as a zip entry date, clamped to what zip can store (UTC)."""
    moment = datetime.fromtimestamp(max(epoch, _ZIP_EPOCH), UTC)
    moment = min(moment, datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
