"""The ``audiobook`` format: a W3C Audiobooks 1.0 package (``<stem>.lpf``).

A Lightweight Packaging Format zip with ``publication.json`` (the Publication
Manifest, Audiobooks profile) at its root, the narration's MP3, its captions
(WebVTT, one cue per sentence), the cover and ``toc.html``: the table of contents
as a ``doc-toc`` navigation whose links point into the audio with media
fragments (``<stem>.mp3#t=12.300,45.600``). The manifest credits the narrator
plainly as a synthetic voice and carries accessibility metadata: the audio is
sufficient on its own (``accessModeSufficient`` auditory), with a summary in the
book's language.

It is built only when asked for (``--formats audiobook``) and pulls in the audio
writer (``needs``): the recording and its timings come from the build context
(the MP3 is streamed from the file the recording names, as the EPUB does; the
captions are made again from the timings). Like the EPUB, the zip is reproducible:
fixed order, fixed timestamps (``pipeline.epoch``).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pipeline import markup, outputs
from pipeline.context import Context, Written
from pipeline.diagnostics import UsageError
from pipeline.epoch import w3c_datetime, zip_datetime
from pipeline.formats import captions, sync
from pipeline.formats.cover import cached_cover, default_cache_dir
from pipeline.words import marked, words_for

CONTEXT = ["https://schema.org", "https://www.w3.org/ns/pub-context"]
CONFORMS_TO = "https://www.w3.org/TR/audiobooks/"
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def duration(ms: int) -> str:
    """An ISO 8601 duration in seconds, as the manifest wants it: ``PT12.345S``."""
    return f"PT{ms // 1000}.{ms % 1000:03d}S"


def _seconds(ms: int) -> str:
    return f"{ms // 1000}.{ms % 1000:03d}"


@dataclass(frozen=True, slots=True)
class Parts:
    """What goes in the package besides the audio file."""

    manifest: dict[str, Any]
    toc: str
    cover: tuple[str, str, bytes]
    """Its name in the package, media type and bytes."""


def parts(context: Context, mp3: str, vtt: str, timings: sync.Timings, narrator: str) -> Parts:
    """The manifest, the contents page and the cover of ``context``'s audiobook."""
    meta = context.document.metadata
    own = context.inputs.cover
    if own is not None:
        extension = {"image/jpeg": "jpg"}.get(own.media_type, "png")
        cover = (f"cover.{extension}", own.media_type, own.data)
        alt = ""
    else:
        drawn = cached_cover(meta, default_cache_dir(context.out_dir))
        cover, alt = ("cover.png", drawn.media_type, drawn.png), drawn.alt
    words = words_for(meta.lang)
    cover_link: dict[str, Any] = {
        "type": "LinkedResource",
        "url": cover[0],
        "encodingFormat": cover[1],
        "rel": "cover",
    }
    if alt:
        cover_link["description"] = alt
    manifest: dict[str, Any] = {
        "@context": CONTEXT,
        "conformsTo": CONFORMS_TO,
        "type": "Audiobook",
        "id": meta.identifier,
        "name": meta.title + (f": {meta.subtitle}" if meta.subtitle else ""),
        # No entity type fits a synthetic voice (Person and Organization are the manifest's
        # two), so it is named, plainly, with none.
        "readBy": [{"name": narrator}],
        "inLanguage": meta.lang,
        "dateModified": w3c_datetime(context.options.epoch),
        "duration": duration(timings.duration),
        "abridged": False,
        "accessMode": ["auditory"],
        "accessModeSufficient": [{"type": "ItemList", "itemListElement": ["auditory"]}],
        "accessibilityFeature": ["tableOfContents", "transcript"],
        "accessibilityHazard": ["none"],
        "accessibilitySummary": words.summary.audiobook,
        "readingOrder": [
            {
                "type": "LinkedResource",
                "url": mp3,
                "encodingFormat": "audio/mpeg",
                "name": meta.title,
                "duration": duration(timings.duration),
                "alternate": [
                    {
                        "type": "LinkedResource",
                        "url": vtt,
                        "encodingFormat": "text/vtt",
                        "name": words.player.captions,
                    }
                ],
            }
        ],
        "resources": [
            cover_link,
            {
                "type": "LinkedResource",
                "url": "toc.html",
                "encodingFormat": "text/html",
                "rel": "contents",
            },
            {"type": "LinkedResource", "url": vtt, "encodingFormat": "text/vtt"},
        ],
    }
    if authors := [a.name for a in meta.authors if a.role == "aut"]:
        manifest["author"] = authors
    if meta.publisher:
        manifest["publisher"] = [meta.publisher]
    if _ISO_DATE.match(meta.date):
        manifest["datePublished"] = meta.date
    words_lang = marked(meta.lang)
    items = "".join(
        f'<li><a href="{markup.attr(mp3)}#t={_seconds(c.start)},{_seconds(c.end)}">'
        f"{markup.text(c.title)}</a></li>\n"
        for c in timings.chapters
    )
    toc = (
        "<!DOCTYPE html>\n"
        f'<html lang="{markup.attr(meta.lang)}">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{markup.text(meta.title)}</title>\n</head>\n<body>\n"
        f'<nav role="doc-toc" aria-labelledby="toc"{markup.attrs(lang=words_lang)}>\n'
        f'<h1 id="toc">{markup.text(words.page.contents)}</h1>\n<ol>\n{items}</ol>\n</nav>\n'
        "</body>\n</html>\n"
    )
    return Parts(manifest, toc, cover)


