"""Large inputs: a 20 MB manuscript and one with 100,000 footnotes, text formats only.

Each document is built once by us (``--formats html,epub``) and once by pandoc (EPUB
only), the anchor, interleaved in the same run; the figure gives our wall and CPU
seconds (user + system of the build process), peak memory, the ratio to pandoc on the
same document, and the load average before and after (the machine may be shared: wall
time is then CPU time plus the wait for a core). The issue's goals are absolute (≤ 60 s
and ≤ 1 GB for 20 MB; ≤ 30 s for 100k footnotes) and judged on wall time, the strict
reading; the CPU time and the ratio say how much of a miss is the machine.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

from . import run as bench
from .generate import count_words, footnotes, generate

#: About 20 MB of generated Markdown (7.4 bytes a word).
BIG_WORDS = 2_750_000
NOTES = 100_000
#: Goals: (seconds, MiB) per document; None where the issue sets no memory goal.
GOALS: dict[str, tuple[float, float | None]] = {"20mb": (60.0, 1024.0), "notes-100k": (30.0, None)}


def documents(work: Path) -> list[bench.Doc]:
    """The two large documents, each in a folder of its own."""
    docs = []
    for name, text in (("20mb", generate(BIG_WORDS)), ("notes-100k", footnotes(NOTES))):
        folder = work / "docs" / f"large-{name}"
        folder.mkdir(parents=True)
        path = folder / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        docs.append(bench.Doc(name, path, count_words(text)))
    return docs


def large_figure(ctx: bench.Context, docs: list[bench.Doc]) -> dict[str, Any]:
    """One build of each document by us and by pandoc, interleaved."""
    formats = [f for f in bench.TEXT_FORMATS if ctx.formats.get(f) == "available"]
    if not formats:
        return {"skipped": "no text format (html, epub) is available"}
    import pypandoc

    pandoc = str(pypandoc.get_pandoc_path())
    rows = []
    for index, doc in enumerate(docs):
        ours: list[bench.Run] = []
        theirs: list[bench.Run] = []
        load_before = os.getloadavg()[0]
        try:
            bench._alternate(
                index,
                partial(bench._text_ours, ctx, doc, formats, ours, ctx.fresh("covers")),
                partial(bench._text_pandoc, ctx, doc, pandoc, theirs),
            )
        except bench.BenchError as exc:
            ctx.note(f"large figure, {doc.name}: build failed, not measured: {exc}")
            continue
        mine, anchor = ours[0], theirs[0]
        rows.append(
            {
                "doc": doc.name,
                "bytes": doc.path.stat().st_size,
                "words": doc.words,
                "ours": bench._summary(ours),
                "pandoc": bench._summary(theirs),
                "ratio": round(mine.wall / anchor.wall, 3),
                "cpu_ratio": round(mine.cpu / anchor.cpu, 3),
                # the machine may be shared: wall time is CPU time plus waiting for a core
                "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            }
        )
        print(
            f"large {doc.name:>10}: ours {mine.wall:.1f} s ({mine.cpu:.1f} s CPU, "
            f"{mine.rss_mb:.0f} MB), pandoc {anchor.wall:.1f} s",
            flush=True,
        )
    return {"formats": formats, "rows": rows}


def targets(report: dict[str, Any]) -> list[bench.Target]:
    """The issue's large-input goals, from this report's figure."""
    found = []
    rows = {r["doc"]: r for r in report.get("large", {}).get("rows", [])}
    for name, (seconds, mib) in GOALS.items():
        goal = f"≤ {seconds:.0f} s" + (f" and ≤ {mib / 1024:.0f} GB" if mib else "")
        label = f"text, {name}"
        if name not in rows:
            found.append(bench.Target(label, goal, "not measured", None))
            continue
        r = rows[name]
        wall, rss = r["ours"]["wall_median"], r["ours"]["rss_mb_max"]
        shown = (
            f"{wall:.1f} s wall, {r['ours']['cpu_median']:.1f} s CPU, {rss:.0f} MB "
            f"({r['ratio']:.2f}× pandoc wall, {r['cpu_ratio']:.2f}× CPU)"
        )
        found.append(
            bench.Target(label, goal, shown, wall <= seconds and (mib is None or rss <= mib))
        )
    return found


def markdown(report: dict[str, Any]) -> list[str]:
    """The large-input section of results.md."""
    rows = report.get("large", {}).get("rows", [])
    if not rows:
        return []
    out = [
        "",
        "## Large inputs: one build each, ours (`--formats html,epub`) and pandoc (EPUB)",
        "",
        "| Document | MB | Ours, wall (s) | Ours, CPU (s) | Peak RSS (MB) | pandoc, wall (s) "
        "| pandoc, CPU (s) | Ratio, wall | Ratio, CPU | Load (1 min, before → after) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        load = r.get("load")
        out.append(
            f"| {r['doc']} | {r['bytes'] / 1e6:.1f} | {r['ours']['wall_median']:.1f} | "
            f"{r['ours']['cpu_median']:.1f} | {r['ours']['rss_mb_max']:.0f} | "
            f"{r['pandoc']['wall_median']:.1f} | {r['pandoc']['cpu_median']:.1f} | "
            f"{r['ratio']:.2f}× | {r['cpu_ratio']:.2f}× | "
            f"{f'{load[0]:.1f} → {load[1]:.1f}' if load else ''} |"
        )
    return out
