"""M4B: the segments' AAC frames in an MP4 audiobook container, with chapters and tags.

mutagen cannot write MP4 chapters, so ffmpeg (from the imageio-ffmpeg wheel)
muxes the segments' ADTS frames (fed to its input), the FFMETADATA chapters and
the cover without re-encoding. Copied ADTS frames carry no priming to skip,
which is what the segments were encoded for: they decode in step with the
timings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.audio import ffmpeg


def write(target: Path, parts: Sequence[Path], metadata: Path, cover: Path | None) -> None:
    """Mux the parts' ADTS frames into ``target`` (M4B), in order, once all are encoded
    (fed to ffmpeg's input: a concatenation's list of paths would outgrow a command line)."""
    command = ["-f", "aac", "-i", "pipe:0", "-f", "ffmetadata", "-i", str(metadata)]
    if cover is not None:
        command += ["-i", str(cover)]
    command += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
    if cover is not None:
        command += ["-map", "2:v", "-c:v", "copy", "-disposition:v", "attached_pic"]
    # copied ADTS frames come with a time base of 1/28,224,000 that overflows the chapter
    # track's durations: the sample rate's is exact for AAC frames
    command += ["-c:a", "copy", "-time_base:a", "1/22050"]
    command += ["-fflags", "+bitexact", "-flags:a", "+bitexact"]
    command += ["-f", "ipod", "-brand", "M4B ", str(target)]
    ffmpeg.run(*command, inputs=parts, failure="ffmpeg could not write the M4B: ffmpeg failed")