def write_lpf(
    target: BinaryIO, found: Parts, audio: tuple[str, Path], vtt: tuple[str, str], epoch: int
) -> None:
    """The LPF zip: ``publication.json`` first, then the contents page, the cover, the
    captions (``(name, text)``) and the audio (``(name, file)``, streamed)."""
    stamp = zip_datetime(epoch)
    with zipfile.ZipFile(target, "w") as archive:

        def entry(name: str, method: int) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            return info

        manifest = json.dumps(found.manifest, ensure_ascii=False, indent=1) + "\n"
        archive.writestr(entry("publication.json", zipfile.ZIP_DEFLATED), manifest.encode())
        archive.writestr(entry("toc.html", zipfile.ZIP_DEFLATED), found.toc.encode())
        archive.writestr(entry(found.cover[0], zipfile.ZIP_STORED), found.cover[2])
        archive.writestr(entry(vtt[0], zipfile.ZIP_DEFLATED), vtt[1].encode())
        info = entry(audio[0], zipfile.ZIP_STORED)  # MP3 is compressed already
        info.file_size = audio[1].stat().st_size  # so zip64 is used when it must be
        with audio[1].open("rb") as source, archive.open(info, "w") as out:
            shutil.copyfileobj(source, out, 1 << 20)


@dataclass(frozen=True)
class AudiobookWriter:
    """A W3C audiobook (``<stem>.lpf``) from the narration the audio writer recorded."""

    name: str = "audiobook"
    description: str = "a W3C audiobook package (<stem>.lpf), with the audio it needs"
    uses: tuple[str, ...] = ("audio",)
    needs: tuple[str, ...] = ("audio",)
    """Asked for alone, it brings the audio writer into the build."""

    def write(self, context: Context) -> Written:
        recording = context.recording
        if recording is None:  # pragma: no cover - ``needs`` puts the audio writer first
            raise UsageError("the audiobook needs the audio: build it with --formats audio")
        from pipeline.audio.speech import credit  # noqa: PLC0415 - with audio only

        stem, timings = context.stem, recording.timings
        vtt = f"{stem}.vtt"  # the captions, made again from the timings in memory
        found = parts(
            context, recording.mp3.name, vtt, timings, credit(timings.engine, timings.voice)
        )
        path = context.out_dir / f"{stem}.lpf"
        with outputs.atomic(path) as handle:
            audio = (recording.mp3.name, outputs.current(recording.mp3))  # staged till the end
            write_lpf(
                handle, found, audio, (vtt, captions.captions(timings)), context.options.epoch
            )
        return Written((path,))
