"""A cover image drawn from the metadata, for the EPUB and for audio cover art.

Building must need no system fonts and no network, so the cover uses only
Pillow and the Aileron face Pillow embeds (``ImageFont.load_default``). Light
text on a dark ground gives a contrast ratio far above WCAG AA (about 14:1),
and the type is drawn at full size, so the image stays crisp. The same
metadata always gives the same PNG bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .labels import labels
from .model import Metadata

#: 1600 x 2560 (1:1.6) is what the large e-book stores ask for.
WIDTH, HEIGHT = 1600, 2560
BACKGROUND = (27, 42, 65)
"""Deep blue ground."""
INK = (250, 247, 240)
"""Warm white text: about 14:1 against the ground."""
ACCENT = (242, 183, 5)
"""A rule between title and authors (decorative, not text)."""
MARGIN = 150


@dataclass(frozen=True, slots=True)
class Cover:
    """A generated cover: the PNG and the text alternative that describes it."""

    png: bytes
    alt: str
    media_type: str = "image/png"


def cover_alt(metadata: Metadata) -> str:
    """What the cover says, as alt text, in the book's language when it is known.

    ``labels.labels`` tells whether the words fell back to English, so the
    caller can mark the alt text's language.
    """
    _, words = labels(metadata.lang)
    title = metadata.title + (f": {metadata.subtitle}" if metadata.subtitle else "")
    text = words["cover_of"].format(title=title)
    names = [a.name for a in metadata.authors]
    if names:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1])
        if len(names) > 1:
            joined += f" {words['and']} {names[-1]}"
        text += ", " + words["by"].format(names=joined)
    text += "."
    if metadata.publisher:
        text += " " + words["published_by"].format(publisher=metadata.publisher)
    return text


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow built without FreeType
        raise RuntimeError("Pillow has no FreeType support; the cover cannot be drawn")
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking by measured width; a too-long word gets its own line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _fit(
    text: str, sizes: range, width: int, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which ``text`` fits in ``max_lines`` lines of ``width``."""
    font, lines = _font(sizes.stop), [text]
    for size in sizes:
        font = _font(size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            break
    return font, lines


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    top: int,
    *,
    bold: bool = False,
    spacing: float = 1.2,
) -> int:
    """Draw centred lines from ``top``; return the y below the last one."""
    size = int(font.size)
    y = top
    for line in lines:
        draw.text(
            (WIDTH // 2, y),
            line,
            font=font,
            fill=INK,
            anchor="ma",
            stroke_width=max(size // 40, 1) if bold else 0,
            stroke_fill=INK,
        )
        y += int(size * spacing)
    return y


def render_cover(metadata: Metadata) -> Cover:
    """Draw the cover for ``metadata`` (PNG, 1600 x 2560)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    title_font, title_lines = _fit(metadata.title, range(150, 59, -6), text_width, 6)
    y = _draw_lines(draw, title_lines, title_font, 380, bold=True, spacing=1.18)
    if metadata.subtitle:
        font, lines = _fit(metadata.subtitle, range(84, 39, -4), text_width, 4)
        y = _draw_lines(draw, lines, font, y + 60, spacing=1.25)

    y += 110
    draw.rectangle((WIDTH // 2 - 160, y, WIDTH // 2 + 160, y + 10), fill=ACCENT)
    y += 110
    for author in metadata.authors[:6]:
        font, lines = _fit(author.name, range(80, 39, -4), text_width, 2)
        y = _draw_lines(draw, lines, font, y, spacing=1.3)
    if len(metadata.authors) > 6:
        _draw_lines(draw, ["and others"], _font(60), y)

    if metadata.publisher:
        font, lines = _fit(metadata.publisher, range(60, 33, -3), text_width, 2)
        bottom = HEIGHT - MARGIN - int(font.size * 1.3) * len(lines)
        _draw_lines(draw, lines, font, bottom, spacing=1.3)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return Cover(buffer.getvalue(), cover_alt(metadata))
