"""Real validators run on built artifacts: EPUBCheck, Ace, axe-core, vnu and audio probes.

Each module starts its tool as few times as possible for a whole batch of
artifacts (one JVM for every EPUB, one browser for every page) because start-up
is most of the cost. They return ``Finding`` values, never print, and raise
``MissingToolError`` when a validator is not installed: a missing validator must
never read as a pass. ``publish check`` (``pipeline.check.run``) and the tests call
these same functions.
"""

from __future__ import annotations

from pipeline.check.findings import Finding, MissingToolError

__all__ = ["Finding", "MissingToolError"]
