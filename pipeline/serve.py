"""``publish serve``: the output folder over local HTTP, with byte ranges, so players can seek.

A browser plays an ``<audio>`` element's MP3 from a server in pieces: to jump to
12:30 it asks for ``Range: bytes=N-`` and expects ``206 Partial Content``. A
server without ranges (``python3 -m http.server``) always sends the whole file
from its start, and Chromium then treats the audio as not seekable: the
listen-along player's "Listen from here" restarts at 0:00. This server answers
one range per request (RFC 9110 §14: a server may ignore a request for several,
and sends the whole file then), says ``Accept-Ranges: bytes`` for every file,
and answers ``416`` with ``Content-Range: bytes */SIZE`` for a range past the
end. It listens on the loopback interface only, serves files under the folder
only (the standard handler's path translation), and gives the media types the
outputs need (``.vtt``, ``.m4b``, ``.epub``, ``.xhtml``, ``.smil``).
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import os
import re
import shutil
import threading
import webbrowser
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

#: Media types the standard table lacks or gets wrong for the outputs.
MEDIA_TYPES = {
    ".vtt": "text/vtt",
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",
    ".epub": "application/epub+zip",
    ".xhtml": "application/xhtml+xml",
    ".smil": "application/smil+xml",
    ".pls": "application/pls+xml",
    ".json": "application/json",
}

_RANGE = re.compile(r"bytes=(\d*)-(\d*)\Z")


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The inclusive ``(first, last)`` bytes a ``Range`` header asks of a ``size``-byte file.

    ``None``: serve the whole file (no header, a unit other than bytes, several ranges or
    a malformed one, all of which a server may ignore); ``False``: unsatisfiable (416).
    """
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    start, end = match.groups()
    if not start and not end:
        return None
    if not start:  # "bytes=-N": the last N bytes
        suffix = int(end)
        if suffix == 0 or size == 0:
            return False
        return max(size - suffix, 0), size - 1
    first = int(start)
    last = min(int(end), size - 1) if end else size - 1
    if end and int(end) < first:
        return None  # invalid: ignored, like a missing header
    if first >= size:
        return False
    return first, last


class _Slice:
    """``length`` bytes of an open file from where it stands, for ``copyfile``."""

    def __init__(self, handle: BinaryIO, length: int) -> None:
        self.handle = handle
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        wanted = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(wanted)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


class RangeHandler(SimpleHTTPRequestHandler):
    """The standard static-file handler, plus single byte ranges and the outputs' types."""

    extensions_map = {  # noqa: RUF012 (the base declares it a plain attribute; read only)
        **SimpleHTTPRequestHandler.extensions_map,
        **MEDIA_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a page and its audio make dozens of requests."""

    def end_headers(self) -> None:
        """No caching: a rebuild is seen on the next reload."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if not path.is_file() or self.path.endswith("/"):
            return super().send_head()
        try:
            handle = path.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        wanted = byte_range(self.headers.get("Range", ""), size)
        if_range = self.headers.get("If-Range")
        if wanted and if_range is not None and if_range != modified:
            wanted = None  # the file changed since the client's first piece: send it whole
        if wanted is False:
            handle.close()
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            return None
        if isinstance(wanted, tuple):
            first, last = wanted
            handle.seek(first)
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            length = last - first + 1
        else:
            self.send_response(HTTPStatus.OK)
            length = size
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", modified)
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Slice(handle, length)  # type: ignore[return-value]

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        # The player moved on (a seek closes the previous request): not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            shutil.copyfileobj(source, outputfile)


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``folder``; port 0 (or a busy default port) picks a free one."""
    handler = partial(RangeHandler, directory=str(folder))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or port == 0:
            raise
        return ThreadingHTTPServer((host, 0), handler)


def start_page(folder: Path) -> str:
    """The path to open: the folder's one HTML page, else the folder's listing."""
    pages = sorted(p.name for p in folder.glob("*.html"))
    return pages[0] if len(pages) == 1 else ""


def serve(
    folder: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_page: Callable[[str], object] | None = webbrowser.open,
    ready: Callable[[ThreadingHTTPServer, str], None] | None = None,
) -> None:
    """Serve ``folder`` until interrupted, after opening its page with ``open_page``."""
    server = make_server(folder, host, port)
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{bound_host!s}:{bound_port}/{start_page(folder)}"
    print(f"serving {folder} at {url} (Ctrl-C stops)", flush=True)
    if open_page is not None:
        threading.Thread(target=open_page, args=(url,), daemon=True).start()
    if ready is not None:
        ready(server, url)
    with server:
        server.serve_forever()
