"""The listening benchmark's reading of narration scripts, its Piper anchor and its targets.

No recogniser and no voice run here: those are the benchmark's own work
(``nox -s bench``); these tests check what it does with their output.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from benchmarks import listening, piper_anchor
from benchmarks.recognise import Utterance, script, utterances
from benchmarks.run import Context

NARRATION = """\
== Chapter 1: A title
[doc-title] (title, +0.8s) A title.
[p-1] (paragraph, +0.35s) In 2017 there were 8,524 cases (Bach, 2017).

== Chapter 2: References
[references] (heading, +1s) References.
"""

TIMINGS: dict[str, Any] = {
    "utterances": [
        {"key": "doc-title", "start": 0.75, "end": 1.5, "text": "A title."},
        {"key": "p-1", "start": 1.9, "end": 6.25, "text": "In 2017 ..."},
        {"key": "references", "start": 7.0, "end": 7.8, "text": "References."},
    ]
}


def test_the_script_gives_each_spoken_line_with_its_key_and_no_chapter_rules() -> None:
    assert list(script(NARRATION)) == [
        ("doc-title", "A title."),
        ("p-1", "In 2017 there were 8,524 cases (Bach, 2017)."),
        ("references", "References."),
    ]


def test_utterances_take_the_text_from_the_script_and_the_times_from_the_build() -> None:
    found = utterances(NARRATION, TIMINGS)
    assert found[1] == Utterance("p-1", "In 2017 there were 8,524 cases (Bach, 2017).", 1.9, 6.25)
    assert [u.key for u in found] == ["doc-title", "p-1", "references"]


def test_a_script_line_without_timing_is_an_error_not_a_silent_gap() -> None:
    timings = {"utterances": TIMINGS["utterances"][:2]}
    with pytest.raises(ValueError, match="references"):
        utterances(NARRATION, timings)


def test_the_anchor_reads_the_spoken_lines_one_per_line_from_standard_input() -> None:
    assert piper_anchor.plain_text(NARRATION) == (
        "A title.\nIn 2017 there were 8,524 cases (Bach, 2017).\nReferences.\n"
    )
    command = piper_anchor.command(Path("v/en_US-joe-medium.onnx"), Path("out.wav"))
    assert command == [
        sys.executable,
        "-m",
        "piper",
        "-m",
        "v/en_US-joe-medium.onnx",
        "-f",
        "out.wav",
    ]


def test_a_voice_is_found_as_a_path_or_in_the_voices_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "xx_YY-test-low.onnx").write_bytes(b"")
    monkeypatch.setenv("PUBLISH_PIPER_VOICES", str(tmp_path))
    assert piper_anchor.model("xx_YY-test-low") == tmp_path / "xx_YY-test-low.onnx"
    direct = str(tmp_path / "xx_YY-test-low.onnx")
    assert piper_anchor.model(direct) == Path(direct)
    with pytest.raises(FileNotFoundError, match="no-such-voice"):
        piper_anchor.model("no-such-voice")


def _row(doc: str, wer: float) -> dict[str, Any]:
    return {"doc": doc, "engine": "piper", "voice": "en_US-joe-medium", "wer": wer}


def _speed(
    doc: str, words: int, ratio: float, cpu: float, tree: float, *, seconds: float = 0.0
) -> dict[str, Any]:
    """A Piper row; ``seconds``: our CPU time (the anchor's is ``seconds / cpu``)."""
    ours = {"tree_mb_max": tree, "rss_mb_max": 600.0, "cpu_median": seconds, "wall_median": 1.0}
    anchor = {"cpu_median": seconds / cpu, "rss_mb_max": 500.0, "wall_median": 1.0}
    return {
        "doc": doc,
        "words": words,
        "ratio": ratio,
        "cpu_ratio": cpu,
        "ours": {**ours, "n": 1},
        "anchor": anchor,
    }


def test_targets_judge_the_default_voice_the_speed_ratio_and_the_100k_memory() -> None:
    report = {
        "intelligibility": {
            "rows": [
                _row("article", 0.22),
                _row("gen-1k", 0.31),
                {**_row("article", 0.7), "engine": "pyttsx3"},  # no goal for espeak-ng
            ]
        },
        "piper": {
            "rows": [
                _speed("tiny", 3, 3.0, 3.0, 700.0, seconds=4.0),  # start-up only: no goal
                _speed("gen-1k", 1_000, 1.10, 1.20, 700.0, seconds=74.0),
                _speed("gen-100k", 100_000, 1.05, 1.01, 1_100.0, seconds=9_004.0),
            ]
        },
    }
    verdicts = {t.name: t.met for t in listening.targets(report)}
    assert verdicts == {
        "intelligibility, Piper en_US-joe-medium, article": True,
        "intelligibility, Piper en_US-joe-medium, gen-1k": False,
        "Piper audio, gen-1k": False,  # the CPU ratio is over 1.15
        "Piper audio, gen-100k": True,
        "Piper CPU per word, gen-1k to gen-100k": False,  # 70 ms a word, then 90: +29%
        "peak memory, Piper build of gen-100k": False,
        "text normalisation": None,  # not in this report
    }


def test_figures_not_run_are_reported_as_not_measured() -> None:
    found = listening.targets({"intelligibility": {}, "piper": {"skipped": "no engine"}})
    assert {t.met for t in found} == {None}
    assert len(found) == 5  # intelligibility, speed, normalisation, CPU per word, memory
    text = "\n".join(listening.markdown({"piper": {"skipped": "no engine"}}))
    assert "not measured: no engine" in text


def test_cpu_per_word_takes_the_start_up_off_and_compares_each_size_with_the_smallest() -> None:
    rows = [
        _speed("tiny", 3, 2.0, 2.0, 400.0, seconds=4.0),
        _speed("article", 624, 0.9, 0.8, 700.0, seconds=50.0),  # not generated: not a size
        _speed("gen-1k", 1_000, 1.0, 1.0, 700.0, seconds=74.0),  # 70 ms a word after start-up
        _speed("gen-10k", 10_000, 1.0, 1.25, 800.0, seconds=804.0),  # 80 ms; the anchor's 64 ms
    ]
    scale = listening.per_word(rows)
    assert scale is not None
    assert scale["ms_per_word"] == {"gen-1k": 70.0, "gen-10k": 80.0}
    assert scale["deviation"] == {"gen-1k": 0.0, "gen-10k": 0.143}
    assert scale["anchor_ms_per_word"] == {"gen-1k": 72.0, "gen-10k": 64.12}  # tiny: 2 s
    target = next(t for t in listening.targets({"piper": {"rows": rows}}) if "per word" in t.name)
    assert (target.name, target.met) == ("Piper CPU per word, gen-1k to gen-10k", True)
    assert target.measured == "+14% (70.0 → 80.0 ms; anchor -11%)"
    table = "\n".join(listening.markdown({"piper": {"anchor": "piper", "rows": rows}}))
    assert "| gen-10k | 80.00 | +14% | 64.12 | -11% |" in table
    assert listening.per_word(rows[:3]) is None  # one generated size: nothing to compare


@dataclass
class _Case:
    passed: bool


def test_the_normalisation_suite_is_run_per_language_and_judged_by_its_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = types.ModuleType("benchmarks.normalisation")
    outcomes = {"en": [True] * 19 + [False], "fr": [True] * 9 + [False]}
    suite.LANGUAGES = ("en", "fr")  # type: ignore[attr-defined]
    suite.TARGET = 0.95  # type: ignore[attr-defined]
    suite.score = lambda lang: types.SimpleNamespace(  # type: ignore[attr-defined]
        results=[_Case(p) for p in outcomes[lang]]
    )
    monkeypatch.setitem(sys.modules, "benchmarks.normalisation", suite)
    figure = listening.normalisation_figure(Context(tmp_path, {}))
    assert figure["rows"] == [
        {"lang": "en", "cases": 20, "passed": 19, "ratio": 0.95},
        {"lang": "fr", "cases": 10, "passed": 9, "ratio": 0.9},
    ]
    verdicts = {t.name: t.met for t in listening.targets({"normalisation": figure})}
    assert verdicts["text normalisation, en"] is True
    assert verdicts["text normalisation, fr"] is False
    assert "| fr | 10 | 9 | 90.0% |" in listening.markdown({"normalisation": figure})


def test_without_the_normalisation_suite_the_figure_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "benchmarks.normalisation", None)  # import fails
    ctx = Context(tmp_path, {})
    assert "not on this checkout" in listening.normalisation_figure(ctx)["skipped"]
    assert ctx.lines
