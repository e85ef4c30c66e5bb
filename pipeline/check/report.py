"""The conformance report as JSON (for machines) and as an accessible HTML page (for people).

Both say the same thing in the same order: the verdict and counts first,
then each format's artifacts with what their validators found and what was
measured or declared. They are deterministic: the only time in either is the
clearly separated ``generated`` field, which is ``SOURCE_DATE_EPOCH`` when set
(reproducible builds) and the current time otherwise.

The page is itself checked with axe (all rules, light, dark and 320 px) by the
tests: landmarks, one ``h1``, headings in order, tables with captions and
header cells, text contrast ≥ 7:1 in both colour schemes, no scrolling boxes.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from pipeline import __version__, markup
from pipeline.check import checklist
from pipeline.check.findings import Finding
from pipeline.check.run import FORMATS, ArtifactReport, Report
from pipeline.diagnostics import Severity
from pipeline.formats import statement

FORMAT_NAMES = {"epub": "EPUB", "html": "HTML page", "audio": "Audio", "source": "Source"}


def generated() -> str:
    """When the report was made: ``SOURCE_DATE_EPOCH`` if set, else now (UTC, ISO 8601)."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(given), UTC) if given.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _finding(item: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "severity": str(item.severity),
        "code": item.code,
        "tool": item.tool,
        "message": item.message,
    }
    if item.where:
        data["where"] = item.where
    if item.line:
        data["line"], data["col"] = item.line, max(item.col, 1)
    data["text"] = str(item)
    return data


