"""Where a narration's recognition errors come from, stage by stage.

The recogniser (``benchmarks.recognise``) hears one narration three ways,
utterance by utterance, against the same script:

- ``bare``: the bare ``piper`` command line reading the script's lines, one
  WAV per line (``python -m piper -m VOICE --output_dir DIR < lines``), as
  many draws as asked for: VITS adds random noise, so each draw is another
  reading of the same text;
- ``cache``: our build's speech-cache entries of those utterances (Piper's
  samples as our helper got them, trimmed and faded, before any levelling);
- ``mp3``: our final MP3 (levelled, compressed, limited, encoded), as the
  listening benchmark hears it.

``cache`` and ``mp3`` are the same samples before and after our audio
processing, so their difference is what the processing does to the
recogniser; ``bare`` against ``cache`` is the same voice and text read by
another process, so it shows what our synthesis changes, within the spread
between draws. The laid-out WAVs are decoded to 16 kHz by the same ffmpeg
call as the MP3, each utterance with 0.4 s of silence either side.

    python -m benchmarks.stages OUT/article.timings.json --bare 3 --lines lines.json

The build must have used the speech cache a build into that folder uses
(``.cache/speech`` beside it, or ``PUBLISH_SPEECH_CACHE``), and no pronunciation
lexicon or passages in another language (their cache keys hold more than the text).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .piper_anchor import RATE, lay_out, model, plain_text
from .recognise import Listener, Utterance, decode, utterances
from .wer import Score, score


def read_wav(path: Path) -> bytes:
    """The samples of a 16-bit mono WAV at ``RATE``."""
    with wave.open(str(path)) as found:
        if (found.getnchannels(), found.getsampwidth(), found.getframerate()) != (1, 2, RATE):
            raise ValueError(f"{path}: not 16-bit mono {RATE} Hz")
        return bytes(found.readframes(found.getnframes()))


def cache_entries(timings: dict[str, Any], spans: Sequence[Utterance], cache: Path) -> list[Path]:
    """The speech-cache entry of each utterance, by the key the build gave it (engine,
    voice, rate, text and an empty lexicon's digest)."""
    from pipeline.audio.speech.cache import key, path_for

    lexicon = hashlib.sha256(b"").hexdigest()[:16]  # ``Lexicon().digest()``
    engine, voice, rate = str(timings["engine"]), str(timings["voice"]), int(timings["rate"])
    found = [path_for(cache, key(engine, voice, rate, u.text, lexicon)) for u in spans]
    missing = [u.key for u, path in zip(spans, found, strict=True) if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} utterances not in {cache} (first: {missing[0]}): "
            "another cache, a lexicon or passages in another language?"
        )
    return found


def bare_piper(lines: str, voice: Path, folder: Path) -> list[Path]:
    """The ``piper`` command line reading ``lines`` into one WAV per line, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "piper", "-m", str(voice), "--output_dir", str(folder)]
    subprocess.run(command, input=lines.encode("utf-8"), check=True, capture_output=True)
    made = sorted(folder.glob("*.wav"), key=lambda p: int(p.stem))  # named by a clock
    if len(made) != lines.count("\n"):
        raise RuntimeError(f"piper wrote {len(made)} files for {lines.count(chr(10))} lines")
    return made


def hear(listener: Listener, pieces: Sequence[bytes], spans: Sequence[Utterance]) -> list[str]:
    """Transcripts of ``pieces`` laid out with silence and decoded as the MP3 is."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "laid-out.wav"
        places = lay_out(pieces, wav)
        pcm = decode(wav)
    placed = [Utterance(u.key, u.text, a, b) for u, (a, b) in zip(spans, places, strict=True)]
    return listener.transcribe(pcm, placed)


def figures(spans: Sequence[Utterance], heard: Sequence[str]) -> dict[str, Any]:
    """The stage's rate and each line's errors."""
    total: Score = score([u.text for u in spans], heard)
    return {
        "wer": total.rate,
        "errors": total.errors,
        "reference_words": total.reference_words,
        "substitutions": total.substitutions,
        "deletions": total.deletions,
        "insertions": total.insertions,
        "lines": [
            {"key": u.key, "heard": h, "errors": score([u.text], [h]).errors}
            for u, h in zip(spans, heard, strict=True)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__)
    parser.add_argument("timings", type=Path, help="the build's <stem>.timings.json")
    parser.add_argument("--bare", type=int, default=1, help="draws of the bare piper (default 1)")
    parser.add_argument("--lines", type=Path, help="write every stage's lines here as JSON")
    args = parser.parse_args(argv)
    stem = args.timings.name.removesuffix(".timings.json")
    out = args.timings.parent
    narration = (out / f"{stem}.narration.txt").read_text(encoding="utf-8")
    timings = json.loads(args.timings.read_text(encoding="utf-8"))
    spans = utterances(narration, timings)
    listener = Listener()
    stages: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for draw in range(1, args.bare + 1):
            made = bare_piper(
                plain_text(narration), model(timings["voice"]), Path(folder) / str(draw)
            )
            heard = hear(listener, [read_wav(p) for p in made], spans)
            stages[f"bare {draw}"] = figures(spans, heard)
    from pipeline.audio.speech.cache import default_dir

    cache = default_dir(out)
    pieces = [read_wav(p) for p in cache_entries(timings, spans, cache)]
    stages["cache"] = figures(spans, hear(listener, pieces, spans))
    stages["mp3"] = figures(spans, listener.transcribe(decode(out / f"{stem}.mp3"), spans))
    for name, found in stages.items():
        print(
            f"{name:>8}: WER {found['wer']:.1%} ({found['errors']} errors in "
            f"{found['reference_words']} words; S/D/I {found['substitutions']} / "
            f"{found['deletions']} / {found['insertions']})"
        )
    print("errors per line, " + " / ".join(stages) + ":")
    for index, u in enumerate(spans):
        counts = " ".join(f"{s['lines'][index]['errors']:>3}" for s in stages.values())
        print(f"{counts}  [{u.key}] {u.text[:70]}")
    if args.lines:
        data = {"script": [[u.key, u.text] for u in spans], "stages": stages}
        args.lines.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
