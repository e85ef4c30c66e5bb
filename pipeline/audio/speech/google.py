"""The online engine (opt-in): Google Translate's speech through gTTS.

gTTS prepares the requests (it splits text into chunks of at most 100
characters); this module sends them itself because gTTS has no timeout by
default, no retry, and leaves a 0-byte file behind when offline. Here every
request has a timeout, HTTP 429 and 5xx are retried with exponential
backoff, requests are spaced out (gentle throttling), and failure is one
``SpeechError`` line. Nothing is written until all audio has arrived.

Time is bounded in three ways: each read of the socket waits at most
``timeout`` seconds; each request, answer included, has a total deadline
(``request_deadline``, 60 s), checked after every read, so a server that
drips one byte every few seconds cannot hold a request open; and the whole
build's requests share one deadline (``build_deadline``, 1800 s, or
``PUBLISH_GTTS_DEADLINE``), counted from the first request. Every failure
says what happened: the service refused the connection, could not be
reached, timed out, or sent a bad reply (not the expected payload, or audio
that is not valid base64 or MP3).

``PUBLISH_GTTS_URL`` replaces the service's address (tests point it at a
local server on 127.0.0.1).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

from pipeline.audio.speech import SAMPLE_RATE, Speech, SpeechError, Voice

_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: The largest answer accepted for one request (one chunk of at most 100 characters is
#: a few tens of kilobytes of MP3 as base64).
MAX_REPLY_BYTES = 8 * 1024 * 1024
REQUEST_DEADLINE = 60.0
BUILD_DEADLINE = 1800.0


class _Late(Exception):  # noqa: N818 - control flow inside _fetch, never escapes it
    """The request's or the build's deadline passed while the answer was arriving."""


def _build_deadline() -> float:
    text = os.environ.get("PUBLISH_GTTS_DEADLINE", "")
    try:
        value = float(text) if text else BUILD_DEADLINE
    except ValueError:
        raise SpeechError(f"gtts: PUBLISH_GTTS_DEADLINE must be seconds, not {text!r}") from None
    if not value > 0:
        raise SpeechError(f"gtts: PUBLISH_GTTS_DEADLINE must be above 0, not {text!r}")
    return value


class GttsEngine:
    """gTTS with a timeout, retries with backoff, and throttling."""

    name = "gtts"

    def __init__(
        self,
        *,
        url: str | None = None,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 1.0,
        interval: float = 0.3,
        sleep: Callable[[float], None] = time.sleep,
        request_deadline: float = REQUEST_DEADLINE,
        build_deadline: float | None = None,
    ) -> None:
        self.url = url or os.environ.get("PUBLISH_GTTS_URL") or None
        self.timeout = timeout
        self.request_deadline = request_deadline
        self.build_deadline = build_deadline if build_deadline is not None else _build_deadline()
        self._started: float | None = None
        self.retries = retries
        self.backoff = backoff
        self.interval = interval
        self.sleep = sleep
        self._last = 0.0
        self.requests_sent = 0

    def voices(self) -> list[Voice]:
        """The languages gTTS knows (a table in the package; no request is made)."""
        from gtts.lang import tts_langs

        return [
            Voice(code, name, (code.lower(),), "online", "Google's terms of service")
            for code, name in sorted(tts_langs().items())
        ]

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        """Fetch every chunk's MP3, then decode them to PCM at ``SAMPLE_RATE``."""
        from gtts import gTTS

        if not text.strip():
            return Speech(b"")
        tts = gTTS(text, lang=voice, slow=rate < 130, lang_check=False)
        audio = b"".join(self._fetch(request) for request in tts._prepare_requests())
        return Speech(_decode_mp3(audio))

    def _throttle(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last = time.monotonic()

    def _fetch(self, request: Any) -> bytes:
        import requests

        if self.url:
            request.url = self.url
        if self._started is None:
            self._started = time.monotonic()
        build_end = self._started + self.build_deadline
        problem = ""
        with requests.Session() as session:
            for attempt in range(self.retries + 1):
                if attempt:
                    self.sleep(self.backoff * 2 ** (attempt - 1))
                self._throttle()
                now = time.monotonic()
                if now >= build_end:
                    raise SpeechError(self._build_late())
                end = min(now + self.request_deadline, build_end)
                self.requests_sent += 1
                try:
                    response = session.send(
                        request, timeout=min(self.timeout, end - now), stream=True
                    )
                    with response:
                        body = _read(response, end) if response.status_code == 200 else b""
                except (requests.Timeout, _Late):
                    if time.monotonic() >= build_end:
                        raise SpeechError(self._build_late()) from None
                    waited = min(self.timeout, self.request_deadline)
                    problem = f"timed out: no answer within {waited:g} s"
                    continue
                except requests.ConnectionError as exc:
                    raise SpeechError(_connection_problem(exc)) from None
                except requests.RequestException as exc:
                    raise SpeechError(f"gtts: request failed: {type(exc).__name__}") from None
                if response.status_code in _RETRY_STATUS:
                    problem = f"HTTP {response.status_code} {response.reason}"
                    continue
                if response.status_code != 200:
                    raise SpeechError(
                        f"gtts: the speech service answered HTTP {response.status_code} "
                        f"{response.reason}"
                    )
                return _audio(body)
        raise SpeechError(f"gtts: gave up after {self.retries + 1} tries ({problem})")

    def _build_late(self) -> str:
        return (
            f"gtts: timed out: the speech service took more than {self.build_deadline:g} s "
            "in all for this build (PUBLISH_GTTS_DEADLINE sets the limit)"
        )


def _read(response: Any, end: float) -> bytes:
    """The answer's body, read as it arrives; ``_Late`` once ``end`` (a monotonic time)
    has passed, checked after every read, so a dripping server cannot stretch a request."""
    from urllib3.exceptions import ProtocolError, ReadTimeoutError

    parts: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= end:
            raise _Late
        try:
            chunk = response.raw.read1(65536)
        except (ReadTimeoutError, TimeoutError):
            raise _Late from None
        except (ProtocolError, OSError) as exc:
            raise SpeechError(_connection_problem(exc)) from None
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise SpeechError(
                f"gtts: bad reply from the speech service: more than {MAX_REPLY_BYTES} bytes"
            )
        parts.append(chunk)


def _audio(body: bytes) -> bytes:
    """The MP3 in the service's answer; a clear error when the answer is not one."""
    found = _AUDIO.search(body.decode("utf-8", errors="replace"))
    if not found:
        raise SpeechError("gtts: bad reply from the speech service: it holds no audio")
    try:
        audio = base64.b64decode(found.group(1), validate=True)
    except (binascii.Error, ValueError):
        raise SpeechError(
            "gtts: bad reply from the speech service: the audio is not valid base64"
        ) from None
    if not audio:
        raise SpeechError("gtts: bad reply from the speech service: the audio is empty")
    return audio


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception behind it (causes, contexts, wrapped reasons)."""
    found: list[BaseException] = []
    stack = [exc]
    while stack and len(found) < 50:
        item = stack.pop()
        if any(item is seen for seen in found):
            continue
        found.append(item)
        behind = (item.__cause__, item.__context__, getattr(item, "reason", None), *item.args)
        stack += [b for b in behind if isinstance(b, BaseException)]
    return found


def _connection_problem(exc: BaseException) -> str:
    """What a failed connection means for the user: refused, unreachable, or cut off."""
    import socket

    causes = _causes(exc)
    names = " ".join(type(e).__name__ for e in causes)
    if any(isinstance(e, ConnectionRefusedError) for e in causes):
        return (
            "gtts: the speech service refused the connection; "
            "without --engine the book is read offline"
        )
    if any(isinstance(e, TimeoutError) for e in causes) or "Timeout" in names:
        return "gtts: timed out connecting to the speech service"
    if "RemoteDisconnected" in names or "ProtocolError" in names or "IncompleteRead" in names:
        return "gtts: bad reply from the speech service: the connection was cut mid-answer"
    if any(isinstance(e, socket.gaierror) for e in causes):
        return (
            "gtts: cannot reach the speech service (offline?); "
            "without --engine the book is read offline"
        )
    return (
        "gtts: cannot connect to the speech service (offline?); "
        "without --engine the book is read offline"
    )


def _decode_mp3(data: bytes) -> bytes:
    """MP3 bytes to 16-bit mono PCM at ``SAMPLE_RATE`` (the narration's one rate)."""
    from pipeline.audio import ffmpeg

    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    command += ["-f", "mp3", "-i", "pipe:0", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    command += ["-f", "s16le", "pipe:1"]
    done = subprocess.run(command, input=data, capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0 or not done.stdout:
        raise SpeechError("gtts: bad reply from the speech service: the audio is not valid MP3")
    return done.stdout
