"""The one typed document model every writer reads.

Markdown is parsed once (``parse.py``) into these frozen nodes; transforms
(``transforms.py``) return new documents; writers only read. Every node that
an author can point at carries its 1-based source ``line``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from itertools import pairwise
from typing import Any, Literal, TypeAlias, TypeVar

from pipeline.diagnostics import Diagnostic
from pipeline.document.review import Review

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text, entities already decoded."""

    text: str


@dataclass(frozen=True, slots=True)
class SoftBreak:
    """A line ending inside a paragraph: a space when rendered."""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break (two trailing spaces or a backslash)."""


@dataclass(frozen=True, slots=True)
class Emphasis:
    """``*emphasis*``."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """``**strong importance**``."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strikethrough:
    """``~~deleted text~~``."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Inline ``code``."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``href`` is as written (writers decide what is safe)."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""
    line: int = 0
    """Where a link to an id in the document (``#methods``) is written, for its diagnostic."""
    col: int = 0


@dataclass(frozen=True, slots=True)
class Image:
    """An image; ``alt`` is its text alternative (empty means none was given)."""

    src: str
    alt: str
    title: str = ""
    decorative: bool = False
    """Marked explicitly as decorative (``{.decorative}``), so empty alt is intended."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Span:
    """``[text]{lang=fr}``: a run of text with attributes (a language, an id)."""

    children: tuple[Inline, ...]
    lang: str = ""
    id: str = ""
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RawHtml:
    """Inline HTML as written; never passed through unescaped."""

    html: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where a page of the print edition begins (``{pb=12}``): an EPUB page-list target."""

    label: str
    """The page number as printed (``12``, ``xii``)."""
    id: str = ""
    """``page-<label>``, unique in the document."""
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A reference to a footnote (``[^label]``)."""

    label: str
    """The label as written."""
    note_id: str = ""
    """Id of the footnote it points to ("" when the note is undefined)."""
    id: str = ""
    """This reference's own id, for the back-link."""
    number: int = 0
    """The footnote's number in reading order."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Locator:
    """A pinpoint in a cited work: ``p. 4``, ``pp. 14–19``, ``chap. 2``."""

    label: Literal["page", "pages", "chapter", "section", "paragraph", "table", "figure", "note"]
    value: str
    """As written, with ranges normalised to an en dash (``14–19``)."""


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work cited inside a citation: ``Bach et al., 2017``."""

    text: str
    """The item as written (without parentheses or separators)."""
    authors: tuple[str, ...]
    """Surnames as written, in order (``("Bach", "Diane", "Litam")``)."""
    et_al: bool
    """Written with ``et al.``."""
    year: str
    """``2017``, ``2017a`` or ``n.d.``."""
    locator: Locator | None = None
    reference_id: str = ""
    """Id of the matched reference entry ("" while unresolved)."""
    key: str = ""
    """A pandoc-style citation's key (``[@smith20]``): it links by key, not by name and year."""
    line: int = 0
    col: int = 0
    tentative: bool = False
    """Written without the comma APA puts before the year (Harvard ``(Smith 2020)``) or
    with a page instead of a year (MLA ``(Smith 45)``): prose can look the same
    (``(Windows 2000)``), so it is a citation only if it names an entry."""


@dataclass(frozen=True, slots=True)
class Citation:
    """An author–year citation: ``(A, 2001; B, 2002)`` or narrative ``A (2001)``."""

    text: str
    """The whole citation as written."""
    items: tuple[CiteItem, ...]
    narrative: bool
    """``Weitzer (2007)`` form: the authors are part of the sentence."""
    id: str = ""
    """Unique id, target of the reference entry's back-links."""
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Math:
    """A formula in LaTeX: ``$…$`` or ``\\(…\\)`` in running text (``$$…$$`` inline is
    ``display``); writers convert it to MathML and speak it (``pipeline.document.math``)."""

    tex: str
    display: bool = False
    line: int = 0


Inline: TypeAlias = (
    Text
    | SoftBreak
    | LineBreak
    | Emphasis
    | Strong
    | Strikethrough
    | Code
    | Link
    | Image
    | Span
    | RawHtml
    | FootnoteRef
    | Citation
    | Math
    | PageBreak
)

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    children: tuple[Inline, ...]
    line: int = 0
    id: str = ""
    lang: str = ""
    sentences: tuple[int, ...] = ()
    """Where the second, third... sentence begins, as indices into ``children`` (empty for
    a paragraph of one sentence): set by the ``mark_sentences`` transform, so the page, the
    EPUB and the narration cut the paragraph at the same places (``sentence_runs``)."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list; holds blocks (tight lists hold one paragraph)."""

    blocks: tuple[Block, ...]
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list."""

    items: tuple[ListItem, ...]
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[ListItem, ...]
    start: int = 1
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A quotation set off from the text."""

    blocks: tuple[Block, ...]
    line: int = 0
    id: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted code; ``language`` from the fence info string."""

    text: str
    language: str = ""
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class TableCell:
    """A table cell; ``header`` cells label their column."""

    children: tuple[Inline, ...]
    header: bool = False
    align: Literal["", "left", "center", "right"] = ""


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of cells."""

    cells: tuple[TableCell, ...]
    id: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with header rows, body rows and an optional caption (``Table: ...``)."""

    head: tuple[TableRow, ...]
    body: tuple[TableRow, ...]
    caption: tuple[Inline, ...] = ()
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """An image standing alone in a paragraph; its title becomes the caption."""

    image: Image
    caption: tuple[Inline, ...] = ()
    line: int = 0
    id: str = ""
    description: tuple[Block, ...] = ()
    """Its extended description (a ``::: description`` block right after it)."""


@dataclass(frozen=True, slots=True)
class MathBlock:
    """A displayed formula (``$$…$$`` or ``\\[…\\]`` on lines of its own), in LaTeX."""

    tex: str
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    """A scene break (``---``)."""

    line: int = 0


@dataclass(frozen=True, slots=True)
class Definition:
    """A term with one or more definitions, each a list of blocks."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class DefinitionList:
    """A list of terms and definitions."""

    items: tuple[Definition, ...]
    line: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """A block of raw HTML as written; writers escape it, never pass it through."""

    html: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Person:
    """A name parsed from a reference entry: ``Bach, J. E.``."""

    family: str
    """Surname, or the whole name of an organisation."""
    given: str = ""
    """Given names or initials as written."""
    short: str = ""
    """A group's abbreviation, introduced in brackets: ``World Health Organization [WHO]``."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the reference list, parsed for matching and narration."""

    children: tuple[Inline, ...]
    """The entry as written (italics and all)."""
    authors: tuple[Person, ...]
    year: str
    """``2017``, ``2017a``, ``n.d.`` or "" when none was found."""
    title: str = ""
    container: str = ""
    """Journal, book or site the work appeared in."""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    url: str = ""
    doi: str = ""
    number: int = 0
    """Position in the list, from 1."""
    id: str = ""
    cited_by: tuple[str, ...] = ()
    """Ids of the citations that resolve to this entry, in reading order."""
    line: int = 0
    more_authors: bool = False
    """The author list ends in ``et al.`` or an ellipsis: more authors than named."""
    key: str = ""
    """The bibliography key of an entry generated from a ``bibliography:`` file."""


@dataclass(frozen=True, slots=True)
class ReferenceList:
    """The reference list of the references section."""

    entries: tuple[Reference, ...]
    ordered: bool = True
    line: int = 0
    id: str = ""


Block: TypeAlias = (
    Paragraph
    | BulletList
    | OrderedList
    | BlockQuote
    | CodeBlock
    | Table
    | Figure
    | ThematicBreak
    | DefinitionList
    | HtmlBlock
    | ReferenceList
    | MathBlock
)

SectionRole = Literal[
    "body", "references", "backmatter", "appendix", "acknowledgments", "foreword", "preface"
]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what follows it up to the next heading of its level or higher."""

    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()
    level: int = 1
    """Level as written in the source (``##`` is 2)."""
    depth: int = 1
    """Normalised nesting depth: 1 for top-level sections, never skipping."""
    role: SectionRole = "body"
    id: str = ""
    lang: str = ""
    implicit: bool = False
    """Text before the first heading: it has no heading of its own in the source."""
    classes: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition (``[^label]: ...``)."""

    label: str
    blocks: tuple[Block, ...]
    id: str = ""
    number: int = 0
    """Number in order of first reference."""
    ref_ids: tuple[str, ...] = ()
    """Ids of the references to it, for back-links."""
    line: int = 0


# --------------------------------------------------------------------------- document


@dataclass(frozen=True, slots=True)
class Author:
    """A creator of the work, from the front matter."""

    name: str
    role: str = "aut"
    """MARC relator code (``aut`` author, ``edt`` editor, ``trl`` translator, ...)."""


@dataclass(frozen=True, slots=True)
class CitationSettings:
    """pandoc's citation fields of the front matter, read by ``document.bibliography``."""

    bibliography: tuple[str, ...] = ()
    """``bibliography:`` files beside the source (CSL JSON, CSL YAML or BibTeX)."""
    csl: str = ""
    """``csl:`` a CSL style file (or a packaged style's name); APA when empty."""
    nocite: tuple[str, ...] = ()
    """``nocite:`` keys listed without being cited (``@*`` lists them all)."""
    title: str = ""
    """``reference-section-title:`` the heading of a generated reference list."""
    suppress: bool = False
    """``suppress-bibliography: true``: cite, but generate no reference list."""
    line: int = 0
    """Front matter line of ``bibliography:``."""
    csl_line: int = 0
    nocite_line: int = 0


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the front matter says about the work."""

    title: str
    lang: str
    """BCP 47 language tag (``en-US``)."""
    identifier: str
    """Stable identifier (``urn:uuid:...``); derived from the metadata when absent."""
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    publisher: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    date: str = ""
    """Publication date as ISO 8601 text, only when the author gives one."""
    rights: str = ""
    source: str = ""
    """The print edition page breaks come from (``dc:source``), e.g. ``urn:isbn:...``."""
    pronunciations: tuple[tuple[str, str], ...] = ()
    """Author's pronunciation map for narration: (written, spoken) pairs."""
    citing: CitationSettings = CitationSettings()
    """pandoc's ``bibliography:``, ``csl:``, ``nocite:`` and related fields."""
    accessibility: Review | None = None
    """The accessibility review a person recorded (``accessibility:``), if any."""


@dataclass(frozen=True, slots=True)
class Document:
    """A whole manuscript: metadata, sections, footnotes, and what was found wrong."""

    path: str
    """Source path as given (for diagnostics)."""
    metadata: Metadata
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    source_dir: str = ""
    """Absolute folder of the source, where relative image paths are resolved."""

    @property
    def references(self) -> tuple[Reference, ...]:
        """Entries of every reference list, in order."""
        return _references(self)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation in reading order (footnotes last)."""
        return _citations(self)


# --------------------------------------------------------------------------- traversal


def walk_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Sections depth-first in reading order."""
    for section in sections:
        yield section
        yield from walk_sections(section.subsections)


def sentence_runs(paragraph: Paragraph) -> tuple[tuple[str, tuple[Inline, ...]], ...]:
    """The paragraph's sentences as ``(id, inlines)``: ``p-4-s1``, ``p-4-s2``... each the
    target of a media overlay ``par`` and of the listen-along highlight. Empty when the
    paragraph is one sentence (or has no id): it is then its own target."""
    if not paragraph.sentences or not paragraph.id:
        return ()
    cuts = pairwise((0, *paragraph.sentences, len(paragraph.children)))
    return tuple(
        (ident, paragraph.children[start:end])
        for ident, (start, end) in zip(sentence_ids(paragraph), cuts, strict=True)
    )


def sentence_ids(paragraph: Paragraph) -> Iterator[str]:
    """The ids of ``sentence_runs``, without cutting the paragraph's inlines (what the id
    walk needs: every paragraph of a book passes through it)."""
    if paragraph.sentences and paragraph.id:
        yield from (f"{paragraph.id}-s{n}" for n in range(1, len(paragraph.sentences) + 2))


def leading_page_breaks(children: tuple[Inline, ...]) -> int:
    """How many of a paragraph's first inlines are print page breaks (and the spaces between
    them) before its first word: ``{pb=12}`` written above it. 0 when there is none. Such a
    page begins before the paragraph: the page shows its marker before the paragraph's
    element and the narration announces it first, in the same order (media overlays must
    follow the page's order)."""
    lead = 0
    while lead < len(children) and (
        isinstance(node := children[lead], PageBreak | SoftBreak | LineBreak)
        or (isinstance(node, Text) and not node.text.strip())
    ):
        lead += 1
    return lead if any(isinstance(n, PageBreak) for n in children[:lead]) else 0


def child_blocks(block: Block) -> Iterator[Block]:
    """Blocks directly inside a block."""
    if isinstance(block, BulletList | OrderedList):
        for item in block.items:
            yield from item.blocks
    elif isinstance(block, BlockQuote):
        yield from block.blocks
    elif isinstance(block, DefinitionList):
        for definition in block.items:
            for blocks in definition.definitions:
                yield from blocks
    elif isinstance(block, Figure):
        yield from block.description


#: Blocks that hold other blocks (what ``child_blocks`` looks into).
_BLOCK_CONTAINERS = (BulletList, OrderedList, BlockQuote, DefinitionList, Figure)


def _blocks_deep(blocks: tuple[Block, ...]) -> Iterator[Block]:
    # One loop over a stack of iterators: a block that holds none (nearly all of them) costs
    # one isinstance, whatever the depth.
    stack: list[Iterator[Block]] = [iter(blocks)]
    while stack:
        for block in stack[-1]:
            yield block
            if isinstance(block, _BLOCK_CONTAINERS):
                stack.append(child_blocks(block))
                break
        else:
            stack.pop()


def walk_blocks(document: Document) -> Iterator[Block]:
    """Every block in reading order, nested ones after their container; footnotes last."""
    for section in walk_sections(document.sections):
        yield from _blocks_deep(section.blocks)
    for note in document.footnotes:
        yield from _blocks_deep(note.blocks)


def block_inlines(block: Block) -> Iterator[tuple[Inline, ...]]:
    """The inline runs a block holds directly (not those of nested blocks)."""
    if isinstance(block, Paragraph):
        yield block.children
    elif isinstance(block, Table):
        yield block.caption
        for row in block.head + block.body:
            for cell in row.cells:
                yield cell.children
    elif isinstance(block, Figure):
        yield (block.image,)
        yield block.caption
    elif isinstance(block, DefinitionList):
        for definition in block.items:
            yield definition.term
    elif isinstance(block, ReferenceList):
        for entry in block.entries:
            yield entry.children


def inline_children(node: Inline) -> tuple[Inline, ...]:
    """Inlines directly inside an inline."""
    if isinstance(node, Emphasis | Strong | Strikethrough | Link | Span):
        return node.children
    return ()


#: Inlines that hold other inlines (what ``inline_children`` gives).
_INLINE_CONTAINERS = (Emphasis, Strong, Strikethrough, Link, Span)


def _inlines_deep(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    stack: list[Iterator[Inline]] = [iter(inlines)]
    while stack:
        for node in stack[-1]:
            yield node
            if isinstance(node, _INLINE_CONTAINERS) and node.children:
                stack.append(iter(node.children))
                break
        else:
            stack.pop()


def _blocks_inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    """The inlines of ``blocks`` and of the blocks inside them, in reading order."""
    for block in _blocks_deep(blocks):
        if isinstance(block, Paragraph):  # most blocks: their one run, without a generator
            yield from _inlines_deep(block.children)
            continue
        for run in block_inlines(block):
            yield from _inlines_deep(run)


def walk_inlines(document: Document) -> Iterator[Inline]:
    """Every inline in reading order: section titles, then their blocks; footnotes last."""
    for section in walk_sections(document.sections):
        yield from _inlines_deep(section.title)
        yield from _blocks_inlines(section.blocks)
    for note in document.footnotes:
        yield from _blocks_inlines(note.blocks)


def walk_inlines_with_lines(document: Document) -> Iterator[tuple[Inline, int]]:
    """``walk_inlines`` with the source line of the heading or block that holds each inline
    (a note's own line for a block that has none): where a diagnostic about it points."""
    for section in walk_sections(document.sections):
        for node in _inlines_deep(section.title):
            yield node, section.line
        for node, line in _lined(section.blocks, 0):
            yield node, line
    for note in document.footnotes:
        for node, line in _lined(note.blocks, note.line):
            yield node, line


def _lined(blocks: tuple[Block, ...], default: int) -> Iterator[tuple[Inline, int]]:
    for block in _blocks_deep(blocks):
        line = getattr(block, "line", 0) or default
        runs = (block.children,) if isinstance(block, Paragraph) else block_inlines(block)
        for run in runs:
            for node in _inlines_deep(run):
                yield node, line


def plain_text(inlines: tuple[Inline, ...], math: Callable[[Math], str] | None = None) -> str:
    """The text a reader sees, without markup (for titles, slugs, alt text); a formula is
    its LaTeX, or ``math(formula)`` (its words, for a table of contents)."""
    out: list[str] = []
    for node in _inlines_deep(inlines):
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, SoftBreak | LineBreak):
            out.append(" ")
        elif isinstance(node, Citation):
            out.append(node.text)
        elif isinstance(node, Math):
            out.append(node.tex if math is None else math(node))
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, FootnoteRef):
            continue
    return "".join(out)


_Node = TypeVar("_Node")
#: Per model class, the names of its fields (what ``evolve`` copies).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def evolve(node: _Node, **changes: Any) -> _Node:
    """``dataclasses.replace`` for the hot paths of the transforms, in half the time: the
    field names are looked up once per class, where ``replace`` asks every field of its
    kind on every call, and a long book's transforms make about eight copies a note
    (800,000 for 100,000 notes). Unknown names fail as in ``replace`` (``TypeError``)."""
    kind = type(node)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind) if f.init)  # type: ignore[arg-type]
    for name in names:
        if name not in changes:
            changes[name] = getattr(node, name)
    return kind(**changes)


