"""Markdown to the document model: the only place that reads Markdown.

markdown-it-py (CommonMark, plus tables, strikethrough, footnotes, definition
lists and attributes) produces tokens with line maps; this module turns them
into ``model`` nodes, recognising what Markdown has no syntax for: sections,
figures, table captions, citations and the reference list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError as AttrsParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_ref
from mdit_py_plugins.texmath import texmath_plugin

from pipeline.diagnostics import Diagnostic, PipelineError, diagnostic, has_errors
from pipeline.document import (
    citations,
    descriptions,
    frontmatter,
    gcpause,
    links,
    math,
    pages,
    pandoc_cites,
)
from pipeline.document.model import (
    Block,
    BlockQuote,
    BulletList,
    Citation,
    CiteItem,
    Code,
    CodeBlock,
    Definition,
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
    ListItem,
    Math,
    MathBlock,
    OrderedList,
    Paragraph,
    RawHtml,
    ReferenceList,
    Section,
    SectionRole,
    SoftBreak,
    Span,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    TableRow,
    Text,
    ThematicBreak,
    plain_text,
)
from pipeline.document.references import is_reference_heading, parse_entry
from pipeline.document.source import SourceText

#: Deeper block nesting is refused with M002 rather than silently truncated
#: (markdown-it stops tokenising past its ``maxNesting``).
MAX_NESTING = 60
#: Inline markup (emphasis in emphasis...) nested deeper is refused with M002.
MAX_INLINE_NESTING = 100

#: Section classes (``## Heading {.backmatter}``) that set a section's role.
ROLE_CLASSES: dict[str, SectionRole] = {
    "references": "references",
    "bibliography": "references",
    "backmatter": "backmatter",
    "appendix": "appendix",
    "acknowledgments": "acknowledgments",
    "acknowledgements": "acknowledgments",
    "foreword": "foreword",
    "preface": "preface",
}

_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_HEADING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*\Z")
_TABLE_CAPTION = re.compile(r"(?:Table)?:\s+", re.IGNORECASE)


@cache
def markdown() -> MarkdownIt:
    """The configured parser (built once per process)."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Every link and image becomes a node, whatever its scheme: ``urls`` decides what may
    # reach an output, and the author hears why (M003, I002) instead of seeing the
    # Markdown of a ``javascript:`` or ``data:`` link printed as it was typed.
    md.validateLink = lambda url: True  # type: ignore[method-assign] # markdown-it documents this
    md.use(footnote_plugin)
    # A note reference is tried before a link or a span, as pandoc does: ``[^a](url)`` is
    # note a and then "(url)", not a link whose text is "^a" (which left the note out as
    # never referenced). The rule only matches a label that has a note, so other brackets
    # go on to the link rule as before. It also spares every reference two failed bracket
    # parses: markdown-it took a quarter less time on 20,000 notes.
    md.inline.ruler.disable("footnote_ref")
    md.inline.ruler.before("link", "note_ref", footnote_ref)
    md.use(deflist_plugin)
    md.use(attrs_plugin, spans=True)
    md.use(attrs_block_plugin)
    # math (issue 18): pandoc's rules, so "$5 and $10" stay prices: no space inside the
    # dollars, no digit right after the closing one
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")  # \(...\) and \[...\]
    md.use(container_plugin, name="description")  # ::: description after a figure
    links.configure(md)  # bare URLs, e-mail addresses, doi:10.xxxx/...
    return md


@dataclass
class _Context:
    """State shared while converting one document's tokens."""

    source: SourceText
    lines: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    local_links: list[tuple[str, int, int]] = field(default_factory=list)
    """Links to files beside the source (href, line, col), checked once the images are known."""

    def report(self, code: str, message: str, line: int, col: int = 1) -> None:
        self.diagnostics.append(diagnostic(code, message, self.source.path, line, col))


