"""Helpers shared by test modules (import as ``from support import ...``)."""

from __future__ import annotations

from pathlib import Path

from pipeline import cli

#: Minimal valid front matter for tests about the body.
FRONT = "---\ntitle: T\nlang: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000000\n---\n"


def run_cli(args: list[str | Path], capsys: object) -> tuple[int, str, str]:
    """Run ``publish`` in-process; return (exit status, stdout, stderr)."""
    import pytest

    assert isinstance(capsys, pytest.CaptureFixture)
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err
