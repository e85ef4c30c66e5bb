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
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO

from pipeline.diagnostics import ExternalError

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
    process = _Process(["-nostdin", *args], one_core=one_core, feed=False)
    try:
        return process.finish()
    except BaseException:
        process.kill()
        raise


@contextlib.contextmanager
def feeding(
    *args: str, one_core: bool = False, failure: str = "ffmpeg failed"
) -> Iterator[IO[bytes]]:
    """Run ffmpeg while the block writes its standard input (``pipe:0`` in ``args``), then
    wait for it to end. An exception in the block stops ffmpeg and goes on as it is; ffmpeg's
    own failure is an ``ExternalError``: ``failure``, then its last line. ``one_core``: see
    ``run``."""
    process = _Process(list(args), one_core=one_core, feed=True)
    try:
        assert process.stdin is not None  # noqa: S101 - opened with feed=True
        with contextlib.suppress(BrokenPipeError):  # ffmpeg failed: finish() says why
            yield process.stdin
        process.finish(failure)  # closes the input: the end of the frames
    except BaseException:
        process.kill()
        raise


class _Process:
    """A started ffmpeg. Its log goes to a file: a full pipe would stall ffmpeg while its
    input is still being written."""

    def __init__(self, args: list[str], *, one_core: bool, feed: bool) -> None:
        allowed = cores() if one_core else []
        self._log = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        try:
            with started_on(allowed[0] if allowed else None):
                self._process = subprocess.Popen(  # noqa: S603
                    [exe(), "-hide_banner", "-y", *args],
                    stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=self._log,
                )
        except BaseException:
            self._log.close()
            raise
        self.stdin = self._process.stdin

    def finish(self, failure: str = "ffmpeg failed") -> str:
        """Wait for the end; return the log, or raise ``ExternalError``: ``failure``, then the
        log's last line."""
        if self.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.stdin.close()
        self._process.wait()
        with self._log:
            self._log.seek(0)
            log = self._log.read()
        if self._process.returncode != 0:
            last = log.strip().splitlines()[-1:] or ["no message"]
            raise ExternalError(f"{failure}: {last[0]}")
        return log

    def kill(self) -> None:
        self._process.kill()
        self._process.wait()
        if self.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.stdin.close()
        self._log.close()


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
