"""WebVTT captions and chapters, parsed back: cues, identifiers, timestamps, escaping."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.audio.writer import AudioResult
from pipeline.formats import captions, sync

_TIMING = re.compile(
    r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})\Z"
)


@dataclass(frozen=True)
class ParsedCue:
    ident: str
    start: int
    end: int
    text: str


def parse_vtt(text: str) -> list[ParsedCue]:
    """A strict reader for what we write: header, then blocks of id, timing, text."""
    assert text.startswith("WEBVTT\n\n"), "missing WEBVTT header"
    assert "\r" not in text and text.endswith("\n")
    cues = []
    for block in text.rstrip("\n").split("\n\n")[1:]:
        lines = block.split("\n")
        assert len(lines) >= 3, block
        ident, timing, *body = lines
        assert "-->" not in ident and ident.strip() == ident and ident
        match = _TIMING.match(timing)
        assert match, timing
        h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + f1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + f2
        assert end > start, block
        cue_text = "\n".join(body)
        assert "-->" not in cue_text and cue_text.strip()
        assert not re.search(r"[<>]|&(?!amp;|lt;|gt;)", cue_text), cue_text
        cues.append(ParsedCue(ident, start, end, cue_text))
    return cues


def _paths(result: object) -> tuple[Path, Path, Path]:
    assert isinstance(result, AudioResult)
    folder = result.paths[0].parent
    return folder / "article.vtt", folder / "article.chapters.vtt", folder / "article.timings.json"


def test_captions_have_one_cue_per_utterance_in_order(article_audio: object) -> None:
    vtt, _, timings_path = _paths(article_audio)
    cues = parse_vtt(vtt.read_text(encoding="utf-8"))
    data = json.loads(timings_path.read_text(encoding="utf-8"))
    assert [c.ident for c in cues] == [u["key"] for u in data["utterances"]]
    assert len({c.ident for c in cues}) == len(cues)  # identifiers unique
    for earlier, later in itertools.pairwise(cues):
        assert earlier.end <= later.start  # monotonic and never overlapping
    assert cues[0].ident == "doc-title"
    assert cues[0].start == round(data["utterances"][0]["start"] * 1000)
    assert cues[-1].end <= round(data["duration"] * 1000)
    assert cues[3].text == "Human trafficking."


def test_chapters_track_matches_the_audio_chapters(article_audio: object) -> None:
    _, chapters_vtt, timings_path = _paths(article_audio)
    cues = parse_vtt(chapters_vtt.read_text(encoding="utf-8"))
    data = json.loads(timings_path.read_text(encoding="utf-8"))
    assert [c.text for c in cues] == [
        "Who are Individuals that Willingly Purchase People?",
        "References",
        "About the publisher",
    ]
    assert [c.ident for c in cues] == [c["id"] for c in data["chapters"]]
    assert cues[0].start == 0 and cues[-1].end == round(data["duration"] * 1000)
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))


@pytest.mark.parametrize(
    ("ms", "expected"),
    [(0, "00:00:00.000"), (61_001, "00:01:01.001"), (3_723_456, "01:02:03.456")],
)
def test_timestamps(ms: int, expected: str) -> None:
    assert captions.timestamp(ms) == expected


def test_reserved_characters_are_escaped() -> None:
    timings = sync.Timings(
        (sync.Cue("p-1", "p-1", "paragraph", 0, 1500, "A <b> & C --> D\n\nE"),),
        (sync.ChapterCue("a-->b", "Q & A", 0, 2000),),
        2000,
        "pyttsx3",
        "v",
    )
    cue = parse_vtt(captions.captions(timings))[0]
    assert cue.text == "A &lt;b&gt; &amp; C --&gt; D E"
    chapter = parse_vtt(captions.chapters(timings))[0]
    assert (chapter.ident, chapter.text) == ("a->b", "Q &amp; A")
