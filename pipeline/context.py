"""The build context: what earlier stages produced, handed to every writer in memory.

As pandoc hands every writer the same document and options, each writer here
gets one ``Context``: the source, the finished document, the inputs read and
checked before any writer ran (lexicon, images, cover), the options, and the
products of the writers before it that others use (the narration, the
recording with its timings). A writer never reads another writer's output
file: ``<stem>.timings.json`` is an output for people and tools, not an input.

Every value here is frozen; after each writer the build makes a new context
with that writer's products added (``Context.adding``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING

from pipeline.document.lexicon import Lexicon
from pipeline.document.model import Document

if TYPE_CHECKING:  # the audio and narration stacks are imported only when they are built
    from pipeline.formats.narration import Narration
    from pipeline.formats.sync import Timings


@dataclass(frozen=True, slots=True)
class Picture:
    """An image file of the source, read and checked (a figure or the cover)."""

    path: Path
    """The file, resolved: always inside the source's folder."""
    relative: PurePosixPath
    """Its path from the source's folder (where an EPUB stores it, under ``images/``)."""
    media_type: str
    """Sniffed from the bytes, not the name, so a mislabelled file gets its true type."""
    data: bytes


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a source brings besides its text, read and checked before any writer runs."""

    lexicon: Lexicon = field(default_factory=Lexicon)
    """Front-matter pronunciations merged with ``<stem>.pls`` beside the source (front matter
    wins on a clash)."""
    images: Mapping[str, Picture] = field(default_factory=lambda: MappingProxyType({}))
    """The images the text shows, by ``src`` as written."""
    cover: Picture | None = None
    """The author's own cover (``<stem>.cover.jpg`` ... beside the source), if there is one;
    without it the audio carries the cover drawn from the metadata."""
    files: tuple[Path, ...] = ()
    """Every file read or looked for, present or not: what a rebuild depends on and
    ``publish watch`` watches."""


@dataclass(frozen=True, slots=True)
class Options:
    """How this build was asked for."""

    formats: frozenset[str] = frozenset()
    """The formats built in this run."""
    epoch: int = 0
    """The one timestamp artifacts may carry (``SOURCE_DATE_EPOCH``, git or the source's
    mtime; see ``pipeline.epoch``)."""
    strict: bool = False
    """Warnings were raised to errors."""


@dataclass(frozen=True, slots=True)
class Recording:
    """What the audio writer made that other writers use and the build reports."""

    mp3: Path
    """The MP3 it wrote (the EPUB carries it; the HTML page plays it)."""
    timings: Timings
    """Where each utterance and chapter is in the audio, in milliseconds: the same values as
    ``<stem>.timings.json``, handed over in memory."""
    synthesised: int = 0
    """Utterances synthesised now (the rest came from the speech cache)."""
    encoded: int = 0
    """Segments encoded now (the rest came from the segment cache)."""
    segments: int = 0
    """Segments in the audio."""


@dataclass(frozen=True, slots=True)
class Written:
    """What one writer wrote, and what it made that later writers use."""

    paths: tuple[Path, ...] = ()
    """The files written, in order."""
    narration: Narration | None = None
    """The narration script, when this writer made it."""
    recording: Recording | None = None
    """The audio, when this writer recorded it."""


@dataclass(frozen=True, slots=True)
class Context:
    """One source on its way through the writers."""

    source: Path
    """The manuscript, as the user named it."""
    document: Document
    """The finished model: parsed and transformed, without errors."""
    inputs: Inputs
    """Its lexicon, images and cover, already read and checked."""
    out_dir: Path
    """The output folder."""
    options: Options = Options()
    """How the build was asked for."""
    narration: Narration | None = None
    """The narration script, once a writer made it (``narration`` or ``audio``)."""
    recording: Recording | None = None
    """The audio and its timings, once the audio writer ran in this build."""

    @property
    def stem(self) -> str:
        """Every artifact is named ``<stem>.<ext>`` after the source."""
        return self.source.stem

    def adding(self, written: Written) -> Context:
        """This context with what ``written`` made for the writers after it."""
        return replace(
            self,
            narration=written.narration or self.narration,
            recording=written.recording or self.recording,
        )
