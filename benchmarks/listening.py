"""The listening figures: how well each engine's narration is understood, and what
neural speech costs in our build against the bare ``piper`` command line.

Intelligibility: each engine narrates the article and a generated 1k-word
document; pocketsphinx (``benchmarks.recognise``) transcribes the audio
utterance by utterance, and the word error rate is taken against the
narration script (``benchmarks.wer``). Transcription runs two jobs at a time
in child processes: the recogniser is single-threaded.

Speed: our cold ``--formats audio --engine piper`` build against
``python -m piper`` reading the same lines with the same voice, interleaved,
as ratios of wall time and CPU time; peak memory of the whole process tree;
CPU per added word between sizes.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from . import piper_anchor
from . import run as bench
from .wer import words

#: Engines whose narration is transcribed; gTTS is left out: it needs the network.
ENGINES = ("pyttsx3", "piper")
#: The intelligibility goal for the default English voice (Piper, en_US-joe-medium).
WER_GOAL = 0.25
#: Our Piper build against the ``piper`` command line, wall and CPU.
SPEED_GOAL = 1.15
#: Peak memory of the 100k-word Piper build (the whole process tree), MiB.
MEMORY_GOAL_MB = 1024
#: How far the Piper build's CPU per word may move from the smallest generated size's.
PER_WORD_SPREAD = 0.25


def engines_in_build() -> set[str]:
    """The speech engines ``publish build --engine`` accepts on this checkout."""
    from pipeline.audio import speech

    return set(speech.ENGINES)


def build(doc: bench.Doc, out: Path, engine: str) -> list[str]:
    """Our audio build of ``doc`` with ``engine``."""
    return bench.publish(doc.path, out, ["audio"], engine=engine)


# --------------------------------------------------------------------------- intelligibility


@dataclass
class Narrated:
    """One engine's narration of one document, ready to be transcribed."""

    doc: bench.Doc
    engine: str
    how: str
    """Our build, or piper-tts directly (on a checkout without the engine)."""
    audio: Path
    timings: Path
    narration: Path
    voice: str = ""
    synthesis: bench.Run | None = None


def _narrate(ctx: bench.Context, doc: bench.Doc, engine: str, script_from: Path | None) -> Narrated:
    out = ctx.fresh(f"listen-{engine}")
    caches, env = ctx.caches()
    stem = doc.path.stem
    if engine in engines_in_build():
        measured = bench.run(build(doc, out, engine), env)
        how = f"publish build --engine {engine}"
        audio = out / f"{stem}.mp3"
    else:  # the engine has not reached the build yet: the voice itself reads our script
        if script_from is None:
            raise bench.BenchError(f"no narration script for {engine} to read")
        shutil.copy(script_from, out / f"{stem}.narration.txt")
        audio = out / f"{stem}.wav"
        measured = bench.run(
            [
                sys.executable,
                "-m",
                "benchmarks.piper_anchor",
                "speak",
                str(out / f"{stem}.narration.txt"),
                str(audio),
                str(out / f"{stem}.timings.json"),
            ]
        )
        how = "piper-tts directly, our narration script (no --engine piper in this build)"
    shutil.rmtree(caches)
    timings = out / f"{stem}.timings.json"
    voice = str(json.loads(timings.read_text(encoding="utf-8")).get("voice", ""))
    return Narrated(
        doc, engine, how, audio, timings, out / f"{stem}.narration.txt", voice, measured
    )


def _transcribe(ctx: bench.Context, item: Narrated) -> tuple[dict[str, Any], bench.Run]:
    heard = ctx.fresh("heard") / "heard.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.recognise",
        str(item.audio),
        str(item.timings),
        "--narration",
        str(item.narration),
        "--json",
        str(heard),
    ]
    measured = bench.run(command)
    return json.loads(heard.read_text(encoding="utf-8")), measured


