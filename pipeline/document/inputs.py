"""The files a source uses besides itself, read and checked before any writer runs.

A manuscript may use a pronunciation lexicon (``<stem>.pls`` beside it, plus
``pronunciations:`` in its front matter), images, and a cover of the author's
own (``<stem>.cover.jpg`` and the like beside it). Each is read here once, in
full, and checked, so ``publish lint`` reports every problem ``publish build``
would meet, at the file and line where it is, and a build with a broken input
stops before writing anything. Writers get the bytes in the build context;
none opens an input itself.

Nothing outside the source's folder is read: a path or a symbolic link that
leads out of it is reported, not followed.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from pipeline.context import Inputs, Picture
from pipeline.diagnostics import Diagnostic, PipelineError, diagnostic
from pipeline.document import bibliography, infile, urls
from pipeline.document import images as checks
from pipeline.document.lexicon import Lexicon, lexicon_from_bytes
from pipeline.document.model import Document
from pipeline.document.safety import image_lines

COVER_TYPES = frozenset({"image/png", "image/jpeg"})
"""What audio cover art may be (ID3 ``APIC`` and MP4 ``covr`` both take PNG and JPEG)."""


def cover_names(stem: str) -> tuple[str, ...]:
    """Names a cover of the author's own may have beside the source, in the order looked at."""
    return (f"{stem}.cover.jpg", f"{stem}.cover.png", f"{stem}-cover.jpg", f"{stem}-cover.png")


MAX_LEXICON_BYTES = 8 * 1024 * 1024
"""The largest pronunciation lexicon read (a 100,000-entry PLS file is about 10 MB... of
which a book needs a few hundred entries)."""

#: The code for each way ``infile.read`` refuses a file that exists (lexicon: A001 when
#: outside or unreadable).
_CODES = {"loop": "I007", "special": "I007", "large": "I008"}


def _shown(document: Document, name: str) -> Path:
    """A file beside the source, as diagnostics show it (next to the path the user gave)."""
    return Path(document.path).with_name(name)


def read_lexicon_of(document: Document) -> tuple[Lexicon, list[Diagnostic], Path]:
    """Front-matter pronunciations merged with ``<stem>.pls`` if present; its problems; where
    the file is looked for."""
    lexicon = Lexicon.from_pairs(document.metadata.pronunciations)
    shown = _shown(document, Path(document.path).stem + ".pls")
    if not document.source_dir:
        return lexicon, [], shown
    file = Path(document.source_dir) / shown.name
    if not os.path.lexists(file):
        return lexicon, [], shown
    data = infile.read(file, Path(document.source_dir), MAX_LEXICON_BYTES)
    if isinstance(data, infile.Refused):
        code = _CODES.get(data.kind, "A001")
        return (
            lexicon,
            [diagnostic(code, f"pronunciation lexicon {data.message}", str(shown))],
            shown,
        )
    found, problems = lexicon_from_bytes(data, str(shown))
    return lexicon.merged(found), problems, shown


def read_images(document: Document) -> tuple[dict[str, Picture], list[Diagnostic]]:
    """Every image the text shows, by ``src`` as written, read whole; and the problems."""
    found: dict[str, Picture] = {}
    problems: list[Diagnostic] = []
    refused: set[str] = set()
    for image, line in image_lines(document):
        if image.src in found or image.src in refused:
            continue
        picture, problem = _read_image(image.src, document.source_dir)
        if picture is not None:
            found[image.src] = picture
        else:
            refused.add(image.src)
            problems.append(diagnostic(problem[0], problem[1], document.path, line))
    typed = {src: checks.typed_name(p.relative, p.media_type) for src, p in found.items()}
    names = checks.epub_names(typed.values())
    renamed = {src: replace(p, relative=names[typed[src]]) for src, p in found.items()}
    return renamed, problems


def _read_image(src: str, source_dir: str) -> tuple[Picture | None, tuple[str, str]]:
    """The image's file read and sniffed, or None and (code, message)."""
    shown = src if len(src) <= 80 else src[:77] + "..."
    relative = urls.relative_image(src)
    if relative is None:
        return None, (
            "I002",
            f"image '{shown}' is not a relative path inside the source's folder; "
            "copy the file next to the manuscript and refer to it by a relative path",
        )
    file = urls.image_file(src, source_dir)
    if file is None:
        return None, ("I002", f"image '{shown}' resolves outside the source's folder")
    if file.suffix.lower() not in urls.IMAGE_TYPES:
        kinds = ", ".join(sorted(urls.IMAGE_TYPES))
        return None, ("I004", f"image '{shown}' is not a supported type ({kinds})")
    data = infile.read(file, Path(source_dir), checks.MAX_BYTES)
    if isinstance(data, infile.Refused):
        if data.kind == "missing":
            return None, ("I003", f"image file '{shown}' {data.message}")
        code = _CODES.get(data.kind, "I002" if data.kind == "outside" else "I003")
        return None, (code, f"image file '{shown}' {data.message}")
    media_type = urls.sniff_image_type(data)
    if not media_type:
        return None, ("I004", f"image '{shown}' is not a PNG, JPEG, GIF, WebP or SVG image inside")
    if problem := checks.check(data, media_type):
        return None, (problem[0], f"image '{shown}' {problem[1]}")
    return Picture(file, relative, media_type, data), ("", "")


def read_cover(document: Document) -> tuple[Picture | None, list[Diagnostic], list[Path]]:
    """The author's cover beside the source (the first name of ``cover_names`` present), its
    problems, and every place looked at."""
    stem = Path(document.path).stem
    looked = [_shown(document, name) for name in cover_names(stem)]
    if not document.source_dir:
        return None, [], looked
    folder = Path(document.source_dir)
    for shown in looked:
        file = folder / shown.name
        if not os.path.lexists(file):
            continue
        where = str(shown)
        data = infile.read(file, folder, checks.MAX_BYTES)
        if isinstance(data, infile.Refused):
            code = {"outside": "I005", **_CODES}.get(data.kind, "I006")
            return None, [diagnostic(code, f"cover image {data.message}", where)], looked
        media_type = urls.sniff_image_type(data)
        if media_type not in COVER_TYPES:
            found = f"is {media_type}" if media_type else "is not an image"
            message = f"cover image {found}; audio cover art must be PNG or JPEG"
            return None, [diagnostic("I006", message, where)], looked
        if problem := checks.raster_problem(data, media_type):
            return None, [diagnostic(problem[0], f"cover image {problem[1]}", where)], looked
        picture = Picture(file.resolve(), PurePosixPath(shown.name), media_type, data)
        return picture, [], looked
    return None, [], looked


def read_inputs(document: Document) -> tuple[Inputs, tuple[Diagnostic, ...]]:
    """Read and check everything ``document`` uses besides its text."""
    lexicon, lexicon_problems, lexicon_file = read_lexicon_of(document)
    images, image_problems = read_images(document)
    cover, cover_problems, cover_files = read_cover(document)
    files = [Path(document.path), lexicon_file, *cover_files, *bibliography.files(document)]
    for image, _ in image_lines(document):  # refused ones too: adding the file may fix it
        file = urls.image_file(image.src, document.source_dir)
        if file is not None and file not in files:
            files.append(file)
    inputs = Inputs(lexicon, MappingProxyType(images), cover, tuple(files))
    return inputs, (*lexicon_problems, *image_problems, *cover_problems)


def inputs_of(document: Document) -> Inputs:
    """The inputs of a document built in code, read as a build reads them; ``PipelineError``
    when one is broken (a build has already stopped on it)."""
    inputs, problems = read_inputs(document)
    if problems:
        raise PipelineError(problems)
    return inputs
