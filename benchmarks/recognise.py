"""An offline listener: pocketsphinx transcribes narration, one utterance at a time.

The recogniser is pocketsphinx with the US-English acoustic model, language
model and dictionary its PyPI wheel bundles: nothing to download, the same
model on every machine, so a word error rate measured here can be measured
again anywhere. It is only a proxy for a listener, but a voice it cannot
follow is one people find hard to follow too.

Each utterance is cut out of the audio by the times the build wrote
(``<stem>.timings.json``) and decoded on its own, with a little of the
silence around it: short inputs keep the decoder's search small (feeding it
a whole chapter at once costs more time and loses its place after an error),
and each transcript lines up with one line of the narration script.

    python -m benchmarks.recognise article.mp3 article.timings.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The acoustic model's sample rate.
RATE = 16_000
#: Silence kept on each side of an utterance, in seconds.
PADDING = 0.15

_LINE = re.compile(r"^\[(?P<key>[^\]]+)\] \([^)]*\) (?P<text>.+)$")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One line of a narration script and where it is in the audio."""

    key: str
    text: str
    start: float
    end: float


def script(narration: str) -> Iterator[tuple[str, str]]:
    """(key, spoken text) of each utterance of a ``<stem>.narration.txt`` script, in order."""
    for line in narration.splitlines():
        match = _LINE.match(line)
        if match:
            yield match["key"], match["text"]


def utterances(narration: str, timings: dict[str, Any]) -> list[Utterance]:
    """The script's utterances with their times; the script's text is the reference."""
    spans: dict[str, tuple[float, float]] = {
        str(u["key"]): (float(u["start"]), float(u["end"])) for u in timings["utterances"]
    }
    found = []
    for key, text in script(narration):
        if key not in spans:
            raise ValueError(f"utterance {key!r} of the script has no timing")
        found.append(Utterance(key, text, *spans[key]))
    return found


def decode(audio: Path) -> bytes:
    """The whole file as 16 kHz mono 16-bit PCM (ffmpeg: MP3, M4B and WAV alike)."""
    ffmpeg = importlib.import_module("imageio_ffmpeg").get_ffmpeg_exe()
    command = [ffmpeg, "-v", "error", "-i", str(audio), "-ac", "1", "-ar", str(RATE)]
    return subprocess.run([*command, "-f", "s16le", "-"], capture_output=True, check=True).stdout


class Listener:
    """pocketsphinx with its bundled US-English models, loaded once."""

    def __init__(self) -> None:
        pocketsphinx = importlib.import_module("pocketsphinx")
        self.decoder = pocketsphinx.Decoder(samprate=RATE, loglevel="FATAL")

    def hear(self, pcm: bytes) -> str:
        """What the recogniser makes of one stretch of 16 kHz PCM."""
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        found = self.decoder.hyp()
        return str(found.hypstr) if found is not None else ""

    def unknown(self, words: Sequence[str]) -> list[str]:
        """The words the recogniser's dictionary lacks: it can never write them, so each
        one is an error whatever the voice does (a floor under the rate, reported beside it)."""
        return [w for w in words if self.decoder.lookup_word(w) is None]

    def transcribe(self, pcm: bytes, spans: Sequence[Utterance]) -> list[str]:
        """One transcript per utterance, each cut from ``pcm`` with ``PADDING`` around it."""
        heard = []
        for u in spans:
            first = max(0, int((u.start - PADDING) * RATE)) * 2
            last = int((u.end + PADDING) * RATE) * 2
            heard.append(self.hear(pcm[first:last]))
        return heard


def main(argv: list[str] | None = None) -> int:
    """Transcribe, then print (or write as JSON) the word error rate and the worst lines."""
    from .wer import score, words

    parser = argparse.ArgumentParser(prog="python -m benchmarks.recognise", description=__doc__)
    parser.add_argument("audio", type=Path, help="the narration's MP3 (or any audio file)")
    parser.add_argument("timings", type=Path, help="its <stem>.timings.json")
    parser.add_argument(
        "--narration", type=Path, help="the script (default: <stem>.narration.txt beside it)"
    )
    parser.add_argument("--json", type=Path, help="write the figures here instead of printing")
    args = parser.parse_args(argv)
    narration = args.narration or args.timings.with_name(
        args.timings.name.removesuffix(".timings.json") + ".narration.txt"
    )
    spans = utterances(
        narration.read_text(encoding="utf-8"),
        json.loads(args.timings.read_text(encoding="utf-8")),
    )
    pcm = decode(args.audio)
    listener = Listener()
    heard = listener.transcribe(pcm, spans)
    unknown = listener.unknown([w for u in spans for w in words(u.text)])
    total = score([u.text for u in spans], heard)
    errors = [score([u.text], [h]).errors for u, h in zip(spans, heard, strict=True)]
    lines = [
        {"key": u.key, "text": u.text, "heard": h, "errors": e}
        for u, h, e in zip(spans, heard, errors, strict=True)
    ]
    worst = sorted(range(len(lines)), key=lambda i: -errors[i])[:5]
    figures = {
        "reference_words": total.reference_words,
        "wer": total.rate,
        "substitutions": total.substitutions,
        "deletions": total.deletions,
        "insertions": total.insertions,
        "audio_s": len(pcm) / 2 / RATE,
        "unknown_words": len(unknown),
        "unknown": sorted(set(unknown)),
        "worst": [lines[i] for i in worst],
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        return 0
    for line in lines:
        print(f"[{line['key']}] {line['text']}\n    heard: {line['heard']}")
    print(f"WER {total.rate:.1%} ({total.errors} errors in {total.reference_words} words)")
    missing = " ".join(sorted(set(unknown)))
    print(f"{len(unknown)} words not in the recogniser's dictionary: {missing}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
