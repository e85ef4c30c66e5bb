"""The narration script: the document as an ordered list of things to say.

A writer like the others, over the finished model. Each ``Utterance`` is
plain data (what to say, which element it voices, how long to pause after
it, which chapter it belongs to), so the script has golden files, the audio
is built from it, and captions and EPUB media overlays (issue 6) are built
from the timings measured when each utterance is synthesised.

Granularity is a sentence of running text, or one list item, table row,
figure, reference entry or heading: short enough for captions and for
pyttsx3 (whose cost grows with the square of a segment's length), and an
edit to one sentence re-synthesises one utterance.

Ids are the model's element ids. The title page has no element in the
model, so its utterances use fixed ids, ``doc-title``, ``doc-subtitle``,
``doc-authors`` and ``doc-publisher``, which the HTML and EPUB writers are
asked to put on their title-page elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from pipeline import outputs
from pipeline.context import Context, Written
from pipeline.diagnostics import PipelineError
from pipeline.document import links
from pipeline.document.inputs import read_lexicon_of
from pipeline.document.lexicon import Lexicon
from pipeline.document.model import (
    Block,
    BlockQuote,
    BulletList,
    Citation,
    CiteItem,
    Code,
    CodeBlock,
    DefinitionList,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    HtmlBlock,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    MathBlock,
    OrderedList,
    PageBreak,
    Paragraph,
    RawHtml,
    Reference,
    ReferenceList,
    SoftBreak,
    Span,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    leading_page_breaks,
    plain_text,
    sentence_runs,
    walk_sections,
)
from pipeline.formats import spoken
from pipeline.formats.credits import credits, lead_in
from pipeline.formats.spoken import math as spoken_math
from pipeline.formats.typography import for_speech
from pipeline.words import SpokenWords as Words
from pipeline.words import words_for

Kind = Literal[
    "title",
    "subtitle",
    "authors",
    "publisher",
    "heading",
    "paragraph",
    "list",
    "list-item",
    "quote",
    "code",
    "table",
    "table-row",
    "figure",
    "term",
    "footnote",
    "reference",
    "math",
    "description",
    "pagebreak",
]

#: Pauses in seconds after an utterance: sentence < paragraph < heading < section.
PAUSE_SENTENCE = 0.35
PAUSE_ITEM = 0.5
PAUSE_PARAGRAPH = 0.8
PAUSE_HEADING = 1.0
PAUSE_SECTION = 2.0
PAUSE_BREAK = 1.5


@dataclass(frozen=True, slots=True)
class Utterance:
    """One thing to say, in reading order."""

    text: str
    """Exactly what the engine is given (normalised, pronunciations applied)."""
    id: str
    """Id of the element voiced (several sentences of one paragraph share it)."""
    kind: Kind
    pause: float
    """Silence after it, in seconds."""
    chapter: int
    """Index into ``Narration.chapters``."""
    part: int = 0
    """Position among the utterances of the same element, from 0."""
    langs: tuple[tuple[int, int, str], ...] = ()
    """Passages of ``text`` in another language than the document's, as (start, end,
    language) character ranges: ``[texte]{lang=fr}``, read by a voice for that language."""

    @property
    def key(self) -> str:
        """Unique in the narration: the id, with ``.2``, ``.3`` for later parts (cue ids)."""
        return self.id if self.part == 0 else f"{self.id}.{self.part + 1}"


@dataclass(frozen=True, slots=True)
class Chapter:
    """A section of the document: one chapter of the audiobook."""

    title: str
    id: str
    """The section's id."""


@dataclass(frozen=True, slots=True)
class Narration:
    """The whole script."""

    lang: str
    chapters: tuple[Chapter, ...]
    utterances: tuple[Utterance, ...]


