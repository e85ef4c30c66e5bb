"""The document model built from Markdown: sections, blocks, notes and metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES
from support import FRONT

from pipeline.build import lint, load
from pipeline.document.model import (
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionList,
    Figure,
    FootnoteRef,
    HtmlBlock,
    Link,
    OrderedList,
    Paragraph,
    Span,
    Table,
    plain_text,
    walk_blocks,
    walk_inlines,
    walk_sections,
)

Write = Callable[..., Path]


def _outline(path: Path) -> list[tuple[str, int, int]]:
    return [(plain_text(s.title), s.level, s.depth) for s in walk_sections(load(path).sections)]


def test_sections_starting_at_level_one(write_source: Write) -> None:
    path = write_source(FRONT + "# One\n\nA.\n\n## One.1\n\nB.\n\n# Two\n\nC.\n")
    assert _outline(path) == [("One", 1, 1), ("One.1", 2, 2), ("Two", 1, 1)]


def test_sections_starting_at_level_two(write_source: Write) -> None:
    path = write_source(FRONT + "## One\n\nA.\n\n### One.1\n\nB.\n\n## Two\n\nC.\n")
    assert _outline(path) == [("One", 2, 1), ("One.1", 3, 2), ("Two", 2, 1)]


def test_skipped_level_is_normalised_and_reported(write_source: Write) -> None:
    path = write_source(FRONT + "## One\n\nA.\n\n#### Deep\n\nB.\n")
    assert _outline(path) == [("One", 2, 1), ("Deep", 4, 2)]
    [found] = lint(path)
    assert (found.code, found.line) == ("H001", 10)


def test_empty_heading_is_an_error(write_source: Write) -> None:
    [found] = lint(write_source(FRONT + "Text.\n\n## \n\nMore.\n"))
    assert (found.code, found.line) == ("H002", 8)


def test_text_before_the_first_heading_is_an_implicit_section(write_source: Write) -> None:
    doc = load(write_source(FRONT + "Intro.\n\n## A\n\nBody.\n"))
    intro, section = doc.sections
    assert intro.implicit and plain_text(intro.title) == "T"
    assert not section.implicit


def test_lone_level_one_heading_gives_the_title(write_source: Write) -> None:
    doc = load(
        write_source("---\nlang: en\nidentifier: x\n---\n# The Title\n\nText.\n\n## Part\n\nB.\n")
    )
    assert doc.metadata.title == "The Title"
    assert [plain_text(s.title) for s in doc.sections] == ["The Title", "Part"]
    assert doc.sections[0].implicit


def test_pandoc_front_matter(write_source: Write) -> None:
    path = write_source(
        "---\n"
        "title: A Study\n"
        "subtitle: Of Things\n"
        "author:\n  - Ann Author\n  - name: Ed Editor\n    role: editor\n"
        "lang: fr-CA\n"
        "keywords: one, two\n"
        "date: 2020-05-01\n"
        "...\n"
        "Texte.\n"
    )
    meta = load(path).metadata
    assert (meta.title, meta.subtitle, meta.lang) == ("A Study", "Of Things", "fr-CA")
    assert [(a.name, a.role) for a in meta.authors] == [("Ann Author", "aut"), ("Ed Editor", "edt")]
    assert meta.keywords == ("one", "two")
    assert meta.date == "2020-05-01"
    assert meta.identifier.startswith("urn:uuid:")


def test_derived_identifier_is_stable(write_source: Write) -> None:
    a = load(write_source("---\ntitle: Same\nlang: en\n---\nA.\n", "a.md")).metadata.identifier
    b = load(write_source("---\ntitle: Same\nlang: en\n---\nB.\n", "b.md")).metadata.identifier
    assert a == b


def test_every_block_type(write_source: Write) -> None:
    chart = write_source(b"", "chart.png")
    chart.write_bytes((FIXTURES / "features" / "chart.png").read_bytes())
    path = write_source(
        FRONT
        + "Para with [texte]{lang=fr} and a note.[^n]\n\n"
        + "- a\n  - nested\n- b\n\n"
        + "3. three\n4. four\n\n"
        + "> quoted\n\n"
        + "```python\nprint(1)\n```\n\n"
        + "| H1 | H2 |\n|:---|---:|\n| a | b |\n\nTable: The caption\n\n"
        + '![A chart](chart.png "Figure caption")\n\n'
        + "Term\n: Definition\n\n"
        + "<div>raw</div>\n\n"
        + "[^n]: The note.\n"
    )
    doc = load(path)
    kinds = [type(b) for b in walk_blocks(doc)]
    for kind in (
        Paragraph,
        BulletList,
        OrderedList,
        BlockQuote,
        CodeBlock,
        Table,
        Figure,
        DefinitionList,
        HtmlBlock,
    ):
        assert kind in kinds, kind
    blocks = doc.sections[0].blocks
    ordered = next(b for b in blocks if isinstance(b, OrderedList))
    assert ordered.start == 3
    table = next(b for b in blocks if isinstance(b, Table))
    assert plain_text(table.caption) == "The caption"
    assert [c.align for c in table.head[0].cells] == ["left", "right"]
    assert all(c.header for c in table.head[0].cells)
    figure = next(b for b in blocks if isinstance(b, Figure))
    assert (figure.image.alt, plain_text(figure.caption)) == ("A chart", "Figure caption")
    code = next(b for b in blocks if isinstance(b, CodeBlock))
    assert (code.language, code.text) == ("python", "print(1)\n")
    span = next(n for n in walk_inlines(doc) if isinstance(n, Span))
    assert span.lang == "fr"
    [note] = doc.footnotes
    ref = next(n for n in walk_inlines(doc) if isinstance(n, FootnoteRef))
    assert (ref.note_id, note.id, note.number, note.ref_ids) == ("fn-n", "fn-n", 1, (ref.id,))
    assert [d.code for d in doc.diagnostics] == ["M001"]


def test_every_node_knows_its_line(write_source: Write) -> None:
    doc = load(write_source(FRONT + "\nFirst.\n\n## H\n\n- item\n\n> quote\n"))
    assert [b.line for b in walk_blocks(doc)] == [7, 11, 11, 13, 13]
    assert [s.line for s in doc.sections] == [7, 9]


def test_ids_are_unique_even_when_headings_repeat(write_source: Write) -> None:
    doc = load(write_source(FRONT + "## Notes\n\nA.\n\n## Notes\n\nB.\n\n## p 1\n\nC.\n"))
    section_ids = [s.id for s in doc.sections]
    assert section_ids == ["notes", "notes-2", "p-1"]
    block_ids = [getattr(b, "id", "") for b in walk_blocks(doc)]
    assert len(set(block_ids + section_ids)) == len(block_ids + section_ids)


def test_explicit_heading_id_and_language(write_source: Write) -> None:
    doc = load(write_source(FRONT + "## Résumé {#summary lang=fr}\n\nTexte.\n"))
    [section] = doc.sections
    assert (section.id, section.lang, plain_text(section.title)) == ("summary", "fr", "Résumé")


def test_undefined_and_unused_footnotes(write_source: Write) -> None:
    found = lint(write_source(FRONT + "Text[^missing].\n\n[^spare]: Never used.\n"))
    assert [(d.code, d.line) for d in found] == [("N001", 6), ("N002", 8)]


def test_a_note_reference_comes_before_a_link_or_span_as_in_pandoc(write_source: Write) -> None:
    """``[^a](url)``, ``[^a][ref]`` and ``[^a]{.c}`` are note a, then the rest as pandoc
    reads them; a bracket naming no note is still a link."""
    source = (
        "One[^a](http://x.org). Two [^a][r]. Three[^a]{.c}. Four [^b](http://y.org).\n\n"
        "[r]: http://r.org\n[^a]: The note.\n"
    )
    doc = load(write_source(FRONT + source))
    assert not [d for d in doc.diagnostics if d.code == "N002"]
    [paragraph] = doc.sections[0].blocks
    assert isinstance(paragraph, Paragraph)
    refs = [n for n in paragraph.children if isinstance(n, FootnoteRef)]
    links = [(plain_text(n.children), n.href) for n in paragraph.children if isinstance(n, Link)]
    assert [r.note_id for r in refs] == [doc.footnotes[0].id] * 3
    assert links == [
        ("http://x.org", "http://x.org"),
        ("r", "http://r.org"),
        ("^b", "http://y.org"),
    ]
    assert "{.c}" in plain_text(paragraph.children)


def test_nesting_too_deep_is_refused_not_truncated(write_source: Write) -> None:
    found = lint(write_source(FRONT + "> " * 200 + "deep\n"))
    assert [d.code for d in found] == ["M002"]
    nested = "\n".join("  " * i + "- item" for i in range(100))
    assert [d.code for d in lint(write_source(FRONT + nested + "\n", "l.md"))] == ["M002"]


def test_moderate_nesting_is_kept_whole(write_source: Write) -> None:
    nested = "\n".join("  " * i + f"- item{i}" for i in range(12))
    doc = load(write_source(FRONT + nested + "\n"))
    text = " ".join(plain_text(b.children) for b in walk_blocks(doc) if isinstance(b, Paragraph))
    assert "item11" in text


def test_inline_nesting_too_deep_is_refused_without_a_traceback(write_source: Write) -> None:
    found = lint(write_source(FRONT + "*" * 5000 + "x" + "*" * 5000 + "\n"))
    assert [(d.code, d.line) for d in found] == [("M002", 6)]


def test_inline_footnotes_are_notes_too(write_source: Write) -> None:
    doc = load(write_source(FRONT + "Text^[An *inline* note.] and[^a].\n\n[^a]: Labelled.\n"))
    inline, labelled = doc.footnotes
    refs = [n for n in walk_inlines(doc) if isinstance(n, FootnoteRef)]
    assert [r.note_id for r in refs] == [inline.id, labelled.id]
    assert (inline.number, labelled.number) == (1, 2)
    assert "inline note" in plain_text(inline.blocks[0].children)  # type: ignore[union-attr]
