"""Reading a manuscript from disk into normalised text, with precise errors.

Accepts what editors really write (a UTF-8 byte-order mark, CRLF or CR line
endings) and refuses, with a position, what cannot be a Markdown manuscript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.diagnostics import Diagnostic, PipelineError, diagnostic

#: Larger sources are refused before parsing (a guard against runaway input,
#: not a limit authors meet: a 500-page book is about 3 MB).
MAX_SOURCE_BYTES = 64 * 1024 * 1024

# C0 controls other than tab and newline, DEL, and C1 controls have no place in
# prose and break XML outputs; NUL also truncates C strings in speech engines.
# U+FFFE and U+FFFF are valid UTF-8 but no XML file can hold them either.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufffe\uffff]")


_NONCHARACTERS = "\ufffe\uffff"


@dataclass(frozen=True, slots=True)
class SourceText:
    """A manuscript as text, with the path it came from."""

    path: str
    """The path as the user gave it (used in diagnostics)."""
    text: str
    """Decoded text with ``\\n`` line endings and no byte-order mark."""
    directory: Path
    """Folder of the source: relative image paths resolve against it."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Problems found while reading that did not stop it (e.g. control characters)."""


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def decode(data: bytes, path: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """Decode UTF-8 (with or without BOM), normalise line endings, blank controls.

    Control characters become spaces, so every later column still points at
    the author's file; each gets a warning.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        line, col = _position(good, len(good))
        raise PipelineError(
            [
                diagnostic(
                    "S002",
                    f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8; "
                    "save the file as UTF-8",
                    path,
                    line,
                    col,
                )
            ]
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: list[Diagnostic] = []
    for bad in _FORBIDDEN.finditer(text):
        if len(found) == 20:
            break
        line, col = _position(text, bad.start())
        kind = "noncharacter" if bad.group() in _NONCHARACTERS else "control character"
        found.append(
            diagnostic(
                "S004",
                f"{kind} U+{ord(bad.group()):04X} is replaced by a space",
                path,
                line,
                col,
            )
        )
    if found:
        text = _FORBIDDEN.sub(" ", text)
    if not text.strip():
        raise PipelineError([diagnostic("S003", "the document is empty", path)])
    return text, tuple(found)


def read_source(path: str | Path) -> SourceText:
    """Read and decode a manuscript, raising ``PipelineError`` with a diagnostic."""
    shown = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if file.is_dir():
            raise IsADirectoryError(shown)
        if size > MAX_SOURCE_BYTES:
            raise PipelineError(
                [
                    diagnostic(
                        "S005",
                        f"source is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,}",
                        shown,
                    )
                ]
            )
        data = file.read_bytes()
    except FileNotFoundError:
        raise PipelineError([diagnostic("S001", "no such file", shown)]) from None
    except IsADirectoryError:
        raise PipelineError([diagnostic("S001", "is a directory, not a file", shown)]) from None
    except PermissionError:
        raise PipelineError([diagnostic("S001", "permission denied", shown)]) from None
    except OSError as exc:
        raise PipelineError([diagnostic("S001", exc.strerror or str(exc), shown)]) from None
    text, found = decode(data, shown)
    return SourceText(shown, text, file.resolve().parent, found)
