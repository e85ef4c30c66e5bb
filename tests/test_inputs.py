"""Inputs beside a source (lexicon, cover), read and checked before any writer runs.

One folder per case in ``tests/fixtures/inputs/``: ``doc.md``, the input under test, and
``lint.txt``, exactly what ``publish lint doc.md`` prints there besides its summary line
(paths as the user typed them, so the lexicon's own file and line). Every error case also
stops ``publish build`` before anything is written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mutagen.id3
import pytest
from conftest import FIXTURES, ROOT
from support import run_cli

from pipeline.audio.writer import AudioWriter
from pipeline.build import build, check
from pipeline.diagnostics import CODES
from pipeline.formats.narration import NarrationWriter

Capture = pytest.CaptureFixture[str]

CASES = sorted(path for path in (FIXTURES / "inputs").iterdir() if path.is_dir())
ERRORS = [case for case in CASES if not case.name.startswith("ok-")]


def test_every_new_input_code_has_a_case() -> None:
    codes = {case.name.split("-")[0] for case in ERRORS}
    assert codes == {"A001", "A002", "A003", "A004", "A005", "I005", "I006", "I007"}
    assert codes <= set(CODES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_lint_reports_the_input_at_its_own_file_and_line(
    case: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    status, _, err = run_cli(["lint", "doc.md"], capsys)
    *lines, last = err.splitlines()
    assert lines == (case / "lint.txt").read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in err
    if case in ERRORS:
        code = case.name.split("-")[0]
        assert status == 1
        assert all(f" error {code} " in line for line in lines)
        assert last.startswith("doc.md: ") and "error" in last
    else:
        assert (status, last) == (0, "doc.md: no problems")


@pytest.mark.parametrize("case", ERRORS, ids=lambda case: case.name)
def test_a_build_with_a_broken_input_writes_nothing(
    case: Path, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    out = tmp_path / "out"
    formats = "model,html,epub,narration"
    status, stdout, err = run_cli(["build", "doc.md", "--out", out, "--formats", formats], capsys)
    assert status == 1
    assert stdout == ""
    assert err.splitlines()[-1].endswith("; nothing written")
    assert set((case / "lint.txt").read_text(encoding="utf-8").splitlines()) <= set(
        err.splitlines()
    )
    assert not out.exists()


def test_a_broken_lexicon_stops_an_audio_build_before_the_model_is_written(
    tmp_path: Path,
) -> None:
    """It used to be read inside the audio writer, after the model and the narration."""
    case = FIXTURES / "inputs" / "A002-not-well-formed"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PUBLISH_BUILD_CACHE": str(tmp_path / "b")}
    command = [sys.executable, "-m", "pipeline", "build", "doc.md", "--out", str(tmp_path / "o")]
    done = subprocess.run(
        [*command, "--formats", "model,narration,audio"],
        cwd=case,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "doc.pls:4:3: error A002 " in done.stderr
    assert not (tmp_path / "o").exists()


def test_the_lexicon_read_before_the_writers_is_the_one_they_apply(tmp_path: Path) -> None:
    source = FIXTURES / "inputs" / "ok-lexicon-and-cover" / "doc.md"
    _, inputs = check(source)
    assert ("Babbage", "Babbidge") in inputs.lexicon.entries
    result = build([source], tmp_path, [NarrationWriter()])
    assert result.written == [tmp_path / "doc.narration.txt"]
    assert "Babbidge spoke first." in result.written[0].read_text(encoding="utf-8")


def test_the_cover_is_taken_from_beside_the_source_never_from_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "speech"))
    monkeypatch.setenv("PUBLISH_COVER_CACHE", str(tmp_path / "covers"))
    folder = FIXTURES / "inputs" / "ok-lexicon-and-cover"
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.cover.jpg").write_bytes(b"\xff\xd8\xff not looked at")  # where it once was
    result = build([folder / "doc.md"], out, [NarrationWriter(), AudioWriter()])
    [art] = mutagen.id3.ID3(out / "doc.mp3").getall("APIC")
    assert (art.mime, art.data) == ("image/png", (folder / "doc.cover.png").read_bytes())
    # the audio speaks the narration writer's script, which is written once
    assert [p.name for p in result.written].count("doc.narration.txt") == 1
    [recording] = result.recordings
    assert [cue.text for cue in recording.timings.cues][-1] == "Babbidge spoke first."
