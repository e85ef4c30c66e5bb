"""The proof of issue 18: one five-chapter book with every feature, in English and French.

``tests/fixtures/book/book.md`` and its translation ``livre.md`` carry endnotes,
every credit role, a copyright page, typography, inline and display math, bare
links and DOIs, a figure with a ``::: description``, a wide table, long code,
``{pb=N}`` page breaks (one inside a list), citations with a reference list, a
``.pls`` lexicon and a cover. EPUBCheck and Ace see both books, narrated too, in
``test_epub_validators.py``; here: what each feature became in the EPUB, the
narration (golden), and the page at 320 px in light and dark (screenshots kept by
``nox -s screenshots`` in ``outputs/screenshots/``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, document_from
from epub_helpers import EPOCH, Book
from playwright.sync_api import Browser

from pipeline.build import load
from pipeline.formats.epub import build_epub
from pipeline.formats.html import page
from pipeline.formats.narration import lexicon_for, narrate, to_text

BOOKS = {"en": FIXTURES / "book" / "book.md", "fr": FIXTURES / "book" / "livre.md"}
CHAPTERS = (
    "01-records-and-files",
    "02-numbers-read-aloud",
    "03-charts-and-tables",
    "04-tools-of-the-trade",
    "05-what-readers-asked-for",
)
CHAPITRES = (
    "01-disques-et-fichiers",
    "02-des-nombres-a-voix-haute",
    "03-graphiques-et-tableaux",
    "04-les-outils-du-metier",
    "05-ce-que-les-lecteurs-ont-demande",
)


@pytest.fixture(scope="module", params=sorted(BOOKS))
def proof(request: pytest.FixtureRequest) -> tuple[str, Book]:
    lang: str = request.param
    document = load(BOOKS[lang])
    return lang, Book(build_epub(document, epoch=EPOCH, lexicon=lexicon_for(document)))


def _chapters(lang: str, book: Book) -> list[str]:
    return [book.text(f"EPUB/{name}.xhtml") for name in (CHAPTERS if lang == "en" else CHAPITRES)]


def test_every_chapter_is_its_own_document(proof: tuple[str, Book]) -> None:
    lang, book = proof
    assert len(_chapters(lang, book)) == 5
    assert {"EPUB/notes.xhtml", "EPUB/copyright.xhtml", "EPUB/lexicon.pls"} <= set(book.names())


def test_notes_are_endnotes_with_noterefs_and_back_links(proof: tuple[str, Book]) -> None:
    lang, book = proof
    refs = re.findall(r'<a [^>]*epub:type="noteref"[^>]*>', "".join(_chapters(lang, book)))
    assert len(refs) == 4 and all('role="doc-noteref"' in ref for ref in refs)
    notes = book.text("EPUB/notes.xhtml")
    assert 'epub:type="endnotes"' in notes and 'role="doc-endnotes"' in notes
    assert len(re.findall(r'<li id="fn-', notes)) == 4
    assert len(re.findall(r'role="doc-backlink"', notes)) == 4


def test_math_is_mathml_with_its_source_and_is_declared(proof: tuple[str, Book]) -> None:
    lang, book = proof
    chapter = _chapters(lang, book)[1]
    assert chapter.count("<math ") == 9
    assert 'display="block" alttext="\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}"' in chapter
    assert "$" not in chapter
    opf = book.text("EPUB/package.opf")
    for feature in ("MathML", "describedMath", "longDescription", "pageNavigation"):
        assert f'"schema:accessibilityFeature">{feature}<' in opf
    assert "<dc:source>urn:isbn:" in opf


def test_the_figure_has_its_long_description_and_the_table_no_scroll_wrapper(
    proof: tuple[str, Book],
) -> None:
    lang, book = proof
    chapter = _chapters(lang, book)[2]
    assert 'aria-details="fig-1-description"' in chapter
    assert '<details id="fig-1-description"' in chapter
    assert '<table id="table-1" class="wide stack-8">' in chapter
    assert "table-scroll" not in chapter
    assert chapter.count("data-label=") == 24  # 3 rows of 8 cells, each under its header
    assert 'class="lines"' in _chapters(lang, book)[3]


def test_links_and_dois_are_links(proof: tuple[str, Book]) -> None:
    lang, book = proof
    chapters = _chapters(lang, book)
    assert '<a href="mailto:' in chapters[0]
    assert re.search(r'<a href="https://example\.org/archives?"', chapters[0])
    assert '<a href="https://doi.org/10.5555/12345678"' in chapters[3]


def test_page_breaks_make_the_page_list_and_every_content_document_links_the_lexicon(
    proof: tuple[str, Book],
) -> None:
    lang, book = proof
    nav = book.text("EPUB/nav.xhtml")
    pages = nav.split('epub:type="page-list"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">(\d+)</a>", pages) == ["1", "2", "3", "4", "5", "6"]
    for chapter in _chapters(lang, book):
        assert 'rel="pronunciation" type="application/pls+xml"' in chapter
    assert 'epub:type="pagebreak" role="doc-pagebreak"' in _chapters(lang, book)[4]


def test_credits_and_the_copyright_page(proof: tuple[str, Book]) -> None:
    lang, book = proof
    copyright_page = book.text("EPUB/copyright.xhtml")
    assert "© 2026" in copyright_page and 'datetime="2026-03-15"' in copyright_page
    title_page = _chapters(lang, book)[0].split("</header>", 1)[0]
    roles = ("authors", "illustrators", "narrators", "editors")
    if lang == "fr":
        roles += ("translators",)
    assert re.findall(r'<p class="byline" id="doc-(\w+)">', title_page) == list(roles)


@pytest.mark.golden
@pytest.mark.parametrize("lang", sorted(BOOKS))
def test_narration_of_the_proof_book(lang: str, golden: Callable[[str, str], None]) -> None:
    """Math in words; each note and "Page N." after the paragraph holding it."""
    document = load(BOOKS[lang])
    golden(
        f"narration/proof-{BOOKS[lang].stem}.narration.txt",
        to_text(narrate(document, lexicon_for(document))),
    )


#: Whether the page, the table's caption and the figure with its description fit the width.
FITS = """() => {
    const inside = el => { const r = el.getBoundingClientRect();
        return r.left >= 0 && r.right <= innerWidth && el.scrollWidth <= el.clientWidth; };
    return {
        page: document.documentElement.scrollWidth <= innerWidth,
        caption: inside(document.querySelector("table caption")),
        figcaption: inside(document.querySelector("figure figcaption")),
        description: inside(document.querySelector("details.description")),
        math: [...document.querySelectorAll("math")].every(m => m.getBoundingClientRect().width > 0
            && m.getBoundingClientRect().right <= innerWidth),
        notes: document.querySelectorAll("[role=doc-endnotes] li, [role=doc-footnote]").length,
    };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", sorted(BOOKS))
def test_screenshots_of_the_proof_book_at_320px(
    browser: Browser, axe_source: str, tmp_path: Path, lang: str, scheme: str
) -> None:
    """320 px, light and dark: math, a wide table, notes, a figure with a long description.

    axe checks each page first; nothing sticks out sideways or is cut off.
    """
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{BOOKS[lang].stem}.html"
    path.write_text(page(load(BOOKS[lang])), encoding="utf-8")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 320, "height": 640})
    try:
        view = context.new_page()
        view.goto(path.as_uri())
        view.evaluate(axe_source)
        assert view.evaluate("axe.run().then(r => r.violations.map(v => v.id))") == []
        assert view.evaluate(FITS) == {
            "page": True,
            "caption": True,
            "figcaption": True,
            "description": True,
            "math": True,
            "notes": 4,
        }
        shot = folder / f"proof-{BOOKS[lang].stem}-narrow-{scheme}.png"
        view.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000
    finally:
        context.close()


def _narration_cases() -> list[tuple[str, str]]:
    text = (FIXTURES / "book" / "narration-cases.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("%%"))
    cases = []
    for block in body.split("\n====\n"):
        source, expected = block.split("\n----\n")
        cases.append((source.strip("\n") + "\n", expected.strip("\n")))
    return cases


@pytest.mark.parametrize(("source", "expected"), _narration_cases())
def test_narration_case(source: str, expected: str) -> None:
    """A page announced after the paragraph holding it; a formula's variable keeps its case."""
    if not source.startswith("---"):
        source = "---\ntitle: Book\nlang: en\nidentifier: urn:x:book\n---\n" + source
    document = document_from(source)
    said = to_text(narrate(document, lexicon_for(document))).splitlines()
    heading = next(i for i, line in enumerate(said) if "(heading," in line)
    assert "\n".join(line for line in said[heading + 1 :] if line) == expected
