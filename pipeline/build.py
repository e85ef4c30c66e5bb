"""The whole flow of a build, on one screen.

    source -> read -> parse -> model -> transforms -> inputs -> writers -> outputs

``check`` runs the stages up to the checked inputs for one source (``publish
lint`` stops there); ``build`` checks every source before any writer runs, then
hands each writer a ``Context`` with what the stages before it produced, in
memory (``pipeline.context``); each writer writes atomically (``outputs``).
``pipeline.request`` decides whether a build is needed at all and records it,
for ``publish build`` and ``publish watch`` alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.context import Context, Inputs, Options, Recording, Written
from pipeline.diagnostics import Diagnostic, PipelineError, UsageError, has_errors, sort_key
from pipeline.diagnostics import strict as raised
from pipeline.document import review, transforms
from pipeline.document.inputs import read_inputs
from pipeline.document.model import Document
from pipeline.document.parse import parse
from pipeline.document.source import read_source
from pipeline.epoch import source_epoch
from pipeline.formats.registry import Writer
from pipeline.outputs import check_out_dir, locked, staged
from pipeline.sweep import sweep


def check(path: str | Path, *, strict: bool = False) -> tuple[Document, Inputs]:
    """One source read, parsed, transformed, and its inputs read: every diagnostic, sorted,
    errors included (with ``strict``, warnings are errors). Raises ``PipelineError`` only for
    a source that cannot be parsed at all (its front matter)."""
    document = transforms.apply(parse(read_source(path)))  # source -> parse -> model -> transforms
    inputs, problems = read_inputs(document)  # lexicon, images, cover
    problems = (*problems, *_stale_review(document, Path(path)))
    found = tuple(sorted((*document.diagnostics, *problems), key=sort_key))
    return replace(document, diagnostics=raised(found) if strict else found), inputs


def _stale_review(document: Document, source: Path) -> list[Diagnostic]:
    """F026: a recorded review older than the source's last change (``pipeline.epoch``)."""
    recorded = document.metadata.accessibility
    if recorded is None or not recorded.wcag:
        return []
    changed = datetime.fromtimestamp(source_epoch(source), UTC).date()
    return review.stale(recorded, changed, document.path)


def build(
    sources: list[Path], out_dir: Path, writers: list[Writer], *, strict_mode: bool = False
) -> BuildResult:
    """Check every source, then run every writer on each; nothing is written when any
    source has errors (``BuildError``)."""
    check_out_dir(out_dir, sources)
    options = Options(frozenset(w.name for w in writers), strict=strict_mode)
    result, contexts, failures = BuildResult(), list[Context](), list[Diagnostic]()
    for source in sources:
        try:
            context = prepare(source, out_dir, options)
        except BuildError as exc:
            failures.extend(exc.diagnostics)
            result.inputs.extend(exc.inputs)
            continue
        except PipelineError as exc:  # not parsed at all: of its inputs, only itself is known
            failures.extend(exc.diagnostics)
            result.inputs.append(source)
            continue
        contexts.append(context)
        result.inputs.extend(context.inputs.files)
        result.diagnostics.extend(context.document.diagnostics)
    if failures:
        raise BuildError([*result.diagnostics, *failures], result.inputs)
    stems = [context.stem for context in contexts]
    if duplicates := sorted({s for s in stems if stems.count(s) > 1}):
        raise UsageError(f"two sources would write the same outputs: {', '.join(duplicates)}")
    with locked(out_dir):
        sweep(out_dir)  # what a killed build left: .*.part files, .STEM.audio.* folders
        with staged(out_dir):  # every artifact put in place at the end, or none
            for prepared in contexts:
                context = prepared
                for writer in writers:  # in the order ``registry.select`` gives
                    written = writer.write(context)
                    context = context.adding(written)  # its narration, its recording
                    result.add(written)
    return result


def prepare(source: Path, out_dir: Path, options: Options | None = None) -> Context:
    """The context the writers get for ``source``; ``PipelineError`` if it has errors."""
    options = options or Options()
    document, inputs = check(source, strict=options.strict)
    if has_errors(document.diagnostics):
        raise BuildError(document.diagnostics, inputs.files)
    return Context(source, document, inputs, out_dir, replace(options, epoch=source_epoch(source)))


@dataclass
class BuildResult:
    """What one build did: ``publish build`` and ``publish watch`` print it."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Warnings and notes of every source (a build with errors raises ``BuildError``)."""
    written: list[Path] = field(default_factory=list)
    """Every file written, in order."""
    inputs: list[Path] = field(default_factory=list)
    """Every file the build read or looked for (``Inputs.files``)."""
    recordings: list[Recording] = field(default_factory=list)
    """What the audio writer synthesised and encoded, per source."""

    def add(self, written: Written) -> None:
        self.written.extend(written.paths)
        if written.recording is not None:
            self.recordings.append(written.recording)


class BuildError(PipelineError):
    """A source has errors, so nothing was written. ``inputs`` are the files the build read
    or looked for: ``publish watch`` must also wait on, say, the missing image that is the
    error."""

    def __init__(self, diagnostics: Iterable[Diagnostic], inputs: Iterable[Path]) -> None:
        super().__init__(diagnostics)
        self.inputs = tuple(inputs)


def read(path: str | Path, *, strict_mode: bool = False) -> Document:
    """The document of ``check``, with every diagnostic."""
    return check(path, strict=strict_mode)[0]


def load(path: str | Path, *, strict_mode: bool = False) -> Document:
    """The document of ``check``; raises ``PipelineError`` when it has errors."""
    document = read(path, strict_mode=strict_mode)
    if has_errors(document.diagnostics):
        raise PipelineError(document.diagnostics)
    return document


def lint(path: str | Path, *, strict_mode: bool = False) -> tuple[Diagnostic, ...]:
    """All diagnostics for a source, its inputs' included, without writing anything."""
    try:
        return read(path, strict_mode=strict_mode).diagnostics
    except PipelineError as exc:
        return tuple(sorted(exc.diagnostics, key=sort_key))
