"""Bare links, local-file links and extended descriptions (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from pipeline.document import transforms
from pipeline.document.model import Figure, Link, Paragraph, walk_blocks, walk_inlines
from pipeline.document.parse import markdown, parse
from pipeline.document.source import SourceText
from pipeline.formats import a11y_metadata
from pipeline.formats.narration import narrate
from pipeline.formats.render import Renderer

FIXTURES = Path(__file__).parent / "fixtures" / "rich"
HEAD = "---\ntitle: T\nlang: {lang}\n---\n\n"
OFFSET = 5  # lines of HEAD before a case's first line


def _doc(body: str, lang: str = "en") -> SourceText:
    return SourceText(text=HEAD.format(lang=lang) + body + "\n", path="b.md", directory=FIXTURES)


def _cases() -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    for block in (FIXTURES / "diagnostics.txt").read_text(encoding="utf-8").split("=== ")[1:]:
        expected, _, body = block.partition("\n")
        cases.append((expected.strip(), body.rstrip("\n")))
    return cases


@pytest.mark.parametrize(("expected", "body"), _cases(), ids=[c[0] for c in _cases()])
def test_diagnostic_cases(expected: str, body: str) -> None:
    found = transforms.apply(parse(_doc(body))).diagnostics
    got = sorted(
        f"{d.code}@{d.line - OFFSET}" + (f":{d.col}" if ":" in expected else "")
        for d in found
        if d.code[0] in "QLD"
    )
    assert got == ([] if expected == "none" else sorted(expected.split()))


def _links(body: str) -> list[tuple[str, str]]:
    document = parse(_doc(body))
    return [
        (n.href, "".join(getattr(c, "text", "") for c in n.children))
        for n in walk_inlines(document)
        if isinstance(n, Link)
    ]


def test_bare_urls_emails_and_dois_become_links() -> None:
    found = _links(
        "See https://example.org/a, www.example.com, ed@example.org and doi:10.5555/123."
    )
    assert found == [
        ("https://example.org/a", "https://example.org/a"),
        ("http://www.example.com", "www.example.com"),
        ("mailto:ed@example.org", "ed@example.org"),
        ("https://doi.org/10.5555/123", "doi:10.5555/123"),
    ]


#: Pieces of text near links: schemes, hosts, top-level domains, addresses, punctuation.
_LINKISH = st.sampled_from(
    ["http", "https", "ftp", "mailto", "doi", ":", "/", "//", "@", ".", "www", "WWW", "com",
     "org", "рф", "xn--p1ai", "localhost", "10", "127.0.0.1", " ", "\n", "(", ")", "<", ">",
     "a", "ed", "é", "_", "-", "例", "\uff5c", "｜", "＠", "：", "\u3000"]
)  # fmt: skip


@settings(max_examples=600)
@given(st.lists(_LINKISH | st.text(max_size=3), max_size=14).map("".join))
def test_the_quick_pretest_rejects_only_what_linkify_it_rejects(text: str) -> None:
    """The cheap pattern in front of linkify-it's pretest (100,000 footnotes: 3.5 s less
    CPU) may let through what linkify-it rejects, never the reverse."""
    linkify = markdown().linkify
    assert linkify is not None
    if LinkifyIt().add("doi:", "http:").pretest(text):
        assert linkify.pretest(text), text


def test_file_names_that_look_like_domains_stay_text() -> None:
    assert _links("Run x.py, edit notes.md, see e.g. fig.png.") == []


def test_link_narration_reads_doi_in_full_and_url_by_domain() -> None:
    for lang, slash in (("en", "slash"), ("fr", "barre oblique"), ("de", "Schrägstrich")):
        document = parse(
            _doc("Read <https://doi.org/10.1000/xyz123> or https://www.example.org/a/b.", lang)
        )
        [said] = [u.text for u in narrate(document).utterances if u.kind == "paragraph"]
        assert f"10.1000 {slash} xyz123" in said
        assert "example.org" in said
        assert "/a/b" not in said


def test_local_links_are_text_in_the_epub_and_links_on_the_page() -> None:
    document = parse(_doc("A [file](notes.txt) and a [site](https://example.org)."))
    paragraph = next(b for b in walk_blocks(document) if isinstance(b, Paragraph))
    page = Renderer(document).block(paragraph)
    book = Renderer(document, paginated=True).block(paragraph)
    assert '<a href="notes.txt">file</a>' in page
    assert '<span class="local-link">file</span>' in book
    assert '<a href="https://example.org">site</a>' in book


def test_links_to_an_image_of_the_publication_go_to_where_it_is_shown() -> None:
    body = "See [the chart](chart.png) and [notes](notes.txt).\n\n![A chart](chart.png)"
    document = parse(_doc(body))
    assert [d.message for d in document.diagnostics if d.code == "L001"] == [
        "link to 'notes.txt', a file that is not in the publication; "
        "the EPUB shows its text without the link"
    ]
    document = transforms.apply(document)
    paragraph = next(b for b in walk_blocks(document) if isinstance(b, Paragraph))
    figure = next(b for b in walk_blocks(document) if isinstance(b, Figure))
    page = Renderer(document).block(paragraph)
    book = Renderer(document, href=lambda i: f"01.xhtml#{i}", paginated=True).block(paragraph)
    assert f'<a href="#{figure.id}">the chart</a>' in page
    assert f'<a href="01.xhtml#{figure.id}">the chart</a>' in book
    assert '<span class="local-link">notes</span>' in book


def test_description_is_details_named_by_aria_details_and_read_after_the_figure() -> None:
    body = "![A chart](chart.png)\n\n::: description\nIt rises.\n:::\n\nAfter."
    document = parse(_doc(body, "es"))
    figure = next(b for b in walk_blocks(document) if isinstance(b, Figure))
    assert len(figure.description) == 1
    markup = Renderer(document).block(figure)
    assert 'aria-details="figure-description"' in markup
    assert '<details id="figure-description" class="description">' in markup
    assert "<summary>Descripción</summary>" in markup
    assert 'open="open"' in Renderer(document, paginated=True).block(figure)
    said = [(u.kind, u.text) for u in narrate(document).utterances if u.kind != "title"]
    kinds = [kind for kind, _ in said]
    assert kinds.index("figure") < kinds.index("description")
    assert ("description", "Descripción de la figura.") in said
    assert ("description", "It rises.") in said
    assert said[-1] == ("paragraph", "After.")
    assert "longDescription" in a11y_metadata.compute(document).features


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("# Methods\n\nSee [methods](#methods).", []),
        ("# One\n\nSee [nowhere](#nowhere).", ["3:15"]),
        ("# One\n\nA [note](#fn-x) and [x][^x].\n\n[^x]: The note.", []),
        ("# One\n\nThe [title](#doc-title) and the [top](#).", []),
        ("# One\n\nFirst [two](#gone) and\n[three](#also-gone).", ["3:13", "4:9"]),
    ],
)
def test_links_to_ids_no_element_has_are_reported_and_shown_as_text(
    body: str, reported: list[str]
) -> None:
    document = transforms.apply(parse(_doc(body)))
    found = [d for d in document.diagnostics if d.code == "L002"]
    assert [f"{d.line - OFFSET}:{d.col}" for d in found] == reported
    paragraph = next(b for b in walk_blocks(document) if isinstance(b, Paragraph))
    for paginated in (False, True):
        markup = Renderer(document, paginated=paginated).block(paragraph)
        for diagnostic in found:
            target = diagnostic.message.split("'")[1]
            assert f'href="{target}"' not in markup
        assert markup.count('class="local-link"') == len(found)
