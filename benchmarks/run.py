"""The benchmark suite: our builds against pandoc and raw espeak-ng, as ratios.

Every figure is a ratio to an anchor measured in the same run, interleaved
with it, as the median of several runs: the machine is shared, so absolute
seconds drift, ratios much less. Each build is a child process
(``python -m pipeline build ...``) with its own output folder, so start-up
and peak memory are real; peak memory is the child's maximum resident set
(``os.wait4``), which includes its waited-for children such as ffmpeg.

    python -m benchmarks.run            # text 1k-100k; audio 1k-25k; one 100k full build;
                                        # Piper 1k, 10k; intelligibility: article, 1k
    python -m benchmarks.run --quick --skip text,audio,incremental,memory,intelligibility \
        --piper-sizes 1k,10k,100k       # Piper to 100k words (hours): memory, CPU per word
    python -m benchmarks.run --quick    # article + 1k, 10k; one audio run each; Piper and
                                        # intelligibility on the article and 1k

Writes ``results.md``, ``results.json`` and ``results.png`` to
``benchmarks/results/`` (or ``--results``).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from .anchor import utterances
from .generate import count_words, generate

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "source" / "article.md"
RESULTS = Path(__file__).resolve().parent / "results"
FULL_SIZES = (1_000, 10_000, 25_000, 100_000)
#: Audio and incremental builds of 100k words take most of an hour each on a shared
#: two-core machine; the 100k full build is measured once, for memory (--memory-size).
FULL_AUDIO_SIZES = (1_000, 10_000, 25_000)
QUICK_SIZES = (1_000, 10_000)
#: Our Piper build against the ``piper`` command line: neural speech costs about 100x
#: espeak-ng (10k words is 90 minutes of speech, 100k about fifteen hours), so --quick
#: stops at 1k words and the full run at 10k; 25k and 100k are asked for (--piper-sizes).
FULL_PIPER_SIZES = (1_000, 10_000)
QUICK_PIPER_SIZES = (1_000,)
#: Piper documents of this many words or more get one run each (ours and the anchor's).
PIPER_ONCE = 10_000
#: What the recogniser hears, besides the article (intelligibility figure).
LISTENING_SIZES = (1_000,)
TEXT_FORMATS = ("html", "epub")
#: Documents of this many words or more get one audio and one incremental run each.
BIG = 25_000


# --------------------------------------------------------------------------- running


@dataclass(frozen=True, slots=True)
class Run:
    """One child process: wall time, CPU time and peak memory."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system seconds of the child and its waited-for children."""
    rss_mb: float
    """Largest resident set of the child or any waited-for descendant, in MiB."""
    tree_mb: float | None
    """Largest sum of resident sets over the child's process tree (sampled; needs psutil)."""


class BenchError(RuntimeError):
    """A child process failed; the message carries its last lines of output."""

    def __init__(self, message: str, measured: Run | None = None) -> None:
        super().__init__(message)
        self.measured = measured
        """What the failed process cost until it exited, when it ran at all."""


def _sampler(pid: int, stop: threading.Event, peak: list[float]) -> None:
    """Sample the resident memory of a process tree every 50 ms (psutil, if installed)."""
    try:
        import psutil
    except ImportError:
        return
    try:
        process = psutil.Process(pid)
        while not stop.is_set():
            total = process.memory_info().rss
            for child in process.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            peak.append(total / 2**20)
            stop.wait(0.05)
    except psutil.Error:
        return


def run(
    command: Sequence[str], env: dict[str, str] | None = None, *, stdin: Path | None = None
) -> Run:
    """Run a command to completion and measure it; raise ``BenchError`` if it fails.
    ``stdin``: a file the command reads on its standard input (the ``piper`` anchor)."""
    with tempfile.TemporaryFile() as log, contextlib.ExitStack() as files:
        given = files.enter_context(stdin.open("rb")) if stdin else subprocess.DEVNULL
        start = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            stdin=given,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
        )
        stop = threading.Event()
        peaks: list[float] = []
        watcher = threading.Thread(target=_sampler, args=(child.pid, stop, peaks), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        stop.set()
        watcher.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        measured = Run(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            tree_mb=max(peaks) if peaks else None,
        )
        if child.returncode != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise BenchError(
                f"`{' '.join(command[1:5])} ...` exited {child.returncode}: " + " / ".join(tail),
                measured,
            )
    return measured


def publish(
    source: Path, out: Path, formats: Sequence[str], *, engine: str | None = "pyttsx3"
) -> list[str]:
    """The command line of one of our builds. With audio, the engine is named: the figures
    against espeak-ng measure espeak-ng (pyttsx3), whichever engine is the default for the
    language; the Piper figures (``benchmarks.listening``) name theirs."""
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "build",
        str(source),
        "--out",
        str(out),
        "--formats",
        ",".join(formats),
    ]
    if engine and "audio" in formats:
        command += ["--engine", engine]
    return command


def watch_command(source: Path, out: Path, formats: Sequence[str]) -> list[str]:
    """The command line of ``publish watch`` with the options of ``publish`` (same manifest)."""
    command = publish(source, out, formats)
    command[command.index("build")] = "watch"
    return command


#: Seconds to wait for a line from ``publish watch`` (a loaded machine is slow, not stuck).
WATCH_TIMEOUT = 300.0


