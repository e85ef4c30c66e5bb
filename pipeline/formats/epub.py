"""The EPUB 3 writer: the document model as an accessible, reproducible book.

Chapter markup comes from the same renderer as the HTML page (as pandoc's
EPUB writer reuses its HTML writer), so citations, notes and tables read the
same in both. This module decides how the book is cut into content documents,
where every id lives (so cross-references work between files), which images
go in, and the navigation; ``epub_package`` writes the container.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from pipeline import markup, outputs
from pipeline.context import Context, Picture, Written
from pipeline.diagnostics import PipelineError
from pipeline.document import pages
from pipeline.document.ids import TITLE_PAGE_IDS
from pipeline.document.inputs import read_images
from pipeline.document.lexicon import Lexicon
from pipeline.document.model import Document, Section, ids_in
from pipeline.formats import overlays, pls, sync
from pipeline.formats.a11y_metadata import compute as compute_a11y
from pipeline.formats.cover import cached_cover, default_cache_dir
from pipeline.formats.credits import byline, copyright_lines, has_copyright_page
from pipeline.formats.epub_package import (
    XHTML,
    Landmark,
    MediaOverlayMetadata,
    NavPoint,
    Resource,
    nav_document,
    ncx_document,
    package_document,
    url,
    write_zip,
    xhtml_document,
)
from pipeline.formats.epub_style import CSS
from pipeline.formats.render import Renderer
from pipeline.formats.spoken import math as spoken_math
from pipeline.formats.typography import heading_text
from pipeline.words import page_words, words_for

#: A top-level section whose markup is larger than this is cut at its
#: subsections: some reading systems slow down or fail on big files (older
#: Adobe engines refused content documents over 300 KB).
SPLIT_BYTES = 150_000

#: Section roles by where they sit in the book (``epub:type`` on ``<body>``).
_MATTER = {
    "body": "bodymatter",
    "foreword": "frontmatter",
    "preface": "frontmatter",
    "references": "backmatter",
    "backmatter": "backmatter",
    "appendix": "backmatter",
    "acknowledgments": "backmatter",
}

CSS_HREF = "book.css"
NAV_HREF = "nav.xhtml"
COVER_HREF = "cover.xhtml"
IMAGES_DIR = "images"
COVER_IMAGE_HREF = "cover.png"
NOTES_HREF = "notes.xhtml"
COPYRIGHT_HREF = "copyright.xhtml"
AUDIO_HREF = "audio/narration.mp3"


@dataclass(frozen=True, slots=True)
class Narrated:
    """The narration a book carries: the audio writer's MP3 and its measured timings."""

    mp3: bytes | Path
    """The MP3, or its file (streamed into the zip)."""
    timings: sync.Timings
    """Where each element is spoken, as the audio writer measured it."""


@dataclass(frozen=True, slots=True)
class Part:
    """One content document of the spine."""

    href: str
    title: str
    sections: tuple[Section, ...]
    """Rendered in order; a split section appears without its subsections."""
    matter: str
    """``frontmatter``, ``bodymatter`` or ``backmatter``."""
    role: str
    """The model's section role (``references``...) or ``notes``."""


def _split(section: Section, measure: Callable[[], Renderer], limit: int) -> list[Section]:
    """A section as one piece, or cut at its subsections when it is too big."""
    if not section.subsections or len(measure().section(section).encode()) <= limit:
        return [section]
    pieces = [replace(section, subsections=())]
    for sub in section.subsections:
        pieces.extend(_split(sub, measure, limit))
    return pieces


def plan(document: Document, split_bytes: int = SPLIT_BYTES) -> tuple[Part, ...]:
    """Cut the book into content documents: one per top-level section, split if long."""
    # Only a section with subsections is measured, by rendering it: its renderer is made when
    # the first such section is, not for a book with nothing to split.
    made: list[Renderer] = []

    def measure() -> Renderer:
        if not made:
            made.append(Renderer(document))
        return made[0]

    parts: list[Part] = []
    for section in document.sections:
        for piece in _split(section, measure, split_bytes):
            number = len(parts) + 1
            title = spoken_math.title(piece.title, document.metadata.lang)
            title = heading_text(title, document.metadata.lang) or document.metadata.title
            parts.append(
                Part(
                    href=f"{number:02d}-{piece.id or 'section'}.xhtml",
                    title=title,
                    sections=(piece,),
                    matter=_MATTER.get(piece.role, "bodymatter"),
                    role=piece.role,
                )
            )
    if document.footnotes:
        words = page_words(document.metadata.lang)[1]
        parts.append(Part(NOTES_HREF, words.notes, (), "backmatter", "notes"))
    return tuple(parts)


