"""Speech engines and the cache: counting syntheses, no network by default, gTTS's failures."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import lameenc
import pytest
from support import StandInServer, serving

from pipeline.audio.speech import SAMPLE_RATE, SpeechError, choose_voice, get_engine
from pipeline.audio.speech.cache import key
from pipeline.audio.speech.google import GttsEngine
from pipeline.audio.speech.zygote import SWITCHES
from pipeline.audio.writer import build_audio
from pipeline.build import load
from pipeline.diagnostics import UsageError

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = [sys.executable, "-m", "pipeline"]

SMALL = """---
title: A Small Test
author: Test Author
lang: en
identifier: urn:uuid:00000000-0000-4000-8000-000000000001
---

The first sentence is short. The second sentence is short too.

Another paragraph follows.

## Second part

The last paragraph ends here.
"""


def _write(folder: Path, text: str = SMALL) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "small.md"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- cache


def test_rebuild_after_editing_one_paragraph_synthesises_one_utterance(tmp_path: Path) -> None:
    source = _write(tmp_path / "src")
    cache = tmp_path / "cache"
    out = tmp_path / "out"

    def build() -> int:
        result = build_audio(
            load(source), out, "small", engine_name="pyttsx3", rate=175, cache_dir=cache
        )
        return result.synthesised

    first = build()
    assert first == 7  # title, byline, 2 sentences, 1 paragraph, heading, last paragraph
    assert build() == 0
    source.write_text(SMALL.replace("Another paragraph follows.", "A new paragraph follows."))
    assert build() == 1
    entries = list(cache.rglob("*.wav"))
    assert len(entries) == 8
    assert not list(cache.rglob("*.part"))  # cache writes are atomic


def test_cache_key_covers_engine_voice_rate_text_and_lexicon() -> None:
    base = key("pyttsx3", "gmw/en-us", 175, "Hello.", "abc")
    assert base == key("pyttsx3", "gmw/en-us", 175, "Hello.", "abc")
    for other in (
        key("gtts", "gmw/en-us", 175, "Hello.", "abc"),
        key("pyttsx3", "gmw/en", 175, "Hello.", "abc"),
        key("pyttsx3", "gmw/en-us", 160, "Hello.", "abc"),
        key("pyttsx3", "gmw/en-us", 175, "Hello!", "abc"),
        key("pyttsx3", "gmw/en-us", 175, "Hello.", "abd"),
    ):
        assert other != base


# --------------------------------------------------------------------------- voices


def test_voice_follows_document_language() -> None:
    engine = get_engine("pyttsx3")
    assert choose_voice(engine, "en-US", None) == "gmw/en-us"
    assert choose_voice(engine, "en-GB", None) == "gmw/en"
    assert choose_voice(engine, "fr", None) == "roa/fr"
    assert choose_voice(engine, "fr-CA", "roa/fr-be") == "roa/fr-be"
    with pytest.raises(UsageError):
        choose_voice(engine, "en", "no-such-voice")
    assert choose_voice(get_engine("gtts"), "fr-FR", None) == "fr"


def test_espeak_gives_audio_and_word_marks() -> None:
    speech = get_engine("pyttsx3").synthesise("Bonjour à tous.", "roa/fr", 175)
    assert 0.5 < speech.duration < 3
    assert [word for _, word in speech.marks] == ["Bonjour", "à", "tous"]
    assert [t for t, _ in speech.marks] == sorted(t for t, _ in speech.marks)


def test_an_utterance_sounds_the_same_whatever_was_spoken_before() -> None:
    """espeak-ng keeps state between utterances (its pitch flutter's phase): spoken in one
    process, the same sentence came out with other samples and lengths every time. Each
    utterance now starts from the same state."""
    engine = get_engine("pyttsx3")
    text = "Who are individuals that willingly purchase people? A review, 2018."
    first = engine.synthesise(text, "gmw/en", 175)
    again = engine.synthesise(text, "gmw/en", 175)
    engine.synthesise("Une phrase, p. ex. celle-ci, pour changer de voix.", "roa/fr", 175)
    engine.synthesise("Something else entirely, and longer, to move any state on.", "gmw/en", 190)
    after = engine.synthesise(text, "gmw/en", 175)
    assert first.pcm == again.pcm == after.pcm
    assert first.marks == again.marks == after.marks


def test_word_marks_survive_many_changes_of_voice() -> None:
    """Each voice espeak-ng loads is stacked until it next speaks; the helper that never
    speaks is replaced before the stack breaks word events (they went missing after 27)."""
    engine = get_engine("pyttsx3")
    for _ in range(3 * SWITCHES):
        assert engine.synthesise("Bonjour.", "roa/fr", 175).marks == ((0.0, "Bonjour"),)
        assert engine.synthesise("References.", "gmw/en", 175).marks == ((0.0, "References"),)


def test_the_helper_starts_before_the_first_utterance_only_if_anything_is_to_be_spoken(
    tmp_path: Path,
) -> None:
    """The helper loads espeak-ng while the build does other work (about 40 ms of start-up off
    the critical path of a small build); a build with everything cached starts none."""
    from pipeline.audio.speech import espeak
    from pipeline.audio.speech.batch import Synthesis
    from pipeline.audio.speech.zygote import Zygote

    def synthesis(cache: Path) -> Synthesis:
        return Synthesis(
            ["Ready when you are."],
            engine_name="pyttsx3",
            voice="gmw/en-US",
            rate=175,
            lexicon="",
            cache_dir=cache,
        )

    helper = Zygote()  # not the process's own, whose voices earlier tests changed
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(espeak, "_helper", lambda: helper)
            cold = synthesis(tmp_path)
            cold.start()
            process = helper._process
            assert process is not None and process.poll() is None  # running, nothing spoken
            cold.ensure([0])
            assert helper._process is process  # and it spoke the utterance
            helper.close()
            warm = synthesis(tmp_path)
            warm.start()
            assert helper._process is None and warm.synthesised == 0
    finally:
        helper.close()


def test_publish_voices_lists_french_voices() -> None:
    done = subprocess.run(
        [*PUBLISH, "voices", "--lang", "fr"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    header, *lines = done.stdout.splitlines()
    assert header == "engine\tvoice\tlanguage\tquality\tlicence\tinstalled"
    assert lines[0].startswith("pyttsx3\troa/fr\t")
    assert all("fr" in line.split("\t")[2] for line in lines)


# --------------------------------------------------------------------------- no network

_BLOCK_SOCKETS = """
import os, socket, sys

def _hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        if event == "socket.connect" and args[0].family == socket.AF_UNIX:
            return
        with open(os.environ["NETWORK_LOG"], "a") as log:
            log.write(f"{os.getpid()} {event} {args[1:]!r}\\n")
        raise OSError("network blocked by the test")

sys.addaudithook(_hook)
"""


def _run_blocked(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(_BLOCK_SOCKETS, encoding="utf-8")
    log = tmp_path / "network.log"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hooks), str(ROOT)]),
        "NETWORK_LOG": str(log),
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache"),
        **(env or {}),
    }
    done = subprocess.run(
        [*PUBLISH, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    return done, log.read_text(encoding="utf-8") if log.exists() else ""


def test_default_build_opens_no_connection(tmp_path: Path) -> None:
    source = _write(tmp_path / "src")
    done, network = _run_blocked(tmp_path, "build", str(source), "--out", "out")
    assert done.returncode == 0, done.stderr
    assert network == ""
    assert (tmp_path / "out" / "small.mp3").stat().st_size > 0
    # the synthesis ran in worker processes, which the hook covered too
    assert len(list((tmp_path / "cache").rglob("*.wav"))) == 7


def test_blocked_sockets_are_detected(tmp_path: Path) -> None:
    """Control for the test above: the hook does see a connection attempt."""
    source = _write(tmp_path / "src")
    done, network = _run_blocked(
        tmp_path,
        "build",
        str(source),
        "--out",
        "out",
        "--formats",
        "audio",
        "--engine",
        "gtts",
        env={"PUBLISH_GTTS_URL": "http://127.0.0.1:9/"},
    )
    assert done.returncode == 1
    assert "socket.getaddrinfo" in network or "socket.connect" in network


# --------------------------------------------------------------------------- gTTS


def _mp3(seconds: float = 0.3) -> bytes:
    """A short tone as MP3 (what the service returns, base64 in a JSON-ish body)."""
    import math

    rate = 24000
    samples = bytearray()
    for n in range(int(seconds * rate)):
        value = int(8000 * math.sin(2 * math.pi * 440 * n / rate))
        samples += value.to_bytes(2, "little", signed=True)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(bytes(samples)) + encoder.flush())


class _Service:
    """A local stand-in for the speech service: answers from a script of statuses."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.delay = 0.0
        self.stop = threading.Event()
        self.requests = 0
        audio = json.dumps([base64.b64encode(_mp3()).decode()])
        payload = json.dumps([["wrb.fr", "jQ1olc", audio, None, None, None, "generic"]])
        payload = payload.replace(", ", ",")  # the service's compact form
        self.body = (")]}'\n\n" + payload).encode()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests += 1
                status = service.statuses.pop(0) if service.statuses else 200
                if service.delay and service.stop.wait(service.delay):
                    return  # the test is over: no answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                body = service.body if status == 200 else b"error"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = StandInServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/batchexecute"


@pytest.fixture
def service() -> Iterator[_Service]:
    stand_in = _Service()
    with serving(stand_in.server, stand_in.stop):
        yield stand_in


def test_gtts_speech_is_decoded_to_the_narration_rate(service: _Service) -> None:
    engine = GttsEngine(url=service.url, interval=0)
    speech = engine.synthesise("Hello there.", "en", 175)
    assert service.requests == 1
    assert abs(speech.duration - 0.3) < 0.1
    assert len(speech.pcm) / 2 / SAMPLE_RATE == speech.duration


def test_gtts_retries_429_with_exponential_backoff(service: _Service) -> None:
    service.statuses = [429, 503, 429]
    waits: list[float] = []
    engine = GttsEngine(url=service.url, interval=0, backoff=0.5, sleep=waits.append)
    speech = engine.synthesise("Hello there.", "en", 175)
    assert speech.duration > 0.2
    assert service.requests == 4
    assert waits == [0.5, 1.0, 2.0]


def test_gtts_gives_up_after_retries_with_one_line(service: _Service) -> None:
    service.statuses = [429] * 10
    engine = GttsEngine(url=service.url, interval=0, retries=2, sleep=lambda _: None)
    with pytest.raises(SpeechError, match=r"gave up after 3 tries \(HTTP 429"):
        engine.synthesise("Hello there.", "en", 175)
    assert service.requests == 3


def test_gtts_times_out(service: _Service) -> None:
    service.delay = 30.0  # far longer than any machine's scheduling noise
    engine = GttsEngine(url=service.url, interval=0, timeout=0.2, retries=1, sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(SpeechError, match=r"no answer within 0\.2 s"):
        engine.synthesise("Hello there.", "en", 175)
    assert time.monotonic() - started < 15  # gave up on its own, did not wait for the answer


def test_gtts_throttles_requests(service: _Service) -> None:
    engine = GttsEngine(url=service.url, interval=0.2)
    started = time.monotonic()
    # more than 100 characters: gTTS sends it as two requests
    engine.synthesise("word " * 30, "en", 175)
    assert service.requests == 2
    assert time.monotonic() - started >= 0.2


def test_gtts_build_against_local_service(tmp_path: Path, service: _Service) -> None:
    source = _write(tmp_path / "src")
    done = subprocess.run(
        [
            *PUBLISH,
            "build",
            str(source),
            "--out",
            str(tmp_path / "out"),
            "--formats",
            "audio",
            "--engine",
            "gtts",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={
            **os.environ,
            "PUBLISH_GTTS_URL": service.url,
            "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache"),
        },
    )
    assert done.returncode == 0, done.stderr
    assert service.requests == 7
    assert (tmp_path / "out" / "small.m4b").stat().st_size > 0


def test_offline_gtts_is_one_line_and_leaves_earlier_files_whole(tmp_path: Path) -> None:
    source = _write(tmp_path / "src")
    out = tmp_path / "out"
    env = {**os.environ, "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache")}
    first = subprocess.run(
        [*PUBLISH, "build", str(source), "--out", str(out), "--formats", "audio"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=env,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = subprocess.run(
        [
            *PUBLISH,
            "build",
            str(source),
            "--out",
            str(out),
            "--formats",
            "audio",
            "--engine",
            "gtts",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**env, "PUBLISH_GTTS_URL": "http://127.0.0.1:9/"},
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "publish: small: narration read by the Google Text-to-Speech synthetic voice (en), "
        "online (engine 'gtts')",
        "publish: error: gtts: the speech service refused the connection; "
        "without --engine the book is read offline",
    ]
    assert "Traceback" not in done.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # no 0-byte file, nothing replaced, no temporary left
