"""EPUB 3 Media Overlays: one SMIL document per content document, from measured timings.

Each element the narration voices becomes a ``par`` pairing its fragment
with a clip of the book's one MP3: a sentence of running text (its ``<span>``,
``model.sentence_runs``), or a heading, list item, table row, figure or note.
Clips tile the recording (see
``sync.segments``), so every overlay's duration is the sum of its clips and
the overlays sum to the audio's length. Runs of pars inside a list, table
or note are wrapped in a ``seq`` with ``epub:textref`` and ``epub:type``
(nested as the structures are), so a reading system can skip notes and
escape from lists and tables; a print page number's ``par`` has
``epub:type="pagebreak"``, which reading systems can skip.

A note is read right after the paragraph citing it, but lives in the notes
document: its clips go in that document's overlay (each overlay points only
into its own content document), and the chapter's overlay skips over them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import markup
from pipeline.formats.epub_package import url
from pipeline.formats.sync import Segment

#: The class reading systems put on the element being read (``media:active-class``).
ACTIVE_CLASS = "-epub-media-overlay-active"

#: The rule that makes it visible; system colours follow the reader's night mode.
ACTIVE_CSS = (
    f".{ACTIVE_CLASS} {{ background-color: Highlight; color: HighlightText; "
    "border-radius: 0.2em; box-decoration-break: clone; }\n"
)

#: ``epub:type`` for each structure a reading system may skip or escape.
_SEQ_TYPES = {"list": "list", "table": "table", "footnote": "footnote"}
_PAR_TYPES = {"table": "table-row", "list": "list-item"}


def clock(ms: int) -> str:
    """A SMIL full clock value, ``h:mm:ss.fff``."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


@dataclass(frozen=True, slots=True)
class Overlay:
    """The media overlay of one content document."""

    href: str
    """The SMIL file's path in the book."""
    text_href: str
    """The content document it synchronises."""
    data: bytes
    duration: int
    """Sum of its clips, in milliseconds."""
    segments: tuple[Segment, ...]


def _par(n: int, segment: Segment, text_href: str, audio_href: str, indent: str) -> str:
    kind = _PAR_TYPES.get(segment.structure, "") if segment.target != segment.container else ""
    if segment.pagebreak:
        kind = "pagebreak"
    typed = f' epub:type="{kind}"' if kind else ""
    return (
        f'{indent}<par id="par-{n}"{typed}>\n'
        f'{indent}  <text src="{markup.attr(url(text_href))}#{markup.attr(segment.target)}"/>\n'
        f'{indent}  <audio src="{markup.attr(url(audio_href))}" clipBegin="{clock(segment.begin)}"'
        f' clipEnd="{clock(segment.end)}"/>\n'
        f"{indent}</par>"
    )


def smil(text_href: str, audio_href: str, segments: tuple[Segment, ...]) -> bytes:
    """The SMIL document for one content document (paths relative to the SMIL file).

    Each segment's containers (``Segment.chain``) are open ``seq``s around its
    ``par``: a list nested in a list item is a ``seq`` inside the outer list's.
    """
    lines: list[str] = []
    opened: list[str] = []
    seqs = 0
    for n, segment in enumerate(segments, start=1):
        keep = 0
        while (
            keep < len(opened)
            and keep < len(segment.chain)
            and opened[keep] == segment.chain[keep][1]
        ):
            keep += 1
        while len(opened) > keep:
            opened.pop()
            lines.append("    " + "  " * len(opened) + "</seq>")
        for structure, container in segment.chain[keep:]:
            seqs += 1
            lines.append(
                f'{"    " + "  " * len(opened)}<seq id="seq-{seqs}" epub:textref="'
                f'{markup.attr(url(text_href))}#{markup.attr(container)}"'
                f' epub:type="{_SEQ_TYPES[structure]}">'
            )
            opened.append(container)
        lines.append(_par(n, segment, text_href, audio_href, "    " + "  " * len(opened)))
    while opened:
        opened.pop()
        lines.append("    " + "  " * len(opened) + "</seq>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops"'
        ' version="3.0">\n'
        f'  <body epub:textref="{markup.attr(url(text_href))}">\n'
        + "\n".join(lines)
        + "\n  </body>\n</smil>\n"
    ).encode("utf-8")


def overlays(
    segments: tuple[Segment, ...],
    where: dict[str, str],
    order: tuple[str, ...],
    audio_href: str,
) -> tuple[Overlay, ...]:
    """One overlay per content document in ``order`` that has something read in it.

    ``where`` maps each segment's target id to its content document; a target
    not found there stays with the document of the segment before it.
    """
    by_doc: dict[str, list[Segment]] = {href: [] for href in order}
    current = order[0]
    for segment in segments:
        current = where.get(segment.target, current)
        by_doc.setdefault(current, []).append(segment)
    found = []
    for href, items in by_doc.items():
        if not items:
            continue
        stem = href.rsplit(".", 1)[0]
        found.append(
            Overlay(
                f"{stem}.smil",
                href,
                smil(href, audio_href, tuple(items)),
                sum(s.end - s.begin for s in items),
                tuple(items),
            )
        )
    return tuple(found)
