"""Level and encode segments to MP3 and AAC frames, a batch per ffmpeg run, cached by content.

Each segment of a batch is levelled in numpy (``dynamics.level``) and
written as a WAV file; one ffmpeg run (one start-up) then encodes them all
to MP3 (LAME) and AAC at once, each segment through its own encoders, so its
frames depend on nothing else. The encoders' delays are taken off the
segment's leading silence (``MP3_DELAY``, ``AAC_DELAY``) and exactly
``length / frame`` frames are kept, so a segment decodes to exactly its
samples, in place. The frames are stored in the cache under the segment's
key (``<cache>/segments/``), AAC first, so a segment whose MP3 exists is
complete.

ffmpeg runs in its own process group: a Ctrl-C at the terminal reaches the
build, which then stops the encoders itself (``Runner.stop``), so it never
reads an encoder's failure where there was an interruption.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.audio import ffmpeg
from pipeline.audio.assemble import Segment
from pipeline.audio.speech import SAMPLE_RATE
from pipeline.audio.speech.cache import checksum, drop, sum_path, wav_header, write_atomically

SEGMENT_FORMAT = 2
"""Bump when the encoded frames change meaning."""
MP3_FRAME = 576
"""Samples per MPEG-2 Layer III frame (22,050 Hz)."""
AAC_FRAME = 1024
MP3_DELAY = 576 + 529
"""LAME's encoder delay plus the decoder's: an MP3 decodes this late."""
AAC_DELAY = 1024
"""ffmpeg's AAC priming: the first frame's worth of samples."""
PAD = 2048
"""Silence fed after a segment so both encoders flush every frame it needs."""
MP3_BITRATE = "96k"
"""Quantisation noise raises true peaks (measured 2–3 dB at 96 kbit/s, more at 64): the
limiter leaves room for it (``dynamics.CEILING_DBFS``)."""
MP3_QUALITY = 2
"""LAME's ``-q`` (0 best, 9 fastest); 2 is LAME's "near-best" setting."""
AAC_QUALITY = "1.3"
"""The AAC encoder's constant-quality (VBR) setting. Held to a bitrate, the encoder retries
frames until they fit: at 64 kbit/s it took 0.71 s of CPU for the article's 254 s of speech,
where quality 1.3 took 0.51 s, for about the same size (79 kbit/s against 77 with the ADTS
headers) and less noise (SNR 33.4 dB against 29.5)."""
AAC_OPTIONS = ("-aac_coder", "fast", "-aac_tns", "0", "-aac_pns", "0", "-q:a", AAC_QUALITY)
"""ffmpeg's fastest AAC coder, without temporal noise shaping and noise substitution: 5% less
CPU, and on the levelled article the decoded AAC is no further from its source (SNR 23.8 dB
against 23.4 with both, at 64 kbit/s)."""


def settings() -> str:
    """What, besides its samples, determines a segment's frames (part of its cache key)."""
    exe = Path(ffmpeg.exe())
    size = exe.stat().st_size if exe.exists() else 0
    from pipeline.audio import dynamics

    levelling = dynamics.settings()
    encoders = [MP3_BITRATE, MP3_QUALITY, AAC_OPTIONS, exe.name, size]
    return repr([SEGMENT_FORMAT, levelling, encoders])


def _folder(cache_dir: Path) -> Path:
    return cache_dir / "segments"


def paths(cache_dir: Path, segment: Segment, setting: str) -> tuple[Path, Path]:
    """Where a segment's MP3 and AAC frames are cached."""
    digest = hashlib.sha256(f"{setting}\n{segment.key}".encode()).hexdigest()
    folder = _folder(cache_dir) / digest[:2]
    return folder / f"{digest}.mp3", folder / f"{digest}.aac"


def cached(cache_dir: Path, segment: Segment, setting: str) -> bool:
    """Whether a segment's frames are in the cache and whole (its checksum is written last;
    before entries had one, the MP3 was, and the frames are counted). A damaged entry is
    dropped (``cache.drop``): a miss, encoded again."""
    mp3, aac = paths(cache_dir, segment, setting)
    if not mp3.exists():
        return False
    try:
        mp3_data, aac_data = mp3.read_bytes(), aac.read_bytes()
        stored = sum_path(mp3)
        if stored.exists():
            whole = stored.read_text(encoding="ascii").strip() == checksum(mp3_data, aac_data)
        else:
            mp3_count = len(mp3_frames(mp3_data)) - 1
            aac_count = len(aac_frames(aac_data)) - 1
            whole = (mp3_count, aac_count) == (
                segment.length // MP3_FRAME,
                segment.length // AAC_FRAME,
            )
    except (OSError, ValueError, IndexError, KeyError):
        whole = False
    if not whole:
        drop((mp3, aac, sum_path(mp3)))
    return whole


# --- frames -----------------------------------------------------------------------------

_MP3_BITRATES = {  # kbit/s by index, MPEG-2/2.5 Layer III (MPEG-1 Layer III)
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0),
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frames(data: bytes) -> list[int]:
    """Byte offsets of the Layer III frames in ``data`` (raw frames, no tags), and its end."""
    offsets: list[int] = []
    at = 0
    while at + 4 <= len(data):
        b1, b2, b3 = data[at + 1], data[at + 2], data[at + 3]
        if data[at] != 0xFF or b1 & 0xE0 != 0xE0 or b1 & 0x06 != 0x02:
            raise ValueError(f"no MP3 frame at byte {at}")
        version = (b1 >> 3) & 0x03
        kbps = _MP3_BITRATES[1 if version == 3 else 2][b2 >> 4]
        rate = _MP3_RATES[version][(b2 >> 2) & 0x03]
        padding = (b2 >> 1) & 0x01
        size = (144 if version == 3 else 72) * kbps * 1000 // rate + padding
        del b3
        offsets.append(at)
        at += size
    offsets.append(at)
    return offsets