@dataclass
class _Script:
    """Mutable builder state while walking the document."""

    words: Words
    lang: str
    lexicon: Lexicon
    notes: dict[str, Footnote]
    chapters: list[Chapter] = field(default_factory=list)
    items: list[Utterance] = field(default_factory=list)
    parts: dict[str, int] = field(default_factory=dict)
    pending_notes: list[str] = field(default_factory=list)
    pending_pages: list[PageBreak] = field(default_factory=list)
    """Page breaks met in the block being read, announced once it ends."""
    read_notes: set[str] = field(default_factory=set)

    def say(self, text: str, element: str, kind: Kind, pause: float) -> None:
        text = _tidy(text)
        if not _OTHER_LANGUAGE.sub("", text).strip(" ,;"):
            return
        part = self.parts.get(element, 0)
        self.parts[element] = part + 1
        text, langs = _passages(self.lexicon.apply(text))
        chapter = len(self.chapters) - 1
        self.items.append(Utterance(text, element, kind, pause, chapter, part, langs))

    def say_sentences(self, text: str, element: str, kind: Kind, pause: float) -> None:
        sentences = _balanced(spoken.split_sentences(_tidy(text), self.lang))
        for index, sentence in enumerate(sentences):
            last = index == len(sentences) - 1
            self.say(sentence, element, kind, pause if last else PAUSE_SENTENCE)

    def lengthen_last(self, pause: float) -> None:
        """Make the pause after the last utterance at least ``pause``."""
        if self.items and self.items[-1].pause < pause:
            last = self.items[-1]
            self.items[-1] = replace(last, pause=pause)


#: A passage in another language while the narration is built: ``OPEN lang START text END``
#: (private-use characters, removed from the source's own text in ``_inlines``), turned into
#: ``Utterance.langs`` ranges once the utterance's text is final.
_OPEN, _START, _END = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile(f"[{_OPEN}{_START}{_END}]")
_OTHER_LANGUAGE = re.compile(f"{_OPEN}[^{_START}]*{_START}|{_END}")


