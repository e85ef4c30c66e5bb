"""M4B: AAC in an MP4 audiobook container, chapters and tags from an FFMETADATA file.

mutagen cannot write MP4 chapters, so ffmpeg (from the imageio-ffmpeg wheel)
muxes them. ``-aac_coder fast`` is about six times faster than the default
coder at this bitrate. ``start`` returns the running process so the MP3 can
be encoded on the other core meanwhile.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from . import ffmpeg

BITRATE = "64k"


def start(
    source: Path, metadata: Path, target: Path, cover: Path | None
) -> subprocess.Popen[bytes]:
    """Start encoding ``source`` (WAV) to ``target`` (M4B); wait with ``finish``."""
    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    command += ["-i", str(source), "-f", "ffmetadata", "-i", str(metadata)]
    if cover is not None:
        command += ["-i", str(cover)]
    command += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    if cover is not None:
        command += ["-map", "2:v", "-c:v", "copy", "-disposition:v", "attached_pic"]
    command += ["-c:a", "aac", "-aac_coder", "fast", "-b:a", BITRATE]
    command += ["-fflags", "+bitexact", "-flags:a", "+bitexact"]
    command += ["-f", "ipod", "-brand", "M4B ", str(target)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603


def finish(process: subprocess.Popen[bytes]) -> None:
    """Wait for the encoder; a failure is an ``ExternalError`` with ffmpeg's last line."""
    _, err = process.communicate()
    if process.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise ffmpeg.ExternalError(f"ffmpeg could not write the M4B: {last[0]}")