class _Node:
    """A node of markdown-it's tokens as a tree: one token, or an opening token with what
    lies before its closing one as children: the parts of markdown-it's ``SyntaxTreeNode``
    the parse reads, built in one pass (that tree copies each level's tokens and reads
    every field through a property: parsing 10,000 notes took 17% more instructions). No node
    points at its parent, so the tree holds no reference cycles and is freed as soon as
    the parse returns (see ``gcpause``). Nothing is allocated per node but the node and
    its list of children: a 20 MB manuscript has millions of tokens, and a new string for
    each type or a new number for each line took 90 MB more at the build's peak."""

    __slots__ = (
        "attrs",
        "children",
        "content",
        "info",
        "map",
        "mapped",
        "markup",
        "meta",
        "tag",
        "type",
    )

    def __init__(self, token: Token, mapped: list[int] | None) -> None:
        kind = token.type
        if token.nesting == 1:  # "paragraph_open" is a "paragraph" node, one string for all
            kind = _OPENED.get(kind) or _OPENED.setdefault(kind, kind.removesuffix("_open"))
        self.type = kind
        self.tag, self.attrs, self.meta, self.map = token.tag, token.attrs, token.meta, token.map
        self.content, self.info, self.markup = token.content, token.info, token.markup
        self.children: list[_Node] = []
        self.mapped = token.map or mapped
        """The map of this node or of its nearest ancestor that has one."""

    @property
    def line(self) -> int:
        """1-based first line of the node or of its nearest ancestor (0 for none)."""
        return self.mapped[0] + 1 if self.mapped else 0


#: Container node types by their opening token's type.
_OPENED: dict[str, str] = {}


def _tree(tokens: Sequence[Token], root: _Node) -> _Node:
    """``root`` with ``tokens`` as its descendants (a token's own children, the inlines of
    an ``inline`` token or an image's text, under its node)."""
    stack = [root]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        parent = stack[-1]
        node = _Node(token, parent.mapped)
        parent.children.append(node)
        if token.nesting == 1:
            stack.append(node)
        elif token.children:
            _tree(token.children, node)
    return root


# --------------------------------------------------------------------------- inlines


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    """Join adjacent text nodes (markdown-it splits text at ``&``, ``*`` and escapes)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return out


@lru_cache(maxsize=1024)
def _words_pattern(text: str) -> re.Pattern[str]:
    """A citation's words with any whitespace or quote markers between them."""
    return re.compile(r"[\s>]+".join(re.escape(word) for word in text.split()))


