"""The pipeline end to end: read, parse once, transform, then run the writers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.diagnostics import (
    Diagnostic,
    PipelineError,
    UsageError,
    has_errors,
    sort_key,
    strict,
)
from pipeline.document import transforms
from pipeline.document.model import Document
from pipeline.document.parse import parse
from pipeline.document.safety import images
from pipeline.document.source import read_source
from pipeline.document.urls import image_file
from pipeline.formats.registry import Writer
from pipeline.outputs import check_out_dir, locked


def read(path: str | Path, *, strict_mode: bool = False) -> Document:
    """Read, parse and transform one manuscript, with every diagnostic, errors included.

    Its diagnostics come sorted; with ``strict_mode``, warnings are errors. Raises
    ``PipelineError`` only for a source that cannot be parsed at all (its front matter).
    """
    document = transforms.apply(parse(read_source(path)))
    found = tuple(sorted(document.diagnostics, key=sort_key))
    if strict_mode:
        found = strict(found)
    return replace(document, diagnostics=found)


def load(path: str | Path, *, strict_mode: bool = False) -> Document:
    """Read, parse and transform one manuscript.

    Raises ``PipelineError`` when the source has errors (with ``strict_mode``,
    warnings count as errors). The returned document carries any warnings.
    """
    document = read(path, strict_mode=strict_mode)
    if has_errors(document.diagnostics):
        raise PipelineError(document.diagnostics)
    return document


def lint(path: str | Path, *, strict_mode: bool = False) -> tuple[Diagnostic, ...]:
    """All diagnostics for a source, errors included, without writing anything."""
    try:
        return read(path, strict_mode=strict_mode).diagnostics
    except PipelineError as exc:
        return tuple(sorted(exc.diagnostics, key=sort_key))


class BuildError(PipelineError):
    """A source has errors, so nothing was written.

    It carries what the build read or looked for, as ``BuildResult.inputs`` does:
    ``publish watch`` must also wait on, say, the missing image that is the error.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic], inputs: Iterable[Path]) -> None:
        super().__init__(diagnostics)
        self.inputs = tuple(inputs)


@dataclass
class BuildResult:
    """What one build did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)
    """Every file the build read or looked for (see ``inputs``)."""


def inputs(source: Path, document: Document, out_dir: Path, *, audio: bool) -> list[Path]:
    """The files a build of ``document`` reads or looks for, besides the program itself:
    the source, its lexicon, its images and, for audio, the cover files looked for."""
    found = [source, source.with_suffix(".pls")]
    if audio:
        from pipeline.audio.tags import cover_candidates  # noqa: PLC0415 - audio builds only

        found += cover_candidates(out_dir, source.stem)
    for image in images(document):
        file = image_file(image.src, document.source_dir)
        if file is not None:
            found.append(file)
    return found


def build(
    sources: list[Path], out_dir: Path, writers: list[Writer], *, strict_mode: bool = False
) -> BuildResult:
    """Build every source with every writer; nothing is written for a failed source.

    All sources are loaded first, so an error in any one leaves the output
    folder untouched (``BuildError``).
    """
    check_out_dir(out_dir, sources)
    result = BuildResult()
    documents: list[tuple[Path, Document]] = []
    failures: list[Diagnostic] = []
    audio = any(writer.name == "audio" for writer in writers)
    for source in sources:
        try:
            document = read(source, strict_mode=strict_mode)
        except PipelineError as exc:  # not parsed at all: of its inputs, only itself is known
            failures.extend(exc.diagnostics)
            result.inputs.append(source)
            continue
        result.inputs.extend(inputs(source, document, out_dir, audio=audio))
        if has_errors(document.diagnostics):
            failures.extend(document.diagnostics)
            continue
        documents.append((source, document))
        result.diagnostics.extend(document.diagnostics)
    if failures:
        raise BuildError([*result.diagnostics, *failures], result.inputs)
    stems = [source.stem for source, _ in documents]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise UsageError(f"two sources would write the same outputs: {', '.join(duplicates)}")
    with locked(out_dir):
        for source, document in documents:
            for writer in writers:
                result.written.extend(writer.write(document, out_dir, source.stem))
    return result
