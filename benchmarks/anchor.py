"""The audio anchor: the least work that makes what an audio build makes, an MP3 and an AAC
audiobook of the same speech.

espeak-ng (the library bundled in the ``espeakng-loader`` wheel, called
directly through ctypes in synchronous mode, no pyttsx3) speaks each
utterance of a narration script into one raw PCM file; then ``lameenc``
encodes that file to one MP3, and ffmpeg's AAC encoder (the one the build
runs) to one AAC file, each with the settings of our encoder
(``pipeline/audio/encode.py``). The steps run one after the other: no
chapters, no loudness, no container. The benchmark compares CPU seconds
(user + system, children included) with our build's, so the figure is the
work done, whatever the number of cores.

    python -m benchmarks.anchor article.narration.txt out.mp3 --voice gmw/en-US
    # writes out.mp3 and out.aac
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

#: espeak-ng constants (speak_lib.h).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
#: Encoder settings are read from pipeline/audio/encode.py (``_settings``, ``encode_aac``).
_BLOCK_BYTES = 2 << 16

_UTTERANCE = re.compile(r"^\[[^\]]+\] \([^)]*\) (?P<text>.+)$")


def utterances(narration: str) -> Iterator[str]:
    """The spoken texts of a ``<stem>.narration.txt`` script, in order."""
    for line in narration.splitlines():
        match = _UTTERANCE.match(line)
        if match:
            yield match["text"]


def synthesise(texts: list[str], voice: str, rate: int, pcm: Path) -> int:
    """Speak every text into one raw 16-bit mono PCM file; return the sample rate."""
    # Imported by name: the audio extras are untyped and absent before the audio writer lands.
    espeakng_loader = importlib.import_module("espeakng_loader")
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    lib = ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    callback_type = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
    )
    sample_rate = int(lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0))
    if sample_rate <= 0:
        raise RuntimeError("espeak-ng did not initialise")
    with pcm.open("wb") as out:

        def on_audio(wav: ctypes._Pointer[ctypes.c_short], samples: int, events: int) -> int:
            if samples > 0:
                out.write(ctypes.string_at(wav, samples * 2))
            return 0

        callback = callback_type(on_audio)
        lib.espeak_SetSynthCallback(callback)
        if lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
            raise RuntimeError(f"espeak-ng has no voice {voice!r}")
        lib.espeak_SetParameter(_ESPEAK_RATE, rate, 0)
        for text in texts:
            data = text.encode("utf-8") + b"\0"
            lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        lib.espeak_Terminate()
    return sample_rate


def _settings() -> tuple[int, int]:
    """Our MP3 encoder's bitrate (kbit/s) and LAME quality: both sides encode alike."""
    encode = importlib.import_module("pipeline.audio.encode")
    return int(str(encode.MP3_BITRATE).rstrip("k")), int(encode.MP3_QUALITY)


def encode(pcm: Path, sample_rate: int, mp3: Path) -> None:
    """One MP3 encode of the whole PCM file, block by block."""
    lameenc = importlib.import_module("lameenc")
    bitrate, quality = _settings()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    with pcm.open("rb") as source, mp3.open("wb") as out:
        while block := source.read(_BLOCK_BYTES):
            out.write(encoder.encode(block))
        out.write(encoder.flush())


def encode_aac(pcm: Path, sample_rate: int, aac: Path) -> None:
    """One AAC encode of the whole PCM file by ffmpeg, as our build's encoder is set."""
    encode = importlib.import_module("pipeline.audio.encode")
    ffmpeg = importlib.import_module("pipeline.audio.ffmpeg")
    raw = ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(pcm)]
    codec = ["-c:a", "aac", *encode.AAC_OPTIONS, "-f", "adts", str(aac)]
    command = [ffmpeg.exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    subprocess.run([*command, *raw, *codec], check=True)


def main(argv: list[str] | None = None) -> int:
    """Synthesise a narration script with raw espeak-ng, then encode one MP3 and one AAC."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.anchor", description=__doc__)
    parser.add_argument("narration", type=Path, help="a <stem>.narration.txt script")
    parser.add_argument("mp3", type=Path, help="MP3 file to write (and the AAC beside it)")
    parser.add_argument("--voice", default="en-us", help="espeak-ng voice name")
    parser.add_argument("--rate", type=int, default=175, help="words per minute")
    args = parser.parse_args(argv)
    texts = list(utterances(args.narration.read_text(encoding="utf-8")))
    if not texts:
        parser.error(f"no utterances in {args.narration}")
    pcm = args.mp3.with_suffix(".pcm")
    try:
        sample_rate = synthesise(texts, args.voice, args.rate, pcm)
        encode(pcm, sample_rate, args.mp3)
        encode_aac(pcm, sample_rate, args.mp3.with_suffix(".aac"))
    finally:
        pcm.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