def _search_words(haystack: str, text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of ``text``'s words after ``start``, any run of whitespace or ``>``
    between them; what ``_words_pattern(text).search`` finds, without compiling a pattern.

    A book has thousands of distinct citations (page numbers differ); compiling a
    regex for each was most of the time of parsing it.
    """
    words = text.split()
    if not words:
        return None
    if any(word.startswith(">") for word in words[1:]):  # needs the regex's backtracking
        match = _words_pattern(text).search(haystack, start)
        return (match.start(), match.end()) if match else None
    first, rest, size = words[0], words[1:], len(haystack)
    at = haystack.find(first, start)
    while at != -1:
        end = at + len(first)
        for word in rest:
            gap = end
            while gap < size and (haystack[gap] == ">" or haystack[gap].isspace()):
                gap += 1
            if gap == end or not haystack.startswith(word, gap):
                break
            end = gap + len(word)
        else:
            return at, end
        at = haystack.find(first, at + 1)
    return None


class _CitationLocator:
    """Finds where citations sit in the author's file, for line:col diagnostics.

    Inline text loses its position in markdown-it, so each citation is searched
    for in the block's source lines, in order, with any run of whitespace or
    quote/list markers allowed where the text has whitespace.
    """

    def __init__(self, lines: list[str], first: int, last: int) -> None:
        self.first = first
        self.text = "\n".join(lines[first - 1 : last])
        self.cursor = 0

    def find(self, text: str) -> tuple[int, int, int]:
        """(line, col, offset) of text after the cursor; the block start if not found."""
        found = _search_words(self.text, text, self.cursor)
        if found is None:
            return self.first, 1, self.cursor
        self.cursor = found[1]
        return (*self.position(found[0]), found[0])

    def position(self, offset: int) -> tuple[int, int]:
        line = self.first + self.text.count("\n", 0, offset)
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col

    def item(self, text: str, start: int) -> tuple[int, int]:
        found = _search_words(self.text, text, start)
        return self.position(found[0]) if found else self.position(start)


def _cite(run: list[Inline], locator: _CitationLocator | None) -> list[Inline]:
    """Recognise citations in a run of text and soft breaks."""
    joined = "".join(n.text if isinstance(n, Text) else "\n" for n in run)
    found = pandoc_cites.merged(pandoc_cites.find(joined), citations.find(joined))
    if not found:
        return run
    out: list[Inline] = []
    pos = 0

    def emit(segment: str) -> None:
        for index, piece in enumerate(segment.split("\n")):
            if index:
                out.append(SoftBreak())
            if piece:
                out.append(Text(piece))

    for cite in found:
        emit(joined[pos : cite.start])
        text = " ".join(joined[cite.start : cite.end].split())
        line = col = 0
        items: list[CiteItem] = []
        if locator is not None:
            line, col, offset = locator.find(text)
            for item_offset, item in cite.items:
                authors_at = offset + max(0, item_offset - cite.start)
                item_line, item_col = locator.item(item.authors[0], authors_at)
                items.append(replace(item, line=item_line, col=item_col))
        else:
            items = [item for _, item in cite.items]
        out.append(Citation(text, tuple(items), cite.narrative, line=line, col=col))
        pos = cite.end
    emit(joined[pos:])
    return out


def _with_citations(nodes: list[Inline], locator: _CitationLocator | None) -> list[Inline]:
    out: list[Inline] = []
    run: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text | SoftBreak):
            run.append(node)
            continue
        out.extend(_cite(run, locator))
        run = []
        out.append(node)
    out.extend(_cite(run, locator))
    return out


def _classes(node: _Node) -> tuple[str, ...]:
    return tuple(str(node.attrs.get("class", "")).split())


def _inlines(
    nodes: Sequence[_Node], ctx: _Context, locator: _CitationLocator | None
) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "text_special"):
            out.append(Text(node.content))
        elif kind == "softbreak":
            out.append(SoftBreak())
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "code_inline":
            out.append(Code(node.content))
        elif kind == "em":
            out.append(Emphasis(_inlines(node.children, ctx, locator)))
        elif kind == "strong":
            out.append(Strong(_inlines(node.children, ctx, locator)))
        elif kind == "s":
            out.append(Strikethrough(_inlines(node.children, ctx, locator)))
        elif kind == "link" and not _link_kept(node, ctx, locator):
            out.extend(_inlines(node.children, ctx, locator))
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            line, col = _link_position(locator, href) if href.startswith("#") else (0, 0)
            out.append(
                Link(
                    href,
                    _inlines(node.children, ctx, None),
                    str(node.attrs.get("title", "") or ""),
                    line,
                    col,
                )
            )
        elif kind == "image":
            alt = " ".join(plain_text(_inlines(node.children, ctx, None)).split())
            out.append(
                Image(
                    str(node.attrs.get("src", "")),
                    alt,
                    str(node.attrs.get("title", "") or ""),
                    decorative="decorative" in _classes(node),
                    line=locator.first if locator else node.line,
                )
            )
        elif kind == "span":
            out.append(
                Span(
                    _inlines(node.children, ctx, locator),
                    lang=str(node.attrs.get("lang", "")),
                    id=str(node.attrs.get("id", "")),
                    classes=_classes(node),
                )
            )
        elif kind == "html_inline":
            out.append(RawHtml(node.content, locator.first if locator else 0))
        elif kind == "footnote_ref":
            out.append(FootnoteRef(_note_label(node.meta), line=locator.first if locator else 0))
        elif kind in ("math_inline", "math_inline_double"):
            out.append(_math(node, ctx, locator))
        else:  # an unknown token from a plugin: keep its text, never drop it
            out.append(Text(node.content))
    merged = pages.split(_merge_text(out), _page_locate(locator), ctx.report)
    _report_undefined_notes(merged, ctx, locator)
    return tuple(_with_citations(merged, locator))


def _link_kept(node: _Node, ctx: _Context, locator: _CitationLocator | None) -> bool:
    """Whether a link stays one: a guessed bare domain does not; a link to a local
    file stays (the page keeps it), and is reported (L001) unless the publication holds
    the file (``_report_local_links``)."""
    href = str(node.attrs.get("href", ""))
    if node.markup == "linkify":
        label = "".join(child.content for child in node.children)
        return links.kept(href, label)
    if links.local_file(href):
        ctx.local_links.append((href, *_link_position(locator, href)))
    return True


def _link_position(locator: _CitationLocator | None, href: str) -> tuple[int, int]:
    """Where a link's target is written: after ``](`` when it is there (``@`` alone would
    first be found in an e-mail address), else the target anywhere in the block."""
    if locator is None:
        return 0, 1
    for probe, shift in ((f"]({href}", 2), (href, 0)):
        found = _search_words(locator.text, probe, 0)
        if found is not None:
            return locator.position(found[0] + shift)
    return locator.first, 1


def _report_local_links(document: Document, ctx: _Context) -> None:
    """L001 for each link to a file beside the source that the publication does not hold."""
    if not ctx.local_links:  # most documents: no walk for the files they hold
        return
    held = links.published_files(document)
    for href, line, col in ctx.local_links:
        path = links.file_path(href)
        if path is None or path not in held:
            ctx.report(
                "L001",
                f"link to {href!r}, a file that is not in the publication; "
                "the EPUB shows its text without the link",
                line,
                col,
            )


def _report_undefined_notes(
    nodes: list[Inline], ctx: _Context, locator: _CitationLocator | None
) -> None:
    """``[^label]`` left as text means the note was never defined (markdown-it keeps it)."""
    for node in nodes:
        if not isinstance(node, Text):
            continue
        for match in _UNDEFINED_NOTE.finditer(node.text):
            line, col = locator.item(match.group(), 0) if locator else (0, 1)
            ctx.report(
                "N001",
                f"footnote {match.group()} is never defined; it is shown as text",
                line,
                col,
            )


def _page_locate(locator: _CitationLocator | None) -> pages.Locate | None:
    """Where each page-break marker of a block is, searched for in order."""
    if locator is None:
        return None
    found = locator
    offset = 0

    def locate(marker: str) -> tuple[int, int]:
        nonlocal offset
        at = found.text.find(marker, offset)
        if at < 0:
            return found.first, 1
        offset = at + len(marker)
        return found.position(at)

    return locate


def _inline_of(node: _Node, ctx: _Context) -> tuple[Inline, ...]:
    """Inlines of a block whose single child is an ``inline`` token."""
    inline = next((c for c in node.children if c.type == "inline"), None)
    if inline is None:
        return ()
    first = inline.line or node.line
    last = inline.map[1] if inline.map else first
    locator = _CitationLocator(ctx.lines, first, last) if first else None
    return _inlines(inline.children, ctx, locator)


# --------------------------------------------------------------------------- blocks


def _is_blank(node: Inline) -> bool:
    return isinstance(node, SoftBreak) or (isinstance(node, Text) and not node.text.strip())


def _marker_line(ctx: _Context, line: int) -> int:
    """The line of the ``{pb=...}`` marker written on its own above line ``line``."""
    for number in range(line - 1, 0, -1):
        if ctx.lines[number - 1].lstrip().startswith("{"):
            return number
        if ctx.lines[number - 1].strip():
            break
    return max(line - 1, 1)


def _misplaced_page_break(node: _Node, ctx: _Context) -> None:
    line = _marker_line(ctx, node.line)
    ctx.report(
        "P003",
        f"page-break marker {{pb={node.attrs['pb']}}} before a"
        f" {'figure' if node.type == 'paragraph' else node.type.replace('_', ' ')}"
        " is left out: put it at the start of the next paragraph's text",
        line,
    )


def _paragraph(node: _Node, ctx: _Context) -> Block:
    children = _inline_of(node, ctx)
    line = node.line
    solid = [c for c in children if not _is_blank(c)]
    if len(solid) == 1 and isinstance(solid[0], Image):
        image = solid[0]
        caption: tuple[Inline, ...] = (Text(image.title),) if image.title else ()
        if "pb" in node.attrs:
            _misplaced_page_break(node, ctx)
        return Figure(replace(image, line=line), caption, line=line)
    if "pb" in node.attrs:  # {pb=12} on its own line: the page begins with this paragraph
        marker: list[Inline] = [Text(f"{{pb={node.attrs['pb']}}}")]
        lead = pages.split(marker, lambda _: (_marker_line(ctx, line), 1), ctx.report)
        children = (*(n for n in lead if not isinstance(n, Text)), *children)
    return Paragraph(children, line=line, lang=str(node.attrs.get("lang", "")))


def _table(node: _Node, ctx: _Context) -> Table:
    head: list[TableRow] = []
    body: list[TableRow] = []
    for part in node.children:
        rows = head if part.type == "thead" else body
        for row in part.children:
            cells = []
            for cell in row.children:
                style = str(cell.attrs.get("style", ""))
                align = style.removeprefix("text-align:") if style else ""
                cells.append(
                    TableCell(
                        _inline_of(cell, ctx) if cell.children else (),
                        header=cell.type == "th",
                        align=align if align in ("left", "center", "right") else "",  # type: ignore[arg-type]
                    )
                )
            rows.append(TableRow(tuple(cells)))
    return Table(tuple(head), tuple(body), line=node.line)


def _caption_of(block: Block) -> tuple[Inline, ...] | None:
    """Inlines of a ``Table: caption`` paragraph, else None."""
    if not isinstance(block, Paragraph) or not block.children:
        return None
    first = block.children[0]
    if not isinstance(first, Text):
        return None
    match = _TABLE_CAPTION.match(first.text)
    if not match:
        return None
    rest = first.text[match.end() :]
    return ((Text(rest),) if rest else ()) + block.children[1:]


def _attach_captions(blocks: list[Block]) -> list[Block]:
    """Pandoc's ``Table: caption`` (or ``: caption``) paragraph beside a table."""
    out: list[Block] = []
    for block in blocks:
        caption = _caption_of(block)
        if caption is not None and out and isinstance(out[-1], Table) and not out[-1].caption:
            out[-1] = replace(out[-1], caption=caption)
            continue
        if isinstance(block, Table) and out and not block.caption:
            previous = _caption_of(out[-1])
            if previous is not None:
                out[-1] = replace(block, caption=previous)
                continue
        out.append(block)
    return out


