"""MP3: lameenc in-process, then ID3v2.3 tags and CTOC/CHAP chapters with mutagen.

Audio is read from the normalised WAV in blocks and encoded as it is read,
so memory does not grow with the book. The encoded file is measured: if
encoding pushed its true peak over ``MAX_TRUE_PEAK``, it is encoded again
from the same audio through a tighter limiter.
"""

from __future__ import annotations

import mimetypes
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import lameenc
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TYER,
    CTOCFlags,
)

from . import ffmpeg
from .assemble import ChapterTiming
from .loudness import LIMIT_DBTP, Loudness, measure
from .tags import Tags

BITRATE_KBPS = 96
"""At 64 kbit/s, quantisation noise raised the article's true peak by up to 2.1 dB (over
the −3 dBTP limit once the audio sits at −18 LUFS); at 96 kbit/s by 1.0 dB."""
BLOCK_FRAMES = 1 << 16
ENCODER_DELAY = 576 + 529
"""Samples LAME puts before the audio. lameenc writes no LAME/Xing header, so decoders
cannot remove them: as many samples of the head silence are left out instead, and the
MP3 then decodes in step with the timings (measured: 50 ms late without this)."""


MAX_TRUE_PEAK = -3.5
"""The MP3's true peak must stay under this (the requirement is −3 dBTP)."""


def _blocks(source: Path, ceiling_db: float | None) -> Iterator[bytes]:
    """The source's samples in blocks, through a tighter true-peak limiter when asked."""
    if ceiling_db is None:
        with wave.open(str(source), "rb") as wav:
            while block := wav.readframes(BLOCK_FRAMES):
                yield block
        return
    with wave.open(str(source), "rb") as wav:
        rate = wav.getframerate()
    limiter = (
        f"aresample={rate * 4},alimiter=limit={10 ** (ceiling_db / 20):.4f}"
        f":attack=1:release=40:level=false,aresample={rate}"
    )
    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(source)]
    command += ["-af", limiter, "-ac", "1", "-f", "s16le", "-"]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:  # noqa: S603
        stream = process.stdout
        if stream is None:  # cannot happen with stdout=PIPE; keeps the types exact
            return
        while block := stream.read(BLOCK_FRAMES * 2):
            yield block
    if process.returncode != 0:
        raise ffmpeg.ExternalError("ffmpeg could not limit the audio for the MP3")


def encode(source: Path, target: Path, ceiling_db: float | None = None) -> None:
    """Encode a 16-bit mono WAV to MP3, block by block (optionally limited first)."""
    with wave.open(str(source), "rb") as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(channels)
    encoder.set_quality(2)
    skip = ENCODER_DELAY * 2  # bytes of head silence left out
    with target.open("wb") as out:
        for block in _blocks(source, ceiling_db):
            dropped = min(skip, len(block))
            skip -= dropped
            if len(block) > dropped:
                out.write(encoder.encode(block[dropped:]))
        out.write(encoder.flush())


def encode_within_peak(source: Path, target: Path) -> Loudness:
    """Encode and measure; if encoding raised the peaks too far, encode again through a
    tighter limiter (this costs a little loudness, so it is the exception)."""
    encode(source, target)
    measured = measure(target)
    if measured.true_peak <= MAX_TRUE_PEAK:
        return measured
    ceiling = LIMIT_DBTP - (measured.true_peak - MAX_TRUE_PEAK) - 0.5
    encode(source, target, ceiling)
    return measure(target)


#: A CTOC frame counts its entries in one byte.
_CTOC_MAX = 255


def _tables_of_contents(ids: list[str]) -> list[CTOC]:
    """One top-level CTOC; past 255 chapters it lists child CTOCs of up to 255 each."""
    top = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    if len(ids) <= _CTOC_MAX:
        title = [TIT2(encoding=1, text="Chapters")]
        return [CTOC(element_id="toc", flags=top, child_element_ids=ids, sub_frames=title)]
    groups = [ids[i : i + _CTOC_MAX] for i in range(0, len(ids), _CTOC_MAX)]
    if len(groups) > _CTOC_MAX:
        raise ValueError(f"{len(ids)} chapters are more than an ID3 table of contents can hold")
    names = [f"toc{n}" for n in range(1, len(groups) + 1)]
    children = [
        CTOC(
            element_id=name,
            flags=CTOCFlags.ORDERED,
            child_element_ids=group,
            sub_frames=[TIT2(encoding=1, text=f"Chapters {first}–{first + len(group) - 1}")],
        )
        for name, group, first in zip(names, groups, range(1, len(ids) + 1, _CTOC_MAX), strict=True)
    ]
    parent = CTOC(
        element_id="toc",
        flags=top,
        child_element_ids=names,
        sub_frames=[TIT2(encoding=1, text="Chapters")],
    )
    return [parent, *children]


def tag(path: Path, tags: Tags, chapters: tuple[ChapterTiming, ...]) -> None:
    """Write ID3v2.3 frames: title, artist, album, language, year, chapters, cover."""
    id3 = ID3()
    id3.add(TIT2(encoding=1, text=tags.title))
    if tags.artist:
        id3.add(TPE1(encoding=1, text=tags.artist))
    id3.add(TALB(encoding=1, text=tags.album))
    id3.add(TLAN(encoding=1, text=tags.language))
    id3.add(TCON(encoding=1, text="Audiobook"))
    if tags.year:
        id3.add(TYER(encoding=1, text=tags.year))
    if tags.publisher:
        id3.add(TPUB(encoding=1, text=tags.publisher))
    if tags.description:
        id3.add(COMM(encoding=1, lang=tags.language[:3] or "eng", desc="", text=tags.description))
    ids = [f"chp{index}" for index in range(len(chapters))]
    for frame in _tables_of_contents(ids):
        id3.add(frame)
    for element, chapter in zip(ids, chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                sub_frames=[TIT2(encoding=1, text=chapter.title)],
            )
        )
    if tags.cover is not None:
        mime = mimetypes.guess_type(tags.cover.name)[0] or "image/jpeg"
        id3.add(APIC(encoding=1, mime=mime, type=3, desc="Cover", data=tags.cover.read_bytes()))
    id3.save(str(path), v2_version=3)