class Resident:
    """A ``publish watch`` child process; each line of its standard output is taken with the
    time it was read, so latencies are measured where the line arrives."""

    def __init__(self, command: Sequence[str], env: dict[str, str], log: IO[bytes]) -> None:
        self.log = log
        # A benchmark started in the background (`nohup ... &`) ignores Ctrl-C, and the child
        # would inherit that: while it starts, this process catches SIGINT instead, and a
        # caught signal is reset to its default in the child.
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        if ignored:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.child = subprocess.Popen(
                list(command),
                stdout=subprocess.PIPE,
                stderr=self.log,
                text=True,
                env={**os.environ, **env},
                cwd=ROOT,
            )
        finally:
            if ignored:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.lines: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.child.stdout is not None  # noqa: S101 - opened as a pipe above
        for line in self.child.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))
        self.lines.put(None)

    def _tail(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").strip().splitlines()
        return " / ".join(lines[-3:])

    def next_line(self, *prefixes: str) -> tuple[float, str]:
        """The next line that starts with one of ``prefixes`` and when it was read."""
        deadline = time.perf_counter() + WATCH_TIMEOUT
        while True:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                item = None
            if item is None:
                raise BenchError(f"`publish watch` said no {' or '.join(prefixes)}: {self._tail()}")
            if item[1].startswith(prefixes):
                return item

    def stop(self) -> None:
        """Ctrl-C, as an author would; it must exit with status 130."""
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)
        try:
            status = self.child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.child.kill()
            status = self.child.wait()
        self.reader.join(timeout=10)
        if self.child.stdout is not None:
            self.child.stdout.close()
        if status != 130:
            raise BenchError(f"`publish watch` exited {status}, not 130: {self._tail()}")


@contextlib.contextmanager
def resident(command: Sequence[str], env: dict[str, str]) -> Iterator[Resident]:
    """``publish watch`` running for the block; stopped with Ctrl-C at its end."""
    with tempfile.TemporaryFile() as log:
        watch = Resident(command, env, log)
        try:
            yield watch
        finally:
            watch.stop()


def _median(runs: Sequence[Run], attr: str = "wall") -> float:
    return float(statistics.median(float(getattr(r, attr)) for r in runs))


def _summary(runs: Sequence[Run]) -> dict[str, Any]:
    trees = [r.tree_mb for r in runs if r.tree_mb is not None]
    return {
        "n": len(runs),
        "wall_median": round(_median(runs), 4),
        "cpu_median": round(_median(runs, "cpu"), 4),
        "rss_mb_max": round(max(r.rss_mb for r in runs), 1),
        "tree_mb_max": round(max(trees), 1) if trees else None,
        "walls": [round(r.wall, 4) for r in runs],
    }


# --------------------------------------------------------------------------- set-up


@dataclass
class Doc:
    """A benchmark document in its own folder (outputs never go beside it)."""

    name: str
    path: Path
    words: int


@dataclass
class Context:
    """Where a benchmark run works and what it found."""

    work: Path
    formats: dict[str, str]
    """Format name -> "available" or the reason it is not."""
    lines: list[str] = field(default_factory=list)
    """Notes for the report (unavailable formats, failures)."""
    counter: int = 0

    def fresh(self, label: str) -> Path:
        """A new, empty folder under the work folder."""
        self.counter += 1
        path = self.work / "runs" / f"{self.counter:04d}-{label}"
        path.mkdir(parents=True)
        return path

    def note(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)

    def caches(self) -> tuple[Path, dict[str, str]]:
        """Fresh, empty caches (speech and segments, covers, build manifests) and the
        environment that points a build at them: a cold build starts from nothing."""
        root = self.fresh("caches")
        env = {
            "PUBLISH_SPEECH_CACHE": str(root / "speech"),
            "PUBLISH_COVER_CACHE": str(root / "covers"),
            "PUBLISH_BUILD_CACHE": str(root / "builds"),
        }
        return root, env


def available_formats() -> dict[str, str]:
    """Which writers this checkout has, asked of the pipeline itself."""
    from pipeline.formats import registry as writers

    found = dict.fromkeys(writers.WRITERS, "available")
    found.update(writers.PLANNED)
    return found


def make_docs(work: Path, sizes: Sequence[int]) -> list[Doc]:
    docs = []
    folder = work / "docs" / "article"
    folder.mkdir(parents=True)
    shutil.copy(ARTICLE, folder / "article.md")
    text = ARTICLE.read_text(encoding="utf-8")
    docs.append(Doc("article", folder / "article.md", count_words(text)))
    for size in sizes:
        name = f"gen-{size // 1000}k" if size % 1000 == 0 else f"gen-{size}"
        folder = work / "docs" / name
        folder.mkdir(parents=True)
        text = generate(size)
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
        docs.append(Doc(name, folder / f"{name}.md", count_words(text)))
    return docs


# --------------------------------------------------------------------------- figures


def _alternate(index: int, first: Callable[[], None], second: Callable[[], None]) -> None:
    """Run two measurements, swapping their order every other round (interleaving)."""
    for step in (first, second) if index % 2 == 0 else (second, first):
        step()


