"""A first look at an EPUB before any validator opens it.

EPUBCheck and Ace trust the archive they are given: a file that is not a ZIP
makes Ace write no report, an entity bomb in ``container.xml`` keeps
EPUBCheck's JVM busy for as long as it is allowed to run, and a huge entry is
inflated in full. This module reads the archive's directory and its XML with
limits first; a book it refuses is reported with the reason and never handed
to the validators (nothing is extracted: entries are read into memory, up to
a limit, so an entry named ``../../x`` writes nothing anywhere).

Limits (each can be changed by an environment variable, documented in
docs/check.md): an entry inflates to at most ``PUBLISH_CHECK_MAX_ENTRY_MB``
(256) MiB, the whole book to ``PUBLISH_CHECK_MAX_BOOK_MB`` (1024) MiB, an
entry above 1 MiB at most ``PUBLISH_CHECK_MAX_RATIO`` (100) times its
compressed size, and the book holds at most ``PUBLISH_CHECK_MAX_ENTRIES``
(10,000) entries. XML is parsed with DTD entity declarations and external
references refused (defusedxml), so no entity is ever expanded.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.check.findings import Finding
from pipeline.diagnostics import Severity

MIB = 1024 * 1024
CONTAINER = "META-INF/container.xml"
#: Entries parsed as XML (the package, navigation, content documents, overlays, images).
XML_SUFFIXES = (".xml", ".opf", ".xhtml", ".html", ".htm", ".ncx", ".smil", ".svg")
#: Below this size an entry's compression ratio is not judged (text compresses well).
RATIO_FLOOR = MIB
_CHUNK = 1 << 16
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]|^/|^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much an archive may hold before it is refused unread."""

    entry_bytes: int
    book_bytes: int
    ratio: float
    entries: int

    @classmethod
    def from_environment(cls) -> Limits:
        """The defaults, or the ``PUBLISH_CHECK_MAX_*`` variables where set."""

        def number(variable: str, default: float) -> float:
            text = os.environ.get(variable, "")
            try:
                value = float(text) if text else default
            except ValueError:
                value = default
            return value if value > 0 else default

        return cls(
            entry_bytes=int(number("PUBLISH_CHECK_MAX_ENTRY_MB", 256) * MIB),
            book_bytes=int(number("PUBLISH_CHECK_MAX_BOOK_MB", 1024) * MIB),
            ratio=number("PUBLISH_CHECK_MAX_RATIO", 100),
            entries=int(number("PUBLISH_CHECK_MAX_ENTRIES", 10_000)),
        )


