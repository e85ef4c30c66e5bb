"""``publish serve``: byte ranges, media types, the folder's bounds, and the command line."""

from __future__ import annotations

import http.client
import re
import threading
import wave
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FIXTURES
from playwright.sync_api import Browser

from pipeline.cli import main
from pipeline.serve import byte_range, make_server, start_page

DATA = bytes(i % 251 for i in range(1000))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server on a free loopback port for a folder with one page and a few files."""
    tmp_path = tmp_path_factory.mktemp("served")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "data.bin").write_bytes(DATA)
    (folder / "book.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (folder / "book.html").write_text("<!DOCTYPE html><title>t</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    server = make_server(folder, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield str(host), port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _get(
    where: tuple[str, int], path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*where, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _cases() -> list[tuple[str, str]]:
    lines = (FIXTURES / "serve" / "ranges.txt").read_text(encoding="utf-8").splitlines()
    return [
        (line.split(" => ")[0], line.split(" => ")[1])
        for line in lines
        if line and not line.startswith("#")
    ]


@pytest.mark.parametrize(("header", "expected"), _cases())
def test_range_case(served: tuple[str, int], header: str, expected: str) -> None:
    status, _, content_range = expected.partition(" ")
    *range_words, first, last = content_range.split(" ")
    wanted_range = " ".join(range_words)
    code, headers, body = _get(served, "/data.bin", {} if header == "-" else {"Range": header})
    assert code == int(status)
    assert headers.get("Content-Range", "-") == wanted_range
    assert headers["Accept-Ranges"] == "bytes"
    if first == "-":
        assert body == b""
    else:
        assert body == DATA[int(first) : int(last) + 1]
        assert headers["Content-Length"] == str(len(body))


def test_if_range_with_an_old_date_sends_the_whole_file(served: tuple[str, int]) -> None:
    headers = {"Range": "bytes=10-19", "If-Range": "Thu, 01 Jan 1970 00:00:00 GMT"}
    code, _, body = _get(served, "/data.bin", headers)
    assert (code, body) == (200, DATA)
    modified = _get(served, "/data.bin")[1]["Last-Modified"]
    code, _, body = _get(served, "/data.bin", {"Range": "bytes=10-19", "If-Range": modified})
    assert (code, body) == (206, DATA[10:20])


def test_media_types_and_no_way_out_of_the_folder(served: tuple[str, int]) -> None:
    assert _get(served, "/book.vtt")[1]["Content-Type"] == "text/vtt"
    assert _get(served, "/book.html")[1]["Content-Type"] == "text/html"
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):
        code, _, body = _get(served, path)
        assert b"outside" not in body
        assert code == 404


def test_start_page_is_the_folders_only_page(tmp_path: Path) -> None:
    assert start_page(tmp_path) == ""
    (tmp_path / "a.html").write_text("", encoding="utf-8")
    assert start_page(tmp_path) == "a.html"
    (tmp_path / "b.html").write_text("", encoding="utf-8")
    assert start_page(tmp_path) == ""  # two pages: the listing lets the reader choose


def test_range_parser_never_goes_past_the_file() -> None:
    for size in range(4):
        for header in ("bytes=0-", "bytes=-1", "bytes=1-2", "bytes=3-9"):
            got = byte_range(header, size)
            if isinstance(got, tuple):
                assert 0 <= got[0] <= got[1] < size


def test_serve_without_an_output_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path / "missing"), "--no-open"]) == 2
    assert "no output folder" in capsys.readouterr().err


def _tone(path: Path, seconds: int = 20) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * 8000 * seconds)


SEEK = """async () => {
    const audio = document.querySelector("audio");
    if (audio.readyState < 1) await new Promise(r => audio.addEventListener("loadedmetadata", r));
    audio.currentTime = 12.5;
    await new Promise(r => audio.addEventListener("seeked", r, {once: true}));
    return [audio.seekable.length ? audio.seekable.end(0) : 0, audio.currentTime];
}"""


def test_chromium_can_seek_audio_it_serves(media_browser: Browser, tmp_path: Path) -> None:
    """The listen-along player's need: Chromium seeks only in audio served with ranges."""
    folder = tmp_path / "out"
    folder.mkdir()
    _tone(folder / "tone.wav")
    (folder / "index.html").write_text(
        '<!DOCTYPE html><title>t</title><audio src="tone.wav" preload="auto"></audio>',
        encoding="utf-8",
    )
    server: ThreadingHTTPServer = make_server(folder, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    context = media_browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://{host!s}:{port}/index.html")
        seekable_end, position = page.evaluate(SEEK)
        assert seekable_end == pytest.approx(20, abs=0.1)
        assert position == pytest.approx(12.5, abs=0.1)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join()


def test_serve_opens_the_folders_page_and_serves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.serve import serve

    (tmp_path / "book.html").write_text("<!DOCTYPE html><title>t</title>", encoding="utf-8")
    opened: list[str] = []
    fetched: list[int] = []
    done = threading.Event()

    def open_page(url: str) -> None:
        opened.append(url)
        done.set()

    def ready(server: ThreadingHTTPServer, url: str) -> None:
        def check_then_stop() -> None:
            done.wait(10)
            host, port = server.server_address[:2]
            fetched.append(_get((str(host), port), "/book.html")[0])
            server.shutdown()

        threading.Thread(target=check_then_stop, daemon=True).start()

    serve(tmp_path, port=0, open_page=open_page, ready=ready)
    assert len(opened) == 1
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/book\.html", opened[0])
    assert fetched == [200]
    assert f"at {opened[0]} (Ctrl-C stops)" in capsys.readouterr().out
