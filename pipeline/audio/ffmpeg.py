"""The ffmpeg executable: the static build from the ``imageio-ffmpeg`` wheel.

No system package is needed. ``PUBLISH_FFMPEG`` may name another build.
The wheel's own lookup (``get_ffmpeg_exe``) runs ``ffmpeg -version`` to check the binary,
which cost 35 ms at every audio build (7% of a one-sentence edit of the article), and
importing the wheel 15 ms more: when the wheel's binary is where the wheel puts it, it is
used as it is, and a broken one fails on its first use with ffmpeg's own message.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..diagnostics import ExternalError

__all__ = ["ExternalError", "exe", "run"]


@cache
def exe() -> str:
    """Path of the ffmpeg to run."""
    override = os.environ.get("PUBLISH_FFMPEG")
    if override:
        return override
    bundled = _bundled()
    if bundled is not None:
        return bundled
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise ExternalError(f"ffmpeg is not available ({exc}); reinstall the project") from None


def _bundled() -> str | None:
    """The wheel's binary, if it is where the wheel puts it and executable: found without
    importing the wheel (15 ms) or running the binary. A wheel is built for one platform and
    holds one ``binaries/ffmpeg-<platform>-v<version>`` file."""
    spec = importlib.util.find_spec("imageio_ffmpeg")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "binaries"
    found = sorted(
        path for path in folder.glob("ffmpeg-*") if path.is_file() and os.access(path, os.X_OK)
    )
    return str(found[0]) if len(found) == 1 else None


def run(*args: str, one_core: bool = False) -> str:
    """Run ffmpeg quietly and return what it printed on standard error.

    ``one_core``: keep all of ffmpeg's threads on one core (Linux). A stream copy (the M4B
    mux) hands every packet from its demuxer thread to its muxer thread; on two cores each
    hand-off wakes the other core, and pinned the same mux took 0.26 s instead of 0.44 s
    (an hour of AAC frames), about half the CPU.
    """
    command = [exe(), "-hide_banner", "-nostdin", "-y", *args]
    allowed = cores() if one_core else []
    with started_on(allowed[0] if allowed else None):
        process = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    try:
        _, err = process.communicate()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        last = err.strip().splitlines()[-1:] or ["no message"]
        raise ExternalError(f"ffmpeg failed: {last[0]}")
    return err


def cores() -> list[int]:
    """The cores this thread may run on (Linux; empty elsewhere, where nothing is pinned)."""
    if sys.platform != "linux":
        return []
    return sorted(os.sched_getaffinity(0))


@contextlib.contextmanager
def started_on(core: int | None) -> Iterator[None]:
    """While a process is started: this thread on ``core``, so the process starts there and
    its threads stay there (Linux sets affinity per thread, and a child inherits its parent
    thread's). The thread gets its cores back as soon as the child has started."""
    if core is None or sys.platform != "linux":
        yield
        return
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def release(pid: int) -> None:
    """Let every thread of a process started on one core run on every core again (Linux)."""
    if sys.platform != "linux":
        return
    allowed = os.sched_getaffinity(0)
    with contextlib.suppress(OSError):  # it may have ended meanwhile
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                os.sched_setaffinity(int(task.name), allowed)
