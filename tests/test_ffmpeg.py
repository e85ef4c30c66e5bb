"""Finding ffmpeg: the wheel's binary, without running it at every build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.audio import ffmpeg


@pytest.fixture(autouse=True)
def _fresh_lookup() -> object:
    ffmpeg.exe.cache_clear()
    yield None
    ffmpeg.exe.cache_clear()


def test_the_wheels_binary_is_found_without_running_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """imageio-ffmpeg's own lookup runs ``ffmpeg -version``: 35 ms at every audio build."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"ran {args[:1]}")

    monkeypatch.delenv("PUBLISH_FFMPEG", raising=False)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    found = Path(ffmpeg.exe())
    assert found.parent.name == "binaries" and found.name.startswith("ffmpeg-")
    assert found.parent.parent.name == "imageio_ffmpeg"


def test_the_wheels_lookup_is_asked_when_its_binary_is_not_where_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import imageio_ffmpeg

    monkeypatch.delenv("PUBLISH_FFMPEG", raising=False)
    monkeypatch.setattr(ffmpeg, "_bundled", lambda: None)
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: "/somewhere/else/ffmpeg")
    assert ffmpeg.exe() == "/somewhere/else/ffmpeg"


def test_publish_ffmpeg_names_another_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")
    assert ffmpeg.exe() == "/opt/ffmpeg/bin/ffmpeg"


def test_a_failure_is_one_line_and_the_input_is_fed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run`` writes its input files to ffmpeg's standard input, in order, and turns a
    failure into one line: the caller's words, then ffmpeg's last."""
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\ndata = sys.stdin.buffer.read()\n"
        "print('read', len(data), data[:3].decode(), file=sys.stderr)\n"
        "sys.exit(0 if sys.argv[-1] == 'ok' else 1)\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PUBLISH_FFMPEG", str(fake))
    parts = [tmp_path / "a", tmp_path / "b"]
    parts[0].write_bytes(b"ab" * 40_000)  # more than a pipe holds
    parts[1].write_bytes(b"c")
    assert ffmpeg.run("-i", "pipe:0", "ok", inputs=parts).strip() == "read 80001 aba"
    with pytest.raises(ffmpeg.ExternalError) as failed:
        ffmpeg.run("-i", "pipe:0", "no", inputs=parts, failure="could not mux")
    assert str(failed.value) == "could not mux: read 80001 aba"
