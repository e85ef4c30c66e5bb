"""Which URLs from a manuscript may reach an output.

A source is untrusted: a link may only use a scheme that cannot run code or
smuggle content (``javascript:``, ``data:``, ``vbscript:``, ``file:`` never
pass), and an image may only be a relative path that stays inside the
source's folder. Both the HTML page and the EPUB ask here, so they agree.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

#: Schemes a reader's link may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: Image types a page may embed, by file extension, with their media type.
IMAGE_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff_image_type(data: bytes) -> str:
    """The media type an image's bytes show, or "" when they are no image we accept.

    Read from the content, not the name, so a mislabelled or fake file is caught.
    """
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:4096].lstrip()
    if head.startswith((b"<?xml", b"<svg")) and b"<svg" in head:
        return "image/svg+xml"
    return ""


# Browsers ignore ASCII whitespace and controls inside a scheme ("java\tscript:").
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def scheme(url: str) -> str:
    """The lower-case scheme a browser would see, or "" for a relative URL."""
    cleaned = _IGNORED.sub("", url)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def safe_link(url: str) -> bool:
    """Whether a link target may be written as an ``href``."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return False
    for candidate in (url, unquote(url)):  # "java%09script:" must not slip through either
        found = scheme(candidate)
        if found and found not in SAFE_SCHEMES:
            return False
    return not url.strip().startswith("//")  # protocol-relative: another host


def relative_image(src: str) -> PurePosixPath | None:
    """The path of an image written as a plain relative path, else None.

    No scheme, no leading slash or drive, no ``..`` segment (after percent-decoding),
    no query or fragment: only a file below the source's folder.
    """
    if not src or scheme(src) or any(c in src for c in "?#\\\x00"):
        return None
    decoded = unquote(src)  # markdown-it percent-encodes a tab or a backslash it is given
    if scheme(decoded) or any(c in decoded for c in "\\\x00"):
        return None
    path = PurePosixPath(decoded)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if re.match(r"[A-Za-z]:", path.parts[0]):
        return None
    return path


def image_file(src: str, source_dir: str) -> Path | None:
    """The image's file if it resolves, symlinks included, inside ``source_dir``."""
    relative = relative_image(src)
    if relative is None or not source_dir:
        return None
    root = Path(source_dir).resolve()
    try:
        candidate = (root / relative).resolve()
    except (OSError, RuntimeError):  # a link loop: reading it says so (``infile.read``)
        return root / relative
    if candidate == root or root not in candidate.parents:
        return None
    return candidate
