"""WebVTT captions and chapters from the narration's measured timings.

``<stem>.vtt`` has one cue per utterance, its identifier the utterance key
(``p-1.2``: unique, and the element id before the dot-suffix), its text what
is said, so it matches the audio word for word. ``<stem>.chapters.vtt`` has
one cue per chapter, identified by the section id (an HTML ``<track
kind="chapters">`` or a player's chapter menu reads it).
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline import markup
from pipeline.formats.sync import Timings


def timestamp(ms: int) -> str:
    """``hh:mm:ss.ttt``, the form every WebVTT parser accepts."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _cue_text(value: str) -> str:
    """Escape what WebVTT cue text reserves; no blank line may end the cue early.

    WebVTT's cue text escapes are the markup ones (``&amp;``, ``&lt;``, ``&gt;``)
    and a browser shows the cue through its HTML machinery, so it takes the same
    character filter as every other text the program writes.
    """
    return markup.text(" ".join(value.split()))


def _identifier(value: str) -> str:
    """A cue identifier may not contain ``-->`` or a line break."""
    return " ".join(markup.clean(value).replace("-->", "->").split())


def _track(cues: Iterable[tuple[str, int, int, str]]) -> str:
    """A WebVTT file from (identifier, start ms, end ms, text) cues."""
    blocks = ["WEBVTT"]
    for ident, start, end, body in cues:
        blocks.append(
            f"{_identifier(ident)}\n{timestamp(start)} --> {timestamp(end)}\n{_cue_text(body)}"
        )
    return "\n\n".join(blocks) + "\n"


def captions(timings: Timings) -> str:
    """One cue per utterance, from its first to its last sound."""
    return _track((c.key, c.start, c.end, c.text) for c in timings.cues)


def chapters(timings: Timings) -> str:
    """One cue per chapter, covering it until the next begins."""
    return _track((c.id, c.start, c.end, c.title) for c in timings.chapters)
