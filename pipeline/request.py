"""One build request, fulfilled the same way by ``publish build`` and ``publish watch``.

A request is the sources, the output folder and the options the manifest
records. ``fulfil`` is the one orchestration both commands use: skip the build
when the manifest says the outputs are up to date, else build and record the
manifest. It returns what happened, the build's result or the last build's
record; each command prints it its own way (``wrote ...`` lines, or ``publish
watch``'s one summary line).

Only the standard library and ``manifest`` are imported here, and the build's
modules only once a build is needed: an unchanged rebuild costs next to
nothing, and ``publish build`` may start the speech helper (``writers``)
before the heavy imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import manifest

if TYPE_CHECKING:
    from pipeline.build import BuildResult
    from pipeline.formats.registry import Writer


@dataclass(frozen=True)
class Request:
    """What to build, where, and with which options."""

    sources: tuple[Path, ...]
    """The manuscripts, as the user named them."""
    out_dir: Path
    """The output folder."""
    options: Mapping[str, object] = field(default_factory=dict)
    """Everything besides file contents that decides the outputs (formats, engine, voice,
    rate, strictness, the sources' names): the manifest's key, so ``build`` and ``watch``
    with the same options share it."""
    strict: bool = False
    """Warnings are errors."""

    @property
    def manifest(self) -> Path:
        """Where the manifest of this request lives."""
        return manifest.location(self.out_dir, self.sources)


def fulfil(
    request: Request, writers: Callable[[], list[Writer]], *, force: bool = False
) -> BuildResult | manifest.Recorded:
    """Build ``request`` unless its outputs are up to date (always with ``force``), and record
    the manifest of a build that succeeded. Returns the build's result (what it wrote, what
    it synthesised and encoded), or the last build's record when nothing it depended on has
    changed; either lists the ``inputs`` the outputs depend on.

    ``writers`` is called only when a build runs. Raises what ``build.build`` raises
    (``BuildError`` for a source with errors; nothing was written then).
    """
    key = manifest.settings(dict(request.options), request.sources)
    recorded = None if force else manifest.up_to_date(request.manifest, key)
    if recorded is not None:
        return recorded
    chosen = writers()
    from pipeline.build import build  # noqa: PLC0415 - only when a build runs

    result = build(list(request.sources), request.out_dir, chosen, strict_mode=request.strict)
    shown = [str(item) for item in result.diagnostics]
    manifest.record(request.manifest, key, result.inputs, result.written, shown)
    return result
