"""The accessibility review a person recorded in the front matter (``accessibility:``).

A conformance claim (``dcterms:conformsTo``) and a certifier (``a11y:certifiedBy``)
are a person's statement after reviewing the book: automated checkers (EPUBCheck,
Ace, axe) test only part of WCAG. So the outputs carry a claim only when the front
matter records one::

    accessibility:
      conforms-to: EPUB Accessibility 1.1 - WCAG 2.2 Level AA
      certified-by: Jane Doe, Example Press
      credential: DAISY Ace trained assessor
      date: 2026-12-01
      report: https://example.org/a11y/book.html
      contact: a11y@example.org
      exemption: eaa-microenterprise

Checked here with codes F020-F029; F026 (a review older than the last change to
the text) needs the source's time and is checked by ``stale``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from pipeline.diagnostics import Diagnostic, diagnostic

#: ``EPUB Accessibility 1.1 - WCAG 2.2 Level AA``, or the WCAG part alone (``WCAG 2.1 AA``).
_CLAIM = re.compile(
    r"(?:EPUB\s+Accessibility\s+1\.1\s*[-\u2013\u2014]\s*)?WCAG\s+(2\.[012])\s+(?:Level\s+)?(AAA|AA|A)",
    re.IGNORECASE,
)
#: The exemptions of the W3C note "The EPUB Accessibility exemption property".
EXEMPTIONS = ("eaa-disproportionate-burden", "eaa-fundamental-alteration", "eaa-microenterprise")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)
_EMAIL = re.compile(r"(mailto:)?[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+\Z", re.IGNORECASE)
#: Keys of the ``accessibility:`` mapping.
KEYS = ("conforms-to", "certified-by", "credential", "date", "report", "contact", "exemption")


@dataclass(frozen=True, slots=True)
class Review:
    """What the front matter's ``accessibility:`` mapping records (empty strings when absent)."""

    wcag: str = ""
    """WCAG version of the claim (``2.2``); empty without a conformance claim."""
    level: str = ""
    """WCAG level of the claim (``AA``)."""
    certified_by: str = ""
    """Who reviewed the book (a person or an organisation)."""
    credential: str = ""
    """The certifier's credential (``a11y:certifierCredential``)."""
    date: str = ""
    """When the review was done, ``YYYY-MM-DD``."""
    report: str = ""
    """URL of the review's report or the publisher's accessibility page."""
    contact: str = ""
    """Where readers report accessibility problems: an e-mail address or a URL."""
    exemption: str = ""
    """An EAA exemption (``EXEMPTIONS``), if the publisher claims one."""
    line: int = 0
    """Source line of the ``accessibility:`` key (for F026)."""

    @property
    def conforms_to(self) -> str:
        """The claim as EPUB Accessibility 1.1 spells it, or ``""`` without a claim."""
        if not self.wcag:
            return ""
        return f"EPUB Accessibility 1.1 - WCAG {self.wcag} Level {self.level}"


def read(value: object, path: str, line: int) -> tuple[Review | None, list[Diagnostic]]:
    """Check an ``accessibility:`` front matter value; the review, or None when nothing usable."""
    found: list[Diagnostic] = []
    if value is None:
        return None, found
    if not isinstance(value, dict):
        found.append(
            diagnostic(
                "F020", "'accessibility' must be a mapping (conforms-to:, date: ...)", path, line
            )
        )
        return None, found
    fields: dict[str, str] = {}
    for key, raw in value.items():
        name = str(key)
        if name not in KEYS:
            found.append(
                diagnostic(
                    "F021",
                    f"'accessibility.{name}' is not used (known: {', '.join(KEYS)})",
                    path,
                    line,
                )
            )
            continue
        if isinstance(raw, datetime.date) and name == "date":
            fields[name] = raw.isoformat()
        elif isinstance(raw, str) and raw.strip():
            fields[name] = " ".join(raw.split())
        elif raw is not None:
            found.append(diagnostic("F020", f"'accessibility.{name}' must be text", path, line))
    wcag = level = ""
    if claim := fields.get("conforms-to", ""):
        match = _CLAIM.fullmatch(claim)
        if match is None:
            found.append(
                diagnostic(
                    "F022",
                    f"'{claim}' is not a claim this tool can write: use"
                    " 'EPUB Accessibility 1.1 - WCAG 2.x Level A|AA|AAA'; no claim is made",
                    path,
                    line,
                )
            )
        else:
            wcag, level = match.group(1), match.group(2).upper()
    date = fields.get("date", "")
    if date:
        try:
            date = datetime.date.fromisoformat(date).isoformat()
        except ValueError:
            found.append(
                diagnostic(
                    "F025", f"'accessibility.date' '{date}' is not a YYYY-MM-DD date", path, line
                )
            )
            date = ""
    if wcag and not date:
        found.append(
            diagnostic(
                "F024",
                "a conformance claim needs the date of the review ('accessibility.date');"
                " no claim is made",
                path,
                line,
            )
        )
        wcag = level = ""
    if wcag and not fields.get("certified-by"):
        found.append(
            diagnostic(
                "F023",
                "the conformance claim names no certifier ('accessibility.certified-by')",
                path,
                line,
            )
        )
    if not claim and any(fields.get(k) for k in ("certified-by", "credential")):
        found.append(
            diagnostic(
                "F029",
                "a certifier without a conformance claim is left out",
                path,
                line,
            )
        )
    exemption = fields.get("exemption", "").lower()
    if exemption and exemption not in EXEMPTIONS:
        found.append(
            diagnostic(
                "F027",
                f"'{exemption}' is not an exemption of the EPUB Accessibility exemption"
                f" property (one of {', '.join(EXEMPTIONS)}); left out",
                path,
                line,
            )
        )
        exemption = ""
    report = fields.get("report", "")
    if report and not _URL.match(report):
        found.append(
            diagnostic(
                "F028", f"'accessibility.report' '{report}' is not an http(s) URL", path, line
            )
        )
        report = ""
    contact = fields.get("contact", "")
    if contact and not (_URL.match(contact) or _EMAIL.match(contact)):
        found.append(
            diagnostic(
                "F028",
                f"'accessibility.contact' '{contact}' is neither an e-mail address nor a URL",
                path,
                line,
            )
        )
        contact = ""
    if contact and _EMAIL.match(contact):
        contact = contact.removeprefix("mailto:")
    review = Review(
        wcag=wcag,
        level=level,
        certified_by=fields.get("certified-by", "") if wcag else "",
        credential=fields.get("credential", "") if wcag else "",
        date=date,
        report=report,
        contact=contact,
        exemption=exemption,
        line=line,
    )
    return (review if review != Review(line=line) else None), found


def stale(review: Review | None, changed: datetime.date, path: str) -> list[Diagnostic]:
    """F026 when a claim's review is older than ``changed``, the last change to the text."""
    if review is None or not review.wcag or not review.date:
        return []
    if datetime.date.fromisoformat(review.date) >= changed:
        return []
    return [
        diagnostic(
            "F026",
            f"the accessibility review of {review.date} is older than the last change to the"
            f" text ({changed.isoformat()}): review the book again and update"
            " 'accessibility.date'",
            path,
            review.line,
        )
    ]
