"""The ``publish`` command: defaults, formats, exit codes, atomic outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from support import FRONT, run_cli

from pipeline import outputs

Capture = pytest.CaptureFixture[str]


def test_python_dash_m_runs_the_command_with_its_defaults(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "article.md").write_bytes((ROOT / "source" / "article.md").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = result.stdout.splitlines()
    assert "wrote outputs/article.model.json" in written
    assert len(written) == len(set(written)), "an artifact was written twice"
    assert all(line.startswith("wrote outputs/article.") for line in written)
    data = json.loads((tmp_path / "outputs" / "article.model.json").read_text(encoding="utf-8"))
    assert data["metadata"]["title"].startswith("Who are Individuals")


def test_the_cli_module_runs_as_a_script(tmp_path: Path) -> None:
    """`python -m pipeline.cli`, as some launchers and debuggers start it, runs the command."""
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--version"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("publish ")


def test_help_lists_the_commands(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["--help"], capsys)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "build" in out and "lint" in out


def test_no_command_is_a_usage_error(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli([], capsys)
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        ("braille", "format 'braille' is not available: not built yet"),
        ("pdf", "unknown format 'pdf'"),
        (",", "names no format"),
    ],
)
def test_unavailable_formats_are_clear_usage_errors(
    *,
    formats: str,
    message: str,
    write_source: Callable[..., Path],
    tmp_path: Path,
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.formats import registry as writers

    monkeypatch.setitem(writers.PLANNED, "braille", "not built yet")
    source = write_source(FRONT + "Text.\n")
    status, _, err = run_cli(
        ["build", source, "--out", tmp_path / "o", "--formats", formats], capsys
    )
    assert status == 2
    assert message in err
    assert not (tmp_path / "o").exists()


def test_output_folder_holding_the_source_is_refused(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    source = write_source(FRONT + "Text.\n")
    status, _, err = run_cli(["build", source, "--out", source.parent], capsys)
    assert status == 2
    assert "contains the source" in err
    assert sorted(p.name for p in source.parent.iterdir()) == ["doc.md"]


def test_two_sources_build_side_by_side(
    write_source: Callable[..., Path], tmp_path: Path, capsys: Capture
) -> None:
    a = write_source(FRONT + "A.\n", "a.md")
    b = write_source(FRONT + "B.\n", "b.md")
    status, out, _ = run_cli(["build", a, b, "--out", tmp_path / "o", "--formats", "model"], capsys)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["a.model.json", "b.model.json"]
    assert out.count("wrote") == 2


def test_an_error_in_one_source_writes_nothing_for_any(
    write_source: Callable[..., Path], tmp_path: Path, capsys: Capture
) -> None:
    a = write_source(FRONT + "A.\n", "a.md")
    b = write_source("---\ntitle: 1\n---\nB.\n", "b.md")
    status, _, _ = run_cli(["build", a, b, "--out", tmp_path / "o"], capsys)
    assert status == 1
    assert not (tmp_path / "o").exists()


def test_strict_build_fails_on_warnings(
    write_source: Callable[..., Path], tmp_path: Path, capsys: Capture
) -> None:
    source = write_source(FRONT + "Text (Nobody, 2001).\n")
    assert run_cli(["build", source, "--out", tmp_path / "o"], capsys)[0] == 0
    status, _, err = run_cli(["build", "--strict", source, "--out", tmp_path / "s"], capsys)
    assert status == 1
    assert "error C001" in err


def test_interrupted_write_keeps_the_previous_artifact(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    outputs.write_text(target, "old")

    class SimulatedInterruptError(Exception):
        pass

    with pytest.raises(SimulatedInterruptError), outputs.atomic(target) as handle:
        handle.write(b"half of the new cont")
        raise SimulatedInterruptError
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_unwritable_output_is_a_clear_error(
    write_source: Callable[..., Path], tmp_path: Path, capsys: Capture
) -> None:
    source = write_source(FRONT + "Text.\n")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    status, _, err = run_cli(["build", source, "--out", blocker / "sub"], capsys)
    assert status == 1
    assert err.startswith("publish: error: cannot write")
    assert "Traceback" not in err


def test_concurrent_builds_into_one_folder_take_turns(
    write_source: Callable[..., Path], tmp_path: Path
) -> None:
    from pipeline.outputs import locked

    source = write_source(FRONT + "Text.\n")
    out = tmp_path / "o"
    command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)]
    command += ["--formats", "model"]
    with locked(out):  # hold the folder: a build must wait, not interleave
        waiting = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=1.5)
        assert not (out / "doc.model.json").exists()
    assert waiting.wait(timeout=60) == 0
    assert json.loads((out / "doc.model.json").read_text(encoding="utf-8"))["type"] == "Document"
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(4)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0, 0]
    assert sorted(p.name for p in out.iterdir()) == ["doc.model.json"]


def _wait_until_locked(out: Path, build: subprocess.Popen[str]) -> None:
    """Return once ``build`` holds the output folder's lock (taken before anything is
    written): a probe for that state, not a guessed start-up time."""
    import fcntl
    import time

    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        while build.poll() is None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            fcntl.flock(fd, fcntl.LOCK_UN)
            time.sleep(0.01)
    finally:
        os.close(fd)
    pytest.fail(f"the build ended (status {build.returncode}) before it took the lock")


def test_sigterm_stops_a_build_cleanly(write_source: Callable[..., Path], tmp_path: Path) -> None:
    import signal

    body = ("A sentence (Weitzer, 2007) that goes on. " * 20 + "\n\n") * 60  # minutes of speech
    source = write_source(FRONT + body)
    out = tmp_path / "o"
    out.mkdir()
    (out / "doc.model.json").write_text("earlier output", encoding="utf-8")
    build = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until_locked(out, build)  # handler installed at start; the writing has begun
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert "interrupted" in err
    assert "Traceback" not in err
    assert (out / "doc.model.json").read_text(encoding="utf-8") == "earlier output"
    assert sorted(p.name for p in out.iterdir()) == ["doc.model.json"]


def test_the_command_runs_numpy_on_one_blas_thread() -> None:
    """After each product, OpenBLAS's idle threads spin for a while, taking a core from the
    encoders: the command, and the processes it starts, keep BLAS on one thread."""
    script = (
        "import os\n"
        "from pipeline import cli\n"
        "def main():\n"
        "    import numpy\n"
        "    numpy.ones((500, 500)) @ numpy.ones(500)\n"
        "    print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])\n"
        "    return 0\n"
        "cli.main = main\n"
        "cli.run()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _python(script, env=env).split() == ["1", "1"]


def test_a_build_with_audio_starts_the_speech_helper_before_the_heavy_imports(
    tmp_path: Path,
) -> None:
    """espeak-ng's helper loads on another core while the build imports and parses; a build
    without audio starts none."""
    source = tmp_path / "doc.md"
    source.write_text(FRONT + "\n# T\n\nOne short sentence.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from pipeline import cli\n"
        "from pipeline.audio.speech import espeak\n"
        "seen = []\n"
        "espeak.Pyttsx3Engine.prepare = lambda self: seen.append(sorted(\n"
        "    m for m in ('numpy', 'markdown_it', 'pipeline.build') if m in sys.modules))\n"
        "for formats in ('audio', 'html'):\n"
        "    out = sys.argv[2] + '/' + formats\n"
        "    assert cli.main(['build', '--formats', formats, '--out', out, sys.argv[1]]) == 0\n"
        "    print(formats, seen[:1])\n"
        "    seen.clear()\n"
    )
    env = {
        **os.environ,
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "speech"),
        "PUBLISH_BUILD_CACHE": str(tmp_path / "builds"),
        "PUBLISH_COVER_CACHE": str(tmp_path / "covers"),
    }
    printed = _python(script, str(source), str(tmp_path), env=env)
    seen = [line for line in printed.splitlines() if not line.startswith("wrote ")]
    assert seen == ["audio [[]]", "html []"]


def _python(script: str, *args: str, env: dict[str, str]) -> str:
    """What a fresh interpreter running ``script`` printed (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