def _blocks(nodes: Sequence[_Node], ctx: _Context) -> tuple[Block, ...]:
    out: list[Block | descriptions.Description] = []
    for node in nodes:
        block = _block(node, ctx)
        if block is not None:
            out.append(block)
    blocks, found = descriptions.attach(out, ctx.source.path)
    ctx.diagnostics.extend(found)
    return tuple(_attach_captions(blocks))


def _math(node: _Node, ctx: _Context, locator: _CitationLocator | None) -> Math:
    """An inline formula; LaTeX that cannot be converted is reported (Q001-Q003)."""
    display = node.type == "math_inline_double"
    line, col = locator.item(node.content, 0) if locator else (0, 1)
    error = math.problem(node.content, display)
    if error is not None:
        ctx.report(error.code, f"{error}; it is shown as written", line, col)
    return Math(node.content, display, line=line)


def _math_block(node: _Node, ctx: _Context) -> MathBlock:
    """A displayed formula (``\\[...\\]`` blocks carry no line map: found in the source)."""
    tex = node.content.strip()
    line = node.line
    if not line:
        first = tex.split("\n", 1)[0].strip()
        line = next((n for n, text in enumerate(ctx.lines, 1) if first and first in text), 0)
        if line > 1 and ctx.lines[line - 2].strip() == "\\[":  # the opening line
            line -= 1
    error = math.problem(tex, True)
    if error is not None:
        ctx.report(error.code, f"{error}; it is shown as written", line)
    return MathBlock(tex, line=line)


