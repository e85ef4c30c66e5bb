"""``publish check``: run the real validators on built artifacts and report per document.

Artifacts are grouped by stem (``article.epub``, ``article.html``,
``article.mp3``, ``article.m4b`` are one document). Each validator starts once
for the whole run: one JVM for EPUBCheck, one for vnu, one browser for axe,
Ace once per book (it has no batch mode), one ffmpeg decode per audio file.
The browser runs on one thread while the JVM and subprocess work runs on another.

The source of a document is found, in order: ``--source`` given on the
command line; the ``path`` the build recorded in ``OUT/<stem>.model.json``
(relative to the current folder, else to the output folder's parent);
``source/<stem>.md`` in the current folder. Without a source the report says
so (a warning) and checks the artifacts alone.

Nothing in the folder is trusted: a ``model.json`` that is not the build's
JSON is a warning, a recorded ``path`` outside the current folder and the
output folder's parent is refused (a tampered model cannot make the check read
any file), an artifact that is a link to a file outside the folder or not a
regular file is refused unopened, and every EPUB is screened
(:mod:`pipeline.check.screen`) before a validator sees it. Whatever a
validator does (crash, time out, run out of memory), every document gets its
report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.check import ace, axe, epubcheck, epubmeta, screen, tools, vnu
from pipeline.check import audio as audio_probe
from pipeline.check.findings import Finding, sort_key
from pipeline.diagnostics import Diagnostic, ExternalError, Severity, UsageError

#: Artifact kinds by file suffix, and the format each belongs to in the summary.
KINDS = {".epub": "epub", ".html": "html", ".mp3": "audio", ".m4b": "audio"}
#: Formats in the order the summary lists them.
FORMATS = ("epub", "html", "audio", "source")
REPORT_SUFFIX = ".report"


@dataclass(frozen=True, slots=True)
class Artifact:
    """One built file to check."""

    name: str
    """As shown to the user: the output folder as given, then the file name."""
    path: Path
    format: str
    """``epub``, ``html`` or ``audio``."""
    refused: tuple[Finding, ...] = ()
    """Why no validator may open it (a link out of the folder, not a regular file, an
    EPUB the screen refused); empty when it is checked."""


@dataclass(frozen=True, slots=True)
class ArtifactReport:
    """The validators' verdict on one artifact."""

    name: str
    format: str
    tools: tuple[str, ...]
    """Validators run on it, with versions (``EPUBCheck 5.3.0``)."""
    findings: tuple[Finding, ...]
    facts: dict[str, Any]
    """What was measured or declared (JSON data): metadata, durations, chapters..."""

    @property
    def passed(self) -> bool:
        """No finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)


@dataclass(frozen=True, slots=True)
class SourceReport:
    """The source diagnostics of a document."""

    path: str | None
    """The manuscript checked, or None when it was not found."""
    found_by: str
    """How the source was found (see the module docstring)."""
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``publish check`` found for one document (one stem in one folder)."""

    stem: str
    out_dir: Path
    title: str
    source: SourceReport
    artifacts: tuple[ArtifactReport, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, source first, then artifacts in order."""
        return (*self.source.findings, *(f for a in self.artifacts for f in a.findings))

    @property
    def passed(self) -> bool:
        """No error anywhere."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def format_status(self) -> dict[str, str]:
        """``pass``, ``fail`` or ``absent`` for each format."""
        status = {}
        for fmt in FORMATS:
            if fmt == "source":
                found = self.source.findings if self.source.path else None
                errors = found is not None and any(f.severity is Severity.ERROR for f in found)
                status[fmt] = "absent" if found is None else "fail" if errors else "pass"
                continue
            items = [a for a in self.artifacts if a.format == fmt]
            status[fmt] = (
                "absent" if not items else "pass" if all(a.passed for a in items) else "fail"
            )
        return status

    def counts(self) -> dict[str, int]:
        """Findings by severity, worst first."""
        counts = {str(s): 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for item in self.findings:
            counts[str(item.severity)] += 1
        return counts


def discover(out_dir: Path) -> dict[str, list[Artifact]]:
    """The checkable artifacts in ``out_dir`` by stem (reports themselves excluded)."""
    if not out_dir.is_dir():
        raise UsageError(f"output folder '{out_dir}' does not exist; build first")
    found: dict[str, list[Artifact]] = {}
    folder = out_dir.resolve()
    for path in sorted(out_dir.iterdir()):
        fmt = KINDS.get(path.suffix.lower())
        if fmt is None or path.is_dir() or path.stem.endswith(REPORT_SUFFIX):
            continue
        if path.stem.endswith(".accessibility"):  # the statement, part of its book's page
            continue
        name = str(out_dir / path.name)
        found.setdefault(path.stem, []).append(
            Artifact(name, path, fmt, _refusal(name, path, fmt, folder))
        )
    return found


def _refusal(name: str, path: Path, fmt: str, folder: Path) -> tuple[Finding, ...]:
    """Why the artifact at ``path`` must not be opened (empty when it may be)."""

    def refuse(code: str, message: str) -> tuple[Finding, ...]:
        return (Finding(name, "check", code, Severity.ERROR, message),)

    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a loop of links
        return refuse("ARTIFACT-NOT-FILE", "a link that leads to no file; not checked")
    if not real.is_relative_to(folder):
        return refuse(
            "ARTIFACT-OUTSIDE",
            f"a link to {real}, outside the folder checked; not opened "
            "(check the file where it is, or copy it here)",
        )
    if not real.is_file():
        return refuse(
            "ARTIFACT-NOT-FILE", "not a regular file (a device, pipe or socket); not opened"
        )
    return screen.screen(name, path) if fmt == "epub" else ()


def find_source(out_dir: Path, stem: str, given: Path | None) -> tuple[Path | None, str]:
    """The manuscript a document was built from, and how it was found."""
    source, how, _ = locate_source(out_dir, stem, given)
    return source, how


def _recorded(out_dir: Path, model: Path) -> tuple[Path | None, tuple[Finding, ...]]:
    """The source ``model`` records, if it is a file inside the current folder or the
    output folder's parent; else None, with a warning when the model is damaged or
    points elsewhere."""

    def warn(code: str, message: str) -> tuple[None, tuple[Finding, ...]]:
        return None, (Finding(str(model), "check", code, Severity.WARNING, message),)

    try:
        data = json.loads(model.read_text(encoding="utf-8"))
        recorded = data.get("path", "") if isinstance(data, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        recorded = None
    if not isinstance(recorded, str):
        return warn(
            "MODEL-JSON-BAD",
            "not the document model a build writes (not a JSON object with a 'path'); "
            "its source is not used",
        )
    if not recorded:
        return None, ()
    roots = (Path.cwd().resolve(), out_dir.resolve().parent)
    for candidate in (Path(recorded), out_dir.resolve().parent / recorded):
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            continue
        if not any(real.is_relative_to(root) for root in roots):
            return warn(
                "SOURCE-OUTSIDE",
                f"the recorded source {recorded!r} is outside the current folder and "
                f"{roots[1]}; not read (give it with --source)",
            )
        if real.is_file():
            return candidate, ()
    return None, ()


def locate_source(
    out_dir: Path, stem: str, given: Path | None
) -> tuple[Path | None, str, tuple[Finding, ...]]:
    """:func:`find_source`, with the warnings met on the way (a damaged model, a
    recorded source outside the folders it may be read from)."""
    if given is not None:
        return given, "given on the command line", ()
    model = out_dir / f"{stem}.model.json"
    problems: tuple[Finding, ...] = ()
    if model.is_file():
        recorded, problems = _recorded(out_dir, model)
        if recorded is not None:
            return recorded, f"recorded in {model}", ()
    default = Path("source") / f"{stem}.md"
    if default.is_file():
        return default, "the default source/<stem>.md", problems
    return None, "not found", problems


def _source_report(out_dir: Path, stem: str, given: Path | None) -> tuple[SourceReport, str]:
    from pipeline.build import load
    from pipeline.diagnostics import PipelineError
    from pipeline.diagnostics import sort_key as diagnostic_order

    source, how, problems = locate_source(out_dir, stem, given)
    if source is None:
        missing = Finding(
            str(out_dir / stem),
            "source",
            "SOURCE-NOT-FOUND",
            Severity.WARNING,
            f"no source found for '{stem}' (tried {out_dir / stem}.model.json and "
            f"source/{stem}.md); give it with --source",
        )
        return SourceReport(None, how, (*problems, missing)), stem
    try:
        document = load(source)
        diagnostics: Sequence[Diagnostic] = document.diagnostics
        title = document.metadata.title
    except PipelineError as exc:
        diagnostics, title = sorted(exc.diagnostics, key=diagnostic_order), stem
    findings = tuple(
        Finding(d.path, "source", d.code, d.severity, d.message, line=d.line, col=d.col)
        for d in diagnostics
    )
    return SourceReport(str(source), how, (*problems, *findings)), title


def require_tools(formats: set[str]) -> None:
    """Fail before any work when a validator the artifacts need is not installed."""
    needs: list[Callable[[], object]] = []
    if formats & {"epub", "html"}:
        needs += [tools.java, tools.chromium]
    if "epub" in formats:
        needs += [tools.epubcheck_jar, tools.ace]
    if "html" in formats:
        needs += [tools.vnu_jar, tools.axe_script, tools.playwright]
    if "audio" in formats:
        needs.append(tools.ffmpeg)
    missing = tools.missing(*needs)
    if missing:
        raise ExternalError("\n".join(missing))


@dataclass(frozen=True, slots=True)
class _Results:
    """What the JVMs, Ace and ffmpeg found, by artifact name."""

    epubcheck: dict[str, epubcheck.EpubCheckResult]
    ace: dict[str, ace.AceResult]
    metadata: dict[str, epubmeta.EpubMetadata]
    vnu: dict[str, vnu.VnuResult]
    audio: dict[str, audio_probe.AudioResult]
    ffmpeg: str
    """ffmpeg's version (empty when no audio was checked)."""


def _jvm_and_subprocess_work(
    epubs: list[Artifact], pages: list[Artifact], audio: list[Artifact]
) -> _Results:
    """Everything but the browser: EPUBCheck, vnu, Ace, ffmpeg (one after another)."""

    def pairs(items: list[Artifact]) -> list[tuple[str, Path]]:
        return [(a.name, a.path) for a in items]

    return _Results(
        epubcheck=epubcheck.check(pairs(epubs)),
        vnu=vnu.check(pairs(pages)),
        ace=ace.check(pairs(epubs)),
        metadata={a.name: epubmeta.read(a.name, a.path) for a in epubs},
        audio={a.name: audio_probe.check_file(a.name, a.path) for a in audio},
        ffmpeg=audio_probe.ffmpeg_version() if audio else "",
    )


def _epub_report(artifact: Artifact, results: _Results) -> ArtifactReport:
    checked, aced, meta = (
        results.epubcheck[artifact.name],
        results.ace[artifact.name],
        results.metadata[artifact.name],
    )
    facts = {
        "epubcheck": {"publication": checked.publication},
        "ace": {"outcome": aced.outcome, "metadata": aced.metadata},
        "accessibility_metadata": {
            "package": meta.package,
            "language": list(meta.language),
            "package_xml_lang": meta.package_lang,
            "claims": meta.claims,
        },
    }
    findings = sorted((*checked.findings, *aced.findings, *meta.findings), key=sort_key)
    return ArtifactReport(
        artifact.name,
        "epub",
        (f"EPUBCheck {checked.version}", f"Ace by DAISY {aced.version}"),
        tuple(findings),
        facts,
    )


def _html_report(artifact: Artifact, axed: axe.AxeResult, checked: vnu.VnuResult) -> ArtifactReport:
    facts = {
        "axe": {"views": list(axed.passes), "passes": axed.passes, "incomplete": axed.incomplete},
    }
    findings = sorted((*axed.findings, *checked.findings), key=sort_key)
    return ArtifactReport(
        artifact.name,
        "html",
        (f"axe-core {axed.version} in Chromium", f"Nu HTML Checker {checked.version}"),
        tuple(findings),
        facts,
    )


def _audio_report(
    artifact: Artifact, measured: audio_probe.AudioResult, ffmpeg: str
) -> ArtifactReport:
    facts = {
        "duration_s": measured.duration,
        "words": measured.words,
        "words_per_minute": measured.words_per_minute,
        "chapters": [{"title": c.title, "start_s": round(c.start, 3)} for c in measured.chapters],
        "expected_chapters": measured.expected_chapters,
        "integrated_lufs": measured.integrated_lufs,
        "true_peak_dbtp": measured.true_peak_dbtp,
        "head_silence_s": measured.head_silence,
        "tail_silence_s": measured.tail_silence,
    }
    probe = f"ffmpeg {ffmpeg} (ebur128, silencedetect)"
    used: tuple[str, ...] = (probe.replace(")", ", MP4 chapters)"),)
    if artifact.path.suffix.lower() == ".mp3":
        used = (probe, "mutagen (ID3 CTOC and CHAP chapters)")
    return ArtifactReport(
        artifact.name,
        "audio",
        used,
        tuple(sorted(measured.findings, key=sort_key)),
        facts,
    )


def _blocked(artifact: Artifact) -> bool:
    return any(f.severity is Severity.ERROR for f in artifact.refused)


def _refused_report(artifact: Artifact) -> ArtifactReport:
    """The report of an artifact no validator was allowed to open."""
    return ArtifactReport(artifact.name, artifact.format, ("publish check",), artifact.refused, {})


def run(out_dirs: Sequence[Path], *, sources: Sequence[Path] = ()) -> list[Report]:
    """Check every document in ``out_dirs``; one report each (nothing written here).

    ``sources`` are manuscripts given by the user, matched to documents by stem.
    """
    documents: list[tuple[Path, str, list[Artifact]]] = []
    for out_dir in out_dirs:
        for stem, artifacts in discover(out_dir).items():
            documents.append((out_dir, stem, artifacts))
    if not documents:
        folders = ", ".join(f"'{d}'" for d in out_dirs)
        raise UsageError(f"no EPUB, HTML, MP3 or M4B files to check in {folders}; build first")
    given = {path.stem: path for path in sources}
    unmatched = sorted(set(given) - {stem for _, stem, _ in documents})
    if unmatched:
        raise UsageError(f"--source {given[unmatched[0]]} matches no built document")
    every = [a for _, _, artifacts in documents for a in artifacts if not _blocked(a)]
    require_tools({a.format for a in every})
    pages = [a for a in every if a.format == "html"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        # the browser on one thread while the JVMs, Ace and ffmpeg run on the other
        browsing = pool.submit(axe.check, [(a.name, a.path) for a in pages])
        work: Future[_Results] = pool.submit(
            _jvm_and_subprocess_work,
            [a for a in every if a.format == "epub"],
            pages,
            [a for a in every if a.format == "audio"],
        )
        axed, results = browsing.result(), work.result()
    reports = []
    for out_dir, stem, artifacts in documents:
        source_report, title = _source_report(out_dir, stem, given.get(stem))
        checked = []
        for artifact in artifacts:
            if _blocked(artifact):
                checked.append(_refused_report(artifact))
            elif artifact.format == "epub":
                checked.append(_epub_report(artifact, results))
            elif artifact.format == "html":
                checked.append(
                    _html_report(artifact, axed[artifact.name], results.vnu[artifact.name])
                )
            else:
                checked.append(
                    _audio_report(artifact, results.audio[artifact.name], results.ffmpeg)
                )
        reports.append(Report(stem, out_dir, title, source_report, tuple(checked)))
    return reports


def write(report: Report) -> list[Path]:
    """Write ``<stem>.report.json`` and ``<stem>.report.html`` atomically; return their paths."""
    from pipeline import outputs
    from pipeline.check.report import to_html, to_json

    base = f"{report.stem}{REPORT_SUFFIX}"
    with outputs.locked(report.out_dir):  # a build into the same folder waits, as builds do
        return [
            outputs.write_text(report.out_dir / f"{base}.json", to_json(report)),
            outputs.write_text(report.out_dir / f"{base}.html", to_html(report)),
        ]
