"""Properties of the narration over any input: no crash, unique keys, sayable text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.audio.speech.batch import Progress
from pipeline.diagnostics import PipelineError
from pipeline.document.parse import parse
from pipeline.document.source import SourceText
from pipeline.document.transforms import apply
from pipeline.formats import spoken
from pipeline.formats.narration import narrate

_BLOCKS = st.sampled_from(
    [
        "Plain sentence with 8,524 cases (Smith & Jones, 2019, pp. 3–9).",
        "## A heading",
        "### A deeper heading",
        "- one\n- two",
        "1. first\n2. second",
        "> quoted text",
        "```\ncode\n```",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "![alt text](x.png)",
        "Text with a note.[^n]\n\n[^n]: The note.",
        "See <https://example.org/a> and [a link](https://example.com).",
        "---",
        "e.g. i.e. etc. Dr. Fig. 3",
    ]
)


@settings(max_examples=60, deadline=None)
@given(blocks=st.lists(_BLOCKS, min_size=1, max_size=8), noise=st.text(max_size=40))
def test_any_document_narrates_with_unique_keys(blocks: list[str], noise: str) -> None:
    text = "---\ntitle: T\nlang: en\nidentifier: x\n---\n\n" + "\n\n".join([*blocks, noise])
    try:
        document = apply(parse(SourceText("p.md", text, Path())))
    except PipelineError:
        return
    narration = narrate(document)
    keys = [u.key for u in narration.utterances]
    assert len(keys) == len(set(keys))
    assert all(u.text.strip() for u in narration.utterances)
    assert all(0 <= u.chapter < len(narration.chapters) for u in narration.utterances)
    assert [u.chapter for u in narration.utterances] == sorted(
        u.chapter for u in narration.utterances
    )


@given(st.text(max_size=200), st.sampled_from(["en", "fr", "es", "de", "en-US", "it"]))
def test_normalise_never_fails_and_drops_ampersands(text: str, lang: str) -> None:
    said = spoken.normalise(text, lang)
    assert "&" not in said
    assert "http://" not in said and "https://" not in said


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = Progress(2)
    progress.step()
    progress.step()
    assert terminal.getvalue().endswith("] 2/2\n")
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    quiet = Progress(2)
    quiet.step()
    assert pipe.getvalue() == ""