def _block(node: _Node, ctx: _Context) -> Block | descriptions.Description | None:
    kind = node.type
    line = node.line
    if "pb" in node.attrs and kind != "paragraph":
        _misplaced_page_break(node, ctx)
    if kind == "paragraph":
        return _paragraph(node, ctx)
    if kind in ("bullet_list", "ordered_list"):
        items = tuple(
            ListItem(_blocks(item.children, ctx), line=item.line) for item in node.children
        )
        if kind == "bullet_list":
            return BulletList(items, line=line)
        start = node.attrs.get("start", 1)
        return OrderedList(
            items, start=int(start) if isinstance(start, int | str) else 1, line=line
        )
    if kind == "blockquote":
        return BlockQuote(
            _blocks(node.children, ctx), line=line, lang=str(node.attrs.get("lang", ""))
        )
    if kind in ("fence", "code_block"):
        language = node.info.strip().split()[0] if node.info.strip() else ""
        return CodeBlock(node.content, language, line=line)
    if kind == "table":
        return _table(node, ctx)
    if kind in ("math_block", "math_block_label", "math_block_eqno"):
        return _math_block(node, ctx)
    if kind == "container_description":
        return descriptions.Description(_blocks(node.children, ctx), line=line)
    if kind == "hr":
        return ThematicBreak(line=line)
    if kind == "html_block":
        ctx.report("M001", "raw HTML is shown as text, not passed through", line)
        return HtmlBlock(node.content, line=line)
    if kind == "dl":
        terms: list[Definition] = []
        for child in node.children:
            if child.type == "dt":
                terms.append(Definition(_inline_of(child, ctx), (), line=child.line))
            elif child.type == "dd" and terms:
                last = terms[-1]
                terms[-1] = replace(
                    last, definitions=(*last.definitions, _blocks(child.children, ctx))
                )
        return DefinitionList(tuple(terms), line=line)
    if kind == "heading":  # only reached for headings nested in containers
        return Paragraph(_inline_of(node, ctx), line=line)
    return None