def _passages(text: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The text without passage marks, and where each passage is (outermost language)."""
    out: list[str] = []
    runs: list[tuple[int, int, str]] = []
    length = 0
    stack: list[tuple[int, str]] = []
    for piece in re.split(f"({_OPEN}[^{_START}]*{_START}|{_END})", text):
        if piece.startswith(_OPEN):
            stack.append((length, piece[1:-1]))
        elif piece == _END:
            if stack:
                start, lang = stack.pop()
                if not stack:
                    runs.append((start, length, lang))
        else:
            out.append(piece)
            length += len(piece)
    if stack:
        runs.append((stack[0][0], length, stack[0][1]))
    clean = "".join(out)
    trimmed = []
    for first, last, lang in runs:  # a passage's own edge spaces are read in the document's voice
        start, end = first, last
        while start < end and clean[start].isspace():
            start += 1
        while end > start and clean[end - 1].isspace():
            end -= 1
        if end > start:
            trimmed.append((start, end, lang))
    return clean, tuple(trimmed)


def _balanced(sentences: list[str]) -> list[str]:
    """Sentences split inside a passage each carry its language."""
    out: list[str] = []
    carried: list[str] = []
    for written in sentences:
        sentence = "".join(carried) + written
        carried = []
        for mark in re.findall(f"{_OPEN}[^{_START}]*{_START}|{_END}", sentence):
            if mark == _END:
                if carried:
                    carried.pop()
            else:
                carried.append(mark)
        out.append(sentence + _END * len(carried))
    return out


#: Invisible format characters (zero-width, bidirectional overrides, joiners): never
#: spoken, and in narration.txt they would reorder or hide what a reviewer reads.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def _tidy(text: str) -> str:
    """Collapse spaces and doubled punctuation left by removed or rewritten parts."""
    text = " ".join(_INVISIBLE.sub("", text).split())
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r",(?=[,.;:!?])", "", text)
    text = re.sub(r"\(\s*\)", "", text)
    return spoken.tidy_punctuation(text).strip(" ,;")


# --------------------------------------------------------------------------- inlines


def _inlines(nodes: tuple[Inline, ...], script: _Script, lang: str = "") -> str:
    """Inline content as text to normalise; citations are already spoken form.

    ``lang`` is a passage's own language (``[le 3 mai]{lang=fr}``): its numbers and
    abbreviations are read with that language's rules.
    """
    lang = lang or script.lang
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(_MARKS.sub("", spoken.normalise(for_speech(node.text), lang)))
        elif isinstance(node, Code):
            out.append(_MARKS.sub("", node.text))
        elif isinstance(node, SoftBreak | LineBreak):
            out.append(" ")
        elif isinstance(node, Span) and _other(node.lang, lang):
            out.append(_in_language(node.lang, node.children, script))
        elif isinstance(node, Span):
            out.append(_inlines(node.children, script, node.lang or lang))
        elif isinstance(node, Emphasis | Strong):
            out.append(_inlines(node.children, script, lang))
        elif isinstance(node, Strikethrough):
            out.append(f"({script.words.deleted} {_inlines(node.children, script)})")
        elif isinstance(node, Link):
            label = plain_text(node.children).strip()
            if not label or label in (
                node.href,
                node.href.removeprefix("mailto:"),
                node.href.replace(links.DOI_RESOLVER, "doi:", 1),  # doi:10.1000/x
            ):
                out.append(spoken.say_link(node.href, script.words))
            else:
                out.append(_inlines(node.children, script))
        elif isinstance(node, Math):
            out.append(spoken_math.say(node.tex, lang, node.display))
        elif isinstance(node, Image):
            if node.alt and not node.decorative:
                out.append(f"({script.words.image} {spoken.normalise(node.alt, script.lang)})")
        elif isinstance(node, Citation):
            out.append(spoken.say_years(_citation(node, script.words), script.lang))
        elif isinstance(node, FootnoteRef):
            if node.note_id and node.note_id not in script.pending_notes:
                script.pending_notes.append(node.note_id)
        elif isinstance(node, PageBreak):
            script.pending_pages.append(node)
        elif isinstance(node, RawHtml):
            continue
    return "".join(out)


def _other(lang: str, current: str) -> bool:
    """Whether a passage's language differs from the text around it (``en`` in ``en-GB``
    does not)."""
    primary = lang.split("-", maxsplit=1)[0].lower()
    return bool(primary) and primary != current.split("-", maxsplit=1)[0].lower()


def _in_language(lang: str, nodes: tuple[Inline, ...], script: _Script) -> str:
    """A passage in another language: its text normalised in that language, marked so its
    utterance says where it is (``Utterance.langs``)."""
    text = _inlines(nodes, script, lang)
    return f"{_OPEN}{_MARKS.sub('', lang).lower()}{_START}{text}{_END}"


_INTRODUCED = re.compile(r"\[(?P<short>[^\[\]]{1,20})\]")


def _with_abbreviation(item: CiteItem) -> CiteItem:
    """``World Health Organization [WHO]`` is said "World Health Organization, WHO": the
    listener hears the abbreviation the text goes on to use."""
    found = _INTRODUCED.search(item.text)
    if found is None or not item.authors:
        return item
    last = f"{item.authors[-1]}, {found['short']}"
    return replace(item, authors=(*item.authors[:-1], last))


def _citation(node: Citation, words: Words) -> str:
    items = [
        spoken.say_cite_item(_with_abbreviation(i), words, narrative=node.narrative)
        for i in node.items
    ]
    if node.narrative:
        return " ".join(items)
    return "(" + "; ".join(items) + ")"


# --------------------------------------------------------------------------- blocks


def _flush_notes(script: _Script) -> None:
    """Read the notes referenced so far, right after the block that cites them."""
    while script.pending_notes:
        note_id = script.pending_notes.pop(0)
        if note_id in script.read_notes or note_id not in script.notes:
            continue
        script.read_notes.add(note_id)
        note = script.notes[note_id]
        words = script.words
        script.say(f"{words.note} {note.number}.", note.id, "footnote", PAUSE_SENTENCE)
        for block in note.blocks:
            _block(block, script, note.id, kind="footnote")
        script.say(words.end_note, note.id, "footnote", PAUSE_PARAGRAPH)


def _block(block: Block, script: _Script, owner: str = "", kind: Kind = "paragraph") -> None:
    words = script.words
    if isinstance(block, Paragraph):
        # Each marked sentence is voiced by its own id (what a reader sees highlighted),
        # unless the paragraph belongs to a note, an item or a term read as one.
        # A print page that begins in a sentence is announced after that sentence; one
        # that begins before the paragraph's first word ("{pb=12}" above it), before it.
        runs = () if owner else sentence_runs(block)
        for index, (ident, written) in enumerate(runs or ((owner or block.id, block.children),)):
            run = _announce_leading_pages(written, script) if index == 0 else written
            if _other(block.lang, script.lang):
                text = _in_language(block.lang, run, script)
            else:
                text = _inlines(run, script)
            last = index == len(runs) - 1 or not runs
            script.say_sentences(text, ident, kind, PAUSE_PARAGRAPH if last else PAUSE_SENTENCE)
            if not last:
                _flush_pages(script)
    elif isinstance(block, BulletList | OrderedList):
        count = len(block.items)
        noun = words.item if count == 1 else words.items
        script.say(f"{words.list_of.format(n=count)} {noun}.", block.id, "list", PAUSE_SENTENCE)
        for number, item in enumerate(
            block.items, start=block.start if isinstance(block, OrderedList) else 1
        ):
            prefix = f"{number}. " if isinstance(block, OrderedList) else ""
            first, *rest = item.blocks or (Paragraph(()),)
            if isinstance(first, Paragraph):
                text = prefix + _inlines(first.children, script)
                script.say(text, item.id, "list-item", PAUSE_ITEM)
                _flush_pages(script)
            else:
                rest = [first, *rest]
                if prefix:
                    script.say(prefix, item.id, "list-item", PAUSE_SENTENCE)
            for inner in rest:
                _block(inner, script, item.id if isinstance(inner, Paragraph) else "", "list-item")
        script.lengthen_last(PAUSE_PARAGRAPH)
    elif isinstance(block, BlockQuote):
        script.say(words.quote, block.id, "quote", PAUSE_SENTENCE)
        for inner in block.blocks:
            _block(inner, script)
        script.say(words.end_quote, block.id, "quote", PAUSE_PARAGRAPH)
    elif isinstance(block, CodeBlock):
        count = len(block.text.rstrip("\n").split("\n"))
        language = " " + words.in_language.format(language=block.language)
        text = words.code.format(
            language=language if block.language else "",
            lines=f"{count} {words.line if count == 1 else words.lines}",
        )
        script.say(text, block.id, "code", PAUSE_PARAGRAPH)
    elif isinstance(block, Table):
        _table(block, script)
    elif isinstance(block, Figure):
        alt = "" if block.image.decorative else spoken.normalise(block.image.alt, script.lang)
        caption = _inlines(block.caption, script)
        if alt or caption:
            text = f"{words.figure}: {alt}." if alt else f"{words.figure}."
            if caption and caption.strip(". ") != alt.strip(". "):
                text += f" {caption.rstrip()}" + ("" if caption.rstrip()[-1] in ".!?" else ".")
            script.say(text, block.id, "figure", PAUSE_PARAGRAPH)
        if block.description:  # the extended description, framed, right after the figure
            framing = words_for(script.lang).math
            script.say(framing.description_start, block.id, "description", PAUSE_SENTENCE)
            for inner in block.description:
                _block(inner, script, kind="description")
            script.say(framing.description_end, block.id, "description", PAUSE_PARAGRAPH)
    elif isinstance(block, MathBlock):
        said = spoken_math.say(block.tex, script.lang, display=True)
        script.say(_capitalised(said) + ".", block.id, "math", PAUSE_PARAGRAPH)
    elif isinstance(block, DefinitionList):
        for definition in block.items:
            term = _inlines(definition.term, script)
            script.say(f"{term}:", definition.id, "term", PAUSE_SENTENCE)
            for blocks in definition.definitions:
                for inner in blocks:
                    _block(inner, script, definition.id if isinstance(inner, Paragraph) else "")
        script.lengthen_last(PAUSE_PARAGRAPH)
    elif isinstance(block, ReferenceList):
        for entry in block.entries:
            script.say(_reference(entry, script), entry.id, "reference", PAUSE_ITEM)
        script.lengthen_last(PAUSE_PARAGRAPH)
    elif isinstance(block, ThematicBreak):
        script.lengthen_last(PAUSE_BREAK)
    elif isinstance(block, HtmlBlock):
        return
    _flush_pages(script)
    if kind != "footnote":
        _flush_notes(script)


def _announce_leading_pages(run: tuple[Inline, ...], script: _Script) -> tuple[Inline, ...]:
    """Announce the print pages that begin before a paragraph's first word (a ``{pb=12}``
    line above it) before reading it; the rest of the run, to read."""
    lead = leading_page_breaks(run)
    script.pending_pages.extend(node for node in run[:lead] if isinstance(node, PageBreak))
    _flush_pages(script)
    return run[lead:]


def _capitalised(said: str) -> str:
    """A formula's words with a capital, unless they start with a variable: ``c sub t``
    stays ``c`` (the captions show it), ``the sum`` becomes ``The sum``."""
    first = said.split(" ", 1)[0]
    return said if len(first) == 1 else said[:1].upper() + said[1:]


def _flush_pages(script: _Script) -> None:
    """Announce the print edition's pages that began in the block just read ("Page 12."),
    each its own utterance, so media overlays can mark it skippable."""
    word = script.words.locators.page[0]
    while script.pending_pages:
        node = script.pending_pages.pop(0)
        label = spoken.normalise(node.label, script.lang)
        script.say(f"{word[:1].upper()}{word[1:]} {label}.", node.id, "pagebreak", PAUSE_SENTENCE)


def _table(table: Table, script: _Script) -> None:
    words = script.words
    caption = _inlines(table.caption, script)
    columns = max((len(r.cells) for r in table.head + table.body), default=0)
    intro = f"{words.table}: {caption}." if caption else f"{words.table}."
    rows = len(table.body)
    intro += f" {rows} {words.row if rows == 1 else words.rows},"
    intro += f" {columns} {words.column if columns == 1 else words.columns}."
    script.say(intro, table.id, "table", PAUSE_SENTENCE)
    headers = [_inlines(c.children, script) for c in table.head[-1].cells] if table.head else []
    for row in table.body:
        cells = [_inlines(c.children, script) for c in row.cells]
        spoken_cells = []
        for index, cell in enumerate(cells):
            header = headers[index] if index < len(headers) else ""
            value = cell.strip()
            if not value:
                continue  # an empty cell is silent, not "dash"
            spoken_cells.append(f"{header}: {value}" if header else value)
        if spoken_cells:
            script.say("; ".join(spoken_cells) + ".", row.id, "table-row", PAUSE_ITEM)
            _flush_pages(script)
    script.lengthen_last(PAUSE_PARAGRAPH)


def _person(family: str, given: str) -> str:
    """In reading order: ``King, M. L., Jr.`` → ``M. L. King Jr.``."""
    given, _, suffix = given.partition(",")
    return " ".join(part for part in (given.strip(), family, suffix.strip()) if part)


def _sentence(text: str) -> str:
    """Text ending in one full stop (``Who comes back?`` keeps its question mark)."""
    text = text.rstrip(" ,;:")
    return text if text.endswith((".", "?", "!", "…")) else text + "."


_RETRIEVED = re.compile(r"Retrieved\s+(?:on\s+)?([A-Z][a-z]+ \d{1,2}, \d{4}),?\s*(?:from\s*)?")


def _unparsed_tail(entry: Reference, text: str) -> str:
    """What the entry says after its last parsed field (a book's publisher, say).

    The parser does not find every field; reading the rest keeps the entry whole.
    """
    ends = [0]
    for value in (entry.title, entry.container, entry.pages, entry.pages.replace("–", "-")):
        if value and (at := text.rfind(value)) >= 0:
            ends.append(at + len(value))
    if entry.volume and (found := re.search(rf"\b{re.escape(entry.volume)}\b(\([^)]*\))?", text)):
        ends.append(found.end())
    tail = text[max(ends) :]
    tail = _RETRIEVED.sub(" ", tail)
    tail = re.sub(r"(?:https?://|doi:\s*)\S+", " ", tail)
    tail = tail.strip(" .,;:")
    return tail if re.search(r"\w", tail) else ""


def _reference(entry: Reference, script: _Script) -> str:
    """Every entry in full, in the order a listener follows: who, when, what, where."""
    words = script.words
    lang = script.lang
    if not entry.authors or not (entry.title or entry.container):
        return f"{entry.number}. " + spoken.normalise(plain_text(entry.children), lang)
    names = [_person(p.family, p.given) for p in entry.authors]
    if entry.more_authors:
        names[-1] = f"{names[-1]} {words.colleagues}"
    parts = [_sentence(f"{entry.number}. {spoken.join_names(names, words)}")]
    if entry.year:
        year = spoken.say_years(spoken.say_year(entry.year, words), lang)
        parts.append(year[:1].upper() + year[1:] + ".")
    if entry.title:
        parts.append(_sentence(spoken.normalise(entry.title, lang)))
    where: list[str] = []
    if entry.container:
        where.append(f"{words.in_} {spoken.normalise(entry.container, lang)}")
    if entry.volume:
        where.append(f"{words.volume} {entry.volume}")
    if entry.issue:
        where.append(f"{words.issue} {entry.issue}")
    if entry.pages:
        plural = re.search(r"[–—-]", entry.pages)
        label = (words.locators.pages if plural else words.locators.page)[0]
        # Pages are read as numbers, never as years ("1702 to 1710").
        pages = re.sub(r"\s*[–—-]\s*", f" {words.to} ", entry.pages)
        where.append(f"{label} {pages}")
    if where:
        parts.append(", ".join(where) + ".")
    text = " ".join(plain_text(entry.children).split())
    tail = _unparsed_tail(entry, text)
    if tail:
        parts.append(_sentence(spoken.normalise(tail, lang)))
    retrieved = _RETRIEVED.search(text)
    if retrieved:
        parts.append(f"{words.retrieved} {spoken.normalise(retrieved.group(1), lang)}.")
    if entry.doi:
        parts.append(spoken.say_doi(entry.doi, words) + ".")
    elif entry.url:
        parts.append(spoken.say_url(entry.url, words).capitalize() + ".")
    return " ".join(parts)


# --------------------------------------------------------------------------- document


def narrate(document: Document, lexicon: Lexicon | None = None) -> Narration:
    """The narration script of a document."""
    meta = document.metadata
    words = spoken.words_for(meta.lang)
    if lexicon is None:
        lexicon = Lexicon.from_pairs(meta.pronunciations)
    notes = {note.id: note for note in document.footnotes}
    script = _Script(words, meta.lang, lexicon, notes)
    sections = list(walk_sections(document.sections))
    if not sections:  # front matter only: the title page is the whole book
        script.chapters.append(Chapter(meta.title, "doc-title"))
        _opening(document, script)
    for index, section in enumerate(sections):
        # One chapter per section; text before the first heading is titled with the
        # document's title. The title page opens the first chapter, whatever it is.
        title = meta.title if section.implicit else spoken_math.title(section.title, meta.lang)
        script.chapters.append(Chapter(" ".join(title.split()), section.id))
        if index == 0:
            _opening(document, script)
        if not section.implicit:
            script.lengthen_last(PAUSE_SECTION)
            heading = _inlines(section.title, script)
            script.say(heading.rstrip(".:") + ".", section.id, "heading", PAUSE_HEADING)
            lists = [b for b in section.blocks if isinstance(b, ReferenceList)]
            if lists and section.role == "references":
                count = sum(len(b.entries) for b in lists)
                noun = words.entry if count == 1 else words.entries
                script.say(f"{count} {noun}.", section.id, "heading", PAUSE_HEADING)
        for block in section.blocks:
            _block(block, script)
    return Narration(meta.lang, tuple(script.chapters), tuple(script.items))


def _opening(document: Document, script: _Script) -> None:
    meta = document.metadata
    words = script.words
    script.say(spoken.normalise(meta.title, meta.lang), "doc-title", "title", PAUSE_PARAGRAPH)
    if meta.subtitle:
        script.say(
            spoken.normalise(meta.subtitle, meta.lang), "doc-subtitle", "subtitle", PAUSE_PARAGRAPH
        )
    for credit in credits(meta.authors, meta.lang):  # "By A.", "Illustrated by C."...
        phrase, space = (
            (words.by, " ")
            if credit.role == "aut"
            else lead_in(credit.phrase, credit.names[0], meta.lang)
        )
        byline = f"{phrase}{space}{spoken.join_names(list(credit.names), words)}."
        script.say(byline, credit.ident, "authors", PAUSE_PARAGRAPH)
    if meta.publisher:
        text = f"{words.published_by} {spoken.normalise(meta.publisher, meta.lang)}."
        script.say(text, "doc-publisher", "publisher", PAUSE_PARAGRAPH)
    script.lengthen_last(PAUSE_SECTION)


# --------------------------------------------------------------------------- review text


def to_text(narration: Narration) -> str:
    """The script for review: chapters as headings, one utterance per line with its id."""
    lines: list[str] = []
    current = -1
    for item in narration.utterances:
        if item.chapter != current:
            current = item.chapter
            if lines:
                lines.append("")
            lines.append(f"== Chapter {current + 1}: {narration.chapters[current].title}")
        lines.append(f"[{item.key}] ({item.kind}, +{item.pause:g}s) {item.text}")
    return "\n".join(lines) + "\n"


def lexicon_for(document: Document) -> Lexicon:
    """Front-matter pronunciations plus ``<stem>.pls`` beside the source, read and checked as a
    build does (``inputs.read_lexicon_of``); ``PipelineError`` when the lexicon is broken.
    For documents built in code: a build hands writers the lexicon it already read."""
    lexicon, problems, _ = read_lexicon_of(document)
    if problems:
        raise PipelineError(problems)
    return lexicon


@dataclass(frozen=True)
class NarrationWriter:
    """The narration script alone (``<stem>.narration.txt``), without synthesis."""

    name: str = "narration"
    description: str = "the narration script for review (<stem>.narration.txt)"

    def write(self, context: Context) -> Written:
        narration = narrate(context.document, context.inputs.lexicon)
        path = context.out_dir / f"{context.stem}.narration.txt"
        return Written((outputs.write_text(path, to_text(narration)),), narration=narration)

    def warm(self, document: Document) -> None:
        """Import the reading rules' libraries (num2words, Babel, sentencex: about 0.5 s) in a
        resident process before the first edit, not after it."""
        spoken.warm(document.metadata.lang)
