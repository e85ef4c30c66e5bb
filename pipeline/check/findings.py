"""What a validator reports about an artifact, in one shape for every tool.

A finding prints like a source diagnostic (``path[:line:col]: severity CODE
message``) so one failure is one line that says what and where, whichever tool
found it. ``where`` adds the place inside the artifact (a file in the EPUB, a
CSS selector and colour scheme in the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.diagnostics import ExternalError, Severity


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a validator found in an artifact (or a source)."""

    path: str
    """The artifact (or source) as the user named it, e.g. ``outputs/article.epub``."""
    tool: str
    """Which check found it: ``epubcheck``, ``ace``, ``axe``, ``vnu``, ``audio``, ``source``."""
    code: str
    """Stable code, the tool's own id under a tool prefix (``EPUBCHECK-RSC-005``)."""
    severity: Severity
    """Errors fail the check; warnings and infos are reported only."""
    message: str
    """One line, the tool's own words where it has them."""
    where: str = ""
    """Place inside the artifact (``EPUB/package.opf:3:5``, ``dark: img.chart``)."""
    line: int = 0
    """1-based line in ``path`` for text sources; 0 when not meaningful."""
    col: int = 0
    """1-based column in ``path``; 0 when not meaningful."""

    def __str__(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}:{max(self.col, 1)}"
        tail = f" ({self.where})" if self.where else ""
        return f"{place}: {self.severity} {self.code} {self.message}{tail}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (ANSI escapes, bells,
    carriage returns, bidirectional overrides) from artifact names or tool messages are
    shown as ``\\x1b``-style escapes instead of acting on the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def validator_failed(name: str, tool: str, label: str, timed_out: bool, detail: str) -> Finding:
    """The finding for a validator that gave no verdict on ``name``: stopped at its time
    limit (``VALIDATOR-TIMEOUT``) or ended without a report (``VALIDATOR-FAILED``)."""
    if timed_out:
        return Finding(
            name,
            tool,
            "VALIDATOR-TIMEOUT",
            Severity.ERROR,
            f"{label} was stopped after {detail} s without a verdict "
            "(PUBLISH_CHECK_TIMEOUT sets the limit)",
        )
    return Finding(
        name, tool, "VALIDATOR-FAILED", Severity.ERROR, f"{label} gave no verdict: {detail}"
    )


def sort_key(item: Finding) -> tuple[str, int, str, int, int, str, str]:
    """Worst first within an artifact, then by code and place, so reports are stable."""
    return (item.path, -item.severity, item.code, item.line, item.col, item.where, item.message)


class MissingToolError(ExternalError):
    """A validator is not installed; the message names how to install it."""

    def __init__(self, tool: str, how: str) -> None:
        self.tool = tool
        self.how = how
        super().__init__(f"{tool} is not installed (a check cannot pass without it): {how}")
