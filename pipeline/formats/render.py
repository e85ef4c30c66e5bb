"""The document model as markup: one renderer for the HTML page and the EPUB chapters.

Pandoc's EPUB writer reuses its HTML writer; here both outputs call this
``Renderer`` so a fix to citations, notes or tables lands in both. Its output
is at once well-formed XHTML and valid HTML5: every text and attribute is
escaped, void elements are self-closed (``<br />``), no boolean attributes,
and ids come from the model. Every cross-reference (citation to entry, entry
back to each citing place, note reference to note and back) goes through
``href(target_id)``, so an EPUB can point into another file.

Nothing from the source passes through as markup: raw HTML is shown as text,
unsafe link schemes become plain text, images only come from ``image_src``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pipeline.document import citations, links, urls
from pipeline.document.ids import TITLE_PAGE_IDS
from pipeline.document.model import (
    Block,
    BlockQuote,
    BulletList,
    Citation,
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
    PageBreak,
    Paragraph,
    RawHtml,
    Reference,
    ReferenceList,
    Section,
    SoftBreak,
    Span,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    TableRow,
    Text,
    ThematicBreak,
    element_ids,
    leading_page_breaks,
    plain_text,
    sentence_runs,
    walk_blocks,
    walk_sections,
)
from pipeline.formats import codelines, rich, tables
from pipeline.formats.typography import Typesetter, heading_text
from pipeline.markup import attr, attrs, text
from pipeline.words import page_words, words_for

Href = Callable[[str], str]
ImageSrc = Callable[[Image], str | None]

#: DPUB-ARIA roles for section roles that have one (``backmatter`` and ``body`` have none).
SECTION_ROLES: dict[str, str] = {
    "references": "doc-bibliography",
    "appendix": "doc-appendix",
    "acknowledgments": "doc-acknowledgments",
    "foreword": "doc-foreword",
    "preface": "doc-preface",
}

#: Tables with this many columns or more are set in smaller text (class ``wide``).
WIDE_COLUMNS = tables.STACK_FROM
_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
#: BCP 47, loosely (as the front matter accepts); other ``lang`` values are dropped.
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
#: The one piece of raw HTML kept as markup: a bare line break.
_RAW_BR = re.compile(r"<br\s*/?>\Z", re.IGNORECASE)


def lang(value: str) -> str:
    """A language tag that can be written, or "" (an invalid one would fail validators)."""
    return value if _LANG.match(value) else ""


def default_image_src(image: Image) -> str | None:
    """The source path as written, when it is a safe relative path (EPUB keeps files)."""
    return image.src if urls.relative_image(image.src) is not None else None


class Renderer:
    """Renders one document's nodes to XHTML-compatible HTML fragments."""

    def __init__(
        self,
        document: Document,
        *,
        href: Href = lambda target_id: "#" + target_id,
        image_src: ImageSrc = default_image_src,
        paginated: bool = False,
    ) -> None:
        self.document = document
        self.paginated = paginated
        """For a paginated reader (the EPUB): no scroll regions, no links to local files, and
        notes carry ``epub:type`` (pop-up notes in reading systems)."""
        self.words_lang, self.words = page_words(document.metadata.lang)
        """Language of ``words`` when it is not the document's ("en" fallback), else ""."""
        self.math_words = words_for(document.metadata.lang).math
        self.href = href
        self.image_src = image_src
        self.typeset = Typesetter(document.metadata.lang)
        """Curly quotes, dashes, sub- and superscripts of the author's text (``typography``)."""
        self._depth = 0
        self._verbatim = 0
        self.ids = element_ids(document)
        self.published = links.published_files(document)
        """Files of the source's folder the publication holds, by where they are shown."""
        self._used = set(self.ids)
        self.heading_ids: dict[str, str] = {
            s.id: self.claim(f"{s.id or 'section'}-title")
            for s in walk_sections(document.sections)
            if not s.implicit
        }
        self.notes_id = self.claim("footnotes")
        self.notes_heading_id = self.claim("footnotes-title")
        self.entries: dict[str, Reference] = {e.id: e for e in document.references if e.id}
        self.code_numbers: dict[int, int] = {}
        self.table_numbers: dict[int, int] = {}
        self.math_numbers: dict[int, int] = {}
        for block in walk_blocks(document):
            if isinstance(block, CodeBlock):
                self.code_numbers[id(block)] = len(self.code_numbers) + 1
            elif isinstance(block, Table):
                self.table_numbers[id(block)] = len(self.table_numbers) + 1
            elif isinstance(block, MathBlock):
                self.math_numbers[id(block)] = len(self.math_numbers) + 1

    def claim(self, wanted: str) -> str:
        """A new id for generated markup that collides with no id of the document."""
        candidate, n = wanted, 1
        while candidate in self._used:
            n += 1
            candidate = f"{wanted}-{n}"
        self._used.add(candidate)
        return candidate

    # ----------------------------------------------------------------- sections

    def heading_level(self, section: Section) -> int:
        """``depth + 1``: the page or chapter title above is the only ``h1``."""
        return section.depth + 1

    def heading(self, section: Section) -> str:
        """A section's heading; levels past 6 keep their level for assistive technology."""
        level = self.heading_level(section)
        ident = self.heading_ids.get(section.id, "")
        body = self.inlines(section.title)
        if level <= 6:
            return f"<h{level}{attrs(id=ident)}>{body}</h{level}>\n"
        return (
            f'<p{attrs(id=ident)} class="heading" role="heading" aria-level="{level}">{body}</p>\n'
        )

    def section(self, section: Section) -> str:
        """A ``<section>`` with its heading, blocks and subsections."""
        role = SECTION_ROLES.get(section.role, "")
        classes = " ".join(c for c in section.classes if _CLASS.match(c))
        with self.typeset.language(lang(section.lang)):
            return self._section(section, role, classes)

    def _section(self, section: Section, role: str, classes: str) -> str:
        if section.implicit:
            head = ""
            labelled = ""
        else:
            head = self.heading(section)
            labelled = self.heading_ids.get(section.id, "")
        out = [
            f"<section{attrs(id=section.id, class_=classes, role=role, lang=lang(section.lang))}"
            f"{attrs(aria_labelledby=labelled)}>\n",
            head,
            self.blocks(section.blocks),
        ]
        out.extend(self.section(sub) for sub in section.subsections)
        out.append("</section>\n")
        return "".join(out)

    # ----------------------------------------------------------------- blocks

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        """Block nodes in order, one per line."""
        return "".join(self.block(block) for block in blocks)

    def block(self, block: Block) -> str:
        """One block node."""
        if isinstance(block, Paragraph):
            lead = leading_page_breaks(block.children)  # a page that begins before it
            pages = "".join(
                self._pagebreak(n) for n in block.children[:lead] if isinstance(n, PageBreak)
            )
            with self.typeset.language(lang(block.lang)):
                body = self._sentences(block, lead)
            return f"{pages}<p{attrs(id=block.id, lang=lang(block.lang))}>{body}</p>\n"
        if isinstance(block, BulletList):
            items = "".join(self._item(item) for item in block.items)
            return f"<ul{attrs(id=block.id)}>\n{items}</ul>\n"
        if isinstance(block, OrderedList):
            start = str(block.start) if block.start != 1 else ""
            items = "".join(self._item(item) for item in block.items)
            return f"<ol{attrs(id=block.id, start=start)}>\n{items}</ol>\n"
        if isinstance(block, BlockQuote):
            with self.typeset.language(lang(block.lang)):
                body = self.blocks(block.blocks)
            return f"<blockquote{attrs(id=block.id, lang=lang(block.lang))}>\n{body}</blockquote>\n"
        if isinstance(block, CodeBlock):
            return self._code(block)
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Figure):
            return self._figure(block)
        if isinstance(block, ThematicBreak):
            return "<hr />\n"
        if isinstance(block, DefinitionList):
            items = "".join(self._definition(d) for d in block.items)
            return f"<dl{attrs(id=block.id)}>\n{items}</dl>\n"
        if isinstance(block, HtmlBlock):
            # Shown as the text the author wrote, never interpreted.
            return f'<p class="raw-html"><code>{text(block.html.rstrip())}</code></p>\n'
        if isinstance(block, ReferenceList):
            return self._references(block)
        if isinstance(block, MathBlock):
            label = self.math_words.formula.format(n=self.math_numbers.get(id(block), 0))
            return rich.math_block(block, label, self.paginated)
        raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover

    def _flow(self, blocks: tuple[Block, ...]) -> str:
        """A container's content: a lone paragraph is written inline (tight lists)."""
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph) and not blocks[0].lang:
            return self.inlines(blocks[0].children)
        return "\n" + self.blocks(blocks)

    def _item(self, item: ListItem) -> str:
        return f"<li{attrs(id=item.id)}>{self._flow(item.blocks)}</li>\n"

    def _definition(self, definition: Definition) -> str:
        out = [f"<dt{attrs(id=definition.id)}>{self.inlines(definition.term)}</dt>\n"]
        out.extend(f"<dd>{self._flow(blocks)}</dd>\n" for blocks in definition.definitions)
        return "".join(out)

    def _code(self, block: CodeBlock) -> str:
        """A scrollable, keyboard-focusable region named so it makes sense on its own."""
        number = self.code_numbers.get(id(block), 0)
        language = block.language if _CLASS.match(block.language) else ""
        name = f"{self.words.code} {number}" if number else self.words.code
        if language:
            name += f" ({language})"
        code_class = f"language-{language}" if language else ""
        return (
            f'<pre{attrs(id=block.id)} class="lines" tabindex="0" role="region"'
            f"{attrs(aria_label=name)}>"
            f"<code{attrs(class_=code_class)}>{codelines.lines(block.text)}</code></pre>\n"
        )

    def _cell(self, cell: TableCell, in_head: bool, label: str = "") -> str:
        """A cell; ``label``, its column's header, is shown above it when its table stacks."""
        align = f"align-{cell.align}" if cell.align else ""
        body = self.inlines(cell.children)
        if in_head:
            return f'<th scope="col"{attrs(class_=align)}>{body}</th>'
        if cell.header:
            return f'<th scope="row"{attrs(class_=align, data_label=label)}>{body}</th>'
        return f"<td{attrs(class_=align, data_label=label)}>{body}</td>"

    def _row(self, row: TableRow, in_head: bool, labels: list[str] | None = None) -> str:
        cells = "".join(
            self._cell(cell, in_head, labels[i] if labels else "")
            for i, cell in enumerate(row.cells)
        )
        return f"<tr{attrs(id=row.id)}>{cells}</tr>\n"

    def _table(self, table: Table) -> str:
        """A table that fits: on the page inside a focusable scroll region as a last resort,
        in an EPUB (paginated: a scroll bar would be printed, and cut the table) bare."""
        number = self.table_numbers.get(id(table), 0)
        caption_id = self.claim(f"{table.id or 'table'}-caption") if table.caption else ""
        caption = f"<caption{attrs(id=caption_id)}>{self.inlines(table.caption)}</caption>\n"
        label = (
            {"aria_labelledby": caption_id}
            if caption_id
            else {"aria_label": self.words.table.format(n=number)}
        )
        columns = max((len(row.cells) for row in table.head + table.body), default=0)
        # A wide table with a header row stacks on narrow screens (tables.py).
        stack = tables.stack_class(columns) if table.head else ""
        wide = "wide" if columns >= WIDE_COLUMNS else ""
        lang_now = self.typeset.lang
        head = (
            [heading_text(plain_text(c.children), lang_now) for c in table.head[-1].cells]
            if stack
            else []
        )
        out = [
            ""
            if self.paginated
            else f'<div class="table-scroll" tabindex="0" role="region"{attrs(**label)}>\n',
            f"<table{attrs(id=table.id, class_=f'{wide} {stack}'.strip())}>\n",
            caption if table.caption else "",
        ]
        if table.head:
            out.append("<thead>\n")
            out.extend(self._row(row, True) for row in table.head)
            out.append("</thead>\n")
        out.append("<tbody>\n")
        out.extend(
            self._row(row, False, tables.labels(head, len(row.cells)) if stack else None)
            for row in table.body
        )
        out.append("</tbody>\n</table>\n" + ("" if self.paginated else "</div>\n"))
        return "".join(out)

    def _figure(self, figure: Figure) -> str:
        caption = (
            f"<figcaption>{self.inlines(figure.caption)}</figcaption>\n" if figure.caption else ""
        )
        details = self.claim(f"{figure.id or 'figure'}-description") if figure.description else ""
        image = self.image(figure.image, details=details)
        out = f"<figure{attrs(id=figure.id)}>\n{image}\n{caption}</figure>\n"
        if details:
            body = self.blocks(figure.description)
            summary = self.math_words.description
            out += rich.details(details, summary, body, self.paginated)
        return out

    def _references(self, block: ReferenceList) -> str:
        tag = "ol" if block.ordered else "ul"
        out = [f'<{tag}{attrs(id=block.id)} class="references">\n']
        for entry in block.entries:
            out.append(
                f"<li{attrs(id=entry.id)}>{self.inlines(entry.children)}"
                f"{self._entry_backlinks(entry)}</li>\n"
            )
        out.append(f"</{tag}>\n")
        return "".join(out)

    def _entry_backlinks(self, entry: Reference) -> str:
        """Links from an entry back to every place that cites it."""
        if not entry.cited_by:
            return ""
        total = len(entry.cited_by)
        work = citations.cite_form(entry)

        def label(n: int) -> str:  # holds the visible number, outside parentheses (WCAG 2.5.3)
            return self.words.back_to_cite.format(work=work, n=n, total=total)

        links = " ".join(
            f'<a{attrs(href=self.href(cite_id))} role="doc-backlink"'
            f"{attrs(aria_label=label(n))}>{n}</a>"
            for n, cite_id in enumerate(entry.cited_by, start=1)
        )
        cited = text(self.words.cited)
        if self.words_lang:
            cited = f"<span{attrs(lang=self.words_lang)}>{cited}</span>"
        return f' <span class="backlinks">{cited} {links}</span>'

    # ----------------------------------------------------------------- inlines

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        """Inline nodes as phrasing content (a new paragraph, heading or cell for the
        typography when not nested in another inline)."""
        if not self._depth:
            self.typeset.reset()
        self._depth += 1
        try:
            return "".join(self.inline(node) for node in inlines)
        finally:
            self._depth -= 1

    def _sentences(self, paragraph: Paragraph, skip: int = 0) -> str:
        """A paragraph's inlines after the first ``skip``, each sentence in a ``<span>``
        with its id when it has several (``model.sentence_runs``: what overlays and the
        listen-along page highlight). Quotes and dashes are typeset across the spans, as
        in one run."""
        runs = list(sentence_runs(paragraph))
        if not runs:
            return self.inlines(paragraph.children[skip:])
        runs[0] = (runs[0][0], runs[0][1][skip:])
        self.typeset.reset()
        self._depth += 1  # the spans are one run: ``inlines`` does not reset inside them
        try:
            return "".join(
                f"<span{attrs(id=ident)}>{self.inlines(run)}</span>" for ident, run in runs
            )
        finally:
            self._depth -= 1

    def inline(self, node: Inline) -> str:
        """One inline node."""
        if isinstance(node, Text):
            return text(node.text) if self._verbatim else self.typeset.markup(node.text)
        if isinstance(node, SoftBreak | LineBreak):
            self.typeset.after(" ")
        elif not isinstance(node, Emphasis | Strong | Strikethrough | Link | Span):
            self.typeset.after("x")  # code, an image, a note or citation: a quote after closes
        if isinstance(node, SoftBreak):
            return "\n"
        if isinstance(node, LineBreak):
            return "<br />\n"
        if isinstance(node, Emphasis):
            return f"<em>{self.inlines(node.children)}</em>"
        if isinstance(node, Strong):
            return f"<strong>{self.inlines(node.children)}</strong>"
        if isinstance(node, Strikethrough):
            return f"<del>{self.inlines(node.children)}</del>"
        if isinstance(node, Code):
            return f"<code>{text(node.text)}</code>"
        if isinstance(node, Link):
            return self._link(node)
        if isinstance(node, Image):
            return self.image(node)
        if isinstance(node, Span):
            classes = " ".join(c for c in node.classes if _CLASS.match(c))
            extra = attrs(id=node.id, lang=lang(node.lang), class_=classes)
            with self.typeset.language(lang(node.lang)):
                body = self.inlines(node.children)
            return f"<span{extra}>{body}</span>" if extra else body
        if isinstance(node, RawHtml):
            if _RAW_BR.match(node.html.strip()):
                return "<br />\n"
            return f'<code class="raw-html">{text(node.html)}</code>'
        if isinstance(node, FootnoteRef):
            return self._noteref(node)
        if isinstance(node, Citation):
            return self._citation(node)
        if isinstance(node, Math):
            return rich.formula(node.tex, node.display)
        if isinstance(node, PageBreak):
            return self._pagebreak(node)
        raise TypeError(f"unknown inline {type(node).__name__}")  # pragma: no cover

    def _link(self, link: Link) -> str:
        shown = plain_text(link.children).strip()
        verbatim = shown in (link.href, link.href.removeprefix("mailto:"))
        self._verbatim += verbatim  # an address shown as itself keeps its "--" and quotes
        try:
            body = self.inlines(link.children)
        finally:
            self._verbatim -= verbatim
        if not urls.safe_link(link.href):
            return f'<span class="unsafe-link">{body}</span>'
        target = link.href
        if links.local_file(target):
            path = links.file_path(target)
            place = self.published.get(path) if path is not None else None
            if place:  # an image of the publication: where the text shows it
                target = "#" + place
            elif self.paginated:  # not in the book (L001)
                return f'<span class="local-link">{body}</span>'
        if target.startswith("#") and target[1:] in self.ids:
            target = self.href(target[1:])
        elif target.lower() == "#top" and self.paginated:
            target = "#"  # the top of this content document, as "#top" is in HTML
        elif links.dangling_fragment(target, TITLE_PAGE_IDS):
            return f'<span class="local-link">{body}</span>'  # no such id (L002)
        return f"<a{attrs(href=target, title=link.title)}>{body}</a>"

    def image(self, image: Image, details: str = "") -> str:
        """An ``<img>``; decorative images get empty alt; unsafe ones show their alt text.

        ``details``: the id of its extended description (``aria-details``)."""
        src = self.image_src(image)
        alt = "" if image.decorative else image.alt
        if src is None:
            return f'<span class="missing-image">{text(alt)}</span>' if alt else ""
        return f'<img{attrs(src=src, aria_details=details)} alt="{attr(alt)}" />'

    def _pagebreak(self, node: PageBreak) -> str:
        """Where a printed page begins, named by its number.

        The EPUB's is named by ``aria-label`` with ``epub:type`` (as the DAISY
        knowledge base shows it); the page's by ``title``, because axe-core allows
        ``doc-pagebreak`` only on ``hr`` and then reads a named ``span`` as generic.
        """
        if self.paginated:
            name = f' epub:type="pagebreak" role="doc-pagebreak"{attrs(aria_label=node.label)}'
        else:
            name = f' role="doc-pagebreak"{attrs(title=node.label)}'
        return f'<span{attrs(id=node.id)} class="pagebreak"{name}></span>'

    def _noteref(self, ref: FootnoteRef) -> str:
        if not ref.note_id:
            return text(f"[^{ref.label}]")  # undefined note: shown as written (N001)
        return (
            f'<a{attrs(href=self.href(ref.note_id), id=ref.id)} class="noteref"'
            f'{self._epub_type("noteref")} role="doc-noteref"'
            f"{attrs(aria_label=self.words.note.format(n=ref.number))}>"
            f"<sup>{ref.number}</sup></a>"
        )

    def _citation(self, cite: Citation) -> str:
        """Each resolved work links to its entry; unresolved ones stay plain text."""
        out: list[str] = []
        for piece, item_text, reference_id in self._citation_pieces(cite):
            if not reference_id:
                out.append(text(piece))
                continue
            # A bare year ("2020" of "Smith, 2019, 2020") is named by its whole item.
            label = attrs(aria_label=item_text) if piece != item_text and not cite.narrative else ""
            out.append(f"<a{attrs(href=self.href(reference_id))}{label}>{text(piece)}</a>")
        return f'<span{attrs(id=cite.id)} class="citation">{"".join(out)}</span>'

    def _citation_pieces(self, cite: Citation) -> Iterator[tuple[str, str, str]]:
        """``(text, item text, reference id)`` runs covering the citation as written."""
        written = cite.text
        resolved = [i for i in cite.items if i.reference_id in self.entries]
        if cite.narrative:  # "Weitzer (2007)": the whole phrase names the work
            target = resolved[0] if resolved else None
            yield written, target.text if target else written, target.reference_id if target else ""
            return
        cursor = 0
        for item in cite.items:
            start, piece = written.find(item.text, cursor), item.text
            if start < 0:  # "(Smith, 2019, 2020)": the second item is just its year
                start, piece = written.find(item.year, cursor), item.year
            if start < 0 or not piece:
                continue
            yield written[cursor:start], "", ""
            reference = item.reference_id if item.reference_id in self.entries else ""
            yield piece, item.text, reference
            cursor = start + len(piece)
        yield written[cursor:], "", ""

    # ----------------------------------------------------------------- notes

    def footnotes(self) -> str:
        """The notes section (``doc-endnotes``), each note with back-links; "" when none."""
        notes = [n for n in self.document.footnotes if n.id]
        if not notes:
            return ""
        out = [
            f'<section{attrs(id=self.notes_id)} class="footnotes"'
            f'{self._epub_type("endnotes")} role="doc-endnotes"'
            f"{attrs(aria_labelledby=self.notes_heading_id)}>\n",
            f"<h2{attrs(id=self.notes_heading_id, lang=self.words_lang)}>"
            f"{text(self.words.notes)}</h2>\n<ol>\n",
        ]
        out.extend(self._note(note) for note in notes)
        out.append("</ol>\n</section>\n")
        return "".join(out)

    def _note(self, note: Footnote) -> str:
        links = " ".join(
            f'<a{attrs(href=self.href(ref_id))} class="backlink"'
            f'{self._epub_type("backlink")} role="doc-backlink"'
            f"{attrs(aria_label=self._note_back_label(note, n))}>↩</a>"
            for n, ref_id in enumerate(note.ref_ids, start=1)
        )
        blocks = note.blocks
        if links and blocks and isinstance(blocks[-1], Paragraph):
            last = blocks[-1]
            ident = attrs(id=last.id, lang=lang(last.lang))
            body = self.blocks(blocks[:-1]) + (
                f"<p{ident}>{self.inlines(last.children)} {links}</p>\n"
            )
        else:
            body = self.blocks(blocks) + (f"<p>{links}</p>\n" if links else "")
        value = attrs(value=str(note.number)) if note.number else ""
        return f"<li{attrs(id=note.id)}{value}>\n{body}</li>\n"

    def _epub_type(self, semantic: str) -> str:
        """`` epub:type="…"`` in EPUB chapters; "" on the HTML page (not an HTML attribute)."""
        return f' epub:type="{semantic}"' if self.paginated else ""

    def _note_back_label(self, note: Footnote, n: int) -> str:
        if len(note.ref_ids) == 1:
            return self.words.back_to_note.format(n=note.number)
        return self.words.back_to_note_ref.format(k=n, n=note.number)