def id_map(document: Document, parts: tuple[Part, ...]) -> dict[str, str]:
    """Which content document holds each id."""
    where: dict[str, str] = {}
    for part in parts:
        for ident in ids_in(part.sections, ()):
            where.setdefault(ident, part.href)
    for ident in ids_in((), document.footnotes):
        where.setdefault(ident, NOTES_HREF)
    where.pop("", None)
    return where


def collect_images(document: Document) -> Mapping[str, Picture]:
    """The images of a document built in code, read and checked as a build reads them
    (``inputs.read_images``); ``PipelineError`` for one a book cannot hold."""
    found, problems = read_images(document)
    if problems:
        raise PipelineError(problems)
    return found


def _image_href(picture: Picture) -> str:
    """Where an image lives in the book: ``images/`` plus its path in the source folder."""
    return f"{IMAGES_DIR}/{picture.relative.as_posix()}"


def _toc(
    document: Document, parts: tuple[Part, ...], where: dict[str, str], notes_label: str
) -> tuple[NavPoint, ...]:
    lang = document.metadata.lang

    def point(section: Section) -> NavPoint:
        children = tuple(point(s) for s in section.subsections)
        label = heading_text(spoken_math.title(section.title, lang), lang)
        return NavPoint(label, f"{where[section.id]}#{section.id}", children)

    points: list[NavPoint] = []
    first = document.sections[0] if document.sections else None
    if first is None or first.implicit:
        start = parts[0].href if parts else NAV_HREF
        subs = tuple(point(s) for s in first.subsections) if first else ()
        points.append(NavPoint(document.metadata.title, start, subs))
    points += [point(s) for s in document.sections if not s.implicit]
    if document.footnotes:
        points.append(NavPoint(notes_label, NOTES_HREF))
    return tuple(points)


def _title_page(document: Document) -> str:
    """Title, subtitle, credits and publisher, with the ids the narration voices them by."""
    meta = document.metadata
    lines = [f'<h1 id="doc-title">{markup.text(heading_text(meta.title, meta.lang))}</h1>']
    if meta.subtitle:
        lines.append(
            f'<p class="subtitle" id="doc-subtitle">'
            f"{markup.text(heading_text(meta.subtitle, meta.lang))}</p>"
        )
    if meta.authors:
        lines.append(byline(meta.authors, meta.lang).rstrip("\n"))
    if meta.publisher:
        lines.append(f'<p class="publisher" id="doc-publisher">{markup.text(meta.publisher)}</p>')
    return '<header class="title-page">\n' + "\n".join(lines) + "\n</header>\n"


def build_epub(
    document: Document,
    *,
    epoch: int,
    split_bytes: int = SPLIT_BYTES,
    narrated: Narrated | None = None,
    cover_cache: Path | None = None,
    images: Mapping[str, Picture] | None = None,
    lexicon: Lexicon | None = None,
) -> bytes:
    """The whole EPUB file for ``document`` as bytes (see ``write_epub``)."""
    buffer = io.BytesIO()
    write_epub(
        buffer,
        document,
        epoch=epoch,
        split_bytes=split_bytes,
        narrated=narrated,
        cover_cache=cover_cache,
        images=images,
        lexicon=lexicon,
    )
    return buffer.getvalue()


