"""The named, ordered transforms between parsing and writing.

``TRANSFORMS`` is the whole flow in one place, like markdown-it's rule
chains: each entry is a pure ``Document -> Document`` function. Diagnostics
they find are appended to ``Document.diagnostics``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from pipeline.diagnostics import Diagnostic, diagnostic
from pipeline.document import (
    bibliography,
    citations,
    gcpause,
    ids,
    links,
    pages,
    rewrite,
    safety,
    sentences,
)
from pipeline.document.model import (
    Block,
    BlockQuote,
    BulletList,
    Citation,
    CiteItem,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    FootnoteRef,
    Inline,
    MathBlock,
    OrderedList,
    Paragraph,
    ReferenceList,
    Section,
    Table,
    Text,
    evolve,
    plain_text,
    walk_inlines,
    walk_sections,
)

Transform = Callable[[Document], Document]

#: Id prefixes by block type (lists items and table rows get their own).
_BLOCK_PREFIX: dict[type, str] = {
    Paragraph: "p",
    BulletList: "list",
    OrderedList: "list",
    BlockQuote: "quote",
    CodeBlock: "code",
    Table: "table",
    Figure: "fig",
    MathBlock: "math",
    DefinitionList: "dl",
    ReferenceList: "references-list",
}


def _report(doc: Document, found: list[Diagnostic]) -> Document:
    return replace(doc, diagnostics=doc.diagnostics + tuple(found)) if found else doc


def assign_ids(doc: Document) -> Document:
    """Give sections slugs, and every block, entry, note, citation and note reference a
    unique id; number the notes in order of first reference and link references and notes
    both ways.

    Notes are numbered here, in the one rewrite that gives every paragraph its id, rather
    than in a pass of their own: that pass copied again every paragraph that holds a note
    reference (all of them, in a book of notes). Note ids are claimed before the blocks'
    ids, which cannot change them: every note id begins with ``fn-`` and no block, entry or
    citation id does."""
    registry = ids.Registry()
    registry.used.update(ids.TITLE_PAGE_IDS)
    found: list[Diagnostic] = []
    section_ids: dict[int, str] = {}
    for section in walk_sections(doc.sections):  # slugs first: they are the readable ones
        wanted = section.id
        if wanted and (not ids.is_valid(wanted) or wanted in registry.used):
            found.append(
                diagnostic(
                    "H003",
                    f"id '{wanted}' is invalid or already used; a generated id replaces it",
                    doc.path,
                    section.line,
                )
            )
            wanted = ""
        section_ids[id(section)] = registry.claim(wanted or ids.slugify(plain_text(section.title)))

    def on_section(section: Section) -> Section:
        return evolve(section, id=section_ids[id(section)])

    def on_block(block: Block) -> Block:
        if isinstance(block, ReferenceList):
            entries = []
            for entry in block.entries:
                family = ids.slugify(entry.authors[0].family if entry.authors else "", "entry")
                year = re.sub(r"[^0-9a-z]", "", entry.year.lower()) or "nd"
                entries.append(replace(entry, id=registry.claim(f"ref-{family}-{year}")))
            return replace(block, id=registry.next("references-list"), entries=tuple(entries))
        if isinstance(block, BulletList | OrderedList):
            items = tuple(replace(i, id=registry.next("li")) for i in block.items)
            block = replace(block, items=items)
        if isinstance(block, Table):
            block = replace(
                block,
                head=tuple(replace(r, id=registry.next("row")) for r in block.head),
                body=tuple(replace(r, id=registry.next("row")) for r in block.body),
            )
        if isinstance(block, DefinitionList):
            block = replace(
                block, items=tuple(replace(d, id=registry.next("term")) for d in block.items)
            )
        prefix = _BLOCK_PREFIX.get(type(block))
        if prefix is None:  # thematic breaks and raw HTML are never targets
            return block
        return evolve(block, id=registry.next(prefix))

    note_ids = {
        n.label: registry.claim(f"fn-{ids.slugify(n.label, 'note')}") for n in doc.footnotes
    }
    numbers = _note_numbers(doc)
    refs: dict[str, list[str]] = defaultdict(list)

    def on_inline(node: Inline) -> Inline:
        if isinstance(node, Citation):
            return evolve(node, id=registry.next("cite"))
        if not isinstance(node, FootnoteRef) or node.label not in note_ids:
            return node
        note_id = note_ids[node.label]
        ref_id = f"fnref-{note_id.removeprefix('fn-')}"
        if refs[node.label]:
            ref_id = f"{ref_id}-{len(refs[node.label]) + 1}"
        refs[node.label].append(ref_id)
        return evolve(node, note_id=note_id, id=ref_id, number=numbers[node.label])

    doc = rewrite.document(doc, block_fn=on_block, inline_fn=on_inline, section_fn=on_section)
    footnotes = tuple(
        evolve(
            note,
            id=note_ids[note.label],
            number=numbers[note.label],
            ref_ids=tuple(refs[note.label]),
        )
        for note in sorted(doc.footnotes, key=lambda n: numbers[n.label])
    )
    return _report(replace(doc, footnotes=footnotes), found)


def _note_numbers(doc: Document) -> dict[str, int]:
    """Each note's number: in order of first reference (section text, then notes), then
    the notes no reference reaches."""
    notes = {note.label for note in doc.footnotes}
    order: dict[str, None] = {}  # first-reference order, with constant-time membership
    for node in walk_inlines(doc):
        if isinstance(node, FootnoteRef) and node.label in notes:
            order.setdefault(node.label)
    for note in doc.footnotes:
        order.setdefault(note.label)
    return {label: n for n, label in enumerate(order, start=1)}


def resolve_citations(doc: Document) -> Document:
    """Link each cited work to its reference entry; report those that match none."""
    entries = doc.references
    cites = doc.citations
    if not entries and not cites:  # nothing to link or report (most long documents)
        return doc
    index = citations.Index(entries, citations.abbreviations(i for c in cites for i in c.items))
    all_items: list[CiteItem] | None = None  # gathered only if a citation fails to match
    hints: dict[tuple[str, str], str] = {}  # one suggestion per misspelt work, however often
    found: list[Diagnostic] = []
    cited_by: dict[str, list[str]] = defaultdict(list)
    named: set[str] = set()  # entries an ambiguous citation may mean: not "never cited"

    def hint(item: CiteItem) -> str:
        nonlocal all_items
        key = (" & ".join(item.authors), item.year)
        if key not in hints:
            if all_items is None:
                all_items = [i for cite in cites for i in cite.items]
            if not entries:
                hints[key] = " (the document has no reference list)"
            elif (other := citations.other_authors(item, entries)) is not None:
                hints[key] = (
                    f'; reference {other.number} ("{citations.cite_form(other)}") has other authors'
                )
            elif (near := citations.suggest(item, entries)) is not None:
                hints[key] = f'; did you mean "{citations.cite_form(near)}"?'
            elif spellings := citations.near_spellings(item, iter(all_items)):
                hints[key] = " (elsewhere cited as " + ", ".join(f'"{s}"' for s in spellings) + ")"
            else:
                hints[key] = ""
        return hints[key]

    def on_inline(node: Inline) -> Inline:
        if not isinstance(node, Citation):
            return node
        items = []
        kept = False
        for item in node.items:
            if item.key:  # pandoc-style: linked by its key (``link_bibliography``) or reported
                if item.reference_id and node.id not in cited_by[item.reference_id]:
                    cited_by[item.reference_id].append(node.id)
                items.append(item)
                kept = True
                continue
            matches = index.match_narrative(item) if node.narrative else index.match(item)
            if len(matches) == 1:
                target = matches[0].id
                if node.id not in cited_by[target]:
                    cited_by[target].append(node.id)
                items.append(replace(item, reference_id=target))
                kept = True
                continue
            if len(matches) > 1:  # never a guess: link neither, say which and why
                named.update(entry.id for entry in matches)
                found.append(
                    diagnostic(
                        "C004",
                        citations.ambiguity(item, matches),
                        doc.path,
                        item.line,
                        item.col,
                    )
                )
                kept = True
            elif not item.tentative or hint(item).startswith("; "):
                message = f'citation "{item.text}" matches no reference' + hint(item)
                found.append(diagnostic("C001", message, doc.path, item.line, item.col))
                kept = True
            items.append(item)
        if not kept:  # "(Windows 2000)": shaped like Harvard or MLA, but names no entry
            return Text(node.text)
        return replace(node, items=tuple(items))

    doc = rewrite.document(doc, inline_fn=on_inline)

    def on_block(block: Block) -> Block:
        if not isinstance(block, ReferenceList):
            return block
        entries_out = []
        for entry in block.entries:
            if entry.key:  # generated from the bibliography: cited by key, or a nocite entry
                pass
            elif not entry.authors or not entry.year:
                missing = "author" if not entry.authors else "year"
                found.append(
                    diagnostic(
                        "C003",
                        f"reference {entry.number} has no recognisable {missing}; "
                        "citations cannot match it",
                        doc.path,
                        entry.line,
                    )
                )
            elif not cited_by.get(entry.id) and entry.id not in named:
                found.append(
                    diagnostic(
                        "C002",
                        f'reference {entry.number} ("{citations.cite_form(entry)}") is never cited',
                        doc.path,
                        entry.line,
                    )
                )
            entries_out.append(replace(entry, cited_by=tuple(cited_by.get(entry.id, ()))))
        return replace(block, entries=tuple(entries_out))

    doc = rewrite.document(doc, block_fn=on_block)
    found.sort(key=lambda d: (d.line, d.col))
    return _report(doc, found)


#: The whole flow after parsing, in order. Writers read the result.
TRANSFORMS: list[tuple[str, Transform]] = [
    ("cite_bibliography", bibliography.cite_bibliography),
    ("assign_ids", assign_ids),
    ("link_bibliography", bibliography.link_bibliography),
    ("resolve_citations", resolve_citations),
    ("check_images", safety.check_images),
    ("check_links", safety.check_links),
    ("check_page_breaks", pages.check_page_breaks),
    ("mark_sentences", sentences.mark_sentences),
    ("check_fragment_links", links.check_fragments),
]


def apply(doc: Document) -> Document:
    """Run every transform in order (without the cyclic collector: see ``gcpause``)."""
    with gcpause.paused():
        for _, transform in TRANSFORMS:
            doc = transform(doc)
    return doc
