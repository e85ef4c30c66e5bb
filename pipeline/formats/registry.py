"""Output formats: each a writer that reads the finished document model.

Built-in writers register here exactly as an extra one would: a ``Writer``
names its format and writes its artifacts from the build ``Context`` it is
given (the document, the checked inputs, what earlier writers made). Formats
whose stage is not built yet are listed in ``PLANNED`` so asking for them is a
clear error rather than a silent no-op.

A writer may be registered as a ``Lazy`` entry (name, description and where
its class lives): its module, and everything that module imports, is loaded
only when the format is chosen, so a text build never imports the audio stack.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from graphlib import CycleError, TopologicalSorter
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from pipeline import outputs
from pipeline.context import Context, Written
from pipeline.diagnostics import UsageError
from pipeline.document import serialize
from pipeline.document.model import Document


class Writer(Protocol):
    """Writes one output format from the build context."""

    @property
    def name(self) -> str:
        """Format name used with ``--formats``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``publish build --help``."""
        ...

    def write(self, context: Context) -> Written:
        """Write the artifacts for ``context.document``; say what was written and made."""
        ...


@runtime_checkable
class Consumer(Protocol):
    """A writer that uses what another writer makes when both are built in the same run.

    The EPUB and the HTML page use the audio writer's recording, the audio writer the
    narration: each runs after what it uses, and finds it in the ``Context`` it is given
    (a build of the EPUB alone gives the plain book, whatever is left in the folder).
    """

    @property
    def uses(self) -> tuple[str, ...]:
        """Formats to run before this one when both are chosen."""
        ...


@runtime_checkable
class Dependent(Protocol):
    """A writer that cannot work without another format's products (the audiobook needs the
    audio): asking for it alone brings that format into the build."""

    @property
    def needs(self) -> tuple[str, ...]:
        """Formats added to the build when this one is chosen."""
        ...


@runtime_checkable
class Resident(Protocol):
    """A writer with costs a resident process (``publish watch``) pays before the first edit."""

    def warm(self, document: Document) -> None:
        """Import what a build needs and start what it would start (a speech helper)."""
        ...


@dataclass(frozen=True)
class ModelWriter:
    """The typed document model as JSON (what every other writer reads)."""

    name: str = "model"
    description: str = "the document model as JSON (<stem>.model.json)"

    def write(self, context: Context) -> Written:
        path = context.out_dir / f"{context.stem}.model.json"
        return Written((outputs.write_text(path, serialize.to_json(context.document)),))


@dataclass(frozen=True)
class Lazy:
    """A writer known by name and description whose module is imported when it is used.

    ``target`` is ``"package.module:Class"``; ``options`` are passed to the
    class when it is loaded (``Lazy.load``). ``select`` hands out loaded
    writers, so ordering by ``uses`` sees the real ones.
    """

    name: str
    description: str
    target: str
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def load(self) -> Writer:
        """Import the module and make the writer (a no-op import after the first)."""
        module, _, attribute = self.target.partition(":")
        factory = getattr(importlib.import_module(module), attribute)
        writer: Writer = factory(**self.options)
        if (writer.name, writer.description) != (self.name, self.description):
            raise TypeError(f"{self.target} is not the writer registered as '{self.name}'")
        return writer

    def write(self, context: Context) -> Written:
        return self.load().write(context)


def _loaded(writer: Writer) -> Writer:
    return writer.load() if isinstance(writer, Lazy) else writer


#: Registered writers by format name, in the order they run.
WRITERS: dict[str, Writer] = {}

#: Formats built only when ``--formats`` names them, not in the default set: the ONIX record
#: is for publishers, and the audiobook package needs the audio's time.
ON_REQUEST: set[str] = {"onix", "audiobook"}

#: Formats announced but not implemented yet, with the reason shown to users
#: (a plugin may announce its own; ``register`` removes an entry once built).
PLANNED: dict[str, str] = {}


def register(writer: Writer) -> None:
    """Add a writer (a plugin does the same)."""
    WRITERS[writer.name] = writer
    PLANNED.pop(writer.name, None)


def configure(name: str, **options: object) -> None:
    """Set options of a registered writer (the audio's engine, voice...) without loading it."""
    writer = WRITERS[name]
    if isinstance(writer, Lazy):
        register(replace(writer, options=MappingProxyType({**writer.options, **options})))
    else:  # a writer registered as an instance: a dataclass like the built-in ones
        register(replace(writer, **options))  # type: ignore[type-var]


register(ModelWriter())
register(
    Lazy(
        "html",
        "an accessible, self-contained HTML page (<stem>.html)",
        "pipeline.formats.html:HtmlWriter",
    )
)
register(
    Lazy(
        "epub",
        "an accessible EPUB 3 book (<stem>.epub), narrated with audio",
        "pipeline.formats.epub:EpubWriter",
    )
)
register(
    Lazy(
        "narration",
        "the narration script for review (<stem>.narration.txt)",
        "pipeline.formats.narration:NarrationWriter",
    )
)
register(
    Lazy(
        "audio",
        "narrated audio (<stem>.mp3, .m4b with chapters, .vtt captions)",
        "pipeline.audio.writer:AudioWriter",
    )
)


register(
    Lazy(
        "onix",
        "an ONIX 3.0 <Product> record with the EPUB's accessibility (<stem>.onix.xml)",
        "pipeline.formats.onix:OnixWriter",
    )
)

register(
    Lazy(
        "audiobook",
        "a W3C audiobook package (<stem>.lpf), with the audio it needs",
        "pipeline.formats.audiobook:AudiobookWriter",
    )
)


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
        order.extend(by_name[name] for name in ready)
        graph.done(*ready)
    return order


def select(names: str | None) -> list[Writer]:
    """Writers for a comma-separated ``--formats`` value (all available when None).

    They come back in an order where every writer runs after the formats it ``uses``.
    """
    if names is None:
        return _ordered([_loaded(w) for w in WRITERS.values() if w.name not in ON_REQUEST])
    chosen: list[Writer] = []
    for name in (n.strip().lower() for n in names.split(",")):
        if not name:
            continue
        if name in PLANNED:
            raise UsageError(f"format '{name}' is not available: {PLANNED[name]}")
        if name not in WRITERS:
            known = ", ".join([*WRITERS, *PLANNED])
            raise UsageError(f"unknown format '{name}' (known formats: {known})")
        if all(w.name != name for w in chosen):
            chosen.append(_loaded(WRITERS[name]))
    if not chosen:
        raise UsageError("--formats names no format")
    for writer in list(chosen):  # what a chosen writer cannot work without
        for name in writer.needs if isinstance(writer, Dependent) else ():
            if all(w.name != name for w in chosen):
                chosen.append(_loaded(WRITERS[name]))
    return _ordered(chosen)