def text_figure(ctx: Context, docs: Sequence[Doc], repeats: int) -> dict[str, Any]:
    """Our HTML + EPUB build against pandoc making only the EPUB, per document."""
    formats = [f for f in TEXT_FORMATS if ctx.formats.get(f) == "available"]
    for name in TEXT_FORMATS:
        if name not in formats:
            ctx.note(f"format {name} not available on this build: {ctx.formats.get(name)}")
    if not formats:
        return {"formats": [], "skipped": "no text format (html, epub) is available"}
    import pypandoc

    pandoc = str(pypandoc.get_pandoc_path())
    version = str(pypandoc.get_pandoc_version())
    rows = []
    for doc in docs:
        try:
            ours: list[Run] = []
            theirs: list[Run] = []
            # The first build of a title draws its cover (Pillow); later builds take it from
            # the cover cache. That first build is measured once and reported apart.
            covers = ctx.fresh("covers")
            first: list[Run] = []
            _text_ours(ctx, doc, formats, first, covers)
            ours_command = partial(_text_ours, ctx, doc, formats, ours, covers)
            pandoc_command = partial(_text_pandoc, ctx, doc, pandoc, theirs)
            for index in range(repeats):
                _alternate(index, ours_command, pandoc_command)
            ratio = _median(ours) / _median(theirs)
            rows.append(
                {
                    "doc": doc.name,
                    "words": doc.words,
                    "ours": _summary(ours),
                    "first_build": _summary(first),
                    "pandoc": _summary(theirs),
                    "ratio": round(ratio, 3),
                    "cpu_ratio": round(_median(ours, "cpu") / _median(theirs, "cpu"), 3),
                }
            )
            print(
                f"text  {doc.name:>10}: ours {_median(ours):.3f} s, pandoc "
                f"{_median(theirs):.3f} s, ratio {ratio:.2f}",
                flush=True,
            )
        except BenchError as exc:  # one failed build is reported, the others still run
            ctx.note(f"text figure, {doc.name}: build failed, not measured: {exc}")
    return {"formats": formats, "pandoc": f"pandoc {version} ({pandoc})", "rows": rows}


def _text_ours(ctx: Context, doc: Doc, formats: list[str], runs: list[Run], covers: Path) -> None:
    caches, env = ctx.caches()  # nothing cached (so nothing skipped) but the cover
    env["PUBLISH_COVER_CACHE"] = str(covers)
    runs.append(run(publish(doc.path, ctx.fresh("text"), formats), env))
    shutil.rmtree(caches)


def _text_pandoc(ctx: Context, doc: Doc, pandoc: str, runs: list[Run]) -> None:
    runs.append(run([pandoc, str(doc.path), "-o", str(ctx.fresh("pandoc") / "out.epub")]))


ANCHOR = (
    "espeak-ng (espeakng-loader, ctypes, synchronous), then one lameenc MP3 and one ffmpeg AAC"
    " encode of its speech, one after the other"
)
AUDIO_TARGET = 1.5
"""Our cold audio build's CPU seconds at most this many times the anchor's: the anchor makes
the same MP3 and AAC without levelling, chapters, captions, segments or a Python start-up."""


@dataclass
class _Script:
    """The narration our build wrote, for the anchor to speak."""

    path: Path | None = None
    voice: str = ""
    rate: int = 175


def _audio_ours(ctx: Context, doc: Doc, script: _Script, runs: list[Run]) -> None:
    out = ctx.fresh("audio")
    cache, env = ctx.caches()  # cold: empty speech, segment and cover caches
    runs.append(run(publish(doc.path, out, ["audio"]), env))
    if script.path is None:
        stem = doc.path.stem
        timings = json.loads((out / f"{stem}.timings.json").read_text(encoding="utf-8"))
        kept = ctx.work / "narration" / doc.name
        kept.mkdir(parents=True, exist_ok=True)
        script.path = Path(shutil.copy(out / f"{stem}.narration.txt", kept))
        script.voice, script.rate = str(timings["voice"]), int(timings["rate"])
    shutil.rmtree(out)
    shutil.rmtree(cache)


def _audio_anchor(ctx: Context, script: _Script, runs: list[Run]) -> None:
    if script.path is None:
        raise BenchError("the anchor needs the narration our build writes first")
    folder = ctx.fresh("anchor")
    command = [
        sys.executable,
        "-m",
        "benchmarks.anchor",
        str(script.path),
        str(folder / "anchor.mp3"),
        "--voice",
        script.voice,
        "--rate",
        str(script.rate),
    ]
    runs.append(run(command))
    shutil.rmtree(folder)


def audio_figure(ctx: Context, docs: Sequence[Doc], repeats: int) -> dict[str, Any]:
    """Our cold audio build against the anchor (``ANCHOR``), in CPU seconds, per document."""
    if ctx.formats.get("audio") != "available":
        ctx.note(f"format audio not available on this build: {ctx.formats.get('audio')}")
        return {"skipped": f"format audio not available: {ctx.formats.get('audio')}"}
    rows = []
    for doc in docs:
        try:
            ours: list[Run] = []
            anchor: list[Run] = []
            script = _Script()
            # Ours runs first in the first round: the anchor speaks the narration it wrote.
            for index in range(repeats if doc.words < BIG else 1):
                _alternate(
                    index,
                    partial(_audio_ours, ctx, doc, script, ours),
                    partial(_audio_anchor, ctx, script, anchor),
                )
            if script.path is None:
                raise BenchError(f"no narration was written for {doc.name}")
            text = script.path.read_text(encoding="utf-8")
            ratio = _median(ours, "cpu") / _median(anchor, "cpu")
            rows.append(
                {
                    "doc": doc.name,
                    "words": doc.words,
                    "spoken_words": sum(len(t.split()) for t in utterances(text)),
                    "ours": _summary(ours),
                    "anchor": _summary(anchor),
                    "ratio": round(ratio, 3),
                    "wall_ratio": round(_median(ours) / _median(anchor), 3),
                }
            )
            print(
                f"audio {doc.name:>10}: ours {_median(ours, 'cpu'):.3f} s CPU, anchor "
                f"{_median(anchor, 'cpu'):.3f} s CPU, ratio {ratio:.2f}",
                flush=True,
            )
        except BenchError as exc:  # one failed build is reported, the others still run
            ctx.note(f"audio figure, {doc.name}: build failed, not measured: {exc}")
    return {
        "anchor": ANCHOR,
        "rows": rows,
    }


