"""A cover image drawn from the metadata, for the EPUB and for audio cover art.

Building must need no system fonts and no network, so the cover uses Pillow
and Source Sans Pro (SIL OFL) from the ``font-source-sans-pro`` wheel: it
covers Latin, Greek and Cyrillic (Pillow's own embedded face is ASCII only and
drew "Tomás" with a box). Light text on a dark ground gives a contrast ratio
far above WCAG AA (about 13.5:1), and the type is drawn at full size, so the
image stays crisp. The same metadata always gives the same PNG bytes.

The picture is drawn as coverage on one 8-bit channel and stored as a palette
PNG (the ground, 254 blends towards the ink, the accent): it is the same
image as an RGB drawing, encoded in a tenth of the time at half the size.

Drawing still takes the Pillow import and tens of milliseconds, so
``cached_cover`` keeps each PNG by content hash in ``.cache/covers/`` beside
the output folder (``PUBLISH_COVER_CACHE`` overrides it, like the speech
cache). The key covers everything the drawing depends on (the metadata it
shows, size, colours, the font files' bytes, Pillow's version and
``COVER_FORMAT``), so a cached PNG is byte for byte the one a drawing gives.
Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import outputs
from pipeline.document.model import Metadata
from pipeline.formats.credits import credit_lines, credits, lead_in
from pipeline.words import page_words

if TYPE_CHECKING:  # Pillow is imported only to draw, never for a cached cover
    from PIL import ImageDraw, ImageFont

#: 1600 x 2560 (1:1.6) is what the large e-book stores ask for.
WIDTH, HEIGHT = 1600, 2560
BACKGROUND = (27, 42, 65)
"""Deep blue ground."""
INK = (250, 247, 240)
"""Warm white text: about 13.5:1 against the ground."""
ACCENT = (242, 183, 5)
"""A rule between title and authors (decorative, not text)."""
MARGIN = 150
MAX_CHARS = 1000
"""Of a title, subtitle, name or publisher, what is measured: six lines at the smallest size
hold about 600 characters, and measuring costs time in proportion to the text."""

#: Values of the drawing channel: 0 is the ground, TEXT full ink, RULE the accent.
TEXT, RULE = 254, 255
#: Bump when the same metadata would be drawn differently (layout, encoding...).
COVER_FORMAT = 1
Z_RLE = 3
"""zlib's run-length strategy: covers are long runs of one colour."""
FONTS = {False: "SourceSansPro-Regular.ttf", True: "SourceSansPro-Bold.ttf"}


@dataclass(frozen=True, slots=True)
class Cover:
    """A generated cover: the PNG and the text alternative that describes it."""

    png: bytes
    alt: str
    media_type: str = "image/png"


def cover_alt(metadata: Metadata) -> str:
    """What the cover says, as alt text, in the book's language when it is known.

    ``pipeline.words.marked`` tells whether the words fell back to English, so the
    caller can mark the alt text's language.
    """
    _, words = page_words(metadata.lang)
    title = metadata.title + (f": {metadata.subtitle}" if metadata.subtitle else "")
    text = words.cover_of.format(title=title)
    for credit in credits(metadata.authors, metadata.lang):
        names = list(credit.names)
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1])
        if len(names) > 1:
            joined += f" {words.and_} {names[-1]}"
        if credit.role == "aut":
            text += ", " + words.by.format(names=joined)
        else:  # "illustrated by C": the phrase continues the sentence
            phrase, space = lead_in(credit.phrase, names[0], metadata.lang)
            text += ", " + phrase[:1].lower() + phrase[1:] + space + joined
    text += "."
    if metadata.publisher:
        text += " " + words.published_by.format(publisher=metadata.publisher)
    return text


def _font_path(bold: bool) -> str:
    return str(resources.files("font_source_sans_pro") / "files" / FONTS[bold])


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(bold), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int = 0) -> list[str]:
    """Greedy line breaking by measured width; a too-long word gets its own line. With
    ``most``, it stops at ``most + 1`` lines: enough to know the text does not fit, and
    the time is then bound by the lines drawn, not by the text's length."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            if most and len(lines) > most:
                return lines
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _shortened(lines: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The first lines of a text too long for them, the last ending in an ellipsis."""
    words = lines[-1].split()
    while len(words) > 1 and font.getlength(" ".join(words) + " …") > width:
        words.pop()
    return [*lines[:-1], " ".join(words) + " …"]


def _fit(text: str, sizes: range, width: int, max_lines: int, *, bold: bool = False) -> _Block:
    """The largest size at which ``text`` fits in ``max_lines`` lines, lines balanced."""
    text = text[:MAX_CHARS]
    font, lines = _font(sizes.stop, bold), [text]
    for size in sizes:
        font = _font(size, bold)
        lines = _wrap(text, font, width, max_lines)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            break
    if len(lines) > max_lines:  # too long even at the smallest size: what fits, then "…"
        return _Block(font, tuple(_shortened(lines[:max_lines], font, width)))
    # Balance: the narrowest measure that needs no more lines avoids a lone last word.
    narrow, wide = width // 3, width
    while wide - narrow > 4:
        middle = (narrow + wide) // 2
        if len(_wrap(text, font, middle, len(lines))) <= len(lines):
            wide = middle
        else:
            narrow = middle
    balanced = _wrap(text, font, wide)
    if len(balanced) == len(lines) and all(font.getlength(line) <= width for line in balanced):
        lines = balanced
    return _Block(font, tuple(lines))


