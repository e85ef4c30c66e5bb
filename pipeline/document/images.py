"""Checking an image's bytes before it goes into a book, and naming it safely there.

A raster image (PNG, JPEG, GIF, WebP) is decoded whole with Pillow, not just
sniffed by its first bytes: a truncated or corrupt file is reported (I009)
instead of making an EPUB a reading system cannot show, and its size in pixels
is read from the header and refused past ``MAX_PIXELS`` (I008) before any
decoding, so a small file that claims 100,000 × 100,000 pixels costs nothing.

An SVG image is XML that can run code or fetch from the network. It is read
with expat (no DTD, no entity) and refused (I004) when it holds anything
beyond drawing: ``<script>``, ``<foreignObject>``, an ``on...`` event
attribute, a link (``href``) to anything but a fragment of itself, a CSS
``url(...)`` or ``@import`` that is not a fragment, or an XML processing
instruction such as a style sheet.

EPUB (OCF) forbids some characters in file names and reading systems compare
names without case; ``epub_names`` gives every image a name the package can hold,
the same for the same images in every build.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from pathlib import PurePosixPath
from xml.parsers import expat

MAX_PIXELS = 40_000_000
"""Width × height of the largest raster image (a 40-megapixel photograph)."""

MAX_BYTES = 32 * 1024 * 1024
"""The largest image or cover file read."""

_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


def check(data: bytes, media_type: str) -> tuple[str, str] | None:
    """(code, what is wrong) for image bytes a book must not carry, else None."""
    if media_type == "image/svg+xml":
        problem = svg_problem(data)
        return ("I004", f"is an SVG image that {problem}") if problem else None
    return raster_problem(data, media_type)


def raster_problem(data: bytes, media_type: str) -> tuple[str, str] | None:
    """I008 for too many pixels, I009 for bytes Pillow cannot decode as ``media_type``."""
    from PIL import Image  # noqa: PLC0415 - Pillow takes 40 ms to import; only books with images

    expected = _FORMATS.get(media_type)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected] if expected else None) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        "I008",
                        f"is {width:,} × {height:,} pixels; the limit is {MAX_PIXELS:,} pixels",
                    )
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return ("I008", f"has more than {MAX_PIXELS:,} pixels")
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, struct.error...
        why = str(exc).split("\n")[0][:120] or type(exc).__name__
        return ("I009", f"cannot be decoded as {expected or media_type}: {why}")
    return None


_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)


def svg_problem(data: bytes) -> str:
    """What in an SVG image goes beyond drawing ("has a <script>"), or ""."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local in {"script", "foreignObject", "iframe", "object", "embed", "handler"}:
            found.append(f"has a <{local}> element")
        target = attributes.get("attributeName", "").rpartition(":")[2].lower()
        if local in {"set", "animate"} and (target == "href" or target.startswith("on")):
            found.append(f"animates an attribute that links or runs code ({target})")
        for attribute, value in attributes.items():
            attr = attribute.rpartition(" ")[2]
            if attr.lower().startswith("on"):
                found.append(f"has an event attribute ({attr})")
            elif attr == "href" and not value.strip().startswith("#"):
                found.append("links to another file or address (href)")
            elif attr == "style" and _css_problem(value):
                found.append("has a style that loads from elsewhere (url or @import)")
        if local == "style":
            styles.append(True)

    styles: list[bool] = []
    texts: list[str] = []

    def text(data: str) -> None:
        if styles:
            texts.append(data)

    def end(name: str) -> None:
        if name.rpartition(" ")[2] == "style" and styles:
            styles.pop()
            if _css_problem("".join(texts)):
                found.append("has a style that loads from elsewhere (url or @import)")
            texts.clear()

    def refuse_dtd(*args: object) -> None:
        found.append("declares a DTD or entities")
        raise _StopError

    def instruction(target: str, data: str) -> None:
        found.append(f"has a processing instruction (<?{target}?>)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _StopError:
        pass
    except expat.ExpatError as exc:
        return f"is not well-formed XML ({expat.errors.messages[exc.code]}, line {exc.lineno})"
    return found[0] if found else ""


class _StopError(Exception):
    """Raised by a handler to stop parsing."""


def _css_problem(css: str) -> bool:
    """Whether CSS loads anything but a fragment of the same file."""
    for match in _CSS_URL.finditer(css):
        target = match.group(1)
        if target is None or not target.startswith("#"):
            return True
    return False


#: What OCF 3.3 forbids in a file name, and what a URL in the package would have to escape.
_FORBIDDEN = re.compile(r'[\x00-\x20"*:<>?\\|\x7f#%&\'{}\[\]^`]')


_SUFFIXES = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/svg+xml": (".svg",),
}


def typed_name(path: PurePosixPath, media_type: str) -> PurePosixPath:
    """``path`` with the suffix of what the file is (a JPEG named ``a.png`` is ``a.jpg`` in
    the EPUB: EPUBCheck warns of a suffix that does not match the content)."""
    suffixes = _SUFFIXES.get(media_type, ())
    if not suffixes or path.suffix.lower() in suffixes:
        return path
    return path.with_suffix(suffixes[0])


def epub_names(paths: Iterable[PurePosixPath]) -> dict[PurePosixPath, PurePosixPath]:
    """A name for each path that EPUB allows and no other differs from by case alone.

    Forbidden characters become ``_`` and a trailing dot is dropped; when two names then
    match without case, the later (in sorted order of the originals) gets ``-2``, ``-3``...
    before its suffix. The same paths always get the same names.
    """
    names: dict[PurePosixPath, PurePosixPath] = {}
    taken: set[str] = set()
    for path in sorted(set(paths)):
        parts = [_FORBIDDEN.sub("_", part).rstrip(".") or "_" for part in path.parts]
        name = PurePosixPath(*parts)
        count = 1
        while name.as_posix().casefold() in taken:
            count += 1
            stem = PurePosixPath(*parts[:-1], f"{PurePosixPath(parts[-1]).stem}-{count}")
            name = stem.with_suffix(PurePosixPath(parts[-1]).suffix)
        taken.add(name.as_posix().casefold())
        names[path] = name
    return names
