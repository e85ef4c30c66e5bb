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

import functools
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline import outputs
from pipeline.audio.assemble import HEAD_SILENCE, TAIL_SILENCE, Segment, Timeline
from pipeline.document.model import Document
from pipeline.formats import captions, sync
from pipeline.formats.narration import Narration, lexicon_for, narrate, source_path, to_text

if TYPE_CHECKING:
    from pipeline.audio.speech.batch import Synthesis
    from pipeline.audio.tags import Tags

Extra = TypeVar("Extra")
Result = TypeVar("Result")


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


def _book_cover(document: Document, out_dir: Path, work: Path) -> Path:
    """The cover the EPUB carries (drawn from the metadata, or cached), as the audiobook's art."""
    from pipeline.formats.cover import cached_cover, default_cache_dir

    path = work / "cover.png"
    path.write_bytes(cached_cover(document.metadata, default_cache_dir(out_dir)).png)
    return path


BATCH_SECONDS = 40.0
"""Audio per ffmpeg batch at most: small enough that batches overlap synthesis and use both
cores, large enough that ffmpeg's start-up is a small part of each."""
BATCH_SEGMENTS = 8
"""At most this many segments per batch. Measured with batches made as speech went (cold audio
build in-process, article / 1k words, medians of 3): 20 s or 4 segments 1.39 / 2.79 s, 40 s or 8
segments 1.37 / 2.74 s, 80 s or 16 segments 1.38 / 2.74 s."""


BATCH_LEAST = 10.0
"""Seconds of audio an encoder waits for while speech goes on (a few milliseconds of speech):
the article's title and first headings are one ffmpeg run, not three."""


def _join(threads: list[threading.Thread], stop: Callable[[], None]) -> None:
    """Wait for every thread; a Ctrl-C meanwhile stops their work, and is raised once they end."""
    interrupted: BaseException | None = None
    for thread in threads:
        while thread.is_alive():
            try:
                thread.join()
            except BaseException as exc:  # raised below, once all have ended
                interrupted = interrupted or exc
                stop()
    if interrupted is not None:
        raise interrupted


