"""Helpers shared by test modules (import as ``from support import ...``)."""

from __future__ import annotations

import contextlib
import json
import os
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import ARTICLE, ROOT

from pipeline import cli

#: Minimal valid front matter for tests about the body.
FRONT = "---\ntitle: T\nlang: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000000\n---\n"


class StandInServer(socketserver.ThreadingTCPServer):
    """A local stand-in for a network service, whose handlers end with it: ``server_close``
    waits for them, and a client that gave up (the code under test timed out) is not a
    traceback printed into whichever test runs next in this process."""

    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serving(server: StandInServer, stop: threading.Event) -> Iterator[None]:
    """``server`` answering on a thread; afterwards ``stop`` is set (handlers still waiting
    give up), the server shut down and every handler thread joined."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def run_cli(args: list[str | Path], capsys: object) -> tuple[int, str, str]:
    """Run ``publish`` in-process; return (exit status, stdout, stderr)."""
    import pytest

    assert isinstance(capsys, pytest.CaptureFixture)
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def modules_after_build(out: Path, formats: str, env: dict[str, str] | None = None) -> set[str]:
    """Build the article in a fresh interpreter (``--formats formats``, extra environment
    ``env``); return the modules it had imported. The build must succeed."""
    script = (
        "import json, sys\n"
        "from pipeline.cli import main\n"
        f"status = main(['build', {str(ARTICLE)!r}, '--out', {str(out)!r}, "
        f"'--formats', {formats!r}])\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}  # this tree's pipeline
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    status, modules = json.loads(result.stdout.splitlines()[-1])
    assert status == 0, result.stderr
    return set(modules)


#: Markdown pieces, hostile ones included, that generated documents are made of.
PIECES = [
    "# Part\n",
    "## Sub {.backmatter}\n",
    "### Deep {#x lang=fr}\n",
    "## References\n",
    "Text (Weitzer, 2007) and Smith et al. (2019).\n",
    "- a\n  - b\n",
    "1. one\n",
    "> quote\n",
    "```python\nx = '<b>'\n```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Table: cap\n",
    "Term\n: def\n",
    "text[^1]\n",
    "[^1]: the note\n",
    "<script>x</script>\n",
    "[x](javascript:alert(1))\n",
    "[fr]{lang=fr}\n",
    "*em* **strong** `code`\n",
    "---\n",
    "Weitzer, R. (2007). *Sex for sale*. Routledge.\n",
    "& < > \" '\n",
    "\u200b\u202e👩🏽\n",
    "\n",
]


def sample_manuscript(seed: int, pieces: int = 25) -> str:
    """A deterministic manuscript drawn from ``PIECES`` (for validator samples)."""
    import random

    pick = random.Random(seed)  # noqa: S311 (test data, not security)
    body = "".join(pick.choice(PIECES) for _ in range(pieces))
    return "---\ntitle: Sample\nlang: en\nidentifier: urn:x\n---\n" + body


@dataclass(frozen=True)
class Process:
    """A running process, as /proc tells it (Linux)."""

    pid: int
    parent: int
    command: str
    """Its command line, arguments joined by spaces."""


def processes() -> list[Process]:
    """Every process still running (zombies left out), read from /proc."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
            command = (status.parent / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        if fields.get("State", "").startswith("Z"):
            continue
        text = command.replace(b"\0", b" ").decode("utf-8", "replace").strip()
        found.append(Process(int(status.parent.name), int(fields["PPid"]), text))
    return found
