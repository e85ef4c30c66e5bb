"""The pronunciation lexicon shipped in the EPUB and linked from each content document."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from epub_helpers import EPOCH, OPF_NS, Book

from pipeline.build import load
from pipeline.document.inputs import read_lexicon_of
from pipeline.document.lexicon import Lexicon, read_lexicon
from pipeline.formats import pls
from pipeline.formats.epub import build_epub

SOURCE = FIXTURES / "narration" / "features.md"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    found, problems, _ = read_lexicon_of(load(SOURCE))
    assert problems == []
    return found


@pytest.fixture(scope="module")
def book(lexicon: Lexicon) -> Book:
    return Book(build_epub(load(SOURCE), epoch=EPOCH, lexicon=lexicon))


def test_the_lexicon_is_in_the_manifest(book: Book) -> None:
    items = {i.get("href"): i.get("media-type") for i in book.opf().iter(f"{OPF_NS}item")}
    assert items["lexicon.pls"] == "application/pls+xml"


def test_every_content_document_links_it_in_the_books_language(book: Book) -> None:
    chapters = [n for n in book.content_documents() if n.split("/")[-1][:2].isdigit()]
    assert chapters
    for name in [*chapters, "EPUB/notes.xhtml"]:
        head = book.text(name).split("</head>")[0]
        assert (
            '<link rel="pronunciation" type="application/pls+xml" hreflang="en-GB"'
            ' href="lexicon.pls"/>' in head
        ), name


def test_the_shipped_lexicon_says_what_the_narration_says(
    book: Book, lexicon: Lexicon, tmp_path: Path
) -> None:
    path = tmp_path / "shipped.pls"
    path.write_bytes(book.zip.read("EPUB/lexicon.pls"))
    shipped, problems = read_lexicon(path, "shipped.pls")
    assert problems == []
    assert set(shipped.entries) == set(lexicon.entries)
    assert set(shipped.phonemes) == set(lexicon.phonemes)
    assert ("Lovelace", "Luv lace") in shipped.entries  # from the front matter
    assert ("Babbage", "Babbidge") in shipped.entries  # from features.pls


def test_no_lexicon_no_file() -> None:
    plain = Book(build_epub(load(FIXTURES / "epub" / "book.md"), epoch=EPOCH))
    assert "EPUB/lexicon.pls" not in plain.names()
    assert 'rel="pronunciation"' not in plain.text("EPUB/01-introduction.xhtml")


def test_markup_in_entries_is_escaped() -> None:
    data = pls.pls_document(
        Lexicon(
            (("R&D", "R and D"), ("<x>", "x")),
        ),
        "en",
    )
    assert b"<grapheme>R&amp;D</grapheme>" in data
    assert b"<grapheme>&lt;x&gt;</grapheme>" in data
