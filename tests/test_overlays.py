"""EPUB 3 Media Overlays, read back: every clip, every target, every duration.

The books are built from the session's audio (the article's is synthesised
once per session); EPUBCheck and Ace check them in ``test_epub_validators``.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import ARTICLE, FIXTURES, document_from
from epub_helpers import OPF_NS, Book
from mutagen.mp3 import MP3
from overlay_helpers import narrated_book, narrated_from

from pipeline import outputs
from pipeline.audio.writer import AudioResult
from pipeline.build import build, load, prepare
from pipeline.context import Context, Recording, Written
from pipeline.formats import overlays
from pipeline.formats import registry as writers
from pipeline.formats.epub import AUDIO_HREF, EpubWriter, build_epub

SMIL_NS = "{http://www.w3.org/ns/SMIL}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
FEATURES = FIXTURES / "narration" / "features.md"
_CLOCK = re.compile(r"(\d+):(\d{2}):(\d{2})\.(\d{3})\Z")


def clock_ms(value: str) -> int:
    match = _CLOCK.match(value)
    assert match, value
    h, m, s, ms = (int(g) for g in match.groups())
    return ((h * 60 + m) * 60 + s) * 1000 + ms


@dataclass(frozen=True)
class Par:
    smil: str
    text_doc: str
    fragment: str
    audio: str
    begin: int
    end: int
    par_type: str
    seq_type: str
    """``epub:type`` of the enclosing ``seq``, if any."""


def _pars(book: Book, smil_name: str) -> list[Par]:
    root = book.xml(smil_name)
    found = []

    def walk(element: ET.Element, seq_type: str) -> None:
        for child in element:
            if child.tag == f"{SMIL_NS}seq":
                walk(child, child.get(f"{EPUB_NS}type", ""))
            elif child.tag == f"{SMIL_NS}par":
                text = child.find(f"{SMIL_NS}text")
                audio = child.find(f"{SMIL_NS}audio")
                assert text is not None and audio is not None
                doc, _, fragment = (text.get("src") or "").partition("#")
                found.append(
                    Par(
                        smil_name,
                        doc,
                        fragment,
                        audio.get("src") or "",
                        clock_ms(audio.get("clipBegin") or ""),
                        clock_ms(audio.get("clipEnd") or ""),
                        child.get(f"{EPUB_NS}type", ""),
                        seq_type,
                    )
                )

    body = root.find(f"{SMIL_NS}body")
    assert body is not None
    walk(body, "")
    return found


def _overlaid(book: Book) -> dict[str, str]:
    """Content document (zip name) → its SMIL (zip name), from the manifest."""
    items = {i.get("id"): i for i in book.opf().iter(f"{OPF_NS}item")}
    return {
        f"EPUB/{item.get('href')}": f"EPUB/{items[item.get('media-overlay')].get('href')}"
        for item in items.values()
        if item.get("media-overlay")
    }


def _durations(book: Book) -> tuple[dict[str, int], int]:
    items = {i.get("id"): i.get("href") for i in book.opf().iter(f"{OPF_NS}item")}
    per: dict[str, int] = {}
    total = -1
    for meta in book.opf().iter(f"{OPF_NS}meta"):
        if meta.get("property") != "media:duration":
            continue
        refines = meta.get("refines")
        if refines:
            per[f"EPUB/{items[refines.removeprefix('#')]}"] = clock_ms(meta.text or "")
        else:
            total = clock_ms(meta.text or "")
    return per, total


@pytest.fixture(scope="session")
def article_book(article_audio: object) -> Book:
    return Book(narrated_book(ARTICLE, article_audio))


@pytest.fixture(scope="session")
def features_book(features_audio: object) -> Book:
    return Book(narrated_book(FEATURES, features_audio))


def _audio_ms(result: object) -> int:
    assert isinstance(result, AudioResult)
    return round(result.timeline.duration * 1000)


@pytest.mark.parametrize("which", ["article", "features"])
def test_clips_tile_the_audio_and_every_target_exists(
    request: pytest.FixtureRequest, which: str
) -> None:
    book: Book = request.getfixturevalue(f"{which}_book")
    audio: object = request.getfixturevalue(f"{which}_audio")
    overlaid = _overlaid(book)
    assert overlaid, "no content document has a media overlay"
    every: list[Par] = []
    for doc, smil in overlaid.items():
        pars = _pars(book, smil)
        assert pars, smil
        ids = book.ids(doc)
        for par in pars:
            # each overlay points only into its own content document, at an id it has
            assert f"EPUB/{par.text_doc}" == doc
            assert par.fragment in ids, f"{smil}: #{par.fragment} not in {doc}"
            assert par.audio == AUDIO_HREF
            assert par.begin < par.end
        for a, b in itertools.pairwise(pars):
            assert a.end <= b.begin, f"{smil}: clips overlap or go back: {a} then {b}"
        every.extend(pars)
    every.sort(key=lambda p: p.begin)
    assert every[0].begin == 0
    assert all(a.end == b.begin for a, b in itertools.pairwise(every)), "a gap or an overlap"
    assert every[-1].end == _audio_ms(audio)


@pytest.mark.parametrize("which", ["article", "features"])
def test_durations_sum_to_the_total_and_the_audio(
    request: pytest.FixtureRequest, which: str
) -> None:
    book: Book = request.getfixturevalue(f"{which}_book")
    audio = request.getfixturevalue(f"{which}_audio")
    per, total = _durations(book)
    overlaid = _overlaid(book)
    assert set(per) == set(overlaid.values())
    for smil, duration in per.items():
        assert duration == sum(p.end - p.begin for p in _pars(book, smil))
    assert abs(sum(per.values()) - total) <= 1000
    assert total == _audio_ms(audio)
    mp3 = MP3(book.zip.open(f"EPUB/{AUDIO_HREF}"))
    assert abs(mp3.info.length * 1000 - total) < 1000  # the MP3 inside is that long


def test_article_overlays_in_reading_order(article_book: Book) -> None:
    smils = sorted(_overlaid(article_book).values())
    first = _pars(article_book, smils[0])
    assert [p.fragment for p in first[:4]] == [
        "doc-title",
        "doc-authors",
        "doc-publisher",
        "p-1-s1",
    ]
    # one par per sentence of running text, each the span of that sentence on the page
    assert [p.fragment for p in first if p.fragment.startswith("p-1-")] == [
        f"p-1-s{n}" for n in range(1, 9)
    ]
    doc = f"EPUB/{first[0].text_doc}"
    spans = {p.fragment for p in first if re.fullmatch(r"p-\d+-s\d+", p.fragment)}
    assert len(spans) >= 20
    markup = article_book.zip.read(doc).decode()
    for fragment in spans:
        assert f'<span id="{fragment}">' in markup
    assert not {p.fragment for p in first} & {f"p-{n}" for n in range(1, 6)}
    refs = _pars(article_book, smils[1])
    assert refs[0].fragment == "references-title"
    assert [p.fragment for p in refs[1:]] == [
        "ref-bach-2017",
        "ref-gallagher-2008",
        "ref-hotline-statistics-nd",
    ]
    assert {(p.seq_type, p.par_type) for p in refs[1:]} == {("list", "list-item")}


def test_features_seqs_for_tables_lists_and_notes(features_book: Book) -> None:
    by_doc = {doc: _pars(features_book, smil) for doc, smil in _overlaid(features_book).items()}
    method = by_doc["EPUB/02-method-and-materials.xhtml"]
    table = [p for p in method if p.seq_type == "table"]
    assert [(p.fragment, p.par_type) for p in table] == [
        ("table-1", ""),
        ("row-2", "table-row"),
        ("row-3", "table-row"),
    ]
    lists = [(p.fragment, p.par_type) for p in method if p.seq_type == "list"]
    assert [fragment for fragment, _ in lists] == [
        "list-1",
        "li-1",
        "li-2",
        "page-13",  # the print page that begins in the second item, inside the list's seq
        "li-3",
        "list-2",
        "li-4",
        "li-5",
    ]
    assert dict(lists)["page-13"] == "pagebreak"
    assert [p.par_type for p in method if p.fragment == "page-12"] == ["pagebreak"]
    notes = by_doc["EPUB/notes.xhtml"]
    assert [(p.fragment, p.seq_type) for p in notes] == [("fn-note", "footnote")]
    # the note is read right after the paragraph citing it; the text resumes after it
    opening = by_doc["EPUB/01-listening-to-numbers.xhtml"]
    assert opening[-1].end == notes[0].begin
    assert method[0].begin == notes[0].end
    # every seq names its structure with a fragment in its own document
    for doc, smil in _overlaid(features_book).items():
        for seq in features_book.xml(smil).iter(f"{SMIL_NS}seq"):
            target, _, fragment = (seq.get(f"{EPUB_NS}textref") or "").partition("#")
            assert f"EPUB/{target}" == doc and fragment in features_book.ids(doc)
            assert seq.get(f"{EPUB_NS}type") in {"list", "table", "footnote"}


def test_package_metadata_of_a_narrated_book(article_book: Book) -> None:
    assert "auditory" in article_book.meta("schema:accessMode")
    assert {"textual", "auditory", "textual,auditory"} <= set(
        article_book.meta("schema:accessModeSufficient")
    )
    assert "synchronizedAudioText" in article_book.meta("schema:accessibilityFeature")
    assert article_book.meta("media:narrator") == ["eSpeak NG synthetic voice (gmw/en-us)"]
    assert article_book.meta("media:active-class") == [overlays.ACTIVE_CLASS]
    assert f".{overlays.ACTIVE_CLASS} {{" in article_book.text("EPUB/book.css")
    summary = article_book.meta("schema:accessibilitySummary")[0]
    assert "narrated" in summary and "no mathematics, audio" not in summary
    first = next(n for n in article_book.content_documents() if "/01-" in n)
    assert {"doc-title", "doc-authors", "doc-publisher"} <= article_book.ids(first)
    info = article_book.zip.getinfo(f"EPUB/{AUDIO_HREF}")
    assert info.compress_type == 0  # stored: MP3 does not deflate


def test_plain_book_has_no_overlay_and_narrated_book_is_reproducible(
    article_audio: object,
) -> None:
    plain = Book(build_epub(load(ARTICLE), epoch=1_700_000_000))
    assert not [n for n in plain.names() if n.endswith((".smil", ".mp3"))]
    assert "auditory" not in plain.meta("schema:accessMode")
    assert plain.meta("media:duration") == []
    narrated = narrated_from(article_audio)
    once = build_epub(load(ARTICLE), epoch=1_700_000_000, narrated=narrated)
    again = build_epub(load(ARTICLE), epoch=1_700_000_000, narrated=narrated)
    assert once == again


def test_writers_run_after_the_writers_whose_products_they_use() -> None:
    assert [w.name for w in writers.select("epub")] == ["epub"]
    assert [w.name for w in writers.select("epub,audio")] == ["audio", "epub"]
    chosen = writers.select("html,audio,narration")
    assert [w.name for w in chosen] == ["narration", "audio", "html"]
    names = [w.name for w in writers.select(None)]
    assert names.index("narration") < names.index("audio") < names.index("epub")
    assert names.index("audio") < names.index("html")


def test_a_build_of_the_epub_alone_ignores_audio_left_in_the_folder(
    article_audio: object, tmp_path: Path
) -> None:
    assert isinstance(article_audio, AudioResult)
    out = article_audio.paths[0].parent  # holds article.mp3 and article.timings.json
    plain = EpubWriter().write(prepare(ARTICLE, out))
    (path,) = plain.paths
    assert not [n for n in Book(path.read_bytes()).names() if n.endswith(".smil")]
    recording = Recording(article_audio.paths[0], article_audio.timings)
    with_audio = replace(prepare(ARTICLE, tmp_path), recording=recording)
    (path,) = EpubWriter().write(with_audio).paths
    assert [n for n in Book(path.read_bytes()).names() if n.endswith(".smil")]


@dataclass(frozen=True)
class Garbling:
    """A writer that, run right after the audio writer, turns its timings file to garbage."""

    name: str = "garbling"
    description: str = "replaces <stem>.timings.json with bytes no JSON reader accepts"

    def write(self, context: Context) -> Written:
        # the audio writer wrote it; staged until the build ends (``outputs.staged``)
        path = outputs.current(context.out_dir / f"{context.stem}.timings.json")
        assert path.is_file()
        path.write_bytes(b"\xff\x00 not the timings")
        return Written()


def test_the_books_take_the_timings_from_the_build_not_from_the_timings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``<stem>.timings.json`` is an output only: garbled as soon as it is written, the EPUB
    and the HTML page after it are still narrated, with the audio writer's timings."""
    monkeypatch.setenv("PUBLISH_SPEECH_CACHE", str(tmp_path / "speech"))
    monkeypatch.setenv("PUBLISH_COVER_CACHE", str(tmp_path / "covers"))
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(
        "---\ntitle: Garbled\nlang: en\nidentifier: urn:x:garbled\n---\n\n"
        "First words. Second sentence.\n\n## Items\n\n- one\n- two\n",
        encoding="utf-8",
    )
    chosen = writers.select("html,epub,audio")
    assert [w.name for w in chosen] == ["audio", "html", "epub"]
    out = tmp_path / "out"
    result = build([source], out, [chosen[0], Garbling(), *chosen[1:]])
    assert (out / "doc.timings.json").read_bytes() == b"\xff\x00 not the timings"
    [recording] = result.recordings
    book = Book((out / "doc.epub").read_bytes())
    items = _pars(book, "EPUB/02-items.smil")
    assert [p.fragment for p in items] == ["items-title", "list-1", "li-1", "li-2"]
    assert items[-1].end == recording.timings.duration  # the last clip ends with the audio
    page = (out / "doc.html").read_text(encoding="utf-8")
    assert 'src="doc.mp3"' in page and 'src="doc.vtt"' in page


