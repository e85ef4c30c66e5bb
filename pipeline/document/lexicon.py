"""Author pronunciations: front matter ``pronunciations:`` and W3C PLS lexicons.

``<alias>`` entries are applied to the narration text before synthesis, so the
review script shows what the engine is given and every engine honours them.
``<phoneme>`` entries (a lexeme without an alias) are kept apart as ``phonemes``
and applied per engine when an utterance is spoken (``speech.phonemes``): Piper
takes IPA inline as ``[[ ... ]]``, espeak-ng its own phoneme mnemonics in
``[[...]]`` (converted from IPA, or given as ``alphabet="x-espeak"``); gTTS takes
no phonemes and reads the written word. Graphemes match whole words,
case-sensitively, longest first.

A lexicon is read with expat rather than ElementTree: expat says where each
element starts, so a broken lexicon is reported at its own line and column
(``article.pls:4:3: error A004 ...``), as a source is. It is read before any
writer runs (``pipeline.document.inputs``), so ``publish lint`` reports it too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from pipeline.diagnostics import Diagnostic, PipelineError, diagnostic

PLS = "http://www.w3.org/2005/01/pronunciation-lexicon"
"""The PLS 1.0 namespace every element of a lexicon is in."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Written forms and what to say instead."""

    entries: tuple[tuple[str, str], ...] = ()
    phonemes: tuple[tuple[str, str, str], ...] = ()
    """``<phoneme>`` entries: (written form, phonemes, alphabet: ``ipa`` or ``x-espeak``)."""

    @classmethod
    def from_pairs(cls, pairs: tuple[tuple[str, str], ...]) -> Lexicon:
        """A lexicon from (written, spoken) pairs; empty written forms are dropped."""
        return cls(tuple((w, s) for w, s in pairs if w.strip()))

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries added; this one wins on a clash."""
        mine = {w for w, _ in self.entries} | {w for w, _, _ in self.phonemes}
        return Lexicon(
            self.entries + tuple((w, s) for w, s in other.entries if w not in mine),
            self.phonemes + tuple(p for p in other.phonemes if p[0] not in mine),
        )

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
        if self.phonemes:
            data += "\n" + "\n".join("\t".join(entry) for entry in sorted(self.phonemes))
        return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(slots=True)
class _Element:
    """One element as expat reported it: name, attributes, where it starts, what it holds."""

    name: str
    """``namespace local`` (expat's form with a space separator), or ``local`` with none."""
    attributes: dict[str, str]
    line: int
    col: int
    """1-based."""
    text: list[str] = field(default_factory=list)
    children: list[_Element] = field(default_factory=list)

    def content(self) -> str:
        """Its text with whitespace runs made single spaces."""
        return " ".join("".join(self.text).split())


class _EntityDeclaredError(Exception):
    """A lexicon declares an entity: refused (it could expand without bound or name a file)."""

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.line, self.col = line, col


def _tree(data: bytes) -> _Element:
    """Parse ``data``; raise ``expat.ExpatError`` or ``_EntityDeclaredError``."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = []
    root: list[_Element] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        element = _Element(
            name, attributes, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        )
        (stack[-1].children if stack else root).append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    def entity(*args: object) -> None:
        raise _EntityDeclaredError(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = entity
    parser.Parse(data, True)
    return root[0]


def _alphabet(value: str | None) -> bool:
    """PLS's ``alphabet``: ``ipa`` or a vendor's ``x-`` name."""
    return value is not None and (value == "ipa" or (value.startswith("x-") and len(value) > 2))


def read_lexicon(path: Path, shown: str) -> tuple[Lexicon, list[Diagnostic]]:
    """The ``<alias>`` and ``<phoneme>`` entries of a PLS 1.0 file (an alias wins) and
    every problem found in it.

    ``shown`` is the path as diagnostics print it (beside the source as the user named
    it). A lexicon with errors gives the entries it could read; the build stops anyway.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
        return Lexicon(), [
            diagnostic("A001", f"pronunciation lexicon cannot be read: {why}", shown)
        ]
    return lexicon_from_bytes(data, shown)


def lexicon_from_bytes(data: bytes, shown: str) -> tuple[Lexicon, list[Diagnostic]]:
    """``read_lexicon`` on bytes already read (``inputs`` reads them safely)."""
    try:
        root = _tree(data)
    except expat.ExpatError as exc:
        message = f"pronunciation lexicon is not well-formed XML: {expat.errors.messages[exc.code]}"
        return Lexicon(), [diagnostic("A002", message, shown, exc.lineno, exc.offset + 1)]
    except _EntityDeclaredError as exc:
        message = "pronunciation lexicon declares an entity; entities are not allowed"
        return Lexicon(), [diagnostic("A002", message, shown, exc.line, exc.col)]
    if root.name != f"{PLS} lexicon":
        local = root.name.rpartition(" ")[2]
        namespace = root.name.rpartition(" ")[0] or "no namespace"
        message = (
            f'the root element is <{local}> in {namespace}, not a PLS <lexicon> (xmlns="{PLS}")'
        )
        return Lexicon(), [diagnostic("A003", message, shown, root.line, root.col)]
    problems: list[Diagnostic] = []
    if not _alphabet(root.attributes.get("alphabet")):
        given = root.attributes.get("alphabet")
        what = f"alphabet '{given}' is not 'ipa' or an 'x-' name" if given else "no alphabet"
        problems.append(
            diagnostic(
                "A005", f"<lexicon> has {what} (PLS requires one)", shown, root.line, root.col
            )
        )
    entries: list[tuple[str, str]] = []
    phonemes: list[tuple[str, str, str]] = []
    for lexeme in root.children:
        if lexeme.name != f"{PLS} lexeme":
            continue
        graphemes = [c for c in lexeme.children if c.name == f"{PLS} grapheme"]
        written = [g.content() for g in graphemes if g.content()]
        if not written:
            problems.append(
                diagnostic(
                    "A004",
                    "<lexeme> has no <grapheme> with text, so it matches nothing",
                    shown,
                    lexeme.line,
                    lexeme.col,
                )
            )
        for phoneme in (c for c in lexeme.children if c.name == f"{PLS} phoneme"):
            given = phoneme.attributes.get("alphabet")
            if given is not None and not _alphabet(given):
                problems.append(
                    diagnostic(
                        "A005",
                        f"<phoneme> alphabet '{given}' is not 'ipa' or an 'x-' name",
                        shown,
                        phoneme.line,
                        phoneme.col,
                    )
                )
        alias = next((c for c in lexeme.children if c.name == f"{PLS} alias"), None)
        spoken = alias.content() if alias is not None else ""
        first = next((c for c in lexeme.children if c.name == f"{PLS} phoneme"), None)
        sounds = first.content() if first is not None else ""
        if spoken:
            entries.extend((form, spoken) for form in written)
        elif sounds and first is not None:
            alphabet = first.attributes.get("alphabet") or root.attributes.get("alphabet", "ipa")
            phonemes.extend((form, sounds, alphabet.lower()) for form in written)
    return Lexicon(tuple(entries), tuple(phonemes)), problems


def load_lexicon(path: Path) -> Lexicon:
    """Read the ``<alias>`` and ``<phoneme>`` entries of a PLS 1.0 file; raise ``PipelineError``
    if it is broken."""
    lexicon, problems = read_lexicon(path, str(path))
    if problems:
        raise PipelineError(problems)
    return lexicon
