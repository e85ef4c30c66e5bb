"""The ffmpeg executable: the static build from the ``imageio-ffmpeg`` wheel.

No system package is needed. ``PUBLISH_FFMPEG`` may name another build.
"""

from __future__ import annotations

import os
import subprocess
from functools import cache

from ..diagnostics import ExternalError

__all__ = ["ExternalError", "exe", "run"]


@cache
def exe() -> str:
    """Path of the ffmpeg to run."""
    override = os.environ.get("PUBLISH_FFMPEG")
    if override:
        return override
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise ExternalError(f"ffmpeg is not available ({exc}); reinstall the project") from None


def run(*args: str) -> str:
    """Run ffmpeg quietly and return what it printed on standard error."""
    command = [exe(), "-hide_banner", "-nostdin", "-y", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise ExternalError(f"ffmpeg failed: {last[0]}")
    return done.stderr
