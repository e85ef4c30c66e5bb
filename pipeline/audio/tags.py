"""What the audio files say about the work: tags, chapters and the cover.

One ``Tags`` value feeds both the MP3's ID3 frames and the M4B's metadata. The cover is
the author's own (read and checked beside the source with the other inputs, see
``pipeline.document.inputs``), else the one the EPUB carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import markup
from pipeline.audio.assemble import ChapterTiming
from pipeline.document.model import Document

#: ISO 639-2 codes for ID3 TLAN (which wants three letters), by primary subtag.
_ISO639_2 = {
    "en": "eng",
    "fr": "fra",
    "de": "deu",
    "es": "spa",
    "it": "ita",
    "pt": "por",
    "nl": "nld",
    "sv": "swe",
    "da": "dan",
    "nb": "nob",
    "fi": "fin",
    "pl": "pol",
    "cs": "ces",
}


@dataclass(frozen=True, slots=True)
class Tags:
    """Metadata written into both audio files."""

    title: str
    artist: str
    """The authors, comma-separated."""
    album: str
    language: str
    """ISO 639-2 (``eng``)."""
    year: str
    publisher: str
    description: str
    cover: Path | None = None
    narrator: str = ""
    """Who reads: a synthetic voice, named (``Piper synthetic voice (en_US-joe-medium)``).
    Written where audiobook players look for a narrator: ID3 ``TCOM`` and a ``NARRATOR``
    text frame in the MP3, ``composer`` in the M4B."""


def tags_for(document: Document, cover: Path | None, *, narrator: str = "") -> Tags:
    """Tags from the document's metadata, and the narrator credit."""
    meta = document.metadata
    primary = meta.lang.split("-", maxsplit=1)[0].lower()
    year = meta.date[:4] if re.match(r"\d{4}", meta.date) else ""
    title = f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title
    return Tags(
        title=meta.title,
        artist=", ".join(a.name for a in meta.authors if a.role == "aut"),
        album=title,
        language=_ISO639_2.get(primary, primary),
        year=year,
        publisher=meta.publisher,
        description=meta.description,
        cover=cover,
        narrator=narrator,
    )


def _escape(value: str) -> str:
    """ffmetadata's own escapes (``=;#\\`` and newline), after the character filter.

    A control character or lone surrogate in a title would otherwise reach the
    MP3 and M4B tags, which players show as text.
    """
    return re.sub(r"([=;#\\\n])", r"\\\1", markup.clean(value))


def ffmetadata(tags: Tags, chapters: tuple[ChapterTiming, ...]) -> str:
    """ffmpeg's ``;FFMETADATA1`` text: global tags and one ``[CHAPTER]`` per chapter (ms)."""
    lines = [";FFMETADATA1"]
    for name, value in (
        ("title", tags.title),
        ("artist", tags.artist),
        ("album_artist", tags.artist),
        ("album", tags.album),
        ("date", tags.year),
        ("language", tags.language),
        ("publisher", tags.publisher),
        ("description", tags.description),
        ("composer", tags.narrator),
        ("genre", "Audiobook"),
    ):
        if value:
            lines.append(f"{name}={_escape(value)}")
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(chapter.start * 1000)}",
            f"END={round(chapter.end * 1000)}",
            f"title={_escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"