def intelligibility_figure(ctx: bench.Context, docs: list[bench.Doc]) -> dict[str, Any]:
    """Word error rate of pocketsphinx on each engine's narration of each document."""
    missing = piper_anchor.available()
    engines = [e for e in ENGINES if e != "piper" or missing is None]
    if missing is not None:
        ctx.note(f"intelligibility: Piper not measured, not installed: {missing}")
    narrated: list[Narrated] = []
    for doc in docs:
        first: Path | None = None
        for engine in engines:
            try:
                item = _narrate(ctx, doc, engine, first)
            except bench.BenchError as exc:
                ctx.note(f"intelligibility, {doc.name} with {engine}: not measured: {exc}")
                continue
            first = first or item.narration
            narrated.append(item)
    rows = []
    # the recogniser is single-threaded: two transcriptions at a time on two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        heard = list(pool.map(partial(_transcribe_safely, ctx), narrated))
    for item, result in zip(narrated, heard, strict=True):
        if result is None:
            continue
        found, measured = result
        rows.append(
            {
                "doc": item.doc.name,
                "engine": item.engine,
                "voice": item.voice,
                "how": item.how,
                "reference_words": found["reference_words"],
                "wer": round(found["wer"], 4),
                "substitutions": found["substitutions"],
                "deletions": found["deletions"],
                "insertions": found["insertions"],
                "audio_s": round(found["audio_s"], 1),
                "unknown_words": found.get("unknown_words"),
                "unknown": found.get("unknown", []),
                "synthesis": bench._summary([item.synthesis]) if item.synthesis else None,
                "transcription": bench._summary([measured]),
                "worst": found["worst"],
            }
        )
        print(
            f"listen {item.doc.name:>9} {item.engine:>8}: WER {found['wer']:.1%} of "
            f"{found['reference_words']} words ({found['audio_s']:.0f} s of audio heard in "
            f"{measured.cpu:.0f} s CPU)",
            flush=True,
        )
    return {
        "recogniser": "pocketsphinx (PyPI wheel, bundled en-us model, default search)",
        "rows": rows,
    }


def _transcribe_safely(
    ctx: bench.Context, item: Narrated
) -> tuple[dict[str, Any], bench.Run] | None:
    try:
        return _transcribe(ctx, item)
    except bench.BenchError as exc:
        ctx.note(f"intelligibility, {item.doc.name} with {item.engine}: not transcribed: {exc}")
        return None


# --------------------------------------------------------------------------- speed


@dataclass
class _Lines:
    """The lines our Piper build spoke, for the anchor to speak."""

    path: Path | None = None
    voice: Path | None = None


def _ours(ctx: bench.Context, doc: bench.Doc, lines: _Lines, runs: list[bench.Run]) -> None:
    out = ctx.fresh("piper")
    caches, env = ctx.caches()  # cold: empty speech, segment and cover caches
    runs.append(bench.run(build(doc, out, "piper"), env))
    if lines.path is None:
        stem = doc.path.stem
        timings = json.loads((out / f"{stem}.timings.json").read_text(encoding="utf-8"))
        kept = ctx.work / "piper-lines" / doc.name
        kept.mkdir(parents=True, exist_ok=True)
        narration = (out / f"{stem}.narration.txt").read_text(encoding="utf-8")
        lines.path = kept / f"{stem}.txt"
        lines.path.write_text(piper_anchor.plain_text(narration), encoding="utf-8")
        lines.voice = piper_anchor.model(str(timings.get("voice") or piper_anchor.DEFAULT_VOICE))
    shutil.rmtree(out)
    shutil.rmtree(caches)


def _anchor(ctx: bench.Context, lines: _Lines, runs: list[bench.Run]) -> None:
    if lines.path is None or lines.voice is None:
        raise bench.BenchError("the anchor needs the lines our build spoke first")
    folder = ctx.fresh("piper-anchor")
    runs.append(bench.run(piper_anchor.command(lines.voice, folder / "out.wav"), stdin=lines.path))
    shutil.rmtree(folder)


