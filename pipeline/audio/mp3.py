"""MP3: lameenc in-process, then ID3v2.3 tags and CTOC/CHAP chapters with mutagen.

Audio is read from the normalised WAV in blocks and encoded as it is read,
so memory does not grow with the book.
"""

from __future__ import annotations

import mimetypes
import wave
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

from .assemble import ChapterTiming
from .tags import Tags

BITRATE_KBPS = 64
BLOCK_FRAMES = 1 << 16
ENCODER_DELAY = 576 + 529
"""Samples LAME puts before the audio. lameenc writes no LAME/Xing header, so decoders
cannot remove them: as many samples of the head silence are left out instead, and the
MP3 then decodes in step with the timings (measured: 50 ms late without this)."""


def encode(source: Path, target: Path) -> None:
    """Encode a 16-bit mono WAV to MP3, block by block."""
    with wave.open(str(source), "rb") as wav, target.open("wb") as out:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(BITRATE_KBPS)
        encoder.set_in_sample_rate(wav.getframerate())
        encoder.set_channels(wav.getnchannels())
        encoder.set_quality(2)
        wav.readframes(ENCODER_DELAY)  # head silence only (0.75 s of it)
        while block := wav.readframes(BLOCK_FRAMES):
            out.write(encoder.encode(block))
        out.write(encoder.flush())


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
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=1, text="Chapters")],
        )
    )
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