_Found = TypeVar("_Found")


def per_document(compute: Callable[[Document], _Found]) -> Callable[[Document], _Found]:
    """``compute`` remembered for the last document text it was given.

    A document is immutable, and within one build the transforms, the input reader and
    both renderers (the page's and the EPUB's) ask the same questions of the same text;
    each walk of a document with 100,000 notes costs about half a second. The text is
    its sections and notes, by identity: a transform that only adds diagnostics keeps
    them. So only for what is computed from the text alone, never from the metadata, and
    for values nobody changes (frozensets, tuples, read-only mappings)."""
    last: list[tuple[Document, _Found]] = []

    @functools.wraps(compute)
    def remembered(document: Document) -> _Found:
        if last:
            seen, value = last[0]
            if seen.sections is document.sections and seen.footnotes is document.footnotes:
                return value
        value = compute(document)
        last[:] = [(document, value)]
        return value

    return remembered


@per_document
def _references(document: Document) -> tuple[Reference, ...]:
    return tuple(
        entry
        for block in walk_blocks(document)
        if isinstance(block, ReferenceList)
        for entry in block.entries
    )


@per_document
def _citations(document: Document) -> tuple[Citation, ...]:
    return tuple(node for node in walk_inlines(document) if isinstance(node, Citation))


@per_document
def element_ids(document: Document) -> frozenset[str]:
    """Every id the model gives an element: what a ``#id`` link can reach, and what the
    renderer's generated ids must never repeat."""
    return frozenset(ids_in(document.sections, document.footnotes)) - {""}


