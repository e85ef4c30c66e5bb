"""Author pronunciations: front matter ``pronunciations:`` and W3C PLS lexicons.

Applied to the narration text before synthesis, so the review script shows
what the engine is given and every engine honours them. PLS ``<alias>``
entries are used; ``<phoneme>``-only entries are not (espeak-ng and gTTS take
no IPA input), so they are left out. Graphemes match whole words, case-sensitively,
longest first.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET  # the author's own file, not untrusted input
from dataclasses import dataclass
from pathlib import Path

from pipeline.diagnostics import PipelineError, diagnostic

_PLS = "{http://www.w3.org/2005/01/pronunciation-lexicon}"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Written forms and what to say instead."""

    entries: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: tuple[tuple[str, str], ...]) -> Lexicon:
        """A lexicon from (written, spoken) pairs; empty written forms are dropped."""
        return cls(tuple((w, s) for w, s in pairs if w.strip()))

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries added; this one wins on a clash."""
        mine = {w for w, _ in self.entries}
        return Lexicon(self.entries + tuple((w, s) for w, s in other.entries if w not in mine))

    def apply(self, text: str) -> str:
        """Replace every whole-word occurrence of each written form."""
        if not self.entries:
            return text
        ordered = sorted(self.entries, key=lambda e: -len(e[0]))
        pattern = re.compile(
            "|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w, _ in ordered),
        )
        table = dict(ordered)
        return pattern.sub(lambda m: table[m.group()], text)

    def digest(self) -> str:
        """A short hash of the entries (part of the speech cache key)."""
        data = "\n".join(f"{w}\t{s}" for w, s in sorted(self.entries))
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def load_lexicon(path: Path) -> Lexicon:
    """Read the ``<alias>`` entries of a PLS 1.0 file."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - the author's own lexicon file
    except (ET.ParseError, OSError) as exc:
        raise PipelineError(
            [diagnostic("A001", f"pronunciation lexicon cannot be read: {exc}", str(path))]
        ) from None
    entries: list[tuple[str, str]] = []
    for lexeme in root.iter(f"{_PLS}lexeme"):
        alias = lexeme.find(f"{_PLS}alias")
        if alias is None or not (alias.text or "").strip():
            continue
        spoken = " ".join((alias.text or "").split())
        for grapheme in lexeme.iter(f"{_PLS}grapheme"):
            written = " ".join((grapheme.text or "").split())
            if written:
                entries.append((written, spoken))
    return Lexicon(tuple(entries))