def _encode(
    synthesis: Synthesis,
    narration: Narration,
    cache_dir: Path,
    setting: str,
    work: Path,
    *,
    meanwhile: Callable[[], Extra],
    spoken: Callable[[list[Segment], Extra, Callable[[Segment], None]], Result],
) -> tuple[list[Segment], int, Result]:
    """Synthesise and lay out segment after segment while encoders (one per core) take the new
    ones from a ``Backlog``. Once everything is spoken, run ``meanwhile``, then ``spoken``,
    while they finish: it gets the segments, what ``meanwhile`` returned, and a function that
    waits until a segment's AAC frames are stored (the M4B is muxed there, fed segment by
    segment as the encoders store them). Return the segments, how many of them were encoded,
    and what ``spoken`` returned."""
    from pipeline.audio import encode, ffmpeg
    from pipeline.audio.assemble import groups, layout
    from pipeline.audio.backlog import Backlog
    from pipeline.audio.speech import SAMPLE_RATE
    from pipeline.audio.speech.batch import Progress

    runner = encode.Runner()
    cores = ffmpeg.cores()
    encoders = len(cores) or os.cpu_count() or 1
    backlog: Backlog[Segment] = Backlog(
        encoders,
        lambda segment: segment.length / SAMPLE_RATE,
        batch_seconds=BATCH_SECONDS,
        batch_segments=BATCH_SEGMENTS,
        least=BATCH_LEAST,
    )
    failures: list[BaseException] = []
    progress: list[Progress] = []  # set once everything is spoken
    finished = [0]  # segments encoded
    encoding: set[str] = set()  # keys of the segments queued whose AAC frames are not stored
    busy = [0]  # encoders encoding
    lock = threading.Lock()
    changed = threading.Condition(lock)

    def aac_stored(batch: list[Segment]) -> None:
        with changed:
            encoding.difference_update(segment.key for segment in batch)
            changed.notify_all()

    def wait_for_aac(segment: Segment) -> None:
        with changed:
            while segment.key in encoding and not failures:
                changed.wait(0.1)  # a Ctrl-C is raised between waits
            if failures:
                raise failures[0]

    def stop() -> None:
        backlog.stop()
        runner.stop()

    def encoder(core: int | None) -> None:
        try:
            while batch := backlog.take():
                with lock:  # alone (one edited segment), a batch gets both of its encoders'
                    busy[0] += 1  # cores; with others, a core of its own (``encode.Runner``)
                    together = busy[0] > 1 or len(backlog) > 0
                runner.encode_batch(
                    batch,
                    cache_dir,
                    setting,
                    work,
                    core if together else None,
                    split=not together and encoders > 1,
                    aac_stored=functools.partial(aac_stored, batch),
                )
                with lock:
                    busy[0] -= 1
                    finished[0] += len(batch)
                    if progress:
                        progress[0].step(len(batch))
            runner.release()  # nothing left for this core: the others' batches may use it
        except BaseException as exc:  # handed to the build's thread
            with changed:
                failures.append(exc)
                changed.notify_all()
            stop()

    segments: list[Segment] = []
    queued: set[str] = set()
    threads = [
        threading.Thread(
            target=encoder, args=(cores[n] if len(cores) > 1 else None,), name=f"encoder-{n}"
        )
        for n in range(encoders)
    ]
    for thread in threads:
        thread.start()
    try:
        for number, group in enumerate(groups(narration)):
            if failures:  # a failed batch stops the build now, not once everything is spoken
                break
            synthesis.ensure(group)
            segment = layout(narration, group, synthesis.paths, first=number == 0)
            segments.append(segment)
            key = segment.key
            if key not in queued and not encode.cached(cache_dir, segment, setting):
                queued.add(key)
                with lock:
                    encoding.add(key)
                backlog.put(segment)
        with lock:  # what is left to encode once everything is spoken (a book's last minutes)
            progress.append(Progress(len(queued) - finished[0], "encoding"))
        backlog.spoken()
        if failures:
            raise failures[0]
        result = spoken(segments, meanwhile(), wait_for_aac)
    except BaseException:
        stop()
        raise
    finally:
        _join(threads, stop)
    if failures:  # an MP3 encode failed while ``spoken`` ran
        raise failures[0]
    return segments, len(queued), result


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
    """Synthesise and encode what is not cached, then write the audio files of one document."""
    from pipeline.audio import encode, m4b, mp3
    from pipeline.audio.assemble import timeline as lay_out
    from pipeline.audio.speech import choose_voice, get_engine
    from pipeline.audio.speech.batch import Synthesis
    from pipeline.audio.speech.cache import default_dir
    from pipeline.audio.tags import ffmetadata, find_cover, tags_for

    lexicon = lexicon_for(document, source_path(document))
    narration = narrate(document, lexicon)
    engine = get_engine(engine_name)
    chosen = choose_voice(engine, document.metadata.lang, voice)
    cache = cache_dir or default_dir(out_dir)
    synthesis = Synthesis(
        [u.text for u in narration.utterances],
        engine_name=engine_name,
        voice=chosen,
        rate=rate,
        lexicon=lexicon.digest(),
        cache_dir=cache,
    )
    synthesis.start()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{stem}.audio.", dir=out_dir) as folder:
        work = Path(folder)
        setting = encode.settings()

        def find_or_draw_cover() -> Path:
            return find_cover(document, out_dir, stem) or _book_cover(document, out_dir, work)

        with (
            # drawn while the speech starts, when a core is still free (0.1 s of CPU on a
            # cold cover cache), not once it is spoken, when both encode
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="cover") as pool,
            outputs.atomic_path(out_dir / f"{stem}.m4b") as m4b_path,
            outputs.atomic_path(out_dir / f"{stem}.mp3") as mp3_path,
        ):

            def write_m4b(
                segments: list[Segment], cover: Path, stored: Callable[[Segment], None]
            ) -> tuple[Timeline, Tags]:
                timeline = lay_out(narration, segments)
                tags = tags_for(document, cover)
                metadata = work / "chapters.txt"
                metadata.write_text(ffmetadata(tags, timeline.chapters), encoding="utf-8")

                def frames() -> Iterator[Path]:
                    for segment in segments:
                        stored(segment)
                        yield encode.paths(cache, segment, setting)[1]

                m4b.write(m4b_path, frames(), metadata, tags.cover)
                return timeline, tags

            segments, encoded, (timeline, tags) = _encode(
                synthesis,
                narration,
                cache,
                setting,
                work,
                meanwhile=pool.submit(find_or_draw_cover).result,
                spoken=write_m4b,
            )
            parts = [encode.paths(cache, segment, setting)[0] for segment in segments]
            mp3.write(mp3_path, tags, timeline.chapters, parts)
    sidecar = timings_json(timeline, engine_name, chosen, rate)
    timed = sync.loads(sidecar)
    written = (
        out_dir / f"{stem}.mp3",
        out_dir / f"{stem}.m4b",
        outputs.write_text(out_dir / f"{stem}.narration.txt", to_text(narration)),
        outputs.write_text(out_dir / f"{stem}.timings.json", sidecar),
        outputs.write_text(out_dir / f"{stem}.vtt", captions.captions(timed)),
        outputs.write_text(out_dir / f"{stem}.chapters.vtt", captions.chapters(timed)),
    )
    return AudioResult(written, synthesis.synthesised, timeline, chosen, encoded, len(segments))


WARM = (
    "numpy.fft",  # the levelling's filters
    "pipeline.audio.assemble",
    "pipeline.audio.backlog",
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
    engine: str = "pyttsx3"
    voice: str | None = None
    rate: int = 175
    cache_dir: Path | None = None

    def write(self, document: Document, out_dir: Path, stem: str) -> list[Path]:
        return list(self.build(document, out_dir, stem).paths)

    def build(self, document: Document, out_dir: Path, stem: str) -> AudioResult:
        """``write``, telling what was synthesised and encoded."""
        return build_audio(
            document,
            out_dir,
            stem,
            engine_name=self.engine,
            voice=self.voice,
            rate=self.rate,
            cache_dir=self.cache_dir,
        )

    def warm(self, document: Document) -> None:
        """Import what a build needs and get the speech engine ready (espeak-ng's helper
        starts): what a resident process pays before the first edit, not after it."""
        import importlib

        from pipeline.audio import encode
        from pipeline.audio.speech import choose_voice, get_engine, prepare

        for module in WARM:
            importlib.import_module(module)
        encode.settings()
        engine = get_engine(self.engine)
        if prepare(engine):
            choose_voice(engine, document.metadata.lang, self.voice)  # espeak-ng's voice list