def ids_in(sections: tuple[Section, ...], notes: tuple[Footnote, ...]) -> Iterator[str]:
    """The id of every element of ``sections`` (subsections included) and ``notes``, ""
    for one not given yet: what ``element_ids`` gathers, and what the EPUB looks up to
    know which content document holds an id. One pass over the blocks, each block's inlines
    looked at with it."""
    for section in walk_sections(sections):
        yield section.id
        yield from _inline_ids(section.title)
        yield from _block_ids(section.blocks)
    for note in notes:
        yield note.id
        yield from _block_ids(note.blocks)


def _block_ids(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in _blocks_deep(blocks):
        yield getattr(block, "id", "")
        if isinstance(block, Paragraph):
            yield from sentence_ids(block)
            yield from _inline_ids(block.children)
            continue
        if isinstance(block, BulletList | OrderedList):
            yield from (item.id for item in block.items)
        elif isinstance(block, Table):
            yield from (row.id for row in block.head + block.body)
        elif isinstance(block, DefinitionList):
            yield from (d.id for d in block.items)
        elif isinstance(block, ReferenceList):
            yield from (e.id for e in block.entries)
        for run in block_inlines(block):
            yield from _inline_ids(run)


def _inline_ids(inlines: tuple[Inline, ...]) -> Iterator[str]:
    for node in _inlines_deep(inlines):
        if isinstance(node, Citation | FootnoteRef | Span | PageBreak):
            yield node.id
