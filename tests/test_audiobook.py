"""The W3C audiobook (``--formats audiobook``): an LPF package whose ``publication.json`` meets
the Audiobooks 1.0 profile of the Publication Manifest (a JSON schema written from the specs,
``tests/fixtures/accessibility/audiobook.schema.json``)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest

from pipeline.build import build
from pipeline.formats import registry
from pipeline.words import TABLES

SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "accessibility" / "audiobook.schema.json").read_text(
        "utf-8"
    )
)
SOURCE = (
    "---\ntitle: {title}\nlang: {lang}\nidentifier: urn:uuid:00000000-0000-4000-8000-0000000000ab\n"
    "author: Ada Lovelace\npublisher: Example Press\ndate: 2026-12-01\n---\n\n"
    "## {first}\n\nA first sentence. A second one.\n\n## {second}\n\nThe end.\n"
)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("audiobook")
    source = folder / "src" / "book.md"
    source.parent.mkdir()
    source.write_text(
        SOURCE.format(title="Heard", lang="en", first="Start", second="Finish"), "utf-8"
    )
    out = folder / "out"
    written = build([source], out, registry.select("audiobook")).written
    return out, written


def _manifest(lpf: Path) -> dict[str, object]:
    with zipfile.ZipFile(lpf) as package:
        data: dict[str, object] = json.loads(package.read("publication.json"))
    return data


def test_asked_for_alone_it_brings_the_audio_and_is_not_built_by_default(
    english: tuple[Path, list[Path]],
) -> None:
    _, written = english
    assert {p.name for p in written} >= {"book.mp3", "book.vtt", "book.lpf"}
    assert "audiobook" not in [w.name for w in registry.select(None)]


def test_the_manifest_meets_the_audiobooks_profile(english: tuple[Path, list[Path]]) -> None:
    out, _ = english
    manifest = _manifest(out / "book.lpf")
    jsonschema.Draft202012Validator(SCHEMA).validate(manifest)
    timings = json.loads((out / "book.timings.json").read_text("utf-8"))
    seconds = f"{timings['duration']:.3f}"
    assert manifest["duration"] == f"PT{seconds}S"
    assert manifest["readBy"] == [{"name": "eSpeak NG synthetic voice (gmw/en)"}]
    assert manifest["author"] == ["Ada Lovelace"]
    assert manifest["accessibilitySummary"] == TABLES["en"].summary.audiobook


def test_everything_the_manifest_names_is_in_the_package(english: tuple[Path, list[Path]]) -> None:
    out, _ = english
    manifest = _manifest(out / "book.lpf")
    with zipfile.ZipFile(out / "book.lpf") as package:
        names = package.namelist()
        assert names[0] == "publication.json"
        links = [*manifest["readingOrder"], *manifest["resources"]]  # type: ignore[misc]
        links += manifest["readingOrder"][0]["alternate"]  # type: ignore[index]
        assert {link["url"] for link in links} <= set(names)
        assert package.read("book.mp3") == (out / "book.mp3").read_bytes()
        assert package.read("book.vtt") == (out / "book.vtt").read_bytes()
        toc = package.read("toc.html").decode("utf-8")
    timings = json.loads((out / "book.timings.json").read_text("utf-8"))
    found = re.findall(r'<a href="book\.mp3#t=([\d.]+),([\d.]+)">([^<]+)</a>', toc)
    assert [title for _, _, title in found] == [c["title"] for c in timings["chapters"]]
    assert [float(start) for start, _, _ in found] == pytest.approx(
        [c["start"] for c in timings["chapters"]], abs=0.001
    )
    assert float(found[-1][1]) <= timings["duration"] + 0.001
    assert 'role="doc-toc"' in toc


def test_a_french_audiobook_is_described_in_french(tmp_path: Path) -> None:
    source = tmp_path / "src" / "livre.md"
    source.parent.mkdir()
    source.write_text(
        SOURCE.format(title="Entendu", lang="fr", first="Début", second="Fin"), "utf-8"
    )
    build([source], tmp_path / "out", registry.select("audiobook"))
    lpf = tmp_path / "out" / "livre.lpf"
    manifest = _manifest(lpf)
    jsonschema.Draft202012Validator(SCHEMA).validate(manifest)
    assert manifest["accessibilitySummary"] == TABLES["fr"].summary.audiobook
    with zipfile.ZipFile(lpf) as package:
        toc = package.read("toc.html").decode("utf-8")
    assert '<h1 id="toc">Table des matières</h1>' in toc
    assert manifest["readingOrder"][0]["alternate"][0]["name"] == "Sous-titres"  # type: ignore[index]


def test_asking_for_the_audiobook_runs_the_audio_writer_first() -> None:
    assert [w.name for w in registry.select("audiobook")] == ["audio", "audiobook"]
    assert [w.name for w in registry.select("audiobook,audio")] == ["audio", "audiobook"]


def test_a_second_build_gives_the_same_bytes(
    english: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    out, _ = english
    source = out.parent / "src" / "book.md"
    first = (out / "book.lpf").read_bytes()
    again = tmp_path / "again"
    build([source], again, registry.select("audiobook"))
    assert (again / "book.lpf").read_bytes() == first
