"""Output formats: each a writer that reads the finished document model.

Built-in writers register here exactly as an extra one would: a ``Writer``
names its format and writes its artifacts into the output folder. Formats
whose stage is not built yet are listed in ``PLANNED`` so asking for them is a
clear error rather than a silent no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import outputs, serialize
from .audio.writer import AudioWriter
from .diagnostics import UsageError
from .epub import EpubWriter
from .html import HtmlWriter
from .model import Document
from .narration import NarrationWriter


class Writer(Protocol):
    """Writes one output format from a document."""

    @property
    def name(self) -> str:
        """Format name used with ``--formats``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``publish build --help``."""
        ...

    def write(self, document: Document, out_dir: Path, stem: str) -> list[Path]:
        """Write the artifacts for ``document`` and return their paths."""
        ...


@dataclass(frozen=True)
class ModelWriter:
    """The typed document model as JSON (what every other writer reads)."""

    name: str = "model"
    description: str = "the document model as JSON (<stem>.model.json)"

    def write(self, document: Document, out_dir: Path, stem: str) -> list[Path]:
        path = out_dir / f"{stem}.model.json"
        return [outputs.write_text(path, serialize.to_json(document))]


#: Registered writers by format name, in the order they run.
WRITERS: dict[str, Writer] = {}

#: Formats announced but not implemented yet, with the reason shown to users.
PLANNED: dict[str, str] = {
    "audio": "the narrated audio writer is not built yet",
}


def register(writer: Writer) -> None:
    """Add a writer (a plugin does the same)."""
    WRITERS[writer.name] = writer
    PLANNED.pop(writer.name, None)


register(ModelWriter())
register(HtmlWriter())
register(EpubWriter())
register(NarrationWriter())
register(AudioWriter())


def select(names: str | None) -> list[Writer]:
    """Writers for a comma-separated ``--formats`` value (all available when None)."""
    if names is None:
        return list(WRITERS.values())
    chosen: list[Writer] = []
    for name in (n.strip().lower() for n in names.split(",")):
        if not name:
            continue
        if name in PLANNED:
            raise UsageError(f"format '{name}' is not available: {PLANNED[name]}")
        if name not in WRITERS:
            known = ", ".join([*WRITERS, *PLANNED])
            raise UsageError(f"unknown format '{name}' (known formats: {known})")
        if WRITERS[name] not in chosen:
            chosen.append(WRITERS[name])
    if not chosen:
        raise UsageError("--formats names no format")
    return chosen