def piper_figure(ctx: bench.Context, docs: list[bench.Doc], repeats: int) -> dict[str, Any]:
    """Our cold Piper audio build against the bare ``piper`` command line, per document."""
    missing = piper_anchor.available()
    if missing is not None:
        ctx.note(f"piper figure not measured: {missing}")
        return {"skipped": f"Piper not installed: {missing}"}
    if "piper" not in engines_in_build():
        reason = "this checkout's `publish build` has no --engine piper"
        ctx.note(f"piper figure not measured: {reason}")
        return {"skipped": reason}
    if ctx.formats.get("audio") != "available":
        return {"skipped": f"format audio not available: {ctx.formats.get('audio')}"}
    rows = []
    for doc in docs:
        try:
            ours: list[bench.Run] = []
            anchor: list[bench.Run] = []
            lines = _Lines()
            load = [round(os.getloadavg()[0], 1)]
            for index in range(repeats if doc.words < bench.PIPER_ONCE else 1):
                bench._alternate(
                    index,
                    partial(_ours, ctx, doc, lines, ours),
                    partial(_anchor, ctx, lines, anchor),
                )
            spoken = lines.path.read_text(encoding="utf-8") if lines.path else ""
            ratio = bench._median(ours) / bench._median(anchor)
            cpu_ratio = bench._median(ours, "cpu") / bench._median(anchor, "cpu")
            rows.append(
                {
                    "doc": doc.name,
                    "words": doc.words,
                    "spoken_words": len(words(spoken)),
                    "voice": lines.voice.stem if lines.voice else "",
                    "ours": bench._summary(ours),
                    "anchor": bench._summary(anchor),
                    "ratio": round(ratio, 3),
                    "cpu_ratio": round(cpu_ratio, 3),
                    "load": [*load, round(os.getloadavg()[0], 1)],
                }
            )
            print(
                f"piper {doc.name:>10}: ours {bench._median(ours):.1f} s, piper CLI "
                f"{bench._median(anchor):.1f} s, ratio {ratio:.2f} (CPU {cpu_ratio:.2f})",
                flush=True,
            )
        except bench.BenchError as exc:  # one failed build is reported, the others still run
            ctx.note(f"piper figure, {doc.name}: build failed, not measured: {exc}")
    return {
        "anchor": "python -m piper -m <voice>.onnx -f out.wav < lines (piper-tts, one process)",
        "rows": rows,
    }


