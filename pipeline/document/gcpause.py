"""Pausing Python's cyclic garbage collector while a document is built.

Parsing and transforming allocate hundreds of thousands of small, long-lived
objects (tokens, tree nodes, frozen model nodes) and almost no garbage
cycles. The collector walks them again and again as they accumulate: on a
50,000-row table that was two thirds of the time of parse and transforms.
Reference counting still frees everything at once as usual. What it cannot free
are reference cycles: the parse's tree of markdown-it's tokens has no links back to
parents and no transform keeps a self-calling closure, so a build makes none that grow
with the document; the few left are collected by the first collection after the pause.
That first collection still looks at every object made during the pause, once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested use is fine)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