def test_cli_build_of_epub_and_audio_is_narrated_and_reproducible(tmp_path: Path) -> None:
    """``publish build --formats epub,audio`` twice from one cache: the same EPUB bytes."""
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    source.write_text(
        "---\ntitle: Twice\nauthor: A. Writer\npublisher: P\nlang: en\n"
        "identifier: urn:uuid:00000000-0000-4000-8000-0000000000ab\n---\n\n"
        "First words. Second sentence.\n\n## Items\n\n- one\n- two\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1700000000",
        "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache"),
    }
    books = []
    for name in ("a", "b"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out),
             "--formats", "epub,audio"],
            check=True, capture_output=True, env=env, timeout=120,
        )  # fmt: skip
        books.append((out / "doc.epub").read_bytes())
    assert books[0] == books[1]
    book = Book(books[0])
    assert sorted(n for n in book.names() if n.endswith(".smil")) == [
        "EPUB/01-twice.smil",
        "EPUB/02-items.smil",
    ]
    opening = [p.fragment for p in _pars(book, "EPUB/01-twice.smil")]
    assert opening[:3] == ["doc-title", "doc-authors", "doc-publisher"]
    assert opening[3:] == ["p-1-s1", "p-1-s2"]  # a par per sentence
    items = _pars(book, "EPUB/02-items.smil")
    assert [(p.fragment, p.seq_type) for p in items] == [
        ("items-title", ""),
        ("list-1", "list"),
        ("li-1", "list"),
        ("li-2", "list"),
    ]


def test_a_heading_named_like_the_title_page_does_not_take_its_id() -> None:
    document = document_from("---\ntitle: T\n---\n\n# Doc title\n\nText.\n")
    assert document.sections[0].id == "doc-title-2"
