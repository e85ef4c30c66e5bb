"""Ace by DAISY on EPUBs: the EPUB accessibility rules and axe-core inside each chapter.

Ace has no batch mode; each book is one ``ace-cli`` process (Node plus a
headless Chromium, about 2 s). Any violation fails the book, whatever its
impact: Ace's own verdict (``earl:outcome``) does the same.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.check import tools
from pipeline.check.findings import Finding, validator_failed
from pipeline.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class AceResult:
    """Ace's verdict on one book."""

    version: str
    """Ace's version, e.g. ``1.4.6``."""
    outcome: str
    """Ace's own overall outcome: ``pass`` or ``fail``."""
    findings: tuple[Finding, ...]
    metadata: dict[str, list[str]]
    """Accessibility metadata Ace found ``present``, ``missing`` or ``empty``."""


def _findings(name: str, report: dict[str, Any]) -> tuple[Finding, ...]:
    found = []
    for document in report.get("assertions", []):
        url = str(document.get("earl:testSubject", {}).get("url", ""))
        for assertion in document.get("assertions", []):
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") != "fail":
                continue
            test = assertion.get("earl:test", {})
            pointer = result.get("earl:pointer", {}).get("css") or []
            where = url + (f" {pointer[0]}" if pointer else "")
            impact = test.get("earl:impact", "")
            message = str(result.get("dct:description") or test.get("dct:description", ""))
            found.append(
                Finding(
                    path=name,
                    tool="ace",
                    code=f"ACE-{test.get('dct:title', 'unknown')}",
                    severity=Severity.ERROR,
                    message=" ".join(f"{message} [{impact}]".split()),
                    where=where.strip(),
                )
            )
    return tuple(found)


def _result(name: str, report: dict[str, Any]) -> AceResult:
    release = report.get("earl:assertedBy", {}).get("doap:release", {})
    meta = report.get("a11y-metadata", {})
    return AceResult(
        version=str(release.get("doap:revision", "")),
        outcome=str(report.get("earl:result", {}).get("earl:outcome", "")),
        findings=_findings(name, report),
        metadata={key: sorted(meta.get(key, [])) for key in ("present", "missing", "empty")},
    )


def check(books: Sequence[tuple[str, Path]]) -> dict[str, AceResult]:
    """Run Ace on every ``(name, path)`` book, one after another; results by name.

    Each run has the time limit of ``tools.timeout`` (Ace, Node and its Chromium are
    killed together) and Node's heap the limit of ``tools.memory_mb``; a book Ace
    gives no report for gets a ``VALIDATOR-*`` finding, and the run goes on."""
    if not books:
        return {}
    ace, chromium = tools.ace(), tools.chromium()
    seconds = tools.timeout()
    node_options = f"{os.environ.get('NODE_OPTIONS', '')} --max-old-space-size={tools.memory_mb()}"
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": str(chromium),
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "NODE_OPTIONS": node_options.strip(),
    }
    results = {}
    with tempfile.TemporaryDirectory(prefix="publish-ace-") as folder:
        for index, (name, book) in enumerate(books):
            out = Path(folder) / str(index)
            done = tools.run_limited(
                [str(ace), "--force", "--silent", "--outdir", str(out), str(book)],
                seconds=seconds,
                env=env,
            )
            try:
                report = json.loads((out / "report.json").read_text(encoding="utf-8"))
                results[name] = _result(name, report)
            except (OSError, ValueError, AttributeError):
                detail = f"{seconds:g}" if done.timed_out else done.last_line()
                failed = validator_failed(name, "ace", "Ace by DAISY", done.timed_out, detail)
                results[name] = AceResult(
                    "", "not run", (failed,), {"present": [], "missing": [], "empty": []}
                )
    return results
