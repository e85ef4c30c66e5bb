"""Validators that hang, crash or give no report: findings, and the other validators' kept.

A stand-in Ace (``PUBLISH_ACE``, a shell script) fails or hangs on purpose; EPUBCheck and
Chromium are the real ones. Pages that never finish loading or exhaust their memory are
checked in the real browser under small limits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from pipeline.check import ace, axe
from pipeline.check.run import run

pytestmark = [pytest.mark.browser, pytest.mark.jvm, pytest.mark.slow]

PAGE = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main><h1>T</h1>'


def _script(folder: Path, body: str) -> Path:
    script = folder / "fake-ace"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "out"
    source = str(FIXTURES / "epub" / "book.md")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", source, "--out", str(out), "--formats", "epub"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_epubcheck_findings_are_kept_when_ace_fails(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PUBLISH_ACE", str(_script(tmp_path, "echo 'Ace: out of memory' >&2\nexit 1\n"))
    )
    [report] = run([book])
    [epub] = report.artifacts
    codes = [f.code for f in epub.findings]
    assert "VALIDATOR-FAILED" in codes
    failed = next(f for f in epub.findings if f.code == "VALIDATOR-FAILED")
    assert failed.tool == "ace" and "Ace: out of memory" in failed.message
    assert epub.tools[0].startswith("EPUBCheck 5.")  # EPUBCheck ran and its verdict is there
    assert epub.facts["epubcheck"]["publication"]["ePubVersion"]


def test_a_hanging_validator_is_killed_with_its_children(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "child.pid"
    script = _script(tmp_path, f"sleep 300 &\necho $! > {marker}\nwait\n")
    monkeypatch.setenv("PUBLISH_ACE", str(script))
    monkeypatch.setenv("PUBLISH_CHECK_TIMEOUT", "2")
    started = time.monotonic()
    results = ace.check([("out/book.epub", next(book.glob("*.epub")))])
    assert time.monotonic() - started < 60
    [finding] = results["out/book.epub"].findings
    assert finding.code == "VALIDATOR-TIMEOUT" and "PUBLISH_CHECK_TIMEOUT" in finding.message
    child = int(marker.read_text(encoding="utf-8"))
    for _ in range(50):  # the kill is immediate; reaping by init may take a moment
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the validator's child process outlived the time limit")


def test_pages_that_hang_or_crash_are_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_CHECK_TIMEOUT", "5")
    monkeypatch.setenv("PUBLISH_CHECK_MEMORY_MB", "64")
    pages = {
        "loop.html": PAGE + "<script>while (true) {}</script></main></body></html>",
        "hog.html": PAGE
        + "<script>const a = []; while (true) a.push(new Array(1e6).fill(1.5));</script>"
        + "</main></body></html>",
        "fine.html": PAGE + "<p>Fine.</p></main></body></html>",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = axe.check([(name, tmp_path / name) for name in pages])
    assert [f.code for f in results["loop.html"].findings] == ["PAGE-TIMEOUT"]
    assert [f.code for f in results["hog.html"].findings] == ["PAGE-CRASHED"]
    assert results["fine.html"].findings == ()  # the browser outlived both
    assert set(results["fine.html"].passes) == {"light", "dark", "320px"}