def per_word(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """CPU milliseconds per word of each generated document, ours and the anchor's, with the
    start-up (the tiny document's CPU) taken off; and how far each size is from the smallest.

    Two sizes are enough here (the CPU per *added* word of ``run._scale`` needs three): a
    build whose cost per word is the same at 1k and 10k words after its fixed start-up is
    linear between them. The anchor's own figure shows what the text itself costs per word
    at each size (generated documents of different sizes are not the same mix of prose,
    references and tables). None with fewer than two generated sizes."""
    tiny = next((r for r in rows if r["doc"] == "tiny"), None)
    generated = sorted(
        (r for r in rows if r["doc"].startswith("gen-")), key=lambda r: int(r["words"])
    )
    if tiny is None or len(generated) < 2:
        return None

    def cost(row: dict[str, Any], side: str) -> float:
        return float(row[side]["cpu_median"] - tiny[side]["cpu_median"]) / int(row["words"]) * 1000

    ours = {r["doc"]: round(cost(r, "ours"), 3) for r in generated}
    anchor = {r["doc"]: round(cost(r, "anchor"), 3) for r in generated}
    first = generated[0]["doc"]
    return {
        "ms_per_word": ours,
        "anchor_ms_per_word": anchor,
        "deviation": {d: round(v / ours[first] - 1, 3) for d, v in ours.items()},
        "anchor_deviation": {d: round(v / anchor[first] - 1, 3) for d, v in anchor.items()},
        "from": first,
        "to": generated[-1]["doc"],
    }


# --------------------------------------------------------------------------- normalisation


def normalisation_figure(ctx: bench.Context) -> dict[str, Any]:
    """The text-normalisation score per language, from ``benchmarks.normalisation`` (its
    fixtures and phonemiser) when this checkout has it: its ``score(lang)`` gives one
    language's results, ``LANGUAGES`` and ``TARGET`` what to run and the goal."""
    try:
        suite = importlib.import_module("benchmarks.normalisation")
    except ModuleNotFoundError:
        reason = "benchmarks/normalisation.py is not on this checkout"
        ctx.note(f"normalisation figure not measured: {reason}")
        return {"skipped": reason}
    rows = []
    for lang in suite.LANGUAGES:
        found = suite.score(lang)
        passed = sum(1 for r in found.results if r.passed)
        rows.append(
            {
                "lang": lang,
                "cases": len(found.results),
                "passed": passed,
                "ratio": round(passed / len(found.results), 4) if found.results else 0.0,
            }
        )
        print(f"spoken {lang:>10}: {passed} of {len(found.results)} cases read as expected")
    return {"target": float(suite.TARGET), "rows": rows}


# --------------------------------------------------------------------------- report


def targets(report: dict[str, Any]) -> list[bench.Target]:
    """The issue's listening goals, from whichever figures this report has."""
    found: list[bench.Target] = []
    heard = [r for r in report.get("intelligibility", {}).get("rows", []) if r["engine"] == "piper"]
    for r in heard:
        found.append(
            bench.Target(
                f"intelligibility, Piper {r['voice']}, {r['doc']}",
                f"WER ≤ {WER_GOAL:.0%}",
                f"{r['wer']:.1%}",
                r["wer"] <= WER_GOAL,
            )
        )
    if not heard:
        found.append(
            bench.Target(
                "intelligibility, default English voice", "WER ≤ 25%", "not measured", None
            )
        )
    rows = [r for r in report.get("piper", {}).get("rows", []) if r["doc"] != "tiny"]
    for r in rows:
        found.append(
            bench.Target(
                f"Piper audio, {r['doc']}",
                f"≤ {SPEED_GOAL}× `piper` CLI, wall and CPU",
                f"{r['ratio']:.2f}× wall, {r['cpu_ratio']:.2f}× CPU",
                r["ratio"] <= SPEED_GOAL and r["cpu_ratio"] <= SPEED_GOAL,
            )
        )
    if not rows:
        found.append(
            bench.Target("Piper audio", f"≤ {SPEED_GOAL}× `piper` CLI", "not measured", None)
        )
    spoken = report.get("normalisation", {})
    for r in spoken.get("rows", []):
        found.append(
            bench.Target(
                f"text normalisation, {r['lang']}",
                f"≥ {spoken['target']:.0%} of cases",
                f"{r['ratio']:.1%} ({r['passed']} of {r['cases']})",
                r["ratio"] >= spoken["target"],
            )
        )
    if not spoken.get("rows"):
        found.append(bench.Target("text normalisation", "≥ 95% per language", "not measured", None))
    scale = per_word(report.get("piper", {}).get("rows", []))
    if scale is None:
        found.append(
            bench.Target("Piper CPU per word", "constant (two sizes or more)", "not measured", None)
        )
    else:
        last = scale["deviation"][scale["to"]]
        found.append(
            bench.Target(
                f"Piper CPU per word, {scale['from']} to {scale['to']}",
                f"within ±{PER_WORD_SPREAD:.0%} of {scale['from']}'s",
                f"{last:+.0%} ({scale['ms_per_word'][scale['from']]:.1f} → "
                f"{scale['ms_per_word'][scale['to']]:.1f} ms; anchor "
                f"{scale['anchor_deviation'][scale['to']]:+.0%})",
                abs(last) <= PER_WORD_SPREAD,
            )
        )
    big = [r for r in rows if r["words"] >= 90_000]
    if big:
        cold = big[-1]["ours"]
        peak = cold["tree_mb_max"] or cold["rss_mb_max"]
        found.append(
            bench.Target(
                f"peak memory, Piper build of {big[-1]['doc']}",
                "< 1 GB (process tree)",
                f"{peak:.0f} MB",
                peak < MEMORY_GOAL_MB,
            )
        )
    else:
        found.append(bench.Target("peak memory, 100k Piper build", "< 1 GB", "not measured", None))
    return found


def markdown(report: dict[str, Any]) -> list[str]:
    """The listening sections of results.md."""
    out: list[str] = []
    heard = report.get("intelligibility", {})
    if heard.get("rows"):
        out += [
            "",
            f"## Intelligibility: {heard['recogniser']}, per utterance, against the "
            "narration script",
            "",
            "| Document | Engine | Voice | Words | WER | Sub / Del / Ins | Not in the "
            "recogniser's dictionary | Audio (s) | Transcription CPU (s) | Audio made by |",
            "|---|---|---|---:|---:|---|---:|---:|---:|---|",
        ]
        for r in heard["rows"]:
            out.append(
                f"| {r['doc']} | {r['engine']} | {r['voice']} | {r['reference_words']:,} | "
                f"{r['wer']:.1%} | {r['substitutions']} / {r['deletions']} / {r['insertions']} | "
                f"{r.get('unknown_words', '?')} | {r['audio_s']:.0f} | "
                f"{r['transcription']['cpu_median']:.0f} | {r['how']} |"
            )
    spoken = report.get("normalisation", {})
    if spoken.get("rows"):
        out += [
            "",
            "## Text normalisation: `python -m benchmarks.normalisation` (fixtures in "
            "tests/fixtures/spoken/, compared through espeak-ng's phonemes)",
            "",
            "| Language | Cases | Read as expected | Share |",
            "|---|---:|---:|---:|",
        ]
        out += [
            f"| {r['lang']} | {r['cases']} | {r['passed']} | {r['ratio']:.1%} |"
            for r in spoken["rows"]
        ]
    piper = report.get("piper", {})
    if piper.get("rows"):
        out += [
            "",
            f"## Piper: cold `--formats audio --engine piper` against {piper['anchor']}",
            "",
            "| Document | Words | Ours (s) | Anchor (s) | Ratio | Ours, CPU (s) | Anchor, CPU "
            "(s) | CPU ratio | Runs | Peak RSS (MB) | Process tree (MB) | Anchor RSS (MB) "
            "| Load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in piper["rows"]:
            tree = r["ours"]["tree_mb_max"]
            load = "–".join(f"{x:.1f}" for x in r.get("load", []))
            out.append(
                f"| {r['doc']} | {r['words']:,} | {r['ours']['wall_median']:.1f} | "
                f"{r['anchor']['wall_median']:.1f} | {r['ratio']:.2f}× | "
                f"{r['ours']['cpu_median']:.1f} | {r['anchor']['cpu_median']:.1f} | "
                f"{r['cpu_ratio']:.2f}× | {r['ours']['n']} | {r['ours']['rss_mb_max']:.0f} | "
                f"{'—' if tree is None else f'{tree:.0f}'} | {r['anchor']['rss_mb_max']:.0f} | "
                f"{load} |"
            )
        scale = per_word(piper["rows"])
        if scale:
            out += [
                "",
                "CPU per word after start-up (the tiny document's CPU taken off), ms:",
                "",
                "| Document | Ours | vs smallest | Anchor | vs smallest |",
                "|---|---:|---:|---:|---:|",
            ]
            out += [
                f"| {doc} | {ms:.2f} | {scale['deviation'][doc]:+.0%} | "
                f"{scale['anchor_ms_per_word'][doc]:.2f} | "
                f"{scale['anchor_deviation'][doc]:+.0%} |"
                for doc, ms in scale["ms_per_word"].items()
            ]
    elif piper.get("skipped"):
        out += ["", f"## Piper: not measured: {piper['skipped']}"]
    return out
