"""The HTML page without a browser: the CLI, safety of hostile input, golden file, determinism."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import document_from
from hypothesis import given, settings
from hypothesis import strategies as st
from pages import ARTICLE, FEATURES, HOSTILE, ROOT, hostile_page

from pipeline.build import load
from pipeline.cli import main
from pipeline.formats.html import page

#: Every element the page may contain; anything else came from the source.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer",
    "section", "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "span", "em", "strong", "del",
    "code", "pre", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "div",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img",
    "sup", "time",
}  # fmt: skip


class Collector(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = Collector()
    collector.feed(html)
    return collector.elements


def test_build_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--formats", "html", "--out", str(tmp_path), str(ARTICLE)]) == 0
    written = tmp_path / "article.html"
    assert written.read_text(encoding="utf-8") == page(load(ARTICLE))
    assert f"wrote {written}" in capsys.readouterr().out


def test_build_is_byte_identical_twice(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert (
            main(["build", "--formats", "html", "--out", str(tmp_path / run), str(FEATURES)]) == 0
        )
    assert (tmp_path / "a/features.html").read_bytes() == (
        tmp_path / "b/features.html"
    ).read_bytes()


def test_hostile_source_fails_with_diagnostics_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--formats", "html", "--out", str(tmp_path),
         str(HOSTILE)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert f"{HOSTILE}:18:1: error I002 image '../../etc/passwd'" in "\n".join(lines)
    assert any(re.match(rf"{re.escape(str(HOSTILE))}:20:1: error I002 ", x) for x in lines)
    assert any(re.match(rf"{re.escape(str(HOSTILE))}:28:1: error I001 ", x) for x in lines)
    assert not list(tmp_path.iterdir())


def test_hostile_markup_never_reaches_the_page() -> None:
    html = hostile_page()
    found = elements(html)
    assert {tag for tag, _ in found} <= ALLOWED_TAGS
    for tag, attributes in found:
        assert not [a for a in attributes if a.startswith("on")], (tag, attributes)
        href = attributes.get("href") or ""
        assert not href or href.startswith(("#", "https://")), href
        if tag == "img":
            assert (attributes.get("src") or "").startswith("data:image/png;base64,")
    # Only ok.png reaches the page (twice: with alt, and the alt-less copy refused at build).
    assert [t for t, _ in found].count("img") == 2
    assert "<script" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in html and "&lt;iframe" in html
    # Neither the hostile language tag nor the span's attributes become attributes.
    assert ("html", {"lang": "en"}) in found
    assert not [a for _, a in found if "lang" in a and " " in (a["lang"] or "")]


def test_csp_forbids_scripts_and_allows_exactly_the_inline_stylesheet() -> None:
    html = page(load(FEATURES))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    value = policy.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in value and "script-src" not in value
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in value


def test_page_structure() -> None:
    html = page(load(FEATURES))
    found = elements(html)
    tags = [t for t, _ in found]
    assert tags.count("main") == 1 and tags.count("h1") == 1
    assert ("html", {"lang": "en-GB"}) in found
    assert found[tags.index("a")][1]["class"] == "skip-link"
    assert '<nav class="toc" aria-labelledby="contents">' in html
    byline = '<p class="byline" id="doc-authors">By <span class="author">Ada Writer</span> and '
    assert byline in html
    assert '<time datetime="2024-05-01">2024-05-01</time>' in html
    assert (
        "<title>A Field Guide to Every Block: One fixture for the accessible HTML writer</title>"
        in html
    )
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert all(a.get("src", "").startswith("data:image/png") for t, a in found if t == "img")  # type: ignore[union-attr]


CASES = sorted(p.stem for p in (ROOT / "tests" / "fixtures" / "html").glob("*.md"))


@pytest.mark.golden
@pytest.mark.parametrize("case", CASES)
def test_page_body_matches_its_reviewed_case(case: str, golden: Callable[[str, str], None]) -> None:
    """One small manuscript per feature (landmarks and skip link, citations, notes, tables,
    lists, languages and code) against its reviewed ``<body>``: the head, which inlines the
    stylesheet, is left out, so a stylesheet edit changes no case (``test_csp...`` and the
    browser tests check the head and the styles). The accessibility statement at the end of
    every page is kept in the ``landmarks`` case only (``test_accessibility`` checks what it
    says), so a change to the statement's wording changes one case, not all of them."""
    html = page(load(ROOT / "tests" / "fixtures" / "html" / f"{case}.md"))
    body = re.search(r"<body\b.*</body>", html, re.DOTALL)
    assert body is not None
    shown = body.group(0)
    if case != "landmarks":
        shown, statements = STATEMENT.subn("", shown)
        assert statements == 1, "every page ends with its accessibility statement"
        shown = STATEMENT_ENTRY.sub("", shown)
    golden(f"html/{case}.html", shown + "\n")


#: The page's accessibility statement and its line in the contents (``pipeline.formats.statement``).
STATEMENT = re.compile(r'<section aria-labelledby="accessibility"[^>]*>.*?</section>\n', re.DOTALL)
STATEMENT_ENTRY = re.compile(r'<li><a href="#accessibility">[^<]*</a></li>\n')


SNIPPETS = (
    "# Heading {lang=fr}",
    "### Deep heading",
    "Text with *emphasis* and a note[^n].",
    "A citation (Smith, 2019; Nobody, 2001) and Smith (2019).",
    "- item\n  - nested\n    1. deeper",
    "> quote\n> more",
    "```\ncode <b>&amp;\n```",
    "| a | b |\n|---|--:|\n| 1 | 2 |",
    "Table: A caption",
    '![alt text](chart.png "Title")',
    "![](chart.png){.decorative}",
    "<div onclick=x>raw</div>",
    "[link](https://example.org/?a=1&b=2) [bad](<//x>)",
    "Term\n: Definition",
    "---",
    "[^n]: The note.",
    "# References\n\n1. Smith, J. (2019). *A book*. Press.",
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(SNIPPETS), max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60),
)
def test_any_page_is_well_formed_xhtml_with_unique_ids(parts: list[str], noise: str) -> None:
    markdown = "---\ntitle: P\nlang: en\n---\n\n" + "\n\n".join([*parts, f"x {noise}"]) + "\n"
    html = page(document_from(markdown, FEATURES.parent))
    ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))  # noqa: S314 (our own output)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert ids.count("main") == 1
