"""Notes as reading systems expect, credits by role and the copyright page (issue 18).

Fixture files hold one case per line: ``fixtures/credits/dates.txt`` (a front-matter date and
whether lint accepts it) and ``fixtures/credits/lines.txt`` (contributors and the credit lines
they make); ``fixtures/credits/book.md`` and ``livre.md`` are books with every role, notes, a
copyright page and typography.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES
from epub_helpers import Book, book_from
from hypothesis import given
from hypothesis import strategies as st
from support import run_cli

from pipeline.build import load
from pipeline.document.frontmatter import valid_date
from pipeline.document.model import Author, Metadata
from pipeline.formats.cover import _credited as credited_on_cover
from pipeline.formats.cover import cover_alt
from pipeline.formats.credits import credit_lines, credits
from pipeline.formats.html import page
from pipeline.formats.narration import lexicon_for, narrate, to_text
from pipeline.words import page_words

CREDITS = FIXTURES / "credits"
BOOK = CREDITS / "book.md"
LIVRE = CREDITS / "livre.md"
ROLES = {
    "author": "aut",
    "editor": "edt",
    "translator": "trl",
    "illustrator": "ill",
    "narrator": "nrt",
    "contributor": "ctb",
}


def _rows(name: str) -> list[list[str]]:
    lines = (CREDITS / name).read_text(encoding="utf-8").splitlines()
    return [re.split(r"\t| \| ", line) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize(("value", "expected"), _rows("dates.txt"))
def test_front_matter_date(
    value: str, expected: str, write_source: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_source(
        f'---\ntitle: T\nlang: en\nidentifier: urn:x:d\ndate: "{value}"\n---\nText.\n'
    )
    status, _, err = run_cli(["lint", path], capsys)
    assert status == 0 and "Traceback" not in err
    found = [line for line in err.splitlines() if " F012 " in line]
    if expected == "ok":
        assert not found, err
    else:
        [line] = found
        assert line.startswith(f"{path}:5:1: warning F012 'date' '{value}' is not a date")
        assert "YYYY-MM-DD" in line and "e.g. 2021-03-15" in line


def test_an_invalid_date_is_shown_but_left_out_of_the_package(
    write_source: Callable[..., Path],
) -> None:
    path = write_source("---\ntitle: T\nlang: en\nidentifier: urn:x:d\ndate: 15/03/2021\n---\nT.\n")
    book = book_from(path)
    assert "<dc:date>" not in book.text("EPUB/package.opf")
    assert "<p>Publication date: 15/03/2021</p>" in book.text("EPUB/copyright.xhtml")


@pytest.mark.parametrize(("lang", "people", "expected"), _rows("lines.txt"))
def test_credit_lines(lang: str, people: str, expected: str) -> None:
    authors = []
    for person in people.split(";"):
        role, name = person.split("=")
        authors.append(Author(name, ROLES.get(role, role)))
    metadata = Metadata(title="T", lang=lang, identifier="urn:x", authors=tuple(authors))
    assert " / ".join(credit_lines(metadata)) == expected


@pytest.fixture(scope="module")
def book() -> Book:
    return book_from(BOOK)


@pytest.fixture(scope="module")
def livre() -> Book:
    return book_from(LIVRE)


def test_notes_pop_up_in_reading_systems(book: Book) -> None:
    """``epub:type`` on references, the endnotes section and the back-links; the DPUB-ARIA
    roles stay."""
    chapter = book.text("EPUB/01-a-first-chapter.xhtml")
    assert chapter.count('epub:type="noteref" role="doc-noteref"') == 1
    notes = book.text("EPUB/notes.xhtml")
    assert 'epub:type="endnotes" role="doc-endnotes"' in notes
    assert 'endnote"' not in notes  # the list item's ``endnote`` is deprecated (OPF-086b)
    assert notes.count('epub:type="backlink" role="doc-backlink"') == 3
    assert 'href="02-a-second-chapter.xhtml#fnref-water-2"' in notes


def test_the_html_page_has_no_epub_attributes() -> None:
    html = page(load(BOOK))
    assert "epub:type" not in html
    assert html.count('role="doc-noteref"') == 3 and 'role="doc-endnotes"' in html


def test_every_role_is_credited_on_the_title_page(book: Book, livre: Book) -> None:
    title_page = book.text("EPUB/01-a-first-chapter.xhtml")
    for ident, phrase, name in [
        ("doc-authors", "By", "Ada Writer"),
        ("doc-illustrators", "Illustrated by", "Ida Drawer"),
        ("doc-narrators", "Narrated by", "Ned Reader"),
        ("doc-editors", "Edited by", "Eve Editor"),
        ("doc-translators", "Translated by", "Tom Turner"),
        ("doc-contributors", "With contributions by", "Col Helper"),
    ]:
        assert f'<p class="byline" id="{ident}">{phrase} <span class="author">{name}' in title_page
    french = livre.text("EPUB/01-un-premier-chapitre.xhtml")
    assert '<p class="byline" id="doc-narrators">Lu par <span class="author">Noé' in french
    assert "Narrated" not in french and "Illustrated" not in french


def test_the_html_banner_credits_every_role() -> None:
    banner = page(load(BOOK)).split("</header>")[0]
    assert 'id="doc-illustrators">Illustrated by <span class="author">Ida Drawer</span>' in banner
    assert 'id="doc-authors">By <span class="author">Ada Writer</span> and' in banner


def test_the_cover_credits_roles_in_the_book_language() -> None:
    alt = cover_alt(load(LIVRE).metadata)
    assert alt == (
        "Couverture de Notes et mentions, par Ada Écrivaine, illustré par Ida Dessin, lu par"
        " Noé Lecteur, sous la direction d’Ève Éditrice, traduit par Tom Traducteur, avec des"
        " contributions de Colette Aide. Publié par Maison d’essai."
    )


def test_the_drawn_cover_names_authors_then_one_line_per_other_role() -> None:
    metadata = load(BOOK).metadata
    assert credited_on_cover(metadata) == [
        "Ada Writer",
        "Bo Second",
        "Illustrated by Ida Drawer",
        "Narrated by Ned Reader",
        "Edited by Eve Editor",
        "Translated by Tom Turner",
        "With contributions by Col Helper",
    ]
    many = (*(Author(f"Author {n}") for n in range(8)), Author("Ida", "ill"))
    lines = credited_on_cover(Metadata(title="T", lang="en", identifier="u", authors=many))
    assert lines[6:] == ["et al.", "Illustrated by Ida"]


def test_copyright_page(book: Book, livre: Book) -> None:
    page_text = book.text("EPUB/copyright.xhtml")
    assert '<body epub:type="backmatter">' in page_text
    assert '<section epub:type="copyright-page" aria-labelledby="copyright-title">' in page_text
    for line in [
        "<p>© 2026 Ada Writer. Licensed under CC BY 4.0.</p>",
        "<p>Published by Fixture House.</p>",
        '<p>Publication date: <time datetime="2026-03-15">2026-03-15</time></p>',
        "<p>Identifier: urn:uuid:3c1f8a52-8d0e-4b7a-9f4e-2a6b1c9d0e71</p>",
    ]:
        assert line in page_text
    spine = [i.get("idref") for i in book.opf().iter("{http://www.idpf.org/2007/opf}itemref")]
    assert spine[-1] == "copyright"
    french = livre.text("EPUB/copyright.xhtml")
    assert '<h1 id="copyright-title">Mentions légales</h1>' in french
    assert "<p>Identifiant\u00a0: urn:uuid:9b2e1d40" in french


def test_the_html_footer_is_the_copyright_page() -> None:
    footer = page(load(BOOK)).split("<footer>")[1]
    assert "Publication date: <time" in footer and "Identifier: urn:uuid:3c1f8a52" in footer


def test_no_copyright_page_without_rights_date_or_publisher(
    write_source: Callable[..., Path],
) -> None:
    path = write_source("---\ntitle: T\nlang: en\nidentifier: urn:x:d\n---\nText.\n")
    assert "EPUB/copyright.xhtml" not in book_from(path).names()


@pytest.mark.golden
@pytest.mark.parametrize("source", [BOOK, LIVRE], ids=["en", "fr"])
def test_narration_of_credits_and_notes(source: Path, golden: Callable[[str, str], None]) -> None:
    """The opening says every role ("Narrated by"); notes are read after their paragraph."""
    document = load(source)
    golden(
        f"narration/credits-{source.stem}.narration.txt",
        to_text(narrate(document, lexicon_for(document))),
    )


_NAMES = st.text(alphabet=st.sampled_from(list("AbcÉé -'")), min_size=1, max_size=12).map(
    lambda s: " ".join(s.split()) or "A"
)


@given(
    st.lists(st.tuples(_NAMES, st.sampled_from([*ROLES.values(), "pht"])), max_size=8),
    st.sampled_from(["en", "fr", "es", "de", "it"]),
)
def test_every_contributor_is_credited_once_under_their_role(
    people: list[tuple[str, str]], lang: str
) -> None:
    authors = tuple(Author(name, role) for name, role in people)
    found = credits(authors, lang)
    assert sorted(n for c in found for n in c.names) == sorted(name for name, _ in people)
    assert len({c.ident for c in found}) == len(found)  # one line, one id per role
    words = page_words(lang)[1]
    for credit in found:
        assert credit.phrase == words.role(credit.role)


@given(st.dates(min_value=datetime.date(1, 1, 1)))
def test_every_real_date_is_accepted_in_each_precision(day: datetime.date) -> None:
    text = day.isoformat()
    assert valid_date(text) and valid_date(text[:7]) and valid_date(text[:4])
    assert not valid_date(day.strftime("%d/%m/") + text[:4])
