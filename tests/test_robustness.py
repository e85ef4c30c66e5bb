"""Hostile and broken manuscripts through every writer: a diagnostic or a safe output.

Each case builds the HTML page, the EPUB and the narration script (the
speech itself is covered in test_interrupt and the audio tests). Accepted
sources must give well-formed outputs; refused ones one clear line with a
position, never a traceback, and nothing written.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRONT, PIECES

from pipeline.build import build
from pipeline.diagnostics import PipelineError
from pipeline.formats.registry import select

FORMATS = "html,epub,narration"
BUILD = [sys.executable, "-m", "pipeline", "build"]
DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning|info) [A-Z]\d{3} .+$")
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Case:
    """A manuscript and what must come of it: an error code, or outputs."""

    text: str | bytes
    error: str = ""
    """The error code expected; empty when the build must succeed."""
    files: tuple[tuple[str, bytes], ...] = ()
    """Extra files beside the manuscript."""


def _big_document() -> str:
    paragraph = "A long and unremarkable sentence about trafficking (Weitzer, 2007). " * 30
    return FRONT + "\n\n".join(
        f"## Part {n}\n\n{paragraph}\n\n{paragraph}" for n in range(2400)
    )  # about 10 MB


CASES: dict[str, Case] = {
    "empty file": Case("", "S003"),
    "front matter only": Case(FRONT, "S003"),
    "no title": Case("---\nlang: en\n---\nText.\n", "F002"),
    "tab-indented YAML": Case("---\ntitle: T\nkeywords:\n\t- a\n---\nText.\n", "F001"),
    "unclosed quote in YAML": Case('---\ntitle: "T\nlang: en\n---\nText.\n', "F001"),
    "number as title": Case("---\ntitle: 42\n---\nText.\n", "F003"),
    "list as lang": Case("---\ntitle: T\nlang: [en, fr]\n---\nText.\n", "F003"),
    "non-UTF-8 bytes": Case(FRONT.encode() + b"caf\xe9\n", "S002"),
    "byte-order mark": Case(b"\xef\xbb\xbf" + (FRONT + "Text.\n").encode()),
    "CRLF line endings": Case(
        (FRONT + "Text.\n\n## Next\n\nMore.\n").replace("\n", "\r\n").encode()
    ),
    "10,000 headings": Case(FRONT + "".join(f"## H{i}\n\nText {i}.\n\n" for i in range(10_000))),
    "10 MB document": Case(_big_document()),
    "table of 20,000 rows": Case(
        FRONT + "| a | b | c |\n|---|---|---|\n" + "| 1 | two | *3* |\n" * 20_000
    ),
    "1 MB paragraph": Case(FRONT + "word (Smith, 2001) " * 55_000 + "\n"),
    # Every full stop a sentence end the segmenter takes back (a lower-case word follows):
    # deciding that from the whole sentence so far made 60 KB of it take 29 s.
    "1 MB paragraph of full stops": Case(FRONT + "word. " * 170_000 + "\n"),
    "quotes nested 1,000 deep": Case(FRONT + "> " * 1000 + "deep\n", "M002"),
    "lists nested 1,000 deep": Case(
        FRONT + "\n".join("  " * i + "- x" for i in range(1000)) + "\n", "M002"
    ),
    "heading without text": Case(FRONT + "Text.\n\n##\n\nMore.\n", "H002"),
    "footnote without definition": Case(FRONT + "Text.[^gone]\n"),
    "emoji, CJK, RTL, zero-width, controls": Case(
        "---\ntitle: Ünïcødé 👩🏽‍💻 漢字\nlang: en\n---\n"
        "Emoji 👩🏽‍💻🏳️‍🌈 and CJK 漢字かなカナ한국어 and Arabic مرحبا بالعالم and Hebrew "
        "שלום.\n\nZero\u200bwidth\u200d joiners\u2060 and \u202eright-to-left override"
        "\u202c and combining e\u0301 and a bell\x07 and a form feed\x0c.\n\n"
        "[Arabic passage: مرحبا]{lang=ar}\n"
    ),
    "raw HTML and script URLs": Case(
        FRONT + '<script>alert(1)</script>\n\n<iframe src="https://evil.example"></iframe>\n\n'
        'Inline <img src=x onerror="alert(1)"> and <b onclick="x()">bold</b>.\n\n'
        "[js](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[vb](VBScript:msgbox) [tab](java\tscript:alert(1))\n"
    ),
    "image outside the folder": Case(FRONT + "![passwd](../../etc/passwd)\n", "I002"),
    "absolute image path": Case(FRONT + "![passwd](/etc/passwd)\n", "I002"),
    "missing image": Case(FRONT + "![chart](missing.png)\n", "I003"),
    "file that is not an image": Case(
        FRONT + "![notes](notes.png)\n", "I004", (("notes.png", b"just text, not a PNG\n"),)
    ),
}


def _write(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "doc.md"
    if isinstance(case.text, bytes):
        source.write_bytes(case.text)
    else:
        source.write_text(case.text, encoding="utf-8")
    for name, data in case.files:
        (folder / name).write_bytes(data)
    return source


def _well_formed(out: Path) -> None:
    page = (out / "doc.html").read_text(encoding="utf-8")
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))  # noqa: S314 (our own output)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids in the page"
    for a in root.iter(f"{XHTML}a"):
        href = a.get("href", "")
        assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), href
        if href.startswith("#"):
            assert href[1:] in ids, f"dead internal link {href}"
    forbidden = {"script", "iframe", "object", "embed"}
    assert not [e.tag for e in root.iter() if e.tag.removeprefix(XHTML) in forbidden]
    assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
    with zipfile.ZipFile(out / "doc.epub") as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                ET.fromstring(book.read(name))  # noqa: S314 (our own output)
    assert (out / "doc.narration.txt").read_text(encoding="utf-8").strip()


#: The large documents: each build takes seconds of CPU (minutes on a busy machine).
LARGE = {
    "10,000 headings",
    "10 MB document",
    "table of 20,000 rows",
    "1 MB paragraph",
    "1 MB paragraph of full stops",
}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[pytest.mark.slow] if n in LARGE else []) for n in CASES]
)
def test_bad_input_gives_a_diagnostic_or_a_safe_output(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    source = _write(case, tmp_path / "src")
    out = tmp_path / "out"
    result = subprocess.run(
        [*BUILD, str(source), "--out", str(out), "--formats", FORMATS],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if not line.startswith("publish:")]
    assert all(DIAGNOSTIC.match(line) for line in problems), problems
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert peak < 2 * 1024**3, f"a build used {peak / 1024**2:.0f} MB"  # bounded memory
    if case.error:
        assert result.returncode == 1, result.stderr
        assert f" error {case.error} " in result.stderr
        assert not out.exists() or not list(out.iterdir())
    else:
        assert result.returncode == 0, result.stderr
        _well_formed(out)


# --------------------------------------------------------------------------- properties

documents = st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=18).map(
    lambda parts: "---\ntitle: T\nlang: en\nidentifier: urn:x\n---\n" + "".join(parts)
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=documents)
def test_any_document_builds_well_formed_identical_outputs_or_raises_our_error(
    text: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = tmp_path_factory.mktemp("gen")
    source = _write(Case(text), folder / "src")
    outputs: list[dict[str, bytes]] = []
    for run in ("a", "b"):
        out = folder / run
        try:
            build([source], out, select(FORMATS))
        except PipelineError as exc:
            assert exc.diagnostics
            return
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
        _well_formed(out)
    assert outputs[0] == outputs[1], "two builds of one source differ"


def test_speech_engine_reads_a_document_of_many_scripts(tmp_path: Path) -> None:
    """Emoji, CJK, right-to-left, zero-width and controls reach espeak-ng without harm."""
    source = _write(CASES["emoji, CJK, RTL, zero-width, controls"], tmp_path / "src")
    out = tmp_path / "out"
    result = subprocess.run(
        [*BUILD, str(source), "--out", str(out), "--formats", "audio"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "doc.mp3").stat().st_size > 10_000
    assert (out / "doc.m4b").stat().st_size > 10_000
    script = (out / "doc.narration.txt").read_text(encoding="utf-8")
    assert "\u202e" not in script and "\x07" not in script
