"""The large-input benchmark: its documents and how its goals are judged."""

from __future__ import annotations

from typing import Any

from conftest import document_from

from benchmarks import large
from benchmarks.generate import footnotes


def test_the_footnote_document_has_every_note_once() -> None:
    doc = document_from(footnotes(300))
    assert len(doc.footnotes) == 300
    assert [n.number for n in doc.footnotes] == list(range(1, 301))
    assert not [d for d in doc.diagnostics if d.severity.name != "INFO"]


def _row(doc: str, wall: float, rss: float) -> dict[str, Any]:
    summary = {"wall_median": wall, "cpu_median": wall, "rss_mb_max": rss}
    pandoc = {"wall_median": wall / 2, "cpu_median": wall / 2, "rss_mb_max": 10.0}
    return {
        "doc": doc,
        "bytes": 20_000_000,
        "words": 1,
        "ours": summary,
        "pandoc": pandoc,
        "ratio": 2.0,
        "cpu_ratio": 2.0,
    }


def test_goals_are_judged_on_time_and_memory() -> None:
    report = {"large": {"rows": [_row("20mb", 59.0, 1100.0), _row("notes-100k", 29.0, 2000.0)]}}
    verdicts = {t.name: t.met for t in large.targets(report)}
    assert verdicts == {"text, 20mb": False, "text, notes-100k": True}  # 1100 MB > 1 GB
    assert len(large.markdown(report)) == 5 + 2
    # wall and CPU time both shown, each named, and the load the builds ran under
    shown = {t.name: t.measured for t in large.targets(report)}
    assert shown["text, notes-100k"] == (
        "29.0 s wall, 29.0 s CPU, 2000 MB (2.00× pandoc wall, 2.00× CPU)"
    )
    report["large"]["rows"][0]["load"] = [1.5, 3.0]
    assert large.markdown(report)[5].endswith("| 2.00× | 2.00× | 1.5 → 3.0 |")


def test_a_missing_figure_is_not_measured() -> None:
    assert {t.measured for t in large.targets({})} == {"not measured"}
    assert large.markdown({}) == []
