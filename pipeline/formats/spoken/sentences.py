"""Where sentences end, per language: sentencex, and the abbreviations it does not know.

Each sentence is one utterance (one caption, one cached synthesis), so a sentence
that ends after ``St.`` or ``Sr.`` is heard as two with a pause in the middle.
sentencex (Wikimedia's segmenter, Rust, about 300 languages, 8 ms to import) splits
text with each language's abbreviation list; pysbd was also measured, and split
``El Sr. Gómez y la Dra. Martínez`` in three and takes 0.2-0.3 s to import (see the
commit). Neither knows every abbreviation an author writes (``vol. II``, ``Sect.
2.1``, ``art. 3``), so a boundary that follows one of this language's own
abbreviations, an initial (``K.``), or is followed by a lower-case word or a digit,
is joined back. Most abbreviations are already expanded by the time text reaches
here (the narration normalises first), so these are the ones that remain.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.formats.spoken.language import Rules

#: Languages sentencex is asked about; anything else is segmented with English rules.
_SEGMENTER_LANGUAGES = {"en", "fr", "es", "de"}


@cache
def _segment() -> object:
    import sentencex

    return sentencex.segment


@cache
def _keep_together(rules: Rules) -> re.Pattern[str]:
    written = [w for w, _ in rules.abbreviations + rules.before_number if w.endswith(".")]
    written = [w for w in written if w not in rules.may_end]
    alternatives = "|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))
    return re.compile(rf"(?:(?<![\w.])(?:{alternatives})|(?<![\w.])[A-ZÀ-Ý]\.)$")


def split(text: str, rules: Rules, lang: str) -> list[str]:
    """The sentences of ``text`` (spaces between them dropped, nothing else changed)."""
    if not text.strip():
        return []
    code = lang.split("-", maxsplit=1)[0].lower()
    segment = _segment()
    pieces = [
        p.strip()
        for p in segment(code if code in _SEGMENTER_LANGUAGES else "en", text)  # type: ignore[operator]
        if p.strip()
    ]
    keep = _keep_together(rules)
    # sentencex keeps some ends it takes for abbreviations ("in May. Nobody"); by now the
    # language's abbreviations are expanded, so a word of three letters or more, a full
    # stop and a capitalised word is a sentence end unless the word is a known abbreviation
    pieces = [part for piece in pieces for part in _missed_ends(piece, keep)]
    # Only the end of the sentence so far decides (an abbreviation is short): looking at
    # all of it made "word. word. word. ..." (60 KB) take 29 s instead of milliseconds.
    joined: list[list[str]] = []
    for piece in pieces:
        if joined and (
            keep.search(joined[-1][-1][-_TAIL:])
            or _CONTINUES.match(piece)  # "c.-à-d.": no sentence starts so
            or joined[-1][-1][-1] not in _ENDS
        ):
            joined[-1].append(piece)
        else:
            joined.append([piece])
    return [" ".join(parts) for parts in joined]


#: Longer than any abbreviation a language lists: the end of a sentence ``keep`` looks at.
_TAIL = 64
_ENDS = frozenset('.!?…:;"”»)]')
_CONTINUES = re.compile(r"[a-zà-ÿ0-9(\-–,;:]")


_MISSED_END = re.compile(r"(?<=[^\W\d_]{2}[a-zà-ÿ][.!?])\s+(?=[A-ZÀ-Ý][a-zà-ÿ])")


def _missed_ends(piece: str, keep: re.Pattern[str]) -> list[str]:
    parts: list[str] = []
    start = 0
    for found in _MISSED_END.finditer(piece):
        if keep.search(piece[max(start, found.start() - _TAIL) : found.start()]):
            continue
        head = piece[start : found.start()]
        parts.append(head)
        start = found.end()
    parts.append(piece[start:])
    return parts