class _RefusedError(Exception):
    """An entry the screen will not read on: ``code`` and ``message`` say why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def unsafe_name(name: str) -> bool:
    """An entry name that would land outside a folder it were extracted to (or cannot be
    a file name): empty, absolute, with a drive letter, a ``..`` segment, a backslash or
    a control character."""
    return not name or bool(_UNSAFE.search(name)) or ".." in name.split("/")


def _read(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: list[int], keep: bool
) -> bytes:
    """An entry's bytes (only when ``keep``: other entries are inflated and dropped, to
    verify them), stopping as soon as it inflates past a limit (the sizes an archive
    declares can lie); a bad checksum or cut-off data raises ``_RefusedError``."""
    cap = min(limits.entry_bytes, budget[0])
    parts: list[bytes] = []
    size = 0
    try:
        with book.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap and cap == limits.entry_bytes:
                    raise _RefusedError(
                        "EPUB-ENTRY-TOO-LARGE",
                        f"entry '{info.filename}' inflates past {cap // MIB} MiB",
                    )
                if size > cap:
                    raise _RefusedError(
                        "EPUB-TOO-LARGE",
                        f"the book inflates past {limits.book_bytes // MIB} MiB "
                        f"(at entry '{info.filename}')",
                    )
                if keep:
                    parts.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
    ) as exc:  # a bad checksum, cut-off data, an unknown method, encryption
        raise _RefusedError(
            "EPUB-ENTRY-DAMAGED", f"entry '{info.filename}' cannot be read: {exc}"
        ) from None
    budget[0] -= size
    return b"".join(parts)


def _declares_entities(data: bytes) -> str:
    """Parse ``data`` with entities refused: what it declares (empty when nothing)."""
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return type(exc).__name__
    except (ParseError, ValueError):
        return ""  # ill-formed XML is EPUBCheck's to report, with its line and column
    return ""


def screen(name: str, path: Path, limits: Limits | None = None) -> tuple[Finding, ...]:
    """Problems that make the EPUB at ``path`` unsafe or pointless to validate; any
    error among them means the validators must not see it."""
    limits = limits or Limits.from_environment()

    def refuse(code: str, message: str, where: str = "") -> tuple[Finding, ...]:
        return (Finding(name, "screen", code, Severity.ERROR, message, where),)

    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        return refuse("EPUB-UNREADABLE", f"cannot be read: {exc.strerror or exc}")
    if size == 0:
        return refuse("EPUB-EMPTY", "the file is empty (0 bytes), not an EPUB")
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if head == b"PK\x03\x04":
            return refuse(
                "EPUB-TRUNCATED",
                f"a ZIP archive cut short ({size} bytes, no central directory): "
                "the file was not copied or downloaded whole",
            )
        return refuse("EPUB-NOT-ZIP", "not a ZIP archive, so not an EPUB")
    with book:
        return _screen_archive(name, book, limits)


def _screen_archive(name: str, book: zipfile.ZipFile, limits: Limits) -> tuple[Finding, ...]:
    found: list[Finding] = []

    def refuse(code: str, message: str, where: str = "") -> None:
        found.append(Finding(name, "screen", code, Severity.ERROR, message, where))

    entries = book.infolist()
    if len(entries) > limits.entries:
        refuse(
            "EPUB-TOO-MANY-ENTRIES",
            f"{len(entries)} entries, more than the limit of {limits.entries}",
        )
        return tuple(found)
    for info in entries:
        if unsafe_name(info.filename):
            refuse(
                "EPUB-UNSAFE-NAME",
                f"entry name {info.filename!r} points outside the book "
                "(absolute, '..', backslash or control character)",
            )
        elif info.file_size > limits.entry_bytes:
            refuse(
                "EPUB-ENTRY-TOO-LARGE",
                f"entry '{info.filename}' declares {info.file_size} bytes, more than "
                f"{limits.entry_bytes // MIB} MiB",
            )
        elif info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            refuse(
                "EPUB-ENTRY-RATIO",
                f"entry '{info.filename}' inflates {info.file_size} bytes from "
                f"{info.compress_size} (more than {limits.ratio:g} times): a ZIP bomb",
            )
    if not found and sum(info.file_size for info in entries) > limits.book_bytes:
        refuse(
            "EPUB-TOO-LARGE",
            f"the entries declare {sum(i.file_size for i in entries)} bytes in all, more than "
            f"{limits.book_bytes // MIB} MiB",
        )
    if found:
        return tuple(found)
    if CONTAINER not in book.namelist():
        refuse("EPUB-NO-CONTAINER", f"no {CONTAINER}: a reading system cannot find the package")
    budget = [limits.book_bytes]
    for info in entries:
        if info.is_dir():
            continue
        xml = posixpath.splitext(info.filename)[1].lower() in XML_SUFFIXES
        try:
            data = _read(book, info, limits, budget, keep=xml)
        except _RefusedError as refused:
            refuse(refused.code, refused.message)
            break
        if xml:
            kind = _declares_entities(data)
            if kind:
                refuse(
                    "EPUB-XML-ENTITY",
                    f"'{info.filename}' declares an entity or an external reference "
                    f"({kind}); nothing was expanded and no validator was run on it",
                )
    return tuple(found)