# --------------------------------------------------------------------------- sections


def _heading_attrs(
    title: tuple[Inline, ...], ctx: _Context, line: int
) -> tuple[tuple[Inline, ...], dict[str, str]]:
    """Split pandoc-style trailing ``{#id .class lang=xx}`` from a heading."""
    if not title or not isinstance(title[-1], Text):
        return title, {}
    match = _HEADING_ATTRS.search(title[-1].text)
    if not match:
        return title, {}
    try:
        _, attrs = parse_attrs(match.group(1))
    except AttrsParseError:
        ctx.report("H003", f"heading attributes {match.group(1)!r} cannot be read", line)
        return title, {}
    rest = title[-1].text[: match.start()]
    return (*title[:-1], *((Text(rest),) if rest else ())), attrs


@dataclass
class _Open:
    """A section being filled while walking the flat list of top-level blocks."""

    level: int
    depth: int
    title: tuple[Inline, ...]
    attrs: dict[str, str]
    line: int
    implicit: bool = False
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def close(self) -> Section:
        classes = tuple(self.attrs.get("class", "").split())
        role: SectionRole = next((ROLE_CLASSES[c] for c in classes if c in ROLE_CLASSES), "body")
        blocks = tuple(self.blocks)
        if role == "body" and not self.implicit and is_reference_heading(plain_text(self.title)):
            role = "references"
        if role == "references":
            blocks = _as_reference_list(blocks)
        return Section(
            title=self.title,
            blocks=blocks,
            subsections=tuple(self.children),
            level=self.level,
            depth=self.depth,
            role=role,
            id=self.attrs.get("id", ""),
            lang=self.attrs.get("lang", ""),
            implicit=self.implicit,
            classes=classes,
            line=self.line,
        )