def aac_frames(data: bytes) -> list[int]:
    """Byte offsets of the ADTS frames in ``data``, and its end."""
    offsets: list[int] = []
    at = 0
    while at + 7 <= len(data):
        if data[at] != 0xFF or data[at + 1] & 0xF6 != 0xF0:
            raise ValueError(f"no ADTS frame at byte {at}")
        size = ((data[at + 3] & 0x03) << 11) | (data[at + 4] << 3) | (data[at + 5] >> 5)
        offsets.append(at)
        at += size
    offsets.append(at)
    return offsets


def _keep(data: bytes, offsets: list[int], count: int, what: str) -> bytes:
    if len(offsets) - 1 < count:
        raise ffmpeg.ExternalError(f"ffmpeg wrote {len(offsets) - 1} {what} frames, not {count}")
    return data[: offsets[count]]


# --- ffmpeg runs -------------------------------------------------------------------------


class Runner:
    """Runs ffmpeg for the batches of one build; ``stop`` kills what is running and refuses
    to start more (after Ctrl-C or a failure elsewhere), so a build stops at once instead of
    waiting for every batch already handed to an encoder thread."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for process in self._running:
                process.kill()

    def run(self, args: list[str]) -> str:
        """Run ffmpeg to the end, in a process group of its own; return its log."""
        command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-nostats", "-y", *args]
        with self._lock:
            if self._stopped:
                raise ffmpeg.ExternalError("audio encoding was stopped")
            process = subprocess.Popen(  # noqa: S603
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, process_group=0
            )
            self._running.add(process)
        try:
            _, err = process.communicate()
        finally:
            with self._lock:
                self._running.discard(process)
        log = err.decode("utf-8", "replace")
        if process.returncode != 0:
            last = log.strip().splitlines()[-1:] or ["no message"]
            raise ffmpeg.ExternalError(f"ffmpeg could not encode the audio: {last[0]}")
        return log


def encode_batch(
    segments: Sequence[Segment],
    cache_dir: Path,
    setting: str,
    work: Path,
    run: Callable[[list[str]], str],
) -> None:
    """Level and encode segments in one ffmpeg run (``run``); store their frames in the cache,
    the AAC first: a segment whose MP3 is cached is complete."""
    import numpy as np

    from pipeline.audio.dynamics import level

    with tempfile.TemporaryDirectory(prefix="batch.", dir=work) as folder:
        here = Path(folder)
        inputs: list[str] = []
        for i, segment in enumerate(segments):
            wav = here / f"s{i}.wav"
            with wav.open("wb") as out:
                out.write(wav_header(segment.length + PAD))
                samples = np.frombuffer(b"".join(segment.chunks()), dtype="<i2")
                out.write(level(samples).astype("<i2", copy=False).data)
                out.write(bytes(2 * PAD))
            inputs += ["-i", str(wav)]
        graph = ";".join(
            f"[{i}:a]asplit=2[x{i}][y{i}];"
            f"[x{i}]atrim=start_sample={MP3_DELAY}[m{i}];"
            f"[y{i}]atrim=start_sample={AAC_DELAY}[a{i}]"
            for i in range(len(segments))
        )
        mp3 = _outputs(len(segments), here, "m", _MP3_OPTIONS)
        aac = _outputs(len(segments), here, "a", ["-c:a", "aac", *AAC_OPTIONS])
        run([*inputs, "-filter_complex", graph, *mp3, *aac])
        for i, segment in enumerate(segments):
            data = (here / f"a{i}.aac").read_bytes()
            kept = _keep(data, aac_frames(data), segment.length // AAC_FRAME, "AAC")
            write_atomically(paths(cache_dir, segment, setting)[1], kept)
        for i, segment in enumerate(segments):
            data = (here / f"m{i}.mp3").read_bytes()
            kept = _keep(data, mp3_frames(data), segment.length // MP3_FRAME, "MP3")
            mp3_file, aac_file = paths(cache_dir, segment, setting)
            write_atomically(mp3_file, kept)
            stored = checksum(kept, aac_file.read_bytes()).encode("ascii")
            write_atomically(sum_path(mp3_file), stored)


_EXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact"]
_MP3_OPTIONS = ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-compression_level", str(MP3_QUALITY)]
_MP3_OPTIONS += ["-write_xing", "0", "-id3v2_version", "0"]


def _outputs(count: int, here: Path, letter: str, codec: list[str]) -> list[str]:
    """Filter output ``[<letter><i>]`` to ``<letter><i>.mp3`` or ``.aac`` in ``here``."""
    suffix, muxer = ("mp3", "mp3") if letter == "m" else ("aac", "adts")
    outputs: list[str] = []
    for i in range(count):
        outputs += ["-map", f"[{letter}{i}]", *_EXACT, *codec]
        outputs += ["-f", muxer, str(here / f"{letter}{i}.{suffix}")]
    return outputs


assert SAMPLE_RATE == 22050, "MP3_FRAME assumes MPEG-2 Layer III at 22,050 Hz"  # noqa: S101