def _edit_one_sentence(path: Path) -> str:
    """Change one word of one plain sentence near the middle of the body; return it."""
    lines: list[str] = path.read_text(encoding="utf-8").split("\n")
    start = len(lines) // 2
    for index in [*range(start, len(lines)), *range(start)]:
        line = lines[index]
        plain = line[:1].isupper() and line.endswith(".") and line.count(" ") > 5
        if plain and not any(c in line for c in "()[]*|:#>`"):
            words = line.split(" ")
            words.insert(2, "notably")
            edited = " ".join(words)
            lines[index] = edited
            path.write_text("\n".join(lines), encoding="utf-8")
            return edited
    raise BenchError(f"no plain sentence to edit in {path}")


def _cache_entries(cache: Path) -> set[str]:
    return {p.name for p in cache.rglob("*.wav")}


@dataclass(frozen=True, slots=True)
class WatchEdit:
    """A one-sentence edit rebuilt by a running ``publish watch``."""

    rebuild: float
    """Seconds the watch reports for the rebuild (from the change it saw to the manifest)."""
    latency: float
    """Seconds from the edited file's write to the summary line reaching us (polling, the
    wait for the file to settle, the rebuild and printing)."""
    said: str
    """What it says it redid (``7 files written, 1 utterance synthesised, ...``)."""
    resynthesised: int
    """New entries in the speech cache."""


_REBUILT = re.compile(r"^rebuilt .+ in (\d+\.\d+) s: (.*)$")


def _watch_edit(
    ctx: Context,
    source: Path,
    *,
    out: Path,
    formats: Sequence[str],
    env: dict[str, str],
    cache: Path,
) -> WatchEdit:
    """Start ``publish watch`` on up-to-date outputs, edit one more sentence, time the rebuild."""
    with resident(watch_command(source, out, formats), env) as watch:
        _, said = watch.next_line("up to date", "built", "watching")
        if not said.startswith("up to date"):
            ctx.note(f"publish watch did not find the outputs up to date: {said}")
        if not said.startswith("watching"):
            watch.next_line("watching")
        before = _cache_entries(cache)
        _edit_one_sentence(source)  # a second word in a sentence: one utterance again
        written = time.perf_counter()
        arrived, line = watch.next_line("rebuilt")
    found = _REBUILT.match(line)
    if found is None:
        raise BenchError(f"publish watch printed an unexpected summary: {line}")
    return WatchEdit(
        float(found.group(1)),
        arrived - written,
        found.group(2),
        len(_cache_entries(cache) - before),
    )


def _watch_summary(edits: Sequence[WatchEdit]) -> dict[str, Any]:
    return {
        "n": len(edits),
        "rebuild_median": round(statistics.median(e.rebuild for e in edits), 4),
        "latency_median": round(statistics.median(e.latency for e in edits), 4),
        "rebuilds": [round(e.rebuild, 4) for e in edits],
        "latencies": [round(e.latency, 4) for e in edits],
        "said": [e.said for e in edits],
        "resynthesised": [e.resynthesised for e in edits],
    }


def incremental_figure(ctx: Context, docs: Sequence[Doc], repeats: int) -> dict[str, Any]:
    """Cold full build, then an unchanged rebuild, then a one-sentence edit; then one more
    edit rebuilt by ``publish watch`` started on the up-to-date outputs."""
    formats = [f for f in (*TEXT_FORMATS, "audio") if ctx.formats.get(f) == "available"]
    if not formats:
        return {"skipped": "no output format available"}
    rows = []
    for doc in docs:
        try:
            cold: list[Run] = []
            unchanged: list[Run] = []
            edited: list[Run] = []
            synthesised: list[int] = []
            watched: list[WatchEdit] = []
            count = repeats if doc.words < BIG else 1
            for _ in range(count):
                folder = ctx.fresh("incr-src")
                source = Path(shutil.copy(doc.path, folder))
                out = ctx.fresh("incr-out")
                cache, env = ctx.caches()
                cold.append(run(publish(source, out, formats), env))
                unchanged.append(run(publish(source, out, formats), env))
                before = _cache_entries(cache)
                _edit_one_sentence(source)
                edited.append(run(publish(source, out, formats), env))
                synthesised.append(len(_cache_entries(cache) - before))
                watched.append(
                    _watch_edit(ctx, source, out=out, formats=formats, env=env, cache=cache)
                )
                shutil.rmtree(out)
                shutil.rmtree(cache)
            resident_edits = _watch_summary(watched)
            row = {
                "doc": doc.name,
                "words": doc.words,
                "cold": _summary(cold),
                "unchanged": _summary(unchanged),
                "edited": _summary(edited),
                "unchanged_ratio": round(_median(unchanged) / _median(cold), 3),
                "edited_ratio": round(_median(edited) / _median(cold), 3),
                "resynthesised": synthesised,
                "watch": resident_edits,
                "watch_edit_ratio": round(
                    statistics.median(w.rebuild for w in watched) / _median(cold), 3
                ),
            }
            rows.append(row)
            print(
                f"incr  {doc.name:>10}: cold {_median(cold):.2f} s, unchanged "
                f"{row['unchanged_ratio']:.1%}, edit {row['edited_ratio']:.1%}, "
                f"re-synthesised {synthesised}; in publish watch "
                f"{row['watch_edit_ratio']:.1%} ({resident_edits['rebuild_median']:.3f} s, "
                f"{resident_edits['latency_median']:.3f} s from save to summary)",
                flush=True,
            )
        except BenchError as exc:  # one failed build is reported, the others still run
            ctx.note(f"incremental figure, {doc.name}: build failed, not measured: {exc}")
    return {"formats": formats, "rows": rows}


