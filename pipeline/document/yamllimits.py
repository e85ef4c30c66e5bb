"""Limits on a front matter's YAML, checked on its event stream before any tree is built.

YAML can amplify: an alias repeats the node its anchor names, so nine lines of
anchors that each repeat the one before nine times stand for 9⁹ values (a
408-byte "alias bomb"), and ``keywords: [*s, *s, ...]`` repeats one long text
thousands of times. Deep nesting (``[[[[...]]]]``) exhausts PyYAML's recursive
composer. Both are measured here on the parser's events, which PyYAML makes
without recursion and without expanding aliases, so the cost is linear in the
front matter's length whatever it holds:

* F030: nesting deeper than ``MAX_DEPTH`` collections (an alias counts the depth of
  what it repeats);
* F031: a front matter whose values, aliases expanded, would hold more than
  ``MAX_EXPANDED`` characters and values, or a value that holds an alias to itself
  (``x: &a [*a]``), which never ends: PyYAML composes it as a cycle.

A front matter without aliases never meets F031 below ``MAX_EXPANDED`` bytes
of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from pipeline.diagnostics import Diagnostic, diagnostic

MAX_DEPTH = 32
"""Lists and mappings nested in a field's value: a book's metadata needs two (a list of
authors, each a mapping)."""

MAX_EXPANDED = 1_000_000
"""Characters plus values a front matter may stand for once its aliases are expanded."""


@dataclass(slots=True)
class _Open:
    """A collection whose end has not been seen yet."""

    anchor: str | None
    size: int = 1
    """Characters and values inside it so far, aliases expanded (itself counts one)."""
    height: int = 1
    """Collections nested in it, itself included."""


def check(source: str, path: str) -> Diagnostic | None:
    """The first limit ``source`` (the YAML between the fences) goes past, or None.

    YAML errors are left to the composer, which reports them with their position (F001).
    """
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (size, height)
    stack: list[_Open] = []
    total = 0
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            size, height, anchor = 0, 0, None
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Open(event.anchor))
                if len(stack) - 1 > MAX_DEPTH:  # the front matter's own mapping is not counted
                    return _too_deep(event, path)
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                size, height, anchor = done.size, done.height, done.anchor
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = len(event.value) + 1, event.anchor
            elif isinstance(event, yaml.AliasEvent) and any(
                o.anchor == event.anchor for o in stack
            ):
                return _diagnostic(
                    "F031",
                    f"front matter value &{event.anchor} holds an alias to itself "
                    f"(*{event.anchor}), so it never ends; write the value out instead",
                    event,
                    path,
                )
            elif isinstance(event, yaml.AliasEvent) and event.anchor in anchors:
                size, height = anchors[event.anchor]
                if len(stack) - 1 + height > MAX_DEPTH:
                    return _too_deep(event, path)
                total += size
            else:
                continue
            if anchor is not None:
                anchors[anchor] = (size, height)
            if stack:
                stack[-1].size += size
                stack[-1].height = max(stack[-1].height, height + 1)
            if max(size, total) > MAX_EXPANDED:
                return _diagnostic(
                    "F031",
                    "front matter stands for more than "
                    f"{MAX_EXPANDED:,} characters and values once its aliases (*name) are "
                    "expanded; write the values out instead of repeating them by alias",
                    event,
                    path,
                )
    except yaml.YAMLError:
        return None
    return None


def _too_deep(event: yaml.Event, path: str) -> Diagnostic:
    message = f"front matter nests lists and mappings more than {MAX_DEPTH} levels deep"
    return _diagnostic("F030", message, event, path)


def _diagnostic(code: str, message: str, event: yaml.Event, path: str) -> Diagnostic:
    """Placed at the event, in the manuscript (the YAML starts on line 2)."""
    mark = event.start_mark
    if mark is None:
        return diagnostic(code, message, path, 2, 1)
    return diagnostic(code, message, path, 2 + mark.line, 1 + mark.column)