def write_epub(
    target: BinaryIO,
    document: Document,
    *,
    epoch: int,
    split_bytes: int = SPLIT_BYTES,
    narrated: Narrated | None = None,
    cover_cache: Path | None = None,
    images: Mapping[str, Picture] | None = None,
    lexicon: Lexicon | None = None,
) -> None:
    """Write the EPUB file for ``document`` to ``target``, the same bytes for the same inputs.

    With ``narrated``, the book carries the MP3 and a media overlay per
    content document (see ``overlays``). The cover comes from ``cover_cache``
    when it holds it (the same bytes as drawing it). ``images`` are the build's checked
    inputs; without them (a document built in code) they are read here. A ``lexicon``
    with entries is shipped as ``lexicon.pls`` and linked from every content document.
    """
    meta = document.metadata
    fallback, words = page_words(meta.lang)
    # Words the book adds itself carry their own language when it is not the book's.
    word_lang = f' xml:lang="{fallback}" lang="{fallback}"' if fallback else ""
    parts = plan(document, split_bytes)
    where = id_map(document, parts)
    images = collect_images(document) if images is None else images
    renderer = Renderer(
        document,
        href=lambda target: f"{where.get(target, '')}#{target}",
        image_src=lambda image: (
            url(_image_href(images[image.src])) if image.src in images else None
        ),
        paginated=True,
    )
    cover = cached_cover(meta, cover_cache)
    a11y = compute_a11y(document, narrated=narrated is not None)
    synced: dict[str, overlays.Overlay] = {}
    media = None
    if narrated is not None:
        located = {
            **{key: parts[0].href for key in TITLE_PAGE_IDS if parts},
            **where,
            **{heading: where[section] for section, heading in renderer.heading_ids.items()},
        }
        segments = sync.segments(narrated.timings, document, renderer.heading_ids)
        found = overlays.overlays(segments, located, tuple(p.href for p in parts), AUDIO_HREF)
        synced = {o.text_href: o for o in found}
        media = MediaOverlayMetadata(
            durations=tuple((_smil_id(o), overlays.clock(o.duration)) for o in found),
            total=overlays.clock(sum(o.duration for o in found)),
            narrator=_narrator(narrated.timings),
            active_class=overlays.ACTIVE_CLASS,
        )
    css = CSS + (overlays.ACTIVE_CSS if narrated is not None else "")
    cover_body = (
        f'<img src="{COVER_IMAGE_HREF}" alt="{markup.attr(cover.alt)}"'
        f' role="doc-cover"{word_lang}/>'
    )
    resources: list[Resource] = [
        Resource(CSS_HREF, "text/css", css.encode("utf-8"), "css"),
        Resource(COVER_IMAGE_HREF, cover.media_type, cover.png, "cover-image", ("cover-image",)),
        Resource(
            COVER_HREF,
            XHTML,
            xhtml_document(
                lang=meta.lang,
                title=words.cover,
                body=cover_body,
                css_href=CSS_HREF,
                body_attrs=' class="cover"',
            ),
            "cover",
            in_spine=True,
        ),
    ]
    toc = _toc(document, parts, where, words.notes)
    landmarks = [
        Landmark("cover", words.cover, COVER_HREF),
        Landmark("toc", words.contents, f"{NAV_HREF}#toc"),
    ]
    body_part = next((p for p in parts if p.matter == "bodymatter"), None)
    if body_part is not None:
        landmarks.append(Landmark("bodymatter", words.start, body_part.href))
    refs = next((p for p in parts if p.role == "references"), None)
    if refs is not None:
        landmarks.append(Landmark("bibliography", refs.title, refs.href))
    back = next((p for p in parts if p.matter == "backmatter" and p.role != "references"), None)
    if back is not None:
        landmarks.append(Landmark("backmatter", back.title, back.href))
    if has_copyright_page(meta):
        landmarks.append(Landmark("copyright-page", words.copyright, COPYRIGHT_HREF))
    resources.append(
        Resource(
            NAV_HREF,
            XHTML,
            nav_document(
                lang=meta.lang,
                word_lang=word_lang,
                title=words.contents,
                toc_heading=words.contents,
                landmarks_heading=words.landmarks,
                toc=toc,
                landmarks=tuple(landmarks),
                css_href=CSS_HREF,
                page_list=tuple(
                    (node.label, f"{where.get(node.id, '')}#{node.id}")
                    for node in pages.page_breaks(document)
                ),
                page_list_heading=words_for(meta.lang).spoken.locators.page[1].capitalize(),
            ),
            "nav",
            ("nav",),
            in_spine=True,
        )
    )
    spoken = lexicon is not None and bool(lexicon.entries or lexicon.phonemes)
    if lexicon is not None and spoken:
        resources.append(
            Resource(pls.HREF, pls.MEDIA_TYPE, pls.pls_document(lexicon, meta.lang), "lexicon")
        )
    for number, part in enumerate(parts, start=1):
        if part.role == "notes":
            body = renderer.footnotes()
        else:
            body = "\n".join(renderer.section(s) for s in part.sections)
        if number == 1:
            body = _title_page(document) + body
        resources.append(
            Resource(
                part.href,
                XHTML,
                xhtml_document(
                    lang=meta.lang,
                    title=part.title,
                    body=body,
                    css_href=CSS_HREF,
                    body_attrs=f' epub:type="{part.matter}"',
                    head_extra=pls.link(meta.lang) if spoken else "",
                ),
                f"doc-{number:02d}",
                ("mathml",) if "<math " in body else (),
                in_spine=True,
                media_overlay=_smil_id(synced[part.href]) if part.href in synced else "",
            )
        )
    if has_copyright_page(meta):
        resources.append(_copyright_page(meta.lang, words.copyright, copyright_lines(meta)))
    for overlay in synced.values():
        resources.append(
            Resource(overlay.href, "application/smil+xml", overlay.data, _smil_id(overlay))
        )
    if narrated is not None:
        resources.append(Resource(AUDIO_HREF, "audio/mpeg", narrated.mp3, "narration"))
    unique = {_image_href(image): image for image in images.values()}
    for number, href in enumerate(sorted(unique), start=1):
        image = unique[href]
        resources.append(Resource(href, image.media_type, image.data, f"img-{number:02d}"))
    resources.append(
        Resource(
            "toc.ncx",
            "application/x-dtbncx+xml",
            ncx_document(identifier=meta.identifier, title=meta.title, lang=meta.lang, toc=toc),
            "ncx",
        )
    )
    package = package_document(
        metadata=meta,
        a11y=a11y,
        resources=resources,
        modified_epoch=epoch,
        cover_image_id="cover-image",
        media=media,
    )
    write_zip(target, package, resources, epoch)


