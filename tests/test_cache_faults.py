"""Damaged caches, caches beside a manuscript, and builds killed at random points.

A cache entry is checked when it is read (the SHA-256 stored with it, or, for an entry
written before sums were stored, its header against its length): a damaged one is a miss,
made again, reported once as info, and the outputs are those of a clean build.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from support import run_cli

from pipeline.audio.speech import cache

Capture = pytest.CaptureFixture[str]

DOC = (
    "---\ntitle: Cache Faults\nlang: en\nidentifier: urn:x:cache\n---\n\n# One\n\n"
    "The first paragraph is spoken.\n\n# Two\n\nThe second one is spoken too.\n"
)


EVERY_FORMAT = "model,html,narration,audio,epub"


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file in ``out`` (temporary ones too), by name."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _build(source: Path, out: Path, capsys: Capture, formats: str = "audio") -> str:
    status, _, err = run_cli(
        ["build", source, "--out", out, "--formats", formats, "--force"], capsys
    )
    assert status == 0, err
    assert "Traceback" not in err
    return err


def _damage(kind: str, folder: Path) -> None:
    """Damage one entry of the cache in ``folder`` as ``kind`` says."""
    if kind.startswith("segment"):
        entry = sorted((folder / "segments").rglob("*.mp3"))[0]
    else:
        entry = sorted(p for p in folder.rglob("*.wav") if "segments" not in p.parts)[0]
    data = entry.read_bytes()
    if kind in {"speech-truncated", "segment-truncated"}:
        entry.write_bytes(data[: len(data) // 2])
    elif kind == "speech-garbage":
        entry.write_bytes(b"garbage" * 10)
    elif kind == "speech-empty":
        entry.write_bytes(b"")
    elif kind == "speech-words-garbage":
        entry.with_suffix(".words.json").write_bytes(b"{not json")
        entry.with_suffix(".sum").unlink()  # as an entry of an older version: no sum
    elif kind == "speech-old-truncated":
        entry.with_suffix(".sum").unlink()
        entry.write_bytes(data[: len(data) - 100])
    elif kind == "speech-bit-flipped":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif kind == "segment-old-truncated":
        entry.with_suffix(".sum").unlink()
        entry.write_bytes(data[: len(data) // 2])
    else:
        raise AssertionError(kind)


KINDS = [
    "speech-truncated",
    "speech-garbage",
    "speech-empty",
    "speech-words-garbage",
    "speech-old-truncated",
    "speech-bit-flipped",
    "segment-truncated",
    "segment-old-truncated",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_cache_entry_is_made_again_and_reported_once(
    kind: str, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    out = tmp_path / "out"
    _build(source, out, capsys)
    clean = _outputs(out)
    _damage(kind, tmp_path / "cache")
    err = _build(source, out, capsys)
    assert err.count("damaged cache entry was made again") == 1
    assert _outputs(out) == clean
    err = _build(source, out, capsys)  # made again: whole from now on
    assert "damaged" not in err
    assert cache.DAMAGED == []


def test_an_output_folder_inside_the_manuscripts_folder_keeps_its_caches_inside_it(
    tmp_path: Path, capsys: Capture
) -> None:
    source = tmp_path / "book" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    _build(source, source.parent / "out", capsys, formats="html,epub,model")
    assert sorted(p.name for p in source.parent.iterdir()) == ["doc.md", "out"]
    assert (source.parent / "out" / ".cache" / "builds").is_dir()


def test_the_default_layout_keeps_the_cache_beside_the_output_folder(
    tmp_path: Path, capsys: Capture
) -> None:
    source = tmp_path / "source" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    _build(source, tmp_path / "outputs", capsys, formats="html,epub,model")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "outputs", "source"]
    assert sorted(p.name for p in source.parent.iterdir()) == ["doc.md"]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_a_killed_build_leaves_earlier_outputs_whole_and_the_next_build_sweeps_after_it(
    tmp_path: Path,
) -> None:
    """SIGKILL (nothing can be cleaned up) at random points of builds that have real work
    to do (an emptied speech cache); each time every output is the whole earlier one, and
    the next build removes the temporary files and writes the same outputs."""
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    paragraphs = "".join(
        f"# Part {i}\n\nParagraph {i} is read aloud, slowly.\n\n" for i in range(12)
    )
    source.write_text(DOC.split("# One", maxsplit=1)[0] + paragraphs, encoding="utf-8")
    out, speech = tmp_path / "out", tmp_path / "cache"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PUBLISH_SPEECH_CACHE": str(speech),
        "PUBLISH_BUILD_CACHE": str(tmp_path / "builds"),
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)]
    command += ["--formats", "audio,html,epub,model", "--force"]
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)
    took = time.monotonic() - started
    whole = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    chance = random.Random(21)  # noqa: S311 - when to kill, not a secret
    kills = 0
    for _ in range(6):
        shutil.rmtree(speech, ignore_errors=True)
        build = subprocess.Popen(command, env=env, start_new_session=True, **_QUIET)
        time.sleep(chance.uniform(0.05, took))
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            kills += 1
        build.wait()
        found = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
        assert found == whole  # every output the whole earlier one, none half-written
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    assert "Traceback" not in done.stderr
    assert _leftovers(out) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == whole
    assert kills >= 1


_QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def test_the_next_build_removes_a_killed_builds_temporary_files_and_nothing_else(
    tmp_path: Path, capsys: Capture
) -> None:
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".doc.mp3.k2j3h4.part").write_bytes(b"half an MP3")
    (out / ".doc.epub.a1b2c3.part").write_bytes(b"half an EPUB")
    (out / ".doc.audio.x8y9z0").mkdir()
    (out / ".doc.audio.x8y9z0" / "s0.wav").write_bytes(b"RIFF")
    (out / "notes.txt").write_text("the author's own file")
    _build(source, out, capsys, formats="html,epub,model")
    assert sorted(p.name for p in out.iterdir()) == [
        "doc.accessibility.html",
        "doc.epub",
        "doc.html",
        "doc.model.json",
        "notes.txt",
    ]


def _built_then_edited(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, dict[str, bytes]]:
    """``DOC`` built in every format with caches in ``tmp_path``, then edited: the source,
    the output folder and the outputs as built."""
    monkeypatch.setenv("PUBLISH_BUILD_CACHE", str(tmp_path / "builds"))
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    out = tmp_path / "out"
    _build(source, out, capsys, formats=EVERY_FORMAT)
    earlier = _outputs(out)
    source.write_text(DOC.replace("first paragraph", "first changed paragraph"), encoding="utf-8")
    return source, out, earlier


def test_a_build_that_fails_in_a_late_writer_leaves_every_earlier_output_byte_identical(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page, the model and the narration used to be replaced before the audio failed."""
    source, out, earlier = _built_then_edited(tmp_path, capsys, monkeypatch)
    formats = EVERY_FORMAT
    (tmp_path / "blocked").write_text("a file where the speech cache's folder should be")
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "blocked" / "cache"))
    status, stdout, err = run_cli(
        ["build", source, "--out", out, "--formats", formats, "--force"], capsys
    )
    assert status != 0
    assert "Traceback" not in err
    assert stdout == ""
    assert _outputs(out) == earlier


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this process: a read-only bind mount as root (for whom
    permission bits are no obstacle), its permission bits otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mount, umount = shutil.which("mount"), shutil.which("umount")
    assert mount and umount, "mount(8) is needed to make a read-only folder as root"
    subprocess.run([mount, "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run([mount, "-o", "remount,ro,bind", str(folder)], check=True)
        yield
    finally:
        subprocess.run([umount, str(folder)], check=True)


def test_a_read_only_speech_cache_fails_in_one_line_and_changes_no_output(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source, out, earlier = _built_then_edited(tmp_path, capsys, monkeypatch)
    formats = EVERY_FORMAT
    with _read_only(tmp_path / "cache"):
        status, stdout, err = run_cli(["build", source, "--out", out, "--formats", formats], capsys)
    assert status == 1
    problems = [line for line in err.splitlines() if "error" in line]
    assert problems == [problems[0]] and str(tmp_path / "cache") in problems[0], err
    assert "Traceback" not in err and stdout == ""
    assert _outputs(out) == earlier  # nothing replaced, no temporary file left
    _build(source, out, capsys, formats=formats)  # writable again: the edit is built
    assert "first changed paragraph" in (out / "doc.narration.txt").read_text(encoding="utf-8")


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # a child Python ignores SIGXFSZ: a write past it fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_fails_in_one_line_naming_the_file_and_changes_no_output(
    tmp_path: Path,
) -> None:
    """A disk that fills mid-build (a per-process file size limit stands in for it: any
    write past 16 KiB fails as a full disk's does) leaves the previous build whole."""
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(DOC, encoding="utf-8")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PUBLISH_BUILD_CACHE": str(tmp_path / "builds"),
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out)]
    command += ["--formats", "model,html,narration,epub"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
    earlier = _outputs(out)
    assert max(len(data) for data in earlier.values()) > 16 * 1024  # the EPUB cannot fit
    source.write_text(DOC.replace("first paragraph", "first changed paragraph"), encoding="utf-8")
    failed = subprocess.run(
        command,
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_file_size_limit(16 * 1024),
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    lines = failed.stderr.splitlines()
    assert len(lines) == 1, failed.stderr
    assert lines[0].startswith(f"publish: error: cannot write '{out}/doc.")
    assert lines[0].endswith(": File too large")
    assert _outputs(out) == earlier
