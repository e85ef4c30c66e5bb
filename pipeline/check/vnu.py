"""The Nu HTML Checker (vnu.jar) on a batch of pages, in one JVM.

vnu has no message ids, so every message has the code ``VNU`` and is told
apart by its text; its errors fail the page, its warnings and infos are
reported only (the HTML writer's tests explain the warnings it expects).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pipeline.check import tools
from pipeline.check.findings import Finding, validator_failed
from pipeline.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class VnuResult:
    """vnu's messages for one page."""

    version: str
    findings: tuple[Finding, ...]


def _severity(message: dict[str, Any]) -> Severity:
    if message.get("type") in ("error", "non-document-error"):
        return Severity.ERROR
    if message.get("subType") == "warning":
        return Severity.WARNING
    return Severity.INFO


def _key(path: str) -> str:
    """vnu writes ``file:/a/b``; Python writes ``file:///a/b``: compare the bare paths."""
    return path.lstrip("/")


def check(pages: Sequence[tuple[str, Path]]) -> dict[str, VnuResult]:
    """Check every ``(name, path)`` page with one ``java -jar vnu.jar`` run; results by name.

    The run has the time limit of ``tools.timeout`` per page and the heap limit of
    ``tools.memory_mb``; when vnu gives no verdict every page gets a ``VALIDATOR-*``
    finding instead (the other validators' findings are kept)."""
    if not pages:
        return {}
    java, jar = tools.java(), tools.vnu_jar()
    command = [java, *tools.jvm_options(), "-jar", str(jar), "--format", "json"]
    limit = tools.timeout() * len(pages)
    done = tools.run_limited(
        [*command, "--exit-zero-always", *(str(path) for _, path in pages)], seconds=limit
    )

    def failed(detail: str) -> dict[str, VnuResult]:
        return {
            name: VnuResult(
                "",
                (validator_failed(name, "vnu", "The Nu HTML Checker", done.timed_out, detail),),
            )
            for name, _ in pages
        }

    try:
        report = json.loads(done.stderr or done.stdout)
        messages = list(report.get("messages", []))
    except (ValueError, AttributeError, TypeError):
        return failed(f"{limit:g}" if done.timed_out else done.last_line())
    by_file = {_key(str(path.resolve())): name for name, path in pages}
    found: dict[str, list[Finding]] = {name: [] for name, _ in pages}
    for message in messages:
        name = by_file.get(_key(unquote(str(message.get("url", "")).removeprefix("file:"))))
        if name is None:  # a message about no particular page (a crash, a bad option)
            return failed(" ".join(str(message.get("message", message)).split()))
        found[name].append(
            Finding(
                path=name,
                tool="vnu",
                code="VNU",
                severity=_severity(message),
                message=" ".join(str(message.get("message", "")).split()),
                line=int(message.get("lastLine") or message.get("firstLine") or 0),
                col=int(message.get("firstColumn") or message.get("lastColumn") or 0),
            )
        )
    version = str(report.get("version", "")).split(" ")[0]
    return {name: VnuResult(version, tuple(items)) for name, items in found.items()}