def memory_figure(ctx: Context, doc: Doc) -> dict[str, Any]:
    """One cold full build (every available format, audio included) of a large document."""
    formats = [f for f in (*TEXT_FORMATS, "audio") if ctx.formats.get(f) == "available"]
    if "audio" not in formats:
        return {"skipped": f"format audio not available: {ctx.formats.get('audio')}"}
    out = ctx.fresh("memory-out")
    cache, env = ctx.caches()
    failed = ""
    try:
        result = run(publish(doc.path, out, formats), env)
    except BenchError as exc:
        if exc.measured is None:
            raise
        result, failed = exc.measured, str(exc)
        ctx.note(f"the {doc.name} full build FAILED after {result.wall:.0f} s: {failed}")
    shutil.rmtree(out)
    shutil.rmtree(cache)
    row = {"doc": doc.name, "words": doc.words, "formats": formats, "cold": _summary([result])}
    if failed:
        row["failed"] = failed
    print(
        f"memory {doc.name:>9}: {result.wall:.1f} s, peak RSS {result.rss_mb:.0f} MB, "
        f"process tree {result.tree_mb or 0:.0f} MB",
        flush=True,
    )
    return row


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True, slots=True)
class Target:
    """One goal of the issue, with what was measured."""

    name: str
    goal: str
    measured: str
    met: bool | None
    """None: not measured in this run."""


def _scale(rows: list[dict[str, Any]], key: str, floor: float) -> dict[str, Any] | None:
    """CPU seconds per word, as the marginal cost between consecutive sizes.

    The cost of one more word between 1k and 10k, 10k and 25k, 25k and 100k:
    constant when the build is linear, growing with size if any step is
    quadratic. A fixed start-up cost cancels out, so this does not depend on
    guessing it. CPU time (the child's and its waited-for children's), not
    wall time: it is what grows with the work, and what other users of a
    shared machine disturb least. Per word after the tiny document's cost is
    kept too, for reference.
    """
    generated = sorted(
        (r for r in rows if r["doc"].startswith("gen-")), key=lambda r: int(r["words"])
    )
    if len(generated) < 3:  # one interval has nothing to be compared with
        return None
    marginal = {
        f"{a['doc']}→{b['doc']}": (b[key]["cpu_median"] - a[key]["cpu_median"])
        / (b["words"] - a["words"])
        for a, b in itertools.pairwise(generated)
    }
    reference = statistics.median(marginal.values())
    spread = {d: round(v / reference - 1, 3) for d, v in marginal.items()}
    return {
        "startup_s": round(floor, 4),
        "us_per_word": {d: round(v * 1e6, 2) for d, v in marginal.items()},
        "deviation": spread,
        "worst": max(spread.values(), key=abs),
        "us_per_word_after_startup": {
            r["doc"]: round((r[key]["cpu_median"] - floor) / r["words"] * 1e6, 2) for r in generated
        },
    }


def targets(report: dict[str, Any]) -> list[Target]:
    from . import listening

    found: list[Target] = []
    text = report["text"]
    rows = {r["doc"]: r for r in text.get("rows", [])}
    if "article" in rows:
        r = rows["article"]["ratio"]
        found.append(Target("text, article", "≤ 3× pandoc", f"{r:.2f}×", r <= 3.0))
    else:
        found.append(Target("text, article", "≤ 3× pandoc", "not measured", None))
    big = [r for r in text.get("rows", []) if r["words"] >= BIG and r["doc"] != "article"]
    for r in big:
        found.append(
            Target(f"text, {r['doc']}", "< 1× pandoc", f"{r['ratio']:.2f}×", r["ratio"] < 1.0)
        )
    if not big:
        found.append(Target("text, ≥ 25k words", "< 1× pandoc", "not measured", None))
    audio = [r for r in report["audio"].get("rows", []) if r["doc"] != "tiny"]
    aim = f"≤ {AUDIO_TARGET}× espeak-ng + MP3 + AAC, CPU"
    for r in audio:
        found.append(
            Target(f"audio, {r['doc']}", aim, f"{r['ratio']:.2f}×", r["ratio"] <= AUDIO_TARGET)
        )
    if not audio:
        found.append(Target("audio", aim, "not measured", None))
    incremental = report["incremental"].get("rows", [])
    for r in incremental:
        found.append(
            Target(
                f"unchanged rebuild, {r['doc']}",
                "≤ 5% of cold",
                f"{r['unchanged_ratio']:.1%}",
                r["unchanged_ratio"] <= 0.05,
            )
        )
        if "audio" in report["incremental"]["formats"]:
            ok = r["edited_ratio"] <= 0.10 and all(n == 1 for n in r["resynthesised"])
            found.append(
                Target(
                    f"one-sentence edit, {r['doc']}",
                    "≤ 10% of cold, 1 utterance",
                    f"{r['edited_ratio']:.1%}, {r['resynthesised']} re-synthesised",
                    ok,
                )
            )
        else:
            found.append(
                Target(
                    f"one-sentence edit, {r['doc']}",
                    "≤ 10% of cold",
                    f"{r['edited_ratio']:.1%} (no audio)",
                    r["edited_ratio"] <= 0.10,
                )
            )
        watch = r.get("watch")
        if watch:
            spoken = "audio" in report["incremental"]["formats"]
            ok = r["watch_edit_ratio"] <= 0.10
            if spoken:
                ok = ok and all(n == 1 for n in watch["resynthesised"])
            found.append(
                Target(
                    f"one-sentence edit in `publish watch`, {r['doc']}",
                    "≤ 10% of cold" + (", 1 utterance" if spoken else ""),
                    f"{r['watch_edit_ratio']:.1%} ({watch['rebuild_median']:.3f} s; "
                    f"{watch['latency_median']:.3f} s from save to summary)",
                    ok,
                )
            )
    for name, scale in report["scale"].items():
        if scale is None:
            found.append(Target(f"scale, {name}", "±25% CPU per added word", "not measured", None))
        else:
            worst = scale["worst"]
            found.append(
                Target(
                    f"scale, {name}",
                    "±25% CPU per added word",
                    f"{worst:+.0%} worst",
                    abs(worst) <= 0.25,
                )
            )
    full = [r for r in incremental if r["words"] >= 90_000]
    if "audio" not in report["incremental"].get("formats", []):
        full = []
    if report.get("memory", {}).get("cold"):
        full.insert(0, report["memory"])
    if full:
        peak = full[0]["cold"]["rss_mb_max"]
        tree = full[0]["cold"]["tree_mb_max"]
        shown = f"{peak:.0f} MB" + (f" (process tree {tree:.0f} MB)" if tree else "")
        if full[0].get("failed"):
            shown += ", until the build failed"
        found.append(
            Target(f"peak memory, {full[0]['doc']} full build", "< 500 MB", shown, peak < 500)
        )
    else:
        found.append(Target("peak memory, 100k full build", "< 500 MB", "not measured", None))
    from . import large

    return found + listening.targets(report) + large.targets(report)


