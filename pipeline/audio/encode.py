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
build, which then stops the encoders itself (``Runner.stop``).
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from pipeline.audio import ffmpeg
from pipeline.audio.assemble import Segment
from pipeline.audio.speech import SAMPLE_RATE
from pipeline.audio.speech.cache import wav_header, write_atomically

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
    """Whether a segment's frames are in the cache (its MP3 is written last)."""
    return paths(cache_dir, segment, setting)[0].exists()


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
    """Runs ffmpeg for the batches of one build; ``stop`` kills what is running and
    refuses to start more (after Ctrl-C or a failure elsewhere).

    While several batches encode at once, each ffmpeg may be kept on a core of its own
    (``core``): its MP3 and AAC encoders then share that core, and the frames its threads
    hand each other do not wake another core. Measured (cold audio builds, interleaved):
    4-6% less wall time for the article and 1k words. Once an encoder runs out of work,
    ``release`` lets the batches still running use every core again.
    """

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopped = False
        self._released = False

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for process in self._running:
                process.kill()

    def release(self) -> None:
        """Let the batches still encoding, and any started from now on, use every core."""
        with self._lock:
            self._released = True
            for process in self._running:
                ffmpeg.release(process.pid)

    def run(self, args: list[str], core: int | None = None, *, placed: bool = False) -> str:
        """Run ffmpeg to the end (on ``core`` alone, unless released, or ``placed`` there
        whatever happens); return its log."""
        command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-nostats", "-y", *args]
        with self._lock:
            if self._stopped:
                raise ffmpeg.ExternalError("audio encoding was stopped")
            with ffmpeg.started_on(core if placed or not self._released else None):
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
        self,
        segments: Sequence[Segment],
        cache_dir: Path,
        setting: str,
        work: Path,
        core: int | None = None,
        *,
        split: bool = False,
        aac_stored: Callable[[], None] = lambda: None,
    ) -> None:
        """Level and encode segments (on ``core`` alone, if given); store their frames.

        ``split`` (see ``encode_batch``): LAME runs on a core of its own, the last, and the
        AAC encoder on the first, where the M4B mux runs too (``ffmpeg.run``), so that neither
        slows LAME, the longest of the three. Left to the scheduler, a one-sentence edit of
        the article took 0.21 s; placed, 0.17 s.
        """
        if not split:
            run = functools.partial(self.run, core=core)
            encode_batch(segments, cache_dir, setting, work, run, aac_stored=aac_stored)
            return
        allowed = ffmpeg.cores()
        first, last = (allowed[0], allowed[-1]) if len(allowed) > 1 else (None, None)
        encode_batch(
            segments,
            cache_dir,
            setting,
            work,
            functools.partial(self.run, core=last, placed=True),
            split=True,
            aac_stored=aac_stored,
            run_aac=functools.partial(self.run, core=first, placed=True),
        )


def encode_batch(
    segments: Sequence[Segment],
    cache_dir: Path,
    setting: str,
    work: Path,
    run: Callable[[list[str]], str],
    *,
    split: bool = False,
    aac_stored: Callable[[], None] = lambda: None,
    run_aac: Callable[[list[str]], str] | None = None,
) -> None:
    """Level and encode segments; store their frames in the cache, the AAC first, and call
    ``aac_stored`` once the AAC frames are stored.

    ``split``: encode the MP3 and the AAC in two ffmpeg runs at once instead of one (the AAC
    with ``run_aac``, if given). For a batch alone (the segment an edit changed) the AAC,
    encoded in about half LAME's time, is then stored while LAME still runs, and the M4B can
    be muxed meanwhile.
    """
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
        mp3 = _encoding(len(segments), here, "m", MP3_DELAY, _mp3_options())
        aac = _encoding(len(segments), here, "a", AAC_DELAY, ["-c:a", "aac", *AAC_OPTIONS])

        def store_aac() -> None:
            for i, segment in enumerate(segments):
                data = (here / f"a{i}.aac").read_bytes()
                kept = _keep(data, aac_frames(data), segment.length // AAC_FRAME, "AAC")
                write_atomically(paths(cache_dir, segment, setting)[1], kept)
            aac_stored()

        def store_mp3() -> None:
            for i, segment in enumerate(segments):
                data = (here / f"m{i}.mp3").read_bytes()
                kept = _keep(data, mp3_frames(data), segment.length // MP3_FRAME, "MP3")
                write_atomically(paths(cache_dir, segment, setting)[0], kept)

        if not split:
            graph = ";".join(
                f"[{i}:a]asplit=2[x{i}][y{i}];"
                f"[x{i}]atrim=start_sample={MP3_DELAY}[m{i}];"
                f"[y{i}]atrim=start_sample={AAC_DELAY}[a{i}]"
                for i in range(len(segments))
            )
            run([*inputs, "-filter_complex", graph, *mp3.outputs, *aac.outputs])
            store_aac()
            store_mp3()
            return
        failed: list[BaseException] = []

        def aac_side() -> None:
            try:
                (run_aac or run)([*inputs, "-filter_complex", aac.graph, *aac.outputs])
                store_aac()
            except BaseException as exc:  # raised in the batch's thread below
                failed.append(exc)

        side = threading.Thread(target=aac_side, name="aac")
        side.start()
        try:
            run([*inputs, "-filter_complex", mp3.graph, *mp3.outputs])
        finally:
            side.join()
        if failed:
            raise failed[0]
        store_mp3()  # after the AAC: a segment whose MP3 is cached is complete


class _Encoding(NamedTuple):
    """One format's part of an ffmpeg run: the filters that take its delay off each input,
    and its outputs."""

    graph: str
    outputs: list[str]


_EXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact"]


def _mp3_options() -> list[str]:
    return [
        "-c:a",
        "libmp3lame",
        "-b:a",
        MP3_BITRATE,
        "-compression_level",
        str(MP3_QUALITY),
        "-write_xing",
        "0",
        "-id3v2_version",
        "0",
    ]


def _encoding(count: int, here: Path, letter: str, delay: int, codec: list[str]) -> _Encoding:
    """Input ``i`` (its ``delay`` taken off) to ``<letter><i>.mp3`` or ``.aac`` in ``here``."""
    suffix, muxer = ("mp3", "mp3") if letter == "m" else ("aac", "adts")
    graph = ";".join(f"[{i}:a]atrim=start_sample={delay}[{letter}{i}]" for i in range(count))
    outputs: list[str] = []
    for i in range(count):
        outputs += ["-map", f"[{letter}{i}]", *_EXACT, *codec]
        outputs += ["-f", muxer, str(here / f"{letter}{i}.{suffix}")]
    return _Encoding(graph, outputs)


assert SAMPLE_RATE == 22050, "MP3_FRAME assumes MPEG-2 Layer III at 22,050 Hz"  # noqa: S101
