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
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

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


def run(*args: str, inputs: Iterable[Path] = (), failure: str = "ffmpeg failed") -> str:
    """Run ffmpeg quietly, writing the ``inputs`` files one after the other to its standard
    input (``pipe:0`` in ``args``), and return what it printed on standard error.

    Its failure is an ``ExternalError``: ``failure``, then ffmpeg's last line. The log goes to
    a file: a full pipe would stall ffmpeg while its input is still being written.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        quiet = [] if "pipe:0" in args else ["-nostdin"]  # no keys read from the input
        process = subprocess.Popen(  # noqa: S603
            [exe(), "-hide_banner", "-y", *quiet, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            assert process.stdin is not None  # noqa: S101 - opened above
            with contextlib.suppress(BrokenPipeError), process.stdin:  # ffmpeg ended: see below
                for path in inputs:
                    with path.open("rb") as source:
                        shutil.copyfileobj(source, process.stdin)
            process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        log.seek(0)
        text = log.read()
    if process.returncode != 0:
        last = text.strip().splitlines()[-1:] or ["no message"]
        raise ExternalError(f"{failure}: {last[0]}")
    return text
