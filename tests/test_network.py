"""Nothing touches the network unless the user chose the online speech engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ARTICLE

#: Runs ``publish`` with an audit hook that aborts on any socket use (Python's own
#: sockets, which every HTTP client and gTTS go through).
GUARDED = """
import os, sys
def guard(event, args):
    if event.startswith(("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                         "socket.sendto", "socket.bind")):
        sys.stderr.write(f"NETWORK USED: {event} {args!r}\\n")
        os._exit(99)
sys.addaudithook(guard)
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_guard_catches_a_connection(tmp_path: Path) -> None:
    probe = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", GUARDED.replace("from pipeline.cli import main", probe)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 99
    assert "NETWORK USED" in result.stderr


def test_default_build_opens_no_connection(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", GUARDED, "build", str(ARTICLE), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert "NETWORK USED" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert any((tmp_path / "out").iterdir())