def _as_reference_list(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The first list of a references section becomes its reference list.

    Without a list, each paragraph is an entry (hanging-indent style).
    """
    for index, block in enumerate(blocks):
        if isinstance(block, OrderedList | BulletList):
            entries = tuple(
                parse_entry(_item_inlines(item), number, item.line)
                for number, item in enumerate(block.items, start=1)
            )
            reference_list = ReferenceList(entries, isinstance(block, OrderedList), block.line)
            return (*blocks[:index], reference_list, *blocks[index + 1 :])
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    if not paragraphs:
        return blocks
    entries = tuple(
        parse_entry(p.children, number, p.line) for number, p in enumerate(paragraphs, start=1)
    )
    others = tuple(b for b in blocks if not isinstance(b, Paragraph))
    return (ReferenceList(entries, False, paragraphs[0].line), *others)


def _item_inlines(item: ListItem) -> tuple[Inline, ...]:
    """A list item's text as one run (entries are single paragraphs)."""
    out: list[Inline] = []
    for block in item.blocks:
        if isinstance(block, Paragraph):
            if out:
                out.append(SoftBreak())
            out.extend(block.children)
    return tuple(out)


def _sections(top: Sequence[_Node], ctx: _Context, title: str) -> tuple[Section, ...]:
    """Group the top-level blocks under their headings, normalising depth."""
    stack: list[_Open] = []
    roots: list[Section] = []
    leading: list[_Node] = []
    pending: list[_Node] = []

    def flush() -> None:
        if stack:
            stack[-1].blocks.extend(_blocks(pending, ctx))
        pending.clear()

    def pop() -> None:
        done = stack.pop().close()
        (stack[-1].children if stack else roots).append(done)

    for node in top:
        if node.type != "heading":
            (pending if stack else leading).append(node)
            continue
        flush()
        level = int(node.tag[1])
        line = node.line
        if "pb" in node.attrs:
            _misplaced_page_break(node, ctx)
        heading, attrs = _heading_attrs(_inline_of(node, ctx), ctx, line)
        if "pb" in attrs:
            ctx.report(
                "P003",
                f"page-break marker {{pb={attrs['pb']}}} in a heading is left out:"
                " put it at the start of the next paragraph's text",
                line,
            )
        if not plain_text(heading).strip() and not any(isinstance(n, Image) for n in heading):
            ctx.report("H002", f"level-{level} heading has no text", line)
        while stack and stack[-1].level >= level:
            pop()
        if stack and level > stack[-1].level + 1:
            ctx.report(
                "H001",
                f"heading level jumps from {stack[-1].level} to {level}; "
                f"it is shown at level {stack[-1].depth + 1}",
                line,
            )
        stack.append(_Open(level, len(stack) + 1, heading, attrs, line))
    flush()
    while stack:
        pop()
    if leading:
        blocks = _blocks(leading, ctx)
        intro = Section(
            title=(Text(title),),
            blocks=blocks,
            level=min((s.level for s in roots), default=1),
            depth=1,
            implicit=True,
            line=leading[0].line,
        )
        roots.insert(0, intro)
    return tuple(roots)


def _note_label(meta: dict[str, object]) -> str:
    """A note's label; inline notes (``text^[note]``) have none, so their number stands in."""
    label = meta.get("label")
    return str(label) if label else f"^{meta.get('id', 0)}"


def _footnotes(root: _Node, ctx: _Context, env: dict[str, object]) -> tuple[Footnote, ...]:
    """Notes that are referenced; unreferenced ones are reported (markdown-it drops them)."""
    refs = env.get("footnotes", {})
    labels = refs.get("refs", {}) if isinstance(refs, dict) else {}
    text = ""  # the whole source, joined only if a note is unreferenced
    for key, index in labels.items():
        if index == -1:
            label = key.removeprefix(":")
            pattern = re.compile(rf"^ {{0,3}}\[\^{re.escape(label)}\]:", re.MULTILINE)
            text = text or "\n".join(ctx.lines)
            found = pattern.search(text)
            line = text.count("\n", 0, found.start()) + 1 if found else 1
            ctx.report("N002", f"footnote [^{label}] is never referenced; it is left out", line)
    notes: list[Footnote] = []
    for block in root.children:
        if block.type != "footnote_block":
            continue
        for note in block.children:
            children = [c for c in note.children if c.type != "footnote_anchor"]
            blocks = _blocks(children, ctx)
            notes.append(Footnote(_note_label(note.meta), blocks, line=note.line))
    return tuple(notes)


def _lone_h1(top: list[_Node]) -> _Node | None:
    """The document's first block when it is its only ``#`` heading (a title, by convention)."""
    h1 = [n for n in top if n.type == "heading" and n.tag == "h1"]
    return h1[0] if len(h1) == 1 and top and top[0] is h1[0] else None


def _check_nesting(tokens: Sequence[Token], ctx: _Context) -> None:
    """Refuse block or inline nesting too deep to convert without losing text or recursing."""
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        if token.level >= MAX_NESTING - 1:
            ctx.report(
                "M002",
                f"lists or quotes are nested too deeply (more than {MAX_NESTING // 3} levels); "
                "content deeper than that would be lost",
                line,
            )
            return
        if any(child.level >= MAX_INLINE_NESTING for child in token.children or ()):
            ctx.report(
                "M002",
                f"emphasis, links or spans are nested more than {MAX_INLINE_NESTING} deep",
                line,
            )
            return


def parse(source: SourceText) -> Document:
    """Parse a manuscript into a document, raising ``PipelineError`` on errors."""
    with gcpause.paused():
        return _parse(source)


def _parse(source: SourceText) -> Document:
    matter = frontmatter.split(source.text, source.path)
    ctx = _Context(source, source.text.split("\n"), list(source.diagnostics))
    env: dict[str, object] = {}
    tokens = markdown().parse(matter.body, env)
    _check_nesting(tokens, ctx)
    if has_errors(ctx.diagnostics):  # too deep to build a tree from safely
        raise PipelineError(ctx.diagnostics)
    root = _tree(tokens, _Node(Token("root", "", 0), None))
    top = [n for n in root.children if n.type != "footnote_block"]
    h1 = _lone_h1(top)
    h1_title = ""
    if h1 is not None and not matter.fields.get("title"):
        top.remove(h1)  # it becomes the title, not a section
        heading, _ = _heading_attrs(_inline_of(h1, ctx), ctx, h1.line)
        h1_title = " ".join(plain_text(heading).split())
    metadata, found = frontmatter.read_metadata(matter, source.path, h1_title)
    ctx.diagnostics.extend(found)
    if has_errors(ctx.diagnostics):
        raise PipelineError(ctx.diagnostics)
    sections = _sections(top, ctx, metadata.title)
    if not sections:
        ctx.report("S003", "the document has front matter but no text", matter.end_line or 1)
    footnotes = _footnotes(root, ctx, env)
    if has_errors(ctx.diagnostics):
        raise PipelineError(ctx.diagnostics)
    document = Document(
        path=source.path,
        metadata=metadata,
        sections=sections,
        footnotes=footnotes,
        source_dir=str(source.directory),
    )
    _report_local_links(document, ctx)
    return replace(document, diagnostics=tuple(ctx.diagnostics))