def _copyright_page(language: str, heading: str, lines: tuple[str, ...]) -> Resource:
    """The copyright page, last in the spine (it is not narrated)."""
    word_lang = page_words(language)[0]
    body = (
        '<section epub:type="copyright-page" aria-labelledby="copyright-title">\n'
        f'<h1 id="copyright-title"{markup.attrs(lang=word_lang)}>{markup.text(heading)}</h1>\n'
        + "".join(f"<p>{line}</p>\n" for line in lines)
        + "</section>\n"
    )
    document = xhtml_document(
        lang=language,
        title=heading,
        body=body,
        css_href=CSS_HREF,
        body_attrs=' epub:type="backmatter"',
    )
    return Resource(COPYRIGHT_HREF, XHTML, document, "copyright", in_spine=True)


def _smil_id(overlay: overlays.Overlay) -> str:
    return "smil-" + overlay.href.split("-", 1)[0].removesuffix(".smil")


def _narrator(timings: sync.Timings) -> str:
    """Who reads: the engine and voice (a synthetic voice, said plainly)."""
    from pipeline.audio.speech import credit  # noqa: PLC0415 - books with audio only

    return credit(timings.engine, timings.voice)


@dataclass(frozen=True)
class EpubWriter:
    """EPUB 3 (``<stem>.epub``), written atomically; narrated when audio is built too."""

    name: str = "epub"
    description: str = "an accessible EPUB 3 book (<stem>.epub), narrated with audio"
    uses: tuple[str, ...] = ("audio",)
    """Its recording, when audio is built in the same run, makes the book narrated."""

    def write(self, context: Context) -> Written:
        recording = context.recording
        narrated = Narrated(recording.mp3, recording.timings) if recording else None
        path = context.out_dir / f"{context.stem}.epub"
        with outputs.atomic(path) as handle:
            write_epub(
                handle,
                context.document,
                epoch=context.options.epoch,
                narrated=narrated,
                cover_cache=default_cache_dir(context.out_dir),
                images=context.inputs.images,
                lexicon=context.inputs.lexicon,
            )
        return Written((path,))
