"""A clean espeak-ng for every utterance: a helper process forks one child per utterance.

espeak-ng carries state from one utterance to the next that no call resets
(the phase of its pitch flutter is a function-level static in wavegen.c):
the same text came out up to 25 ms longer or shorter, with other samples,
depending on what the process had spoken before. A cache entry made in a
warm build then differed from the one a cold build makes, so a build's bytes
depended on the cache's history, not only on the source. Here a helper
process loads espeak-ng and the voice but never speaks; each utterance is
spoken by a fork of it, which starts from exactly the same state and exits.
The price, measured: 6.4 ms per short sentence against 2.8 ms in-process
(the fork, and ~650 copy-on-write page faults as the child's espeak-ng
writes its buffers), about 5% of an audio build's CPU. Resetting only the
flutter phase (the library keeps its symbols) was tried: outputs still
depended on earlier voices.

Requests and replies are length-prefixed JSON on the helper's standard
input and output; a reply is followed by the audio. The helper ignores
Ctrl-C (the build stops it) and exits when its input closes.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from pipeline.audio.speech import Speech, SpeechError, end_helper

_LENGTH = struct.Struct("<I")
_ROOT = str(Path(__file__).resolve().parents[3])
_START = (
    f"import sys; sys.path.insert(0, {_ROOT!r}); "
    "from pipeline.audio.speech.zygote import main; sys.exit(main())"
)
"""The helper's code: isolated mode, this very package (not whatever ``pipeline`` the current
folder or ``PYTHONPATH`` holds)."""


def available() -> bool:
    """Whether this platform can fork (not Windows: there synthesis stays in-process)."""
    return hasattr(os, "fork")


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if data is None or len(data) != size:
        raise EOFError
    return data


def _frame(header: dict[str, Any], pcm: bytes = b"") -> bytes:
    body = json.dumps({**header, "bytes": len(pcm)}).encode("utf-8")
    return _LENGTH.pack(len(body)) + body + pcm


SWITCHES = 8
"""Changes of voice a helper serves before it is replaced: espeak-ng stacks every voice it
loads until it next speaks, which the helper never does, and after 27 loads its word
events went missing."""


class Zygote:
    """The build's end: starts the helper on first use, one request at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._voices: list[str] = []

    def speak(self, text: str, voice: str, rate: int) -> Speech:
        """Speak one utterance in a fresh child of the helper."""
        request = json.dumps({"text": text, "voice": voice, "rate": rate}).encode("utf-8")
        with self._lock:
            if voice not in self._voices[-1:]:
                if len(self._voices) >= SWITCHES:
                    self.close()
                self._voices.append(voice)
            process = self._started()
            assert process.stdin is not None and process.stdout is not None  # noqa: S101
            try:
                process.stdin.write(_LENGTH.pack(len(request)) + request)
                process.stdin.flush()
                (length,) = _LENGTH.unpack(_read_exactly(process.stdout, _LENGTH.size))
                header = json.loads(_read_exactly(process.stdout, length))
                pcm = _read_exactly(process.stdout, header["bytes"])
            except (EOFError, BrokenPipeError, OSError, ValueError):
                self.close()
                raise SpeechError("espeak-ng's helper process stopped") from None
            except BaseException:  # Ctrl-C mid-reply: the next request must not read its rest
                self.close()
                raise
        if header.get("error"):
            raise SpeechError(header["error"])
        return Speech(pcm, tuple((float(at), str(word)) for at, word in header["marks"]))

    def start(self) -> None:
        """Start the helper without waiting for it (it loads espeak-ng meanwhile)."""
        with self._lock:
            self._started()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(  # noqa: S603 - our interpreter, our code
                [sys.executable, "-I", "-c", _START],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._process

    def close(self) -> None:
        """Close the helper's input (it exits) and wait for it."""
        process, self._process = self._process, None
        self._voices = []
        end_helper(process)


def _child(binding: Any, request: dict[str, Any], out: int) -> None:
    """In the fork: speak, write the reply to ``out``, and leave without cleaning up."""
    from pipeline.audio.speech.espeak import speak_here

    try:
        speech = speak_here(binding, request["text"], None, request["rate"])  # voice loaded
        reply = _frame({"marks": speech.marks}, speech.pcm)
    except SpeechError as exc:
        reply = _frame({"error": str(exc)})
    view = memoryview(reply)
    while view:
        view = view[os.write(out, view) :]


def _serve(binding: Any, request: dict[str, Any], loaded: list[str]) -> bytes:
    """Fork a child for one request and collect its reply. The voice is loaded here first,
    once per change of voice (each load grows a stack only speaking empties: see
    ``SWITCHES``), so that children find it loaded."""
    if request["voice"] not in loaded[-1:]:
        if binding.SetVoiceByName(request["voice"].encode()) != binding.EE_OK:
            return _frame({"error": f"espeak-ng has no voice '{request['voice']}'"})
        loaded.append(request["voice"])
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(read_end)
        status = 1
        try:
            _child(binding, request, write_end)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as replies:
        reply = replies.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or len(reply) < _LENGTH.size:
        return _frame({"error": f"espeak-ng failed on: {request['text'][:60]}"})
    return reply


def main() -> int:
    """The helper: load espeak-ng once, then fork a child for every request."""
    from pipeline.audio.speech.espeak import _espeak

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    binding = _espeak()
    loaded: list[str] = []
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            (length,) = _LENGTH.unpack(_read_exactly(requests, _LENGTH.size))
            request = json.loads(_read_exactly(requests, length))
        except EOFError:  # the build is over, and waits for this exit: skip the teardown
            os._exit(0)  # of the interpreter (15 ms at every audio build's end)
        replies.write(_serve(binding, request, loaded))
        replies.flush()


if __name__ == "__main__":
    raise SystemExit(main())
