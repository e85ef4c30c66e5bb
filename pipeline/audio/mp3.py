"""MP3: the segments' frames joined after ID3v2.3 tags with CTOC/CHAP chapters (mutagen).

The tag is written first, into an empty file, and the frames are appended:
no pass over the audio rewrites it to make room for the tag. There is no
Xing/LAME header: the frames decode in step with the timings as they are
(each segment's encoder delay was taken off its leading silence).
"""

from __future__ import annotations

import mimetypes
import shutil
from collections.abc import Sequence
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCOM,
    TCON,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TXXX,
    TYER,
    CTOCFlags,
)

from pipeline.audio.assemble import ChapterTiming
from pipeline.audio.tags import Tags


def write(
    target: Path, tags: Tags, chapters: tuple[ChapterTiming, ...], parts: Sequence[Path]
) -> None:
    """Write the tags, then every part's frames in order."""
    target.write_bytes(b"")
    tag(target, tags, chapters)
    with target.open("ab") as out:
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)


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
    """Write ID3v2.3 frames: title, artist, album, language, year, narrator, chapters, cover."""
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
    if tags.narrator:  # a synthetic voice, named: where audiobook players look for a narrator
        id3.add(TCOM(encoding=1, text=tags.narrator))
        id3.add(TXXX(encoding=1, desc="NARRATOR", text=tags.narrator))
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
