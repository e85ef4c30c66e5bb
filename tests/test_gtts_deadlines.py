"""The online engine against a misbehaving service: deadlines and bad replies, one line each.

A fake service on 127.0.0.1 (a raw socket server, so it can misbehave in ways an HTTP
library would not let it: drip the answer, stall after the headers, hang up mid-answer).
Nothing here touches the network.
"""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import StandInServer, serving

from pipeline.audio.speech import SpeechError
from pipeline.audio.speech.google import GttsEngine, _audio

Behaviour = Callable[[socket.socket], None]


def _reply(audio_field: str) -> bytes:
    payload = json.dumps([["wrb.fr", "jQ1olc", json.dumps([audio_field]), None, None, None, "g"]])
    return (")]}'\n\n" + payload.replace(", ", ",")).encode()


def _headers(length: int) -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


class _Service:
    def __init__(self) -> None:
        self.behaviour: Behaviour = lambda conn: None
        self.stop = threading.Event()
        service = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                _read_request(self.request)
                try:
                    service.behaviour(self.request)
                except OSError:
                    return

        self.server = StandInServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/batchexecute"


@pytest.fixture
def service() -> Iterator[_Service]:
    stand_in = _Service()
    with serving(stand_in.server, stand_in.stop):
        yield stand_in


def _drip(service: _Service, every: float) -> Behaviour:
    """Headers, then one byte of a long answer every ``every`` seconds."""

    def behave(conn: socket.socket) -> None:
        conn.sendall(_headers(10_000))
        while not service.stop.wait(every):
            conn.sendall(b"x")

    return behave


def _engine(service: _Service, **options: float) -> GttsEngine:
    settings = {"interval": 0.0, "timeout": 1.0, "retries": 0, "request_deadline": 1.5}
    settings.update(options)
    return GttsEngine(
        url=service.url,
        sleep=lambda _: None,
        build_deadline=settings.pop("build_deadline", 600.0),
        retries=int(settings.pop("retries")),
        **settings,
    )


def _fails(engine: GttsEngine, pattern: str) -> float:
    started = time.monotonic()
    with pytest.raises(SpeechError, match=pattern) as caught:
        engine.synthesise("Hello there.", "en", 175)
    assert "\n" not in str(caught.value)
    return time.monotonic() - started


def test_a_dripping_answer_stops_at_the_request_deadline(service: _Service) -> None:
    service.behaviour = _drip(service, 0.2)  # each byte well inside the read timeout
    elapsed = _fails(_engine(service), r"timed out: no answer within 1(\.0)? s")
    assert elapsed < 1.5 + 1.0 + 2.0  # the deadline, one read, scheduling slack


def test_retries_of_a_dripping_answer_stop_at_the_build_deadline(service: _Service) -> None:
    service.behaviour = _drip(service, 0.2)
    engine = _engine(service, retries=10, request_deadline=100.0, build_deadline=2.0)
    elapsed = _fails(engine, r"timed out: .*more than 2 s in all.*PUBLISH_GTTS_DEADLINE")
    assert elapsed < 2.0 + 1.0 + 2.0


def test_the_build_deadline_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_GTTS_DEADLINE", "12.5")
    assert GttsEngine().build_deadline == 12.5
    monkeypatch.setenv("PUBLISH_GTTS_DEADLINE", "soon")
    with pytest.raises(SpeechError, match="PUBLISH_GTTS_DEADLINE must be seconds"):
        GttsEngine()


def test_a_stall_after_the_headers_is_a_timeout_not_offline(service: _Service) -> None:
    def behave(conn: socket.socket) -> None:
        conn.sendall(_headers(1000))
        service.stop.wait(30)

    service.behaviour = behave
    _fails(_engine(service, timeout=0.5), r"timed out")


def test_bad_base64_is_a_bad_reply(service: _Service) -> None:
    body = _reply("not base64 at all!!")
    service.behaviour = lambda conn: conn.sendall(_headers(len(body)) + body)
    _fails(_engine(service), r"bad reply .*not valid base64")


def test_an_answer_without_audio_is_a_bad_reply(service: _Service) -> None:
    body = b'{"nothing": "here"}'
    service.behaviour = lambda conn: conn.sendall(_headers(len(body)) + body)
    _fails(_engine(service), r"bad reply .*holds no audio")


def test_audio_that_is_not_mp3_is_a_bad_reply(service: _Service) -> None:
    body = _reply(base64.b64encode(b"\x00" * 64).decode())
    service.behaviour = lambda conn: conn.sendall(_headers(len(body)) + body)
    _fails(_engine(service), r"bad reply .*not valid MP3")


def test_an_answer_cut_short_is_a_bad_reply(service: _Service) -> None:
    service.behaviour = lambda conn: conn.sendall(_headers(5000) + b"x" * 10)
    _fails(_engine(service), r"bad reply .*cut mid-answer")


def test_a_refused_connection_says_refused() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = GttsEngine(url=f"http://127.0.0.1:{port}/x", interval=0, sleep=lambda _: None)
    with pytest.raises(SpeechError, match="refused the connection"):
        engine.synthesise("Hello there.", "en", 175)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(_reply))
def test_any_answer_is_audio_or_one_clear_error(body: bytes) -> None:
    try:
        audio = _audio(body)
    except SpeechError as exc:
        assert str(exc).startswith("gtts: bad reply from the speech service")
    else:
        assert audio
