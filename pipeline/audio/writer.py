"""The ``audio`` format: narration script → speech (cached) → MP3 and M4B with chapters.

Writes ``<stem>.mp3``, ``<stem>.m4b``, ``<stem>.narration.txt`` (what is
said, for review), ``<stem>.timings.json`` (where each utterance and
chapter is in the audio: media overlays and the listen-along page are built
from it) and its WebVTT captions and chapters (``<stem>.vtt``,
``<stem>.chapters.vtt``).
Each file is written atomically; intermediate WAVs live in a hidden
temporary folder inside the output folder and are removed afterwards.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import captions, outputs, sync
from ..model import Document
from ..narration import lexicon_for, narrate, source_path, to_text
from .assemble import HEAD_SILENCE, TAIL_SILENCE, Timeline
from .loudness import Loudness


@dataclass(frozen=True, slots=True)
class AudioResult:
    """What one audio build wrote and did."""

    paths: tuple[Path, ...]
    synthesised: int
    """Utterances synthesised now (the rest came from the cache)."""
    timeline: Timeline
    loudness: Loudness
    """Of the joined, normalised audio."""
    voice: str
    mp3_loudness: Loudness
    m4b_loudness: Loudness


def timings_json(
    timeline: Timeline, loudness: dict[str, Loudness], engine: str, voice: str, rate: int
) -> str:
    """The timings sidecar: stable, diffable JSON (seconds, 3 decimals)."""
    data = {
        "engine": engine,
        "voice": voice,
        "rate": rate,
        "sample_rate": timeline.sample_rate,
        "duration": timeline.duration,
        "head_silence": HEAD_SILENCE,
        "tail_silence": TAIL_SILENCE,
        "loudness": {
            name: {"integrated_lufs": value.integrated, "true_peak_dbtp": value.true_peak}
            for name, value in loudness.items()
        },
        "chapters": [asdict(c) for c in timeline.chapters],
        "utterances": [asdict(u) for u in timeline.utterances],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _book_cover(document: Document, work: Path) -> Path:
    """The cover the EPUB carries (drawn from the metadata), as the audiobook's art."""
    from ..cover import render_cover

    path = work / "cover.png"
    path.write_bytes(render_cover(document.metadata).png)
    return path


def build_audio(
    document: Document,
    out_dir: Path,
    stem: str,
    *,
    engine_name: str,
    voice: str | None = None,
    rate: int,
    cache_dir: Path | None = None,
) -> AudioResult:
    """Synthesise what is not cached, then write the audio files of one document."""
    from ..speech import choose_voice, get_engine
    from ..speech.batch import synthesise_all
    from ..speech.cache import default_dir
    from . import m4b, mp3
    from .assemble import assemble
    from .loudness import measure, normalise
    from .tags import ffmetadata, find_cover, tags_for

    lexicon = lexicon_for(document, source_path(document))
    narration = narrate(document, lexicon)
    engine = get_engine(engine_name)
    chosen = choose_voice(engine, document.metadata.lang, voice)
    batch = synthesise_all(
        [u.text for u in narration.utterances],
        engine_name=engine_name,
        voice=chosen,
        rate=rate,
        lexicon=lexicon.digest(),
        cache_dir=cache_dir or default_dir(out_dir),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{stem}.audio.", dir=out_dir) as folder:
        work = Path(folder)
        cover = find_cover(document, out_dir, stem) or _book_cover(document, work)
        tags = tags_for(document, cover)
        timeline = assemble(narration, batch.paths, work / "joined.wav")
        loudness = normalise(work / "joined.wav", work / "normalised.wav", timeline.sample_rate)
        metadata = work / "chapters.txt"
        metadata.write_text(ffmetadata(tags, timeline.chapters), encoding="utf-8")
        with (
            outputs.atomic_path(out_dir / f"{stem}.m4b") as m4b_path,
            outputs.atomic_path(out_dir / f"{stem}.mp3") as mp3_path,
        ):
            encoder = m4b.start(work / "normalised.wav", metadata, m4b_path, tags.cover)
            try:  # the MP3 is encoded here while ffmpeg encodes the M4B on the other core
                mp3_loudness = mp3.encode_within_peak(work / "normalised.wav", mp3_path)
                mp3.tag(mp3_path, tags, timeline.chapters)
            except BaseException:
                encoder.kill()
                encoder.wait()
                raise
            m4b.finish(encoder)
            m4b_loudness = measure(m4b_path)
    sidecar = timings_json(
        timeline,
        {"joined": loudness, "mp3": mp3_loudness, "m4b": m4b_loudness},
        engine_name,
        chosen,
        rate,
    )
    timed = sync.loads(sidecar)
    written = (
        out_dir / f"{stem}.mp3",
        out_dir / f"{stem}.m4b",
        outputs.write_text(out_dir / f"{stem}.narration.txt", to_text(narration)),
        outputs.write_text(out_dir / f"{stem}.timings.json", sidecar),
        outputs.write_text(out_dir / f"{stem}.vtt", captions.captions(timed)),
        outputs.write_text(out_dir / f"{stem}.chapters.vtt", captions.chapters(timed)),
    )
    return AudioResult(
        written, batch.synthesised, timeline, loudness, chosen, mp3_loudness, m4b_loudness
    )


@dataclass(frozen=True)
class AudioWriter:
    """Narrated audio, MP3 and M4B with chapters (offline with the default engine)."""

    name: str = "audio"
    description: str = "narrated audio (<stem>.mp3, .m4b with chapters, .vtt captions)"
    engine: str = "pyttsx3"
    voice: str | None = None
    rate: int = 175
    cache_dir: Path | None = None

    def write(self, document: Document, out_dir: Path, stem: str) -> list[Path]:
        result = build_audio(
            document,
            out_dir,
            stem,
            engine_name=self.engine,
            voice=self.voice,
            rate=self.rate,
            cache_dir=self.cache_dir,
        )
        return list(result.paths)