# --------------------------------------------------------------------------- report


def _verdict(target: Target) -> str:
    if target.met is None:
        return "not measured"
    return "met" if target.met else "**not met**"


def markdown(report: dict[str, Any]) -> str:
    out = [
        f"# Benchmark results ({report['date']})",
        "",
        f"Machine: {report['machine']}. Mode: {report['mode']}. Ratios are medians of "
        "interleaved runs in the same session (text: wall time, CPU ratios in results.json; "
        "audio: CPU time, wall ratios beside it).",
        "",
    ]
    out += [f"- {line}" for line in report["notes"]]
    out += ["", "## Targets", "", "| Target | Goal | Measured | Verdict |", "|---|---|---|---|"]
    out += [f"| {t.name} | {t.goal} | {t.measured} | {_verdict(t)} |" for t in report["targets"]]
    text = report["text"]
    if text.get("rows"):
        out += [
            "",
            f"## Text: `publish build --formats {','.join(text['formats'])}` "
            f"against {text['pandoc']} making only the EPUB",
            "",
            "| Document | Words | Ours (s) | pandoc (s) | Ratio | CPU ratio | Our peak RSS (MB) "
            "| First build, cover drawn (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in text["rows"]:
            first = r.get("first_build", {}).get("wall_median")
            out.append(
                f"| {r['doc']} | {r['words']:,} | {r['ours']['wall_median']:.3f} | "
                f"{r['pandoc']['wall_median']:.3f} | {r['ratio']:.2f}× | {r['cpu_ratio']:.2f}× | "
                f"{r['ours']['rss_mb_max']:.0f} | {'—' if first is None else f'{first:.3f}'} |"
            )
    audio = report["audio"]
    if audio.get("rows"):
        out += [
            "",
            f"## Audio: cold `--formats audio` against {audio['anchor']}",
            "",
            "| Document | Words | Ours (CPU s) | Anchor (CPU s) | Ratio (CPU) | Ours (wall s) "
            "| Anchor (wall s) | Wall ratio | Runs | Peak RSS (MB) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in audio["rows"]:
            out.append(
                f"| {r['doc']} | {r['words']:,} | {r['ours']['cpu_median']:.2f} | "
                f"{r['anchor']['cpu_median']:.2f} | {r['ratio']:.2f}× | "
                f"{r['ours']['wall_median']:.2f} | {r['anchor']['wall_median']:.2f} | "
                f"{r['wall_ratio']:.2f}× | {r['ours']['n']} | {r['ours']['rss_mb_max']:.0f} |"
            )
    elif audio.get("skipped"):
        out += ["", f"## Audio: {audio['skipped']}"]
    incr = report["incremental"]
    if incr.get("rows"):
        out += [
            "",
            f"## Incremental: `--formats {','.join(incr['formats'])}`",
            "",
            "| Document | Cold (s) | Unchanged | One-sentence edit | Re-synthesised | "
            "Edit in `publish watch` | Save → summary (s) | Cold peak RSS (MB) |",
            "|---|---:|---:|---:|---|---:|---:|---:|",
        ]
        for r in incr["rows"]:
            spoken = r["resynthesised"] if "audio" in incr["formats"] else "no audio"
            watch = r.get("watch")
            resident = (
                f"{r['watch_edit_ratio']:.1%} ({watch['rebuild_median']:.3f} s) | "
                f"{watch['latency_median']:.3f}"
                if watch
                else "— | —"
            )
            out.append(
                f"| {r['doc']} | {r['cold']['wall_median']:.2f} | {r['unchanged_ratio']:.1%} | "
                f"{r['edited_ratio']:.1%} | {spoken} | {resident} | "
                f"{r['cold']['rss_mb_max']:.0f} |"
            )
        if any(r.get("watch") for r in incr["rows"]):
            out += [
                "",
                "`publish watch` is started on the up-to-date outputs of the edited build; one "
                "more word is then inserted into a sentence. Its rebuild time is the one it "
                "prints (from the change it saw to the manifest written); save → summary is "
                "measured here, from the file's write to its summary line (polling every 0.05 s "
                "and waiting 0.1 s for the file to settle are in it).",
            ]
    memory = report.get("memory", {})
    if memory.get("cold"):
        cold = memory["cold"]
        out += [
            "",
            f"## Memory: one cold `--formats {','.join(memory['formats'])}` build of "
            f"{memory['doc']} ({memory['words']:,} words)",
            "",
            f"{cold['wall_median']:.1f} s wall, {cold['cpu_median']:.1f} s CPU; peak RSS "
            f"{cold['rss_mb_max']:.0f} MB (largest single process); process tree "
            f"{cold['tree_mb_max'] or 0:.0f} MB (sampled sum).",
        ]
    from . import listening

    out += listening.markdown(report)
    from . import large

    out += large.markdown(report)
    for name, scale in report["scale"].items():
        if scale:
            out += [
                "",
                f"## Scale ({name}): CPU µs per additional word, between sizes",
                "",
                "| Sizes | µs/word | vs median |",
                "|---|---:|---:|",
            ]
            for doc, value in scale["us_per_word"].items():
                out.append(f"| {doc} | {value:.1f} | {scale['deviation'][doc]:+.0%} |")
    out += ["", f"Total benchmark time: {report['elapsed_s'] / 60:.1f} min.", ""]
    return "\n".join(out)


def _full_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(report["incremental"].get("rows", []))
    if report.get("memory", {}).get("cold"):
        rows.append(report["memory"])
    return rows


def plot(report: dict[str, Any], path: Path) -> bool:
    """Time and peak memory against document size (log-log); False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.5))
    series: list[tuple[str, list[dict[str, Any]], str]] = [
        ("ours: html+epub", report["text"].get("rows", []), "ours"),
        ("pandoc: epub", report["text"].get("rows", []), "pandoc"),
        ("ours: audio (cold)", report["audio"].get("rows", []), "ours"),
        ("espeak-ng + MP3 + AAC", report["audio"].get("rows", []), "anchor"),
        ("ours: full build (cold)", _full_rows(report), "cold"),
        ("ours: audio with Piper (cold)", report.get("piper", {}).get("rows", []), "ours"),
        ("piper command line", report.get("piper", {}).get("rows", []), "anchor"),
    ]
    for label, rows, key in series:
        if not rows:
            continue
        ordered = sorted(rows, key=lambda r: int(r["words"]))
        words = [r["words"] for r in ordered]
        times.plot(words, [r[key]["wall_median"] for r in ordered], marker="o", label=label)
        memory.plot(words, [r[key]["rss_mb_max"] for r in ordered], marker="o", label=label)
    times.set(
        xscale="log", yscale="log", xlabel="words", ylabel="seconds (median)", title="Build time"
    )
    memory.set(xscale="log", xlabel="words", ylabel="peak RSS (MiB)", title="Peak memory")
    memory.axhline(500, color="grey", linestyle=":", label="500 MB target")
    for axes in (times, memory):
        axes.grid(True, which="both", alpha=0.3)
        if axes.get_legend_handles_labels()[0]:  # a report without sizes has no lines
            axes.legend(fontsize=8)
    figure.suptitle(f"Benchmarks, {report['date']}")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


# --------------------------------------------------------------------------- main


def _sizes(text: str) -> list[int]:
    return [
        int(float(part.lower().rstrip("k")) * (1000 if part.lower().endswith("k") else 1))
        for part in text.split(",")
        if part.strip()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="article, 1k and 10k words; 3 text runs, 1 audio and 1 incremental",
    )
    parser.add_argument("--sizes", type=_sizes, help="generated sizes, e.g. 1k,10k,25k,100k")
    parser.add_argument(
        "--audio-sizes",
        type=_sizes,
        help="sizes for the audio and incremental figures (default: --sizes up to 25k)",
    )
    parser.add_argument("--repeats", type=int, help="text runs per document (default 5)")
    parser.add_argument(
        "--audio-repeats",
        type=int,
        help=f"audio and incremental runs below {BIG:,} words (default 3)",
    )
    parser.add_argument(
        "--memory-size",
        type=lambda v: _sizes(v)[0],
        help="one cold full build with audio of this size for peak memory "
        "(default 100k; none with --quick)",
    )
    parser.add_argument(
        "--piper-sizes",
        type=_sizes,
        help="sizes for the Piper figure, besides the article (default 1k with --quick, "
        "else 1k,10k; 25k and 100k take hours)",
    )
    parser.add_argument(
        "--piper-repeats",
        type=int,
        help=f"Piper runs below {PIPER_ONCE:,} words, each ours and the anchor's (default 1 with "
        "--quick, else 3)",
    )
    parser.add_argument(
        "--listening-sizes",
        type=_sizes,
        help="generated sizes the recogniser hears besides the article (default 1k; '' for "
        "the article only)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="figures to skip: text,audio,incremental,memory,intelligibility,piper,normalisation,"
        "large (the 20 MB and 100k-footnote builds; never run with --quick)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the report")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="run nothing: rewrite the report from results.json files of earlier runs "
        "(each figure from the last file that has it)",
    )
    args = parser.parse_args(argv)
    if args.from_json:
        write_report(_combine(args.from_json), args.results)
        return 0
    sizes = args.sizes or list(QUICK_SIZES if args.quick else FULL_SIZES)
    audio_sizes = args.audio_sizes or (
        [s for s in sizes if s <= max(FULL_AUDIO_SIZES)] if not args.quick else sizes
    )
    repeats = args.repeats or (3 if args.quick else 5)
    audio_repeats = args.audio_repeats or (1 if args.quick else 3)
    piper_sizes = args.piper_sizes or list(QUICK_PIPER_SIZES if args.quick else FULL_PIPER_SIZES)
    piper_repeats = args.piper_repeats or (1 if args.quick else 3)
    if args.memory_size is None and not args.quick:
        args.memory_size = 100_000
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publish-bench-", dir=args.work) as scratch:
        work = Path(scratch)
        ctx = Context(work, available_formats())
        memory_size = [args.memory_size] if args.memory_size and "memory" not in skip else []
        listened = list(LISTENING_SIZES if args.listening_sizes is None else args.listening_sizes)
        listened = listened if "intelligibility" not in skip else []
        piper_sizes = piper_sizes if "piper" not in skip else []
        every = set(sizes) | set(audio_sizes) | set(memory_size) | set(piper_sizes) | set(listened)
        docs = make_docs(work, sorted(every))
        text_docs = [d for d in docs if d.name == "article" or _in(d, sizes)]
        audio_docs = [d for d in docs if d.name == "article" or _in(d, audio_sizes)]
        # A tiny document measures the fixed start-up cost the scale figure takes off.
        tiny = make_tiny(work)
        report: dict[str, Any] = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f} at start",
            "mode": "quick" if args.quick else "full",
            "sizes": sizes,
            "audio_sizes": audio_sizes,
            "repeats": repeats,
            "audio_repeats": audio_repeats,
            "piper_sizes": piper_sizes,
            "piper_repeats": piper_repeats,
            "formats": ctx.formats,
        }
        report["text"] = text_figure(ctx, [tiny, *text_docs], repeats) if "text" not in skip else {}
        report["audio"] = (
            audio_figure(ctx, [tiny, *audio_docs], audio_repeats) if "audio" not in skip else {}
        )
        report["incremental"] = (
            incremental_figure(ctx, audio_docs, audio_repeats) if "incremental" not in skip else {}
        )
        if "memory" not in skip and args.memory_size:
            big = next(d for d in docs if _in(d, [args.memory_size]))
            report["memory"] = memory_figure(ctx, big)
        else:
            report["memory"] = {}
        from . import listening  # it uses this module's measuring functions

        report["intelligibility"] = (
            listening.intelligibility_figure(
                ctx, [d for d in docs if d.name == "article" or _in(d, listened)]
            )
            if "intelligibility" not in skip
            else {}
        )
        report["piper"] = (
            listening.piper_figure(
                ctx,
                [tiny, *(d for d in docs if d.name == "article" or _in(d, piper_sizes))],
                piper_repeats,
            )
            if "piper" not in skip
            else {}
        )
        report["normalisation"] = (
            listening.normalisation_figure(ctx) if "normalisation" not in skip else {}
        )
        from . import large

        report["large"] = (
            large.large_figure(ctx, large.documents(work))
            if "large" not in skip and not args.quick
            else {}
        )
        report["notes"] = ctx.lines
    report["elapsed_s"] = round(time.perf_counter() - began, 1)
    write_report(report, args.results)
    return 0


#: Every figure a report can hold, in the order they run.
FIGURES = (
    "text",
    "audio",
    "incremental",
    "memory",
    "intelligibility",
    "piper",
    "normalisation",
    "large",
)


def _combine(paths: Sequence[Path]) -> dict[str, Any]:
    """One report from the JSON of several runs: each figure from the last run that has it.

    Each figure's ratios still come from one run; the notes say which.
    """
    report: dict[str, Any] = {}
    notes: list[str] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        taken = [f for f in FIGURES if data.get(f)]
        for figure in taken:
            report[figure] = data[figure]
        for key in (
            "machine",
            "mode",
            "sizes",
            "audio_sizes",
            "repeats",
            "audio_repeats",
            "piper_sizes",
            "piper_repeats",
        ):
            report.setdefault(key, data.get(key))
        report["date"] = data["date"]
        report["elapsed_s"] = report.get("elapsed_s", 0) + data.get("elapsed_s", 0)
        notes += data.get("notes", [])
        notes.append(
            f"{', '.join(taken) or 'nothing'} from the run of {data['date']} "
            f"({data.get('machine', 'machine not recorded')})"
        )
    for figure in FIGURES:
        report.setdefault(figure, {})
    report["notes"] = notes
    return report


def write_report(report: dict[str, Any], folder: Path) -> None:
    """Scale and targets from the figures, then results.json, results.md, results.png."""
    report["scale"] = {}
    for figure in ("text", "audio", "piper"):
        rows = report.get(figure, {}).get("rows", [])
        floor = next((r["ours"]["cpu_median"] for r in rows if r["doc"] == "tiny"), 0.0)
        generated = [r for r in rows if r["doc"].startswith("gen-")]
        if figure != "piper" or len(generated) >= 3:  # Piper at two sizes: listening.per_word
            report["scale"][f"{figure} build"] = _scale(rows, "ours", floor)
    report["targets"] = targets(report)
    folder.mkdir(parents=True, exist_ok=True)
    data = {**report, "targets": [asdict(t) for t in report["targets"]]}
    (folder / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    (folder / "results.md").write_text(markdown(report), encoding="utf-8")
    if not plot(report, folder / "results.png"):
        print("matplotlib is not installed: no plot", file=sys.stderr)
    print(markdown(report))


def _in(doc: Doc, sizes: Sequence[int]) -> bool:
    return any(doc.name in (f"gen-{s // 1000}k", f"gen-{s}") for s in sizes)


def make_tiny(work: Path) -> Doc:
    folder = work / "docs" / "tiny"
    folder.mkdir(parents=True)
    text = "---\ntitle: Tiny\nauthor: Benchmark Generator\nlang: en-US\n---\n\nOne short line.\n"
    (folder / "tiny.md").write_text(text, encoding="utf-8")
    return Doc("tiny", folder / "tiny.md", count_words(text))


if __name__ == "__main__":
    raise SystemExit(main())
