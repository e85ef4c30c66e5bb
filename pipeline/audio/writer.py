"""The ``audio`` format: narration script → speech (cached) → MP3 and M4B with chapters.

Writes ``<stem>.mp3``, ``<stem>.m4b``, ``<stem>.narration.txt`` (what is
said, for review; the narration writer's when it runs too),
``<stem>.timings.json`` (where each utterance and chapter is in the audio, for
people and tools) and its WebVTT captions and chapters (``<stem>.vtt``,
``<stem>.chapters.vtt``). The timings go to the writers after it in memory
(``Recording`` in the build context): media overlays and the listen-along page
are built from them, never from the file.
Each file is written atomically; intermediate WAVs live in a hidden
temporary folder inside the output folder and are removed afterwards.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import outputs
from pipeline.audio.assemble import HEAD_SILENCE, TAIL_SILENCE, Segment, Timeline
from pipeline.context import Context, Inputs, Picture, Recording, Written
from pipeline.document.inputs import inputs_of
from pipeline.document.model import Document
from pipeline.formats import captions, spoken, sync
from pipeline.formats.narration import Narration, narrate, to_text

if TYPE_CHECKING:
    from pipeline.audio.speech.batch import Synthesis


@dataclass(frozen=True, slots=True)
class AudioResult:
    """What one audio build wrote and did."""

    paths: tuple[Path, ...]
    synthesised: int
    """Utterances synthesised now (the rest came from the cache)."""
    timeline: Timeline
    voice: str
    encoded: int
    """Segments encoded now (the rest came from the cache)."""
    segments: int
    timings: sync.Timings
    """The timings written to ``<stem>.timings.json``, in memory for the writers after this."""
    narration: Narration
    """The script spoken."""


def read_by(engine: str, voice: str) -> str:
    """The info line's words: ``the Piper synthetic voice (en_US-joe-medium), offline``."""
    from pipeline.audio.speech import credit

    where = "online" if engine == "gtts" else "offline"
    return f"the {credit(engine, voice)}, {where} (engine '{engine}')"


