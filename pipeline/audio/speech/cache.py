"""The speech cache: each utterance synthesised once, kept by content hash.

Key: SHA-256 of (cache format, engine, voice, rate, text, lexicon digest).
Files are 16-bit mono WAV at ``SAMPLE_RATE`` under ``<dir>/<2 hex>/<hash>.wav``
(with ``<hash>.words.json``, the word timings, when the engine reports them),
stored ready to join (the engine's own silence trimmed, edges faded: see
``trim``, so laying them out needs only their lengths), written to a
temporary name and renamed, so an interrupted build never leaves
a truncated entry. The default folder is ``.cache/speech`` beside the output
folder (``outputs/`` → ``.cache/speech`` in the project, which git ignores);
``PUBLISH_SPEECH_CACHE`` overrides it. Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import wave
from pathlib import Path

from pipeline import signals
from pipeline.audio.speech import SAMPLE_RATE, Speech
from pipeline.audio.speech.trim import trim
from pipeline.outputs import cache_folder

#: Bump when the stored audio changes meaning (trimming, sample rate...).
CACHE_FORMAT = 3


def default_dir(out_dir: Path) -> Path:
    """``PUBLISH_SPEECH_CACHE``, else ``.cache/speech`` beside the output folder."""
    override = os.environ.get("PUBLISH_SPEECH_CACHE")
    if override:
        return Path(override)
    return cache_folder(out_dir, "speech")


def key(engine: str, voice: str, rate: int, text: str, lexicon: str) -> str:
    """The content hash that names an utterance's audio."""
    data = json.dumps([CACHE_FORMAT, engine, voice, rate, text, lexicon], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def path_for(folder: Path, digest: str) -> Path:
    """Where an entry lives."""
    return folder / digest[:2] / f"{digest}.wav"


def _words_path(path: Path) -> Path:
    return path.with_suffix(".words.json")


def words(path: Path) -> tuple[tuple[float, str], ...]:
    """Word timings (seconds into the entry, word) stored with an entry, if any."""
    found = _words_path(path)
    if not found.exists():
        return ()
    return tuple((float(t), str(w)) for t, w in json.loads(found.read_text(encoding="utf-8")))


def store(path: Path, speech: Speech) -> None:
    """Trim and fade the speech, then write it as an entry atomically (temporary file
    in the same folder, then rename).

    The word timings go first: an entry whose WAV exists is complete.
    """
    speech = trim(speech)
    words = b""
    if speech.marks:
        data = json.dumps([[round(t, 3), w] for t, w in speech.marks], ensure_ascii=False)
        words = data.encode("utf-8")
        write_atomically(_words_path(path), words)
    audio = wav_header(len(speech.pcm) // 2) + speech.pcm
    write_atomically(path, audio)
    write_atomically(sum_path(path), checksum(audio, words).encode("ascii"))


# --- verified on read ---------------------------------------------------------------------

DAMAGED: list[Path] = []
"""Cache entries (speech and encoded segments) this process found damaged and dropped, to
be made again; the build reports how many, once."""


def sum_path(path: Path) -> Path:
    """The SHA-256 stored with an entry, written after it: ``<hash>.sum``."""
    return path.with_suffix(".sum")


def checksum(*parts: bytes) -> str:
    """What ``<hash>.sum`` holds: the SHA-256 of the entry's files, in order."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def drop(files: tuple[Path, ...]) -> None:
    """Forget a damaged entry: its files removed, counted once in ``DAMAGED``."""
    DAMAGED.append(files[0])
    for file in files:
        file.unlink(missing_ok=True)


def usable(path: Path) -> bool:
    """Whether the entry ``path`` is in the cache and whole. A damaged one (truncated,
    garbage, its words unreadable, its checksum wrong) is dropped: a miss, made again."""
    if not path.exists():
        return False
    if _sound(path):
        return True
    drop((path, _words_path(path), sum_path(path)))
    return False


def _sound(path: Path) -> bool:
    try:
        audio = path.read_bytes()
        words_file = _words_path(path)
        words = words_file.read_bytes() if words_file.exists() else b""
        stored = sum_path(path)
        if stored.exists():
            return stored.read_text(encoding="ascii").strip() == checksum(audio, words)
        # Written before entries had sums: the header must match the length, words parse.
        if len(audio) < 44 or audio[:4] != b"RIFF" or audio[8:16] != b"WAVEfmt ":
            return False
        if audio[36:40] != b"data" or int.from_bytes(audio[40:44], "little") != len(audio) - 44:
            return False
        if words:
            for at, word in json.loads(words.decode("utf-8")):
                float(at), str(word)
    except (OSError, ValueError, TypeError, UnicodeDecodeError):
        return False
    return True


def wav_header(frames: int) -> bytes:
    """The 44-byte RIFF header of ``frames`` 16-bit mono samples at ``SAMPLE_RATE``.

    Written by hand rather than with ``wave``: a ``wave.Wave_write`` that Ctrl-C
    interrupts while it is being made prints a traceback when it is collected.
    The bytes are those ``wave`` writes.
    """
    size = frames * 2
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + size, b"WAVE", b"fmt ", 16, 1, 1,
        SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16, b"data", size,
    )  # fmt: skip


def write_atomically(path: Path, data: bytes) -> None:
    """A temporary file in the same folder, renamed over ``path`` once complete.

    For cache entries (speech, encoded segments): unlike ``outputs.write_bytes`` no
    fsync, as an entry lost to a crash is made again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with signals.held():  # entries are small: a Ctrl-C waits for the rename, no .part stays
        fd, temp = tempfile.mkstemp(prefix=f".{path.stem[:12]}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def frames(path: Path) -> int:
    """Number of samples in an entry (read from the header ``wav_header`` wrote)."""
    with path.open("rb") as handle:
        head = handle.read(44)
    if len(head) == 44 and head[:4] == b"RIFF" and head[36:40] == b"data":
        return int.from_bytes(head[40:44], "little") // 2
    with wave.open(str(path), "rb") as wav:  # not written by this version: ask ``wave``
        return wav.getnframes()
