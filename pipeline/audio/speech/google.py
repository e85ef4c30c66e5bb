"""The online engine (opt-in): Google Translate's speech through gTTS.

gTTS prepares the requests (it splits text into chunks of at most 100
characters); this module sends them itself because gTTS has no timeout by
default, no retry, and leaves a 0-byte file behind when offline. Here every
request has a timeout, HTTP 429 and 5xx are retried with exponential
backoff, requests are spaced out (gentle throttling), and failure is one
``SpeechError`` line. Nothing is written until all audio has arrived.

``PUBLISH_GTTS_URL`` replaces the service's address (tests point it at a
local server on 127.0.0.1).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

from pipeline.audio.speech import SAMPLE_RATE, Speech, SpeechError, Voice

_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


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
    ) -> None:
        self.url = url or os.environ.get("PUBLISH_GTTS_URL") or None
        self.timeout = timeout
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
        problem = ""
        with requests.Session() as session:
            for attempt in range(self.retries + 1):
                if attempt:
                    self.sleep(self.backoff * 2 ** (attempt - 1))
                self._throttle()
                self.requests_sent += 1
                try:
                    response = session.send(request, timeout=self.timeout)
                except requests.Timeout:
                    problem = f"no answer within {self.timeout:g} s"
                    continue
                except requests.ConnectionError:
                    raise SpeechError(
                        "gtts: cannot connect to the speech service (offline?); "
                        "without --engine the book is read offline"
                    ) from None
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
                found = _AUDIO.search(response.text)
                if not found:
                    raise SpeechError("gtts: the speech service returned no audio")
                return base64.b64decode(found.group(1))
        raise SpeechError(f"gtts: gave up after {self.retries + 1} tries ({problem})")


def _decode_mp3(data: bytes) -> bytes:
    """MP3 bytes to 16-bit mono PCM at ``SAMPLE_RATE`` (the narration's one rate)."""
    from pipeline.audio import ffmpeg

    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-loglevel", "error"]
    command += ["-f", "mp3", "-i", "pipe:0", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    command += ["-f", "s16le", "pipe:1"]
    done = subprocess.run(command, input=data, capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SpeechError("gtts: the audio received could not be decoded")
    return done.stdout