def _counts(findings: tuple[Finding, ...]) -> dict[str, int]:
    counts = {str(s): 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for item in findings:
        counts[str(item.severity)] += 1
    return counts


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    status = report.format_status()
    by_format: dict[str, dict[str, int]] = {}
    for fmt in FORMATS:
        found = (
            report.source.findings
            if fmt == "source"
            else tuple(f for a in report.artifacts if a.format == fmt for f in a.findings)
        )
        by_format[fmt] = _counts(found)
    return {
        "report": "publish check",
        "publish_version": __version__,
        "document": {"stem": report.stem, "title": report.title, "out_dir": str(report.out_dir)},
        "passed": report.passed,
        "summary": {
            "formats": {fmt: {"result": status[fmt], **by_format[fmt]} for fmt in FORMATS},
            "counts": report.counts(),
        },
        "failures": [str(f) for f in report.findings if f.severity is Severity.ERROR],
        "source": {
            "path": report.source.path,
            "found_by": report.source.found_by,
            "findings": [_finding(f) for f in report.source.findings],
        },
        "artifacts": [
            {
                "path": a.name,
                "format": a.format,
                "passed": a.passed,
                "tools": list(a.tools),
                "counts": _counts(a.findings),
                "facts": a.facts,
                "findings": [_finding(f) for f in a.findings],
            }
            for a in report.artifacts
        ],
        "accessibility": checklist.to_data(report),
        "generated": {
            "at": generated(),
            "note": "the only time in this report: SOURCE_DATE_EPOCH when set, else the clock",
        },
    }


def to_json(report: Report) -> str:
    """Stable, diffable JSON."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------------- HTML

CSS = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #3d3d3d;
  --line: #767676; --link: #0b4fb3; --fail: #8f1111; --pass: #0b5a1e; --code-bg: #f2f2f2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f0f0f0; --bg: #121212; --muted: #d0d0d0; --line: #8a8a8a;
    --link: #a8c8ff; --fail: #ffb3b3; --pass: #a6e8b4; --code-bg: #262626; }
}
* { box-sizing: border-box; }
html { font-family: system-ui, sans-serif; line-height: 1.5; color: var(--fg);
  background: var(--bg); }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem; }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.skip-link { position: absolute; left: -999rem; }
.skip-link:focus { position: static; display: inline-block; padding: 0.5rem; }
header, footer { color: var(--muted); border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
footer { border-top: 1px solid var(--line); border-bottom: 0; margin-top: 2rem; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; }
h1 { font-size: 1.75rem; line-height: 1.25; overflow-wrap: anywhere; }
h2 { border-bottom: 2px solid var(--line); margin-top: 2.5rem; }
h3, h4 { overflow-wrap: anywhere; }
p, li { overflow-wrap: break-word; }
.fail { color: var(--fail); font-weight: 700; }
.pass { color: var(--pass); font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 700; padding: 0.25rem 0; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
td { overflow-wrap: anywhere; }
@media (max-width: 30rem) {
  body { padding: 0 0.5rem 2rem; }
  table { font-size: 0.8125rem; }
  th, td { padding: 0.2rem 0.2rem; }
}
code { background: var(--code-bg); padding: 0 0.2rem; overflow-wrap: anywhere; }
ul.failures li { margin: 0.25rem 0; overflow-wrap: anywhere; }
"""


def _e(value: object) -> str:
    return markup.attr(str(value))


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _result(passed: bool) -> str:
    return '<span class="pass">pass</span>' if passed else '<span class="fail">fail</span>'


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    """A data table: caption, column headers, and the first cell of each row a row header."""
    out = [f"<table><caption>{_e(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(
            f'<tr><th scope="row">{row[0]}</th>'
            + "".join(f"<td>{c}</td>" for c in row[1:])
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _findings(name: str, findings: tuple[Finding, ...]) -> str:
    if not findings:
        return "<p>The validators reported nothing.</p>"
    rows = [
        [
            _e(f.severity),
            f"<code>{_e(f.code)}</code>",
            _e(f.message),
            _e(f"line {f.line}, column {max(f.col, 1)}" if f.line else f.where or "—"),
        ]
        for f in findings
    ]
    return _table(f"Findings for {name}", ["Severity", "Code", "Message", "Where"], rows)


def _value(value: object) -> str:
    if isinstance(value, list):
        return "<br>".join(_e(v) for v in value) if value else "none"
    if value is None or value == "":
        return "none"
    return _e(value)


def _epub_facts(artifact: ArtifactReport) -> str:
    meta = artifact.facts["accessibility_metadata"]
    rows = [["Language (dc:language)", _value(meta["language"])]]
    rows.append(["Package xml:lang", _value(meta["package_xml_lang"])])
    rows += [[f"<code>{_e(k)}</code>", _value(v)] for k, v in meta["claims"].items()]
    ace = artifact.facts["ace"]
    rows.append(["Ace verdict", _e(ace["outcome"])])
    rows.append(["Ace: metadata missing", _value(ace["metadata"]["missing"])])
    return _table(
        f"Accessibility metadata declared in {artifact.name}", ["Property", "Value"], rows
    )


def _html_facts(artifact: ArtifactReport) -> str:
    axe = artifact.facts["axe"]
    rows = [
        [_e(view), _e(axe["passes"][view]), _value(axe["incomplete"][view])]
        for view in axe["views"]
    ]
    return _table(
        f"axe-core runs on {artifact.name}",
        ["View", "Rules passed", "Needs review by hand"],
        rows,
    )


def _audio_facts(artifact: ArtifactReport) -> str:
    f = artifact.facts
    codes = {x.code for x in artifact.findings}

    def verdict(code: str) -> str:
        return _result(code not in codes)

    wpm = f["words_per_minute"]
    rows = [
        ["Duration", _e(f"{f['duration_s']:.1f} s"), "—", "—"],
        [
            "Pace",
            _e(f"{wpm:.0f} words per minute") if wpm else "unknown",
            "100–220",
            verdict("AUDIO-PACE"),
        ],
        [
            "Integrated loudness",
            _e(f"{f['integrated_lufs']:.1f} LUFS"),
            "−18 ± 1 LUFS",
            verdict("AUDIO-LOUDNESS"),
        ],
        [
            "True peak",
            _e(f"{f['true_peak_dbtp']:.1f} dBTP"),
            "≤ −3 dBTP",
            verdict("AUDIO-TRUE-PEAK"),
        ],
        [
            "Silence at the start",
            _e(f"{f['head_silence_s']:.2f} s"),
            "0.5–1 s",
            verdict("AUDIO-HEAD-SILENCE"),
        ],
        [
            "Silence at the end",
            _e(f"{f['tail_silence_s']:.2f} s"),
            "1–5 s",
            verdict("AUDIO-TAIL-SILENCE"),
        ],
        [
            "Chapters",
            _e(len(f["chapters"])),
            _e(f["expected_chapters"] or "at least 1"),
            _result(not codes & {"AUDIO-NO-CHAPTERS", "AUDIO-CHAPTER-COUNT", "AUDIO-CHAPTER-TOC"}),
        ],
    ]
    out = _table(f"Measurements of {artifact.name}", ["Measure", "Value", "Target", "Result"], rows)
    if f["chapters"]:
        chapters = [
            [_e(i), _e(c["title"] or "(untitled)"), _e(_clock(c["start_s"]))]
            for i, c in enumerate(f["chapters"], 1)
        ]
        out += _table(f"Chapters in {artifact.name}", ["Number", "Title", "Starts at"], chapters)
    return out


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:06.3f}"


def _review(report: Report, used: set[str]) -> str:
    """What the tools showed, what a person must review, and the statement the EPUB makes."""
    used.update({"review", "automated", "checklist", "statement"})
    rows = [
        [_e(row["check"]), _e(row["artifact"]), _result(row["passed"]), _e(row["errors"])]
        for row in checklist.automated(report)
    ]
    out = [
        '<section aria-labelledby="review"><h2 id="review">Accessibility review</h2>',
        "<p>Automated checks test only part of WCAG: a conformance claim is a person's"
        " statement after a review, recorded in the manuscript's front matter.</p>",
        '<h3 id="automated">Automated checks</h3>',
        _table("Automated checks run", ["Check", "Artifact", "Result", "Errors"], rows)
        if rows
        else "<p>No artifact was checked.</p>",
        '<h3 id="checklist">For a person to review</h3>',
        _table(
            "Manual review checklist",
            ["Topic", "Checked automatically", "For a person to review"],
            [[_e(i.topic), _e(i.automated), _e(i.person)] for i in checklist.CHECKLIST],
        ),
    ]
    found = checklist.epub_claims(report)
    if found is not None:
        lang, claims = found
        section = statement.section(
            statement.from_claims(claims), lang, _slug("statement-of-the-book", used), 4
        )
        out += [
            '<h3 id="statement">Accessibility statement (from the EPUB\'s metadata)</h3>',
            f'<div lang="{_e(lang)}">{section}</div>',
        ]
    out.append("</section>")
    return "\n".join(out)


FACTS = {"epub": _epub_facts, "html": _html_facts, "audio": _audio_facts}


def to_html(report: Report) -> str:
    """The report as a self-contained, accessible HTML page."""
    data = to_data(report)
    status = report.format_status()
    counts = report.counts()
    used: set[str] = {"main", "summary", "failures", *FORMATS}
    verdict = "pass" if report.passed else "fail"
    count_text = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in counts.items())
    body = [
        f"<h1>Conformance report: {_e(report.title)}</h1>",
        f"<p>Overall result: {_result(report.passed)} ({_e(count_text)}).</p>",
        '<section aria-labelledby="summary"><h2 id="summary">Summary</h2>',
        _table(
            "Result per format",
            ["Format", "Result", "Errors", "Warnings", "Infos"],
            [
                [
                    _e(FORMAT_NAMES[fmt]),
                    "not checked (absent)"
                    if status[fmt] == "absent"
                    else _result(status[fmt] == "pass"),
                    *(_e(data["summary"]["formats"][fmt][k]) for k in ("error", "warning", "info")),
                ]
                for fmt in FORMATS
            ],
        ),
        '<h3 id="failures">Failures</h3>',
    ]
    if data["failures"]:
        body.append('<ul class="failures">')
        body += [f"<li><code>{_e(line)}</code></li>" for line in data["failures"]]
        body.append("</ul>")
    else:
        body.append("<p>None: every check passed.</p>")
    body.append("</section>")
    for fmt in ("epub", "html", "audio"):
        items = [a for a in report.artifacts if a.format == fmt]
        if not items:
            continue
        body.append(f'<section aria-labelledby="{fmt}"><h2 id="{fmt}">{_e(FORMAT_NAMES[fmt])}</h2>')
        for artifact in items:
            slug = _slug(artifact.name, used)
            body.append(f'<h3 id="{slug}">{_e(artifact.name)}: {_result(artifact.passed)}</h3>')
            body.append(f"<p>Checked with {_e(', '.join(artifact.tools))}.</p>")
            body.append(
                FACTS[fmt](artifact)
                if artifact.facts
                else "<p>Not opened by any validator: see its findings.</p>"
            )
            body.append(_findings(artifact.name, artifact.findings))
        body.append("</section>")
    body.append(_review(report, used))
    body.append('<section aria-labelledby="source"><h2 id="source">Source</h2>')
    if report.source.path:
        where, how = _e(report.source.path), _e(report.source.found_by)
        body.append(f"<p>Manuscript <code>{where}</code> ({how}).</p>")
    body.append(_findings(report.source.path or "the source", report.source.findings))
    body.append("</section>")
    nav = (
        [("summary", "Summary")]
        + [(fmt, FORMAT_NAMES[fmt]) for fmt in ("epub", "html", "audio") if status[fmt] != "absent"]
        + [("review", "Accessibility review"), ("source", "Source")]
    )
    nav_html = "".join(f'<li><a href="#{slug}">{_e(label)}</a></li>' for slug, label in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Conformance report ({verdict}): {_e(report.title)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        '<header><a class="skip-link" href="#main">Skip to the report</a>'
        f"<p>publish check {_e(__version__)}: conformance report for "
        f"<code>{_e(report.out_dir / report.stem)}</code></p></header>\n"
        f'<nav aria-label="Report sections"><ul>{nav_html}</ul></nav>\n'
        f'<main id="main">\n' + "\n".join(body) + "\n</main>\n"
        f"<footer><p>Generated {_e(data['generated']['at'])} "
        "(SOURCE_DATE_EPOCH when set).</p></footer>\n</body>\n</html>\n"
    )
