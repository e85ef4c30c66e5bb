"""EPUBCheck on a batch of EPUBs in one JVM.

The JVM start is most of EPUBCheck's run time (3-4 s of a 4 s run), so every
book of a check run goes to one ``java`` process through the single-file
batch runner ``pipeline/check/validators/EpubCheckBatch.java`` (the EPUB tests use
the same runner). Without that file each book gets its own ``java -jar``.
Messages are reported with ``--usage`` on, as the EPUB tests require.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.check import tools
from pipeline.check.findings import Finding, validator_failed
from pipeline.diagnostics import Severity

SEVERITY = {
    "FATAL": Severity.ERROR,
    "ERROR": Severity.ERROR,
    "WARNING": Severity.WARNING,
    "USAGE": Severity.INFO,
    "INFO": Severity.INFO,
}


@dataclass(frozen=True, slots=True)
class EpubCheckResult:
    """EPUBCheck's verdict on one book."""

    version: str
    """EPUBCheck's version, e.g. ``5.3.0``."""
    findings: tuple[Finding, ...]
    publication: dict[str, Any]
    """What EPUBCheck read from the package (title, language, EPUB version, ...)."""


def _findings(name: str, report: dict[str, Any]) -> tuple[Finding, ...]:
    found = []
    for message in report.get("messages", []):
        locations = message.get("locations") or [{}]
        first = locations[0]
        where = str(first.get("path", ""))
        if where and int(first.get("line", -1)) > 0:
            where += f":{first['line']}:{max(int(first.get('column', 1)), 1)}"
        if len(locations) > 1:
            where += f" and {len(locations) - 1} more"
        found.append(
            Finding(
                path=name,
                tool="epubcheck",
                code=f"EPUBCHECK-{message.get('ID', 'UNKNOWN')}",
                severity=SEVERITY.get(str(message.get("severity")), Severity.ERROR),
                message=" ".join(str(message.get("message", "")).split()),
                where=where,
            )
        )
    return tuple(found)


def _result(name: str, report: dict[str, Any]) -> EpubCheckResult:
    checker = report.get("checker", {})
    publication = {
        key: report.get("publication", {}).get(key)
        for key in ("title", "language", "identifier", "ePubVersion", "nSpines", "isScripted")
    }
    return EpubCheckResult(
        str(checker.get("checkerVersion", "")), _findings(name, report), publication
    )


def check(books: Sequence[tuple[str, Path]]) -> dict[str, EpubCheckResult]:
    """EPUBCheck every ``(name, path)`` book in one JVM; results by name. A book
    EPUBCheck wrote no report for (it crashed, ran out of memory or time) gets a
    ``VALIDATOR-*`` finding instead, so the other books' results are kept."""
    if not books:
        return {}
    java, jar = tools.java(), tools.epubcheck_jar()
    options = tools.jvm_options()
    seconds = tools.timeout()
    runner = tools.epubcheck_runner()
    with tempfile.TemporaryDirectory(prefix="publish-epubcheck-") as folder:
        reports = [Path(folder) / f"{index}.json" for index in range(len(books))]
        pairs = [
            item
            for (_, book), out in zip(books, reports, strict=True)
            for item in (str(book), str(out))
        ]
        if runner is not None:
            commands = [[java, *options, "-cp", str(jar), str(runner), *pairs]]
            limit = seconds * len(books)
        else:
            commands = [
                [java, *options, "-jar", str(jar), book, "--usage", "--json", out]
                for book, out in zip(pairs[::2], pairs[1::2], strict=True)
            ]
            limit = seconds
        runs = [tools.run_limited(command, seconds=limit) for command in commands]
        results = {}
        for index, ((name, _), out) in enumerate(zip(books, reports, strict=True)):
            done = runs[min(index, len(runs) - 1)]
            try:
                results[name] = _result(name, json.loads(out.read_text(encoding="utf-8")))
            except (OSError, ValueError, AttributeError):
                detail = f"{limit:g}" if done.timed_out else done.last_line()
                failed = validator_failed(name, "epubcheck", "EPUBCheck", done.timed_out, detail)
                results[name] = EpubCheckResult("", (failed,), {})
    return results
