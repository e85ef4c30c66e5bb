"""The canonical article: its lint report and its document model (golden)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT
from support import run_cli

from pipeline.build import load
from pipeline.document.serialize import to_json

#: A copy of ../shared/seed/article.txt, the text the manuscript was made from.
SEED = ROOT / "tests" / "fixtures" / "seed-article.txt"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, as the README's commands do."""
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_root")
def test_lint_reports_each_unresolved_citation_with_position(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run_cli(["lint", "source/article.md"], capsys)
    assert status == 0
    lines = err.splitlines()
    assert lines == [
        'source/article.md:26:264: warning C001 citation "Wetizer, 2007" matches no reference'
        ' (elsewhere cited as "Weitzer, 2007")',
        'source/article.md:28:94: warning C001 citation "Weitzer, 2007" matches no reference'
        ' (elsewhere cited as "Wetizer, 2007")',
        'source/article.md:30:46: warning C001 citation "Weitzer, 2007" matches no reference'
        ' (elsewhere cited as "Wetizer, 2007")',
        'source/article.md:34:32: warning C001 citation "Swarens, 2018" matches no reference',
        'source/article.md:35:79: warning C001 citation "Trouteaud, n.d." matches no reference',
        'source/article.md:36:63: warning C001 citation "Weber, 2017" matches no reference',
        'source/article.md:42:195: warning C001 citation "Gallager & Holmes, 2008" matches no'
        ' reference; did you mean "Gallagher & Holmes, 2008"?',
        'source/article.md:53:1: info C002 reference 3 ("Hotline Statistics, n.d.") is never cited',
        "source/article.md: 7 warnings, 1 info",
    ]


def test_positions_point_at_the_cited_name() -> None:
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    for cite in load(ARTICLE).citations:
        for item in cite.items:
            line = lines[item.line - 1]
            assert line[item.col - 1 :].startswith(item.authors[0]), item
        assert lines[cite.line - 1][cite.col - 1 :].startswith(cite.text)


def test_resolved_citations_are_not_reported() -> None:
    doc = load(ARTICLE)
    resolved = {item.text: item.reference_id for cite in doc.citations for item in cite.items}
    assert resolved["Bach, Diane & Litam, 2017"] == "ref-bach-2017"
    assert resolved["Bach et al., 2017"] == "ref-bach-2017"
    assert resolved["Gallagher & Holmes, 2008"] == "ref-gallagher-2008"
    reported = {d.message.split('"')[1] for d in doc.diagnostics if d.code == "C001"}
    assert reported == {
        "Wetizer, 2007",
        "Weitzer, 2007",
        "Swarens, 2018",
        "Trouteaud, n.d.",
        "Weber, 2017",
        "Gallager & Holmes, 2008",
    }


@pytest.mark.usefixtures("in_root")
def test_strict_turns_warnings_into_errors(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(["lint", "--strict", "source/article.md"], capsys)
    assert status == 1
    assert "error C001" in err
    assert "warning" not in err.replace("warnings", "")


def test_structure_of_the_article() -> None:
    doc = load(ARTICLE)
    assert doc.metadata.title == "Who are Individuals that Willingly Purchase People?"
    assert [a.name for a in doc.metadata.authors] == ["Kimberly Fortson"]
    assert doc.metadata.lang == "en-US"
    assert doc.metadata.publisher == "Ashleigh Diserio Consulting"
    assert doc.metadata.date == ""  # no invented facts
    assert [(s.id, s.role, s.implicit) for s in doc.sections] == [
        ("who-are-individuals-that-willingly-purchase-people", "body", True),
        ("references", "references", False),
        ("about-the-publisher", "backmatter", False),
    ]
    assert len(doc.sections[0].blocks) == 5
    assert [r.pages for r in doc.references] == ["222–233", "318–343", ""]


def test_every_paragraph_of_the_seed_is_kept_verbatim() -> None:
    seed = [" ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    manuscript = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    for paragraph in seed[2:7]:  # the body, in order, misspellings included
        assert paragraph in manuscript
    positions = [manuscript.index(p) for p in seed[2:7]]
    assert positions == sorted(positions)
    assert seed[-1].replace("\u00a0", " ") in manuscript  # About the publisher


@pytest.mark.usefixtures("in_root")
def test_model_golden(golden: Callable[[str, str], None]) -> None:
    golden("article.model.json", to_json(load("source/article.md")))


def test_source_is_never_modified(tmp_path: Path) -> None:
    before = ARTICLE.read_bytes()
    stat = ARTICLE.stat()
    from pipeline.cli import main

    assert main(["build", str(ARTICLE), "--out", str(tmp_path)]) == 0
    assert ARTICLE.read_bytes() == before
    assert ARTICLE.stat().st_mtime_ns == stat.st_mtime_ns