def timings_json(timeline: Timeline, engine: str, voice: str, rate: int) -> str:
    """The timings sidecar: stable, diffable JSON (seconds, 3 decimals)."""
    data = {
        "engine": engine,
        "voice": voice,
        "rate": rate,
        "sample_rate": timeline.sample_rate,
        "duration": timeline.duration,
        "head_silence": HEAD_SILENCE,
        "tail_silence": TAIL_SILENCE,
        "chapters": [asdict(c) for c in timeline.chapters],
        "utterances": [asdict(u) for u in timeline.utterances],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _own_cover(cover: Picture | None, work: Path) -> Path | None:
    """The author's cover, from the bytes the build read and checked, as a file for the tools."""
    if cover is None:
        return None
    path = work / f"cover{cover.path.suffix.lower()}"
    path.write_bytes(cover.data)
    return path


def _book_cover(document: Document, out_dir: Path, work: Path) -> Path:
    """The cover the EPUB carries (drawn from the metadata, or cached), as the audiobook's art."""
    from pipeline.formats.cover import cached_cover, default_cache_dir

    path = work / "cover.png"
    path.write_bytes(cached_cover(document.metadata, default_cache_dir(out_dir)).png)
    return path


BATCH_SECONDS = 40.0
"""Audio per ffmpeg batch: enough that ffmpeg's start-up (about 10 ms of CPU) is a small part
of each run, little enough that the first batch is encoding a few utterances into the speech
and the last ones end about together on every core."""
BATCH_SEGMENTS = 8
"""At most this many segments per batch (short headings add up)."""


def _encode(
    synthesis: Synthesis, narration: Narration, cache_dir: Path, setting: str, work: Path
) -> tuple[list[Segment], int]:
    """Synthesise and lay out segment after segment; each time a batch of new segments is
    spoken, hand it to an executor that encodes batches on every core meanwhile. Return the
    segments in order and how many were encoded.

    Speech is a chain of short round trips to espeak-ng's helper: on a busy machine each
    waits for a core, and speaking 10k words took 83 s of wall time for 2.4 s of CPU. Encoding
    while speech goes on, rather than after it, hides that wait behind the encoders' work."""
    from pipeline.audio import encode
    from pipeline.audio.assemble import groups, layout
    from pipeline.audio.speech import SAMPLE_RATE
    from pipeline.audio.speech.batch import Progress

    runner = encode.Runner()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    segments: list[Segment] = []
    queued: set[str] = set()  # a segment said twice is encoded once
    batch: list[Segment] = []
    futures: list[Future[None]] = []
    failed: list[Future[None]] = []

    def check(future: Future[None]) -> None:
        if not future.cancelled() and future.exception() is not None:
            failed.append(future)

    with ThreadPoolExecutor(max_workers=cores or 1, thread_name_prefix="encoder") as pool:

        def submit() -> None:
            args = (batch.copy(), cache_dir, setting, work, runner.run)
            futures.append(pool.submit(encode.encode_batch, *args))
            futures[-1].add_done_callback(check)
            batch.clear()

        try:
            for number, group in enumerate(groups(narration)):
                if failed:
                    break  # a failed batch stops the build now, not once everything is spoken
                synthesis.ensure(group)
                segment = layout(narration, group, synthesis.paths, first=number == 0)
                segments.append(segment)
                if segment.key in queued or encode.cached(cache_dir, segment, setting):
                    continue
                queued.add(segment.key)
                batch.append(segment)
                seconds = sum(waiting.length for waiting in batch) / SAMPLE_RATE
                if seconds >= BATCH_SECONDS or len(batch) >= BATCH_SEGMENTS:
                    submit()
            if batch:
                submit()
            synthesis.finish()  # Piper's voice leaves memory before the last encodes and muxes
            left = {future for future in futures if not future.done()}
            progress = Progress(len(left), "encoding")  # batches still to encode, on a terminal
            for future in as_completed(futures):
                future.result()  # the first failure is raised here
                if future in left:
                    progress.step()
        except BaseException:  # a failure, or Ctrl-C: stop the batches running and queued
            runner.stop()
            for future in futures:
                future.cancel()
            raise
    return segments, len(queued)


def build_audio(
    document: Document,
    out_dir: Path,
    stem: str,
    *,
    engine_name: str | None = None,
    voice: str | None = None,
    rate: int,
    cache_dir: Path | None = None,
    inputs: Inputs | None = None,
    narration: Narration | None = None,
) -> AudioResult:
    """Synthesise and encode what is not cached, then write the audio files of one document.

    ``inputs`` (lexicon, cover) are the build's, already checked; without them (a document
    built in code) they are read here. Given a ``narration`` made by the narration writer,
    this writer speaks it and leaves ``<stem>.narration.txt`` to that writer.

    Without ``engine_name``, the engine is the language's default (``default_engine``:
    Piper where one of its voices reads the language, espeak-ng otherwise); one line on
    standard error says which engine and voice read it.
    """
    from pipeline.audio import encode, m4b, mp3
    from pipeline.audio.assemble import timeline as lay_out
    from pipeline.audio.speech import choose_voice, credit, default_engine, get_engine
    from pipeline.audio.speech.batch import Synthesis
    from pipeline.audio.speech.cache import default_dir
    from pipeline.audio.tags import ffmetadata, tags_for
    from pipeline.sweep import sweep_cache

    inputs = inputs or inputs_of(document)
    lexicon = inputs.lexicon
    script_written = narration is None
    narration = narration or narrate(document, lexicon)
    engine_name = engine_name or default_engine(document.metadata.lang)
    engine = get_engine(engine_name)
    chosen = choose_voice(engine, document.metadata.lang, voice)
    print(f"publish: {stem}: narration read by {read_by(engine_name, chosen)}", file=sys.stderr)
    cache = cache_dir or default_dir(out_dir)
    synthesis = Synthesis(
        [u.text for u in narration.utterances],
        engine_name=engine_name,
        voice=chosen,
        rate=rate,
        lexicon=lexicon.digest(),
        cache_dir=cache,
        runs=[u.langs for u in narration.utterances],
        phonemes=lexicon.phonemes,
    )
    synthesis.start()
    sweep_cache(cache)  # entries' .part files a killed build left, an hour old or more
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{stem}.audio.", dir=out_dir) as folder:
        work = Path(folder)
        setting = encode.settings()
        segments, encoded = _encode(synthesis, narration, cache, setting, work)
        timeline = lay_out(narration, segments)
        cover = _own_cover(inputs.cover, work) or _book_cover(document, out_dir, work)
        tags = tags_for(document, cover, narrator=credit(engine_name, chosen))
        metadata = work / "chapters.txt"
        metadata.write_text(ffmetadata(tags, timeline.chapters), encoding="utf-8")
        frames = [encode.paths(cache, segment, setting) for segment in segments]
        with (
            outputs.atomic_path(out_dir / f"{stem}.m4b") as m4b_path,
            outputs.atomic_path(out_dir / f"{stem}.mp3") as mp3_path,
        ):
            m4b.write(m4b_path, [aac for _, aac in frames], metadata, tags.cover)
            mp3.write(mp3_path, tags, timeline.chapters, [mp3_part for mp3_part, _ in frames])
    sidecar = timings_json(timeline, engine_name, chosen, rate)
    timed = sync.loads(sidecar)
    script = out_dir / f"{stem}.narration.txt"
    written = (
        out_dir / f"{stem}.mp3",
        out_dir / f"{stem}.m4b",
        *([outputs.write_text(script, to_text(narration))] if script_written else []),
        outputs.write_text(out_dir / f"{stem}.timings.json", sidecar),
        outputs.write_text(out_dir / f"{stem}.vtt", captions.captions(timed)),
        outputs.write_text(out_dir / f"{stem}.chapters.vtt", captions.chapters(timed)),
    )
    return AudioResult(
        written,
        synthesis.synthesised,
        timeline,
        chosen,
        encoded,
        len(segments),
        timed,
        narration,
    )


WARM = (
    "numpy.fft",  # the levelling's filters
    "pipeline.audio.assemble",
    "pipeline.audio.encode",
    "pipeline.audio.m4b",
    "pipeline.audio.mp3",  # mutagen
    "pipeline.audio.tags",
    "pipeline.formats.cover",  # the audiobook's cover, from the cover cache
    "pipeline.audio.speech.batch",
    "pipeline.audio.speech.cache",
)
"""What a build imports on first use: a resident process (``publish watch``) imports it before
the first edit (tests/test_watch.py checks that a first rebuild imports nothing heavy)."""


@dataclass(frozen=True)
class AudioWriter:
    """Narrated audio, MP3 and M4B with chapters (offline with the default engine)."""

    name: str = "audio"
    description: str = "narrated audio (<stem>.mp3, .m4b with chapters, .vtt captions)"
    engine: str | None = None
    """None: the document language's default engine (``speech.default_engine``)."""
    voice: str | None = None
    rate: int = 175
    cache_dir: Path | None = None

    uses: tuple[str, ...] = ("narration",)
    """The script, when the narration writer runs in the same build, is spoken as it is."""

    def write(self, context: Context) -> Written:
        result = build_audio(
            context.document,
            context.out_dir,
            context.stem,
            engine_name=self.engine,
            voice=self.voice,
            rate=self.rate,
            cache_dir=self.cache_dir,
            inputs=context.inputs,
            narration=context.narration,
        )
        recording = Recording(
            result.paths[0], result.timings, result.synthesised, result.encoded, result.segments
        )
        return Written(result.paths, narration=result.narration, recording=recording)

    def warm(self, document: Document) -> None:
        """Import what a build needs and get the speech engine ready (espeak-ng's helper
        starts): what a resident process pays before the first edit, not after it."""
        import importlib

        from pipeline.audio import encode
        from pipeline.audio.speech import (
            choose_voice,
            default_engine,
            get_engine,
            hold,
            preload,
            prepare,
        )

        for module in WARM:
            importlib.import_module(module)
        encode.settings()
        spoken.warm(document.metadata.lang)  # the reading rules' libraries: about 0.5 s
        engine = get_engine(self.engine or default_engine(document.metadata.lang))
        hold(engine)  # a resident process: builds leave the voice loaded for the next edit
        if prepare(engine):
            chosen = choose_voice(engine, document.metadata.lang, self.voice)  # the voice list
            preload(engine, chosen)  # Piper: the voice is loaded before the first edit
