"""The EPUB writer: structure, metadata, links across files, images, reproducibility."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, document_from
from epub_helpers import EPOCH, OPF_NS, XHTML_NS, XML_LANG, Book, book_from
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import outputs
from pipeline.build import build, load, prepare
from pipeline.diagnostics import PipelineError
from pipeline.epoch import source_epoch, w3c_datetime
from pipeline.formats import epub

ARTICLE = ROOT / "source" / "article.md"
BOOK = FIXTURES / "epub" / "book.md"
LIVRE = FIXTURES / "epub" / "livre.md"

DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def book() -> Book:
    return book_from(BOOK)


@pytest.fixture(scope="module")
def article() -> Book:
    return book_from(ARTICLE)


def test_mimetype_is_first_and_stored_and_entries_have_fixed_times(book: Book) -> None:
    infos = book.zip.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert book.zip.read("mimetype") == b"application/epub+zip"
    assert not infos[0].extra
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert infos[1].filename == "META-INF/container.xml"


def test_one_content_document_per_top_level_section(book: Book) -> None:
    spine = [ref.get("idref") for ref in book.opf().iter(f"{OPF_NS}itemref")]
    assert spine[:2] == ["cover", "nav"]
    docs = [n for n in book.content_documents() if n.split("/")[-1][:2].isdigit()]
    assert [d.split("/")[-1] for d in docs] == [
        "01-introduction.xhtml",
        "02-formats.xhtml",
        "03-long-chapter.xhtml",
        "04-references.xhtml",
        "05-about-the-authors.xhtml",
    ]
    assert "EPUB/notes.xhtml" in book.names()


def test_long_sections_are_cut_at_their_subsections() -> None:
    parts = epub.plan(load(BOOK), split_bytes=300)
    hrefs = [p.href for p in parts]
    assert hrefs[:6] == [
        "01-introduction.xhtml",
        "02-what-a-reader-needs.xhtml",
        "03-formats.xhtml",
        "04-long-chapter.xhtml",
        "05-part-one.xhtml",
        "06-part-two.xhtml",
    ]
    long_chapter = next(p for p in parts if p.href == "04-long-chapter.xhtml")
    assert long_chapter.sections[0].subsections == ()
    split = Book(epub.build_epub(load(BOOK), epoch=EPOCH, split_bytes=300))
    assert assert_links_resolve(split) > 20
    assert 'href="02-what-a-reader-needs.xhtml#what-a-reader-needs"' in split.text("EPUB/nav.xhtml")


def test_every_document_is_well_formed_and_in_the_book_language(book: Book) -> None:
    assert book.opf().get(XML_LANG) == "en-US"
    for name in book.content_documents():
        root = book.xml(name)
        assert root.get(XML_LANG) == "en-US", name
        assert root.get("lang") == "en-US", name
    book.xml("EPUB/toc.ncx")


def test_french_book_is_french_throughout() -> None:
    livre = book_from(LIVRE)
    assert livre.opf().get(XML_LANG) == "fr-FR"
    assert all(livre.xml(n).get(XML_LANG) == "fr-FR" for n in livre.content_documents())
    nav = livre.text("EPUB/nav.xhtml")
    assert "Table des matières" in nav and 'lang="en"' not in nav
    assert 'alt="Couverture de Les machines à lire' in livre.text("EPUB/cover.xhtml")
    assert 'epub:type="frontmatter"' in livre.text("EPUB/01-avant-propos.xhtml")
    assert 'epub:type="bibliography"' in nav


def test_unknown_language_marks_the_english_words() -> None:
    document = document_from("---\ntitle: Kirja\nlang: fi\n---\n\n# Luku\n\nTeksti.\n")
    nav = Book(epub.build_epub(document, epoch=EPOCH)).text("EPUB/nav.xhtml")
    assert '<h1 id="toc-heading" xml:lang="en" lang="en">Contents</h1>' in nav


def test_package_metadata(book: Book) -> None:
    opf = book.opf()
    metadata = opf.find(f"{OPF_NS}metadata")
    assert metadata is not None
    assert opf.get("unique-identifier") == "pub-id"
    identifier = metadata.find(f"{DC}identifier")
    assert identifier is not None and identifier.get("id") == "pub-id"
    assert identifier.text == "urn:uuid:7d3f2c1e-8a4b-4c6d-9e0f-1a2b3c4d5e6f"
    titles = [t.text for t in metadata.iter(f"{DC}title")]
    assert titles == ["Reading Machines", "How Books Learned to Speak"]
    creators = [c.text for c in metadata.iter(f"{DC}creator")]
    contributors = [c.text for c in metadata.iter(f"{DC}contributor")]
    assert creators == ["Ines Alvarez", "Tomás Berg", "Chen Wei"]
    assert contributors == ["Dana Okafor"]
    roles = {
        el.get("refines"): el.text
        for el in metadata.iter(f"{OPF_NS}meta")
        if el.get("property") == "role"
    }
    assert roles == {
        "#creator-1": "aut",
        "#creator-2": "aut",
        "#creator-3": "edt",
        "#creator-4": "trl",
    }
    assert [s.text for s in metadata.iter(f"{DC}subject")] == [
        "accessibility",
        "ebooks",
        "text to speech",
    ]
    assert metadata.findtext(f"{DC}publisher") == "Fixture House"
    assert metadata.findtext(f"{DC}language") == "en-US"
    assert metadata.findtext(f"{DC}description", "").startswith("A short book")
    assert book.meta("dcterms:modified") == [w3c_datetime(EPOCH)] == ["2023-11-14T22:13:20Z"]


def test_accessibility_metadata_follows_the_content(book: Book, article: Book) -> None:
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert "alternativeText" in book.meta("schema:accessibilityFeature")
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert article.meta("schema:accessMode") == ["textual"]
    assert article.meta("schema:accessModeSufficient") == ["textual"]
    features = article.meta("schema:accessibilityFeature")
    assert "alternativeText" not in features
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(features)
    for b in (book, article):
        assert b.meta("schema:accessibilityHazard") == ["none"]
        # no review recorded in the front matter: no claim, no certifier (issue 19)
        assert b.meta("dcterms:conformsTo") == []
        assert b.meta("a11y:certifiedBy") == []
    summary = book.meta("schema:accessibilitySummary")[0]
    assert "1 image, all with text descriptions" in summary
    assert "1 table with header cells" in summary
    assert "2 notes" in summary
    assert "no images" in article.meta("schema:accessibilitySummary")[0]


def test_undescribed_image_is_not_claimed_as_text_alternative(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "epub" / "growth.png", tmp_path / "growth.png")
    document = document_from("---\ntitle: T\nlang: en\n---\n\n# A\n\n![](growth.png)\n", tmp_path)
    b = Book(epub.build_epub(document, epoch=EPOCH))
    assert b.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in b.meta("schema:accessibilityFeature")


def test_nav_has_toc_and_landmarks(book: Book) -> None:
    nav = book.xml("EPUB/nav.xhtml")
    epub_type = "{http://www.idpf.org/2007/ops}type"
    navs = {el.get(epub_type): el for el in nav.iter(f"{XHTML_NS}nav")}
    assert set(navs) == {"toc", "landmarks"}
    landmarks = {a.get(epub_type): a.get("href") for a in navs["landmarks"].iter(f"{XHTML_NS}a")}
    assert landmarks == {
        "cover": "cover.xhtml",
        "toc": "nav.xhtml#toc",
        "bodymatter": "01-introduction.xhtml",
        "bibliography": "04-references.xhtml",
        "backmatter": "05-about-the-authors.xhtml",
        "copyright-page": "copyright.xhtml",
    }
    labels = [a.text for a in navs["toc"].iter(f"{XHTML_NS}a")]
    assert labels[:2] == ["Introduction", "What a reader needs"]
    assert labels[-1] == "Notes"
    ncx = book.text("EPUB/toc.ncx")
    assert 'content="urn:uuid:7d3f2c1e-8a4b-4c6d-9e0f-1a2b3c4d5e6f"' in ncx
    assert ncx.count("<navPoint") == len(labels)


def test_cover_image_is_marked_and_described(book: Book) -> None:
    items = {i.get("id"): i for i in book.opf().iter(f"{OPF_NS}item")}
    assert items["cover-image"].get("properties") == "cover-image"
    assert items["cover-image"].get("media-type") == "image/png"
    assert book.zip.read("EPUB/cover.png").startswith(b"\x89PNG")
    cover = book.text("EPUB/cover.xhtml")
    assert 'role="doc-cover"' in cover
    # Each contributor under their role, not as an author (issue 18).
    assert (
        'alt="Cover of Reading Machines: How Books Learned to Speak, by Ines Alvarez and'
        " Tomás Berg, edited by Chen Wei, translated by Dana Okafor. Published by Fixture House."
    ) in cover


def assert_links_resolve(book: Book) -> int:
    """Every relative link names a file of the book and an id inside it."""
    ids = {name.removeprefix("EPUB/"): book.ids(name) for name in book.content_documents()}
    checked = 0
    for name in book.content_documents():
        for a in book.xml(name).iter(f"{XHTML_NS}a"):
            href = a.get("href", "")
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or name.removeprefix("EPUB/")
            assert target in ids, href
            if fragment:
                assert fragment in ids[target], f"{name}: {href}"
            checked += 1
    return checked


def test_every_link_inside_the_book_reaches_its_target(book: Book) -> None:
    """Citations, note references, back-links and internal links cross files correctly."""
    assert assert_links_resolve(book) > 20
    intro = book.text("EPUB/01-introduction.xhtml")
    assert 'href="04-references.xhtml#ref-alvarez-2019"' in intro
    assert 'href="notes.xhtml#fn-daisy"' in intro
    assert 'href="02-formats.xhtml#formats"' in intro
    assert 'href="01-introduction.xhtml#cite-1"' in book.text("EPUB/04-references.xhtml")


def test_source_images_are_copied_with_their_media_type(book: Book) -> None:
    items = {i.get("href"): i.get("media-type") for i in book.opf().iter(f"{OPF_NS}item")}
    assert items["images/growth.png"] == "image/png"
    assert (
        book.zip.read("EPUB/images/growth.png") == (FIXTURES / "epub" / "growth.png").read_bytes()
    )
    assert '<img src="images/growth.png" alt="A line chart' in book.text(
        "EPUB/01-introduction.xhtml"
    )


@pytest.mark.parametrize(
    ("markdown", "code"),
    [
        ("![a chart](missing.png)", "I003"),
        ("![a chart](../outside.png)", "I002"),
        ("![a chart](https://example.org/chart.png)", "I002"),
        ("![a chart](notes.png)", "I004"),
    ],
)
def test_images_an_epub_cannot_hold_stop_the_build(
    tmp_path: Path, markdown: str, code: str
) -> None:
    """Checked again by the writer for documents that skipped the load-time checks."""
    (tmp_path / "notes.png").write_text("not an image")
    document = document_from(f"---\ntitle: T\nlang: en\n---\n\n# A\n\n{markdown}\n", tmp_path)
    document = replace(document, diagnostics=())
    with pytest.raises(PipelineError) as caught:
        epub.build_epub(document, epoch=EPOCH)
    assert [d.code for d in caught.value.diagnostics] == [code]


def test_image_with_a_lying_extension_gets_its_true_media_type(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "epub" / "growth.png", tmp_path / "chart.jpg")
    document = document_from("---\ntitle: T\nlang: en\n---\n\n# A\n\n![c](chart.jpg)\n", tmp_path)
    b = Book(epub.build_epub(document, epoch=EPOCH))
    items = {i.get("href"): i.get("media-type") for i in b.opf().iter(f"{OPF_NS}item")}
    assert items["images/chart.png"] == "image/png"  # and the name says what it is
    assert "images/chart.jpg" not in items


def test_source_date_epoch_wins_then_git_then_mtime(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("# A\n")
    os.utime(source, (1_600_000_000, 1_600_000_000))
    assert source_epoch(source, {"SOURCE_DATE_EPOCH": "1234567890"}) == 1_234_567_890
    assert source_epoch(source, {}) == 1_600_000_000
    assert source_epoch(ARTICLE, {}) > 1_600_000_000  # the article's last commit


def _cli_build(out: Path, epoch: str) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "build",
            "--formats",
            "epub",
            "--out",
            str(out),
            str(BOOK),
        ],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    return (out / "book.epub").read_bytes()


def test_two_builds_with_the_same_epoch_are_byte_identical(tmp_path: Path) -> None:
    first = _cli_build(tmp_path / "one", "1700000000")
    second = _cli_build(tmp_path / "two", "1700000000")
    assert first == second
    assert _cli_build(tmp_path / "three", "1700000001") != first


def test_an_image_gone_stops_the_build_before_the_writer_and_keeps_the_epub(
    tmp_path: Path,
) -> None:
    """Images are read with the other inputs before any writer runs: once the writer has
    its context it needs no file of the source, and a build without the file fails first."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(FIXTURES / "epub" / "growth.png", source / "growth.png")
    (source / "b.md").write_text("---\ntitle: T\nlang: en\n---\n\n# A\n\n![c](growth.png)\n")
    out = tmp_path / "out"
    context = prepare(source / "b.md", out)
    (source / "growth.png").unlink()  # gone after it was read: the writer does not notice
    (path,) = epub.EpubWriter().write(context).paths
    before = path.read_bytes()
    assert (
        Book(before).zip.read("EPUB/images/growth.png") == context.inputs.images["growth.png"].data
    )
    with pytest.raises(PipelineError) as caught:
        build([source / "b.md"], out, [epub.EpubWriter()])
    assert [d.code for d in caught.value.diagnostics if str(d.severity) == "error"] == ["I003"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["b.epub"]


def test_an_interrupted_write_leaves_the_earlier_epub_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = epub.EpubWriter()
    context = prepare(BOOK, tmp_path)
    (path,) = writer.write(context).paths
    before = path.read_bytes()

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt  # after the new bytes are written, before they replace the old

    monkeypatch.setattr(outputs.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer.write(context)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub"]


def test_cover_is_crisp_and_readable() -> None:
    from io import BytesIO

    from PIL import Image

    from pipeline.formats import cover

    drawn = cover.render_cover(load(BOOK).metadata)
    image = Image.open(BytesIO(drawn.png))
    assert image.size == (1600, 2560)

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = luminance(cover.INK), luminance(cover.BACKGROUND)
    assert (light + 0.05) / (dark + 0.05) >= 7  # AAA even; AA needs 4.5
    assert cover.render_cover(load(BOOK).metadata).png == drawn.png


_words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() and s.strip()[0].isalnum())


@st.composite
def _manuscripts(draw: st.DrawFn) -> str:
    """Sections and subsections with text, notes and citations that resolve."""
    title = draw(_words).strip()
    out = [f"---\ntitle: {title!r}\nlang: en\n---\n"]
    notes = []
    for n in range(draw(st.integers(1, 4))):
        out.append(f"# {draw(_words).strip()}\n")
        for m in range(draw(st.integers(0, 3))):
            out.append(f"## {draw(_words).strip()}\n")
            text = draw(_words).strip()
            if draw(st.booleans()):
                notes.append(f"[^n{n}x{m}]: {draw(_words).strip()}\n")
                text += f"[^n{n}x{m}]"
            if draw(st.booleans()):
                text += " (Smith, 2020)"
            out.append(text + "\n")
    out.append("# References\n\n1. Smith, J. (2020). *A title*. Press.\n")
    return "\n".join(out + notes)


@settings(max_examples=30, deadline=None)
@given(markdown=_manuscripts(), split_bytes=st.sampled_from([1, 400, epub.SPLIT_BYTES]))
def test_any_manuscript_builds_a_well_formed_book_whose_links_resolve(
    markdown: str, split_bytes: int
) -> None:
    try:
        document = document_from(markdown)
    except PipelineError:
        return  # the source itself is refused (e.g. an empty heading): nothing to write
    b = Book(epub.build_epub(document, epoch=EPOCH, split_bytes=split_bytes))
    for name in [*b.content_documents(), "EPUB/package.opf", "EPUB/toc.ncx"]:
        ids = [el.get("id") for el in b.xml(name).iter() if el.get("id")]
        assert len(ids) == len(set(ids)), name
    assert_links_resolve(b)
    nav_targets = [a.get("href", "") for a in b.xml("EPUB/nav.xhtml").iter(f"{XHTML_NS}a")]
    for href in nav_targets:
        target, _, fragment = href.partition("#")
        assert f"EPUB/{target}" in b.names(), href
        assert not fragment or fragment in b.ids(f"EPUB/{target}"), href


def test_css_leaves_fonts_sizes_and_colours_to_the_reader() -> None:
    import re

    from pipeline.formats.epub_style import CSS

    assert not re.search(r"(?<![-\w])(colou?r|background(-color)?)\s*:", CSS)
    assert not re.search(r"font-size\s*:\s*[\d.]+(px|pt|cm|mm|in)", CSS)
    rules = re.findall(r"([^{}]+)\{([^}]*font-family\s*:\s*([^;]+);[^}]*)\}", CSS)
    # the reader's font everywhere but code (monospace) and formulas, whose math fonts end
    # in the generic "math", so a reader's own math font is used where none is installed
    for selector, _, written in rules:
        family = " ".join(written.split())
        assert family == "monospace" or (selector.strip() == "math" and family.endswith(", math"))
    assert any(selector.strip() == "math" for selector, _, _ in rules)


@pytest.mark.parametrize(
    ("written", "kept"), [("2024-05-01", True), ("2024", True), ("May 2024", False)]
)
def test_only_valid_dates_reach_the_package(written: str, kept: bool) -> None:
    document = document_from(f"---\ntitle: T\nlang: en\ndate: '{written}'\n---\n\n# A\n\nText.\n")
    dates = [d.text for d in Book(epub.build_epub(document, epoch=EPOCH)).opf().iter(f"{DC}date")]
    assert dates == ([written] if kept else [])


def test_a_french_books_summary_is_in_french() -> None:
    opf = book_from(LIVRE).opf()
    summary = next(
        el
        for el in opf.iter(f"{OPF_NS}meta")
        if el.get("property") == "schema:accessibilitySummary"
    )
    assert summary.get(XML_LANG) is None  # the book's own language
    assert (summary.text or "").startswith("Elle ne déclare aucune conformité")
