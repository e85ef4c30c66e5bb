"""Output formats: each a writer that reads the finished document model.

Built-in writers register here exactly as an extra one would: a ``Writer``
names its format and writes its artifacts into the output folder. Formats
whose stage is not built yet are listed in ``PLANNED`` so asking for them is a
clear error rather than a silent no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Protocol, runtime_checkable

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


@runtime_checkable
class Consumer(Protocol):
    """A writer that reads other formats' artifacts when they are built in the same run.

    The EPUB and the HTML page read the audio's MP3 and timings: the audio
    writer must run first, and they must know whether it runs at all (a build
    of the EPUB alone gives the plain book, whatever is left in the folder).
    """

    @property
    def uses(self) -> tuple[str, ...]:
        """Formats to run before this one when both are chosen."""
        ...

    def alongside(self, formats: frozenset[str]) -> Writer:
        """This writer configured for a build of ``formats``."""
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

#: Formats announced but not implemented yet, with the reason shown to users
#: (a plugin may announce its own; ``register`` removes an entry once built).
PLANNED: dict[str, str] = {}


def register(writer: Writer) -> None:
    """Add a writer (a plugin does the same)."""
    WRITERS[writer.name] = writer
    PLANNED.pop(writer.name, None)


register(ModelWriter())
register(HtmlWriter())
register(EpubWriter())
register(NarrationWriter())
register(AudioWriter())


def _ordered(chosen: list[Writer]) -> list[Writer]:
    """Chosen writers with each after the formats it uses, otherwise in registration order."""
    names = frozenset(w.name for w in chosen)
    graph: TopologicalSorter[str] = TopologicalSorter()
    for writer in chosen:
        uses = writer.uses if isinstance(writer, Consumer) else ()
        graph.add(writer.name, *(n for n in uses if n in names))
    by_name = {w.name: w for w in chosen}
    rank = {w.name: i for i, w in enumerate(chosen)}
    try:
        graph.prepare()
    except CycleError as exc:  # pragma: no cover - only a plugin could cause it
        raise UsageError(f"writers depend on each other in a cycle: {exc.args[1]}") from exc
    order: list[Writer] = []
    while graph.is_active():
        ready = sorted(graph.get_ready(), key=rank.__getitem__)
        for name in ready:
            writer = by_name[name]
            order.append(writer.alongside(names) if isinstance(writer, Consumer) else writer)
        graph.done(*ready)
    return order


def select(names: str | None) -> list[Writer]:
    """Writers for a comma-separated ``--formats`` value (all available when None).

    They come back in an order where every writer runs after the formats it
    ``uses``, each told which formats are built with it.
    """
    if names is None:
        return _ordered(list(WRITERS.values()))
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
    return _ordered(chosen)
