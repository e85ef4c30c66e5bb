"""Up-to-date builds: an unchanged rebuild is skipped, any change to what it depends on is not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import check

SOURCE = """---
title: Kept
lang: en
identifier: urn:uuid:00000000-0000-4000-8000-0000000000bb
---

Some text, as Smith (2020) says, with a picture.

![A red square](square.png)

## References

1. Smith, A. (2020). *A book*. Press.
2. Jones, B. (2019). *Another book*. Press.
"""

#: A 1×1 red PNG.
RED = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _build(
    folder: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline", "build", str(folder / "doc.md")]
    command += ["--out", str(folder / "out"), "--formats", "html,epub", *extra]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert done.returncode == 0, done.stderr
    return done


def _written(done: subprocess.CompletedProcess[str]) -> bool:
    lines = done.stdout.splitlines()
    assert lines
    if all(line.startswith("wrote ") for line in lines):
        return True
    assert all(line.startswith("unchanged ") for line in lines), lines
    return False


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "doc.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "square.png").write_bytes(RED)
    return tmp_path


def test_an_unchanged_rebuild_is_skipped_and_says_the_same(folder: Path) -> None:
    first = _build(folder)
    assert _written(first)
    outputs = {p: p.stat().st_mtime_ns for p in (folder / "out").iterdir()}
    second = _build(folder)
    assert not _written(second)
    assert second.stderr == first.stderr  # the same warnings, line for line
    assert "C002" in second.stderr
    assert sorted(line.split(" ", 1)[1] for line in second.stdout.splitlines()) == sorted(
        line.split(" ", 1)[1] for line in first.stdout.splitlines()
    )
    assert {p: p.stat().st_mtime_ns for p in (folder / "out").iterdir()} == outputs


def test_an_edit_of_the_same_size_at_once_is_built(folder: Path) -> None:
    """Contents are hashed: a same-size edit within the clock's resolution is seen."""
    _build(folder)
    source = folder / "doc.md"
    before = source.stat()
    source.write_text(SOURCE.replace("Some text", "Some test"), encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # as if in the same tick
    assert _written(_build(folder))
    assert "Some test" in (folder / "out" / "doc.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    ["image", "lexicon added", "output deleted", "output edited", "epoch", "formats", "force"],
)
def test_any_change_to_what_it_depends_on_builds(folder: Path, change: str) -> None:
    _build(folder)
    extra: list[str] = []
    env: dict[str, str] = {}
    if change == "image":
        (folder / "square.png").write_bytes(RED + b"\0")  # other bytes, still a PNG
    elif change == "lexicon added":
        pls = '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"'
        (folder / "doc.pls").write_text(pls + ' alphabet="ipa" xml:lang="en"/>', encoding="utf-8")
    elif change == "output deleted":
        (folder / "out" / "doc.html").unlink()
    elif change == "output edited":  # one byte more: the size differs, whatever the clock
        with (folder / "out" / "doc.epub").open("ab") as handle:
            handle.write(b"\0")
    elif change == "epoch":
        env["SOURCE_DATE_EPOCH"] = "1700000001"
    elif change == "formats":
        extra = ["--formats", "html"]
    else:
        extra = ["--force"]
    done = _build(folder, *extra, env=env)
    assert _written(done), change
    again = [arg for arg in extra if arg != "--force"]
    assert _build(folder, *again, env=env).stdout.startswith("unchanged")  # then it is kept


def test_a_failed_build_is_not_recorded(folder: Path) -> None:
    _build(folder)
    source = folder / "doc.md"
    source.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(folder / "out")]
    failed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "unchanged" not in failed.stdout


def test_inputs_list_what_the_build_reads_or_looks_for_beside_the_source(folder: Path) -> None:
    source = folder / "doc.md"
    _, inputs = check(source)
    covers = [f"doc{end}" for end in (".cover.jpg", ".cover.png", "-cover.jpg", "-cover.png")]
    looked = [source, folder / "doc.pls", *(folder / name for name in covers)]
    assert inputs.files == (*looked, folder / "square.png")
    assert all(folder in path.parents for path in inputs.files)  # nothing outside its folder


@pytest.mark.parametrize("damage", ["not json", '{"format": 1}', "[]"])
def test_a_damaged_manifest_means_a_build(folder: Path, damage: str) -> None:
    _build(folder)
    [manifest] = (folder / "out" / ".cache" / "builds").iterdir()  # out: in the source folder
    text = manifest.read_text(encoding="utf-8")
    key = text.split('"key": "', 1)[1].split('"', 1)[0]
    manifest.write_text(damage.replace('"format": 1', f'"format": 1, "key": "{key}"'))
    done = _build(folder)
    assert _written(done)
    assert "Traceback" not in done.stderr
    assert not _written(_build(folder))  # a good manifest again