@dataclass(frozen=True, slots=True)
class _Block:
    """Lines of one text set in one font."""

    font: ImageFont.FreeTypeFont
    lines: tuple[str, ...]
    spacing: float = 1.25

    @property
    def height(self) -> int:
        return int(self.font.size * self.spacing) * len(self.lines)

    def draw(self, draw: ImageDraw.ImageDraw, top: int) -> int:
        """Draw the lines centred from ``top``; return the y below them."""
        y = top
        for line in self.lines:
            draw.text((WIDTH // 2, y), line, font=self.font, fill=TEXT, anchor="ma")
            y += int(self.font.size * self.spacing)
        return y


def _palette() -> list[int]:
    """Channel value -> colour: ground, then blends up to the ink at TEXT, then the accent."""
    blends = [
        round(ground + (ink - ground) * level / TEXT)
        for level in range(TEXT + 1)
        for ground, ink in zip(BACKGROUND, INK, strict=True)
    ]
    return blends + list(ACCENT)


def render_cover(metadata: Metadata) -> Cover:
    """Draw the cover for ``metadata`` (PNG, 1600 x 2560).

    Title, subtitle, rule and authors form one block centred on the upper part
    of the page; the publisher sits at the foot.
    """
    return Cover(_draw(metadata), cover_alt(metadata))


def _draw(metadata: Metadata) -> bytes:
    from PIL import Image, ImageDraw

    # Anti-aliased text blends the channel from 0 (ground) towards TEXT (ink).
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    if metadata.publisher:
        publisher = _fit(metadata.publisher, range(60, 33, -3), text_width, 2)
        publisher.draw(draw, HEIGHT - MARGIN - publisher.height)
        limit = HEIGHT - MARGIN - publisher.height - 120
    else:
        limit = HEIGHT - MARGIN
    names = _credited(metadata)
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4):

        def sizes(big: int, small: int, scale: float = scale) -> range:
            return range(int(big * scale), int(small * scale) - 1, -2)

        title = _fit(metadata.title, sizes(160, 60), text_width, 6, bold=True)
        title = _Block(title.font, title.lines, 1.15)
        subtitle = (
            _fit(metadata.subtitle, sizes(84, 40), text_width, 4) if metadata.subtitle else None
        )
        authors = [_fit(name, sizes(80, 40), text_width, 2) for name in names]
        rule_gap, subtitle_gap = int(110 * scale), int(50 * scale)
        height = title.height + (subtitle_gap + subtitle.height if subtitle else 0)
        height += 2 * rule_gap + 10 + sum(a.height for a in authors)
        y = max(MARGIN + 100, int(HEIGHT * 0.42) - height // 2)
        if y + height <= limit:
            break

    y = title.draw(draw, y)
    if subtitle:
        y = subtitle.draw(draw, y + subtitle_gap)
    y += rule_gap
    draw.rectangle((WIDTH // 2 - 160, y, WIDTH // 2 + 160, y + 10), fill=RULE)
    y += 10 + rule_gap
    for author in authors:
        y = author.draw(draw, y)

    image.putpalette(_palette())  # the channel becomes palette indices: mode "P"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_type=Z_RLE)
    return buffer.getvalue()


def _credited(metadata: Metadata) -> list[str]:
    """The cover's credit lines: each author's name (six at most, then "et al."), then a line
    per other role ("Illustrated by C")."""
    authors = [a.name for a in metadata.authors if a.role == "aut"]
    others = [
        line
        for c, line in zip(
            credits(metadata.authors, metadata.lang), credit_lines(metadata), strict=True
        )
        if c.role != "aut"
    ]
    return ([*authors[:6], "et al."] if len(authors) > 6 else authors) + others


def default_cache_dir(out_dir: Path) -> Path:
    """``PUBLISH_COVER_CACHE``, else ``.cache/covers`` beside the output folder."""
    override = os.environ.get("PUBLISH_COVER_CACHE")
    if override:
        return Path(override)
    return outputs.cache_folder(out_dir, "covers")


@cache
def _drawing_tools() -> list[str]:
    """Digests of the font files and Pillow's version: what draws, besides the metadata."""
    found = [hashlib.sha256(Path(_font_path(bold)).read_bytes()).hexdigest() for bold in FONTS]
    spec = find_spec("PIL")  # finds Pillow without importing it
    origin = spec.origin if spec else None
    version = Path(origin).with_name("_version.py") if origin else None
    found.append(version.read_text(encoding="utf-8") if version and version.exists() else "")
    return found


def cache_key(metadata: Metadata) -> str:
    """The content hash that names the cover of ``metadata`` in the cache."""
    shown = [
        metadata.title,
        metadata.subtitle,
        _credited(metadata),
        metadata.publisher,
    ]
    layout = [WIDTH, HEIGHT, BACKGROUND, INK, ACCENT, MARGIN]
    data = json.dumps([COVER_FORMAT, layout, shown, _drawing_tools()], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


_PNG_START = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def cached_cover(metadata: Metadata, cache_dir: Path | None) -> Cover:
    """``render_cover(metadata)``, from ``cache_dir`` when it holds it (None: no cache).

    A missing or damaged entry is drawn and stored (atomically); a cache that
    cannot be written only costs the drawing.
    """
    if cache_dir is None:
        return render_cover(metadata)
    path = cache_dir / f"{cache_key(metadata)}.png"
    try:
        png = path.read_bytes()
    except OSError:
        png = b""
    if not (png.startswith(_PNG_START) and png.endswith(_PNG_END)):
        png = _draw(metadata)
        with contextlib.suppress(OSError):
            outputs.write_bytes(path, png)
    return Cover(png, cover_alt(metadata))
