"""The shared renderer: every node type, well-formed XHTML, cross-references via ``href``."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter

from conftest import FIXTURES, document_from
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import load
from pipeline.document.model import Document, Link, Text
from pipeline.formats.render import Renderer

FEATURES = FIXTURES / "features" / "features.md"


def render_all(document: Document, renderer: Renderer | None = None) -> str:
    r = renderer or Renderer(document)
    return "".join(r.section(s) for s in document.sections) + r.footnotes()


def parse_xml(fragment: str) -> ET.Element:
    """Fails when the fragment is not well-formed XML."""
    wrapped = f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>'
    return ET.fromstring(wrapped)  # noqa: S314 (our own output, not untrusted XML)


def tags(root: ET.Element) -> Counter[str]:
    return Counter(el.tag.split("}")[-1] for el in root.iter())


def test_every_node_type_renders_as_well_formed_xhtml() -> None:
    document = load(FEATURES)
    root = parse_xml(render_all(document))
    found = tags(root)
    for tag in (
        "section", "h2", "h3", "p", "em", "strong", "del", "code", "a", "span", "br",
        "ol", "ul", "li", "blockquote", "pre", "table", "caption", "thead", "tbody",
        "th", "td", "figure", "figcaption", "img", "hr", "dl", "dt", "dd", "sup",
    ):  # fmt: skip
        assert found[tag], f"no <{tag}> rendered"


def test_ids_are_unique() -> None:
    html = render_all(load(FEATURES))
    ids = Counter(re.findall(r' id="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_cross_references_go_through_href() -> None:
    document = load(FEATURES)
    html = render_all(document, Renderer(document, href=lambda t: f"other.xhtml#{t}"))
    internal = [h for h in re.findall(r'href="([^"]+)"', html) if not h.startswith("https:")]
    assert internal
    assert all(h.startswith("other.xhtml#") for h in internal), internal


def test_heading_levels_follow_depth_and_never_skip() -> None:
    html = render_all(load(FEATURES))
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 2
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_implicit_section_has_no_heading() -> None:
    document = document_from("---\ntitle: T\nlang: en\n---\n\nIntro.\n\n# Next\n\nText.\n")
    html = Renderer(document).section(document.sections[0])
    assert "<h" not in html
    assert html.startswith("<section") and "aria-labelledby" not in html


def test_deep_headings_keep_their_level() -> None:
    markdown = "---\ntitle: T\nlang: en\n---\n\n" + "".join(
        f"{'#' * n} Level {n}\n\nText.\n\n" for n in range(1, 7)
    )
    html = render_all(document_from(markdown))
    assert 'role="heading" aria-level="7"' in html
    parse_xml(html)


def test_citations_link_resolved_items_only() -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\nA claim (Smith, 2019; Nobody, 1999) and Smith (2019).\n\n"
        "# References\n\n1. Smith, J. (2019). *A book*. Press.\n"
    )
    html = render_all(document)
    assert '(<a href="#ref-smith-2019">Smith, 2019</a>; Nobody, 1999)' in html
    assert '<a href="#ref-smith-2019">Smith (2019)</a>' in html
    assert html.count('role="doc-backlink"') == 2
    assert 'href="#cite-1"' in html and 'href="#cite-2"' in html


def test_a_year_only_item_is_named_by_its_whole_citation() -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\nSee (Smith, 2019, 2020).\n\n# References\n\n"
        "1. Smith, J. (2019). *One*. Press.\n2. Smith, J. (2020). *Two*. Press.\n"
    )
    html = render_all(document)
    assert '<a href="#ref-smith-2020" aria-label="Smith, 2020">2020</a>' in html


def test_footnotes_use_current_dpub_roles() -> None:
    html = render_all(load(FEATURES))
    assert 'role="doc-endnotes"' in html
    assert 'doc-endnote"' not in html and "doc-biblioentry" not in html
    assert html.count('role="doc-noteref"') == 3
    assert 'href="#fnref-first-2" class="backlink" role="doc-backlink"' in html


def test_raw_html_and_unsafe_urls_never_pass_through() -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\n<script>alert(1)</script>\n\n"
        'Text <img src=x onerror="alert(1)"> and [x](javascript:alert(1)) '
        "[y](JaVa\tScRiPt:alert(1)) [z](data:text/html,hi) [w](//evil.example/) <br>\n"
    )
    html = render_all(document)
    assert "<script" not in html and "<img" not in html
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert not [h for h in hrefs if ":" in h or h.startswith("//")], hrefs
    assert "&lt;script&gt;" in html
    assert "<br />" in html
    parse_xml(html)


def test_renderer_itself_refuses_unsafe_link_schemes() -> None:
    document = document_from("---\ntitle: T\nlang: en\n---\n\nText.\n")
    renderer = Renderer(document)
    for href in ("javascript:alert(1)", "JaVa\tScRiPt:x", "java%09script:x", " data:text/html,x",
                 "vbscript:x", "file:///etc/passwd", "//evil.example/"):  # fmt: skip
        html = renderer.inline(Link(href, (Text("t"),)))
        assert html == '<span class="unsafe-link">t</span>', href
    assert renderer.inline(Link("https://example.org/?a=1&b=2", (Text("t"),))) == (
        '<a href="https://example.org/?a=1&amp;b=2">t</a>'
    )


def test_images_outside_the_source_folder_render_as_text() -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\nA ![secret](../../etc/passwd) and ![root](/etc/x.png).\n"
    )
    html = render_all(document)
    assert "<img" not in html
    assert '<span class="missing-image">secret</span>' in html


def test_output_is_deterministic() -> None:
    assert render_all(load(FEATURES)) == render_all(load(FEATURES))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_any_text_renders_well_formed(body: str) -> None:
    document = document_from(f"---\ntitle: T\nlang: en\n---\n\nx {body}\n")
    parse_xml(render_all(document))
