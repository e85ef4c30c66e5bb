"""Author–year citations and reference entries from fixture files, one case per line.

``tests/fixtures/citations/find.txt``: text → the citations found in it.
``tests/fixtures/citations/entries.txt``: a reference entry → its names, year, narration.
``tests/fixtures/citations/resolve.txt``: a citation and entries → the entry it links to,
or the diagnostic it gets. The cases follow the APA 7, Harvard, Chicago author-date and
MLA rules and their Spanish, German and French usage.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import document_from

from pipeline.document.citations import find
from pipeline.document.model import CiteItem, Reference
from pipeline.formats.narration import narrate

CASES = Path(__file__).resolve().parent / "fixtures" / "citations"


def _lines(name: str) -> list[tuple[int, str, str]]:
    cases = []
    for number, line in enumerate((CASES / name).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#") and " => " in line:
            given, _, expected = line.partition(" => ")
            cases.append((number, given, expected.strip()))
    return cases


def _item(item: CiteItem) -> str:
    text = ("~" if item.tentative else "") + " + ".join(item.authors)
    if item.et_al:
        text += " et al."
    text += f", {item.year or '-'}"
    if item.locator:
        text += f", {item.locator.label} {item.locator.value}"
    return text


def describe(text: str) -> str:
    """The citations of a text in the fixture's notation."""
    found = find(text)
    if not found:
        return "none"
    return " | ".join(
        ("N: " if cite.narrative else "") + " ; ".join(_item(i) for _, i in cite.items)
        for cite in found
    )


FIND = _lines("find.txt")


def test_find_has_enough_cases() -> None:
    assert len(FIND) >= 200


@pytest.mark.parametrize(("line", "text", "expected"), FIND, ids=[f"find:{c[0]}" for c in FIND])
def test_find(line: int, text: str, expected: str) -> None:
    assert describe(text) == expected


def _entry_cases() -> list[tuple[int, str, str, str]]:
    """(line, language, entry, expected) from entries.txt; ``@ xx`` sets the language."""
    cases = []
    lang = "en"
    text = (CASES / "entries.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("@ "):
            lang = line[2:].strip()
        elif line.strip() and not line.startswith("#") and " => " in line:
            entry, _, expected = line.partition(" => ")
            cases.append((number, lang, entry, expected.strip()))
    return cases


ENTRIES = _entry_cases()


def _names(reference: Reference) -> str:
    names = [
        ", ".join(part for part in (p.family, p.given) if part)
        + (f" [{p.short}]" if p.short else "")
        for p in reference.authors
    ]
    return " | ".join([*names, "et al."] if reference.more_authors else names)


def test_entries_have_enough_cases() -> None:
    assert len(ENTRIES) >= 100


@pytest.mark.parametrize(
    ("line", "lang", "entry", "expected"), ENTRIES, ids=[f"entries:{c[0]}" for c in ENTRIES]
)
def test_entry(line: int, lang: str, entry: str, expected: str) -> None:
    names, year, *said = (part.strip() for part in expected.split(";;"))
    front = f"---\ntitle: T\nidentifier: urn:x:1\nlang: {lang}\n---\n\n"
    document = document_from(f"{front}Text.\n\n## References\n\n1. {entry}\n")
    [reference] = document.references
    assert (_names(reference), reference.year) == (names, year)
    if said:
        [utterance] = [u for u in narrate(document).utterances if u.kind == "reference"]
        assert utterance.text == said[0]


def _resolve_cases() -> list[tuple[int, str, str, list[str], list[str], list[str]]]:
    """(line, language, text, entries, expected links, message parts) from resolve.txt."""
    cases = []
    lang = "en"
    block: list[tuple[int, str]] = []
    lines = (CASES / "resolve.txt").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, ""], 1):
        if line.startswith("@ "):
            lang = line[2:].strip()
        elif line.strip() and not line.startswith("#"):
            block.append((number, line))
        elif block:
            body = [text for _, text in block if not text.startswith("## ")]
            [text] = [b.removeprefix("text: ") for b in body if b.startswith("text: ")]
            entries = [b for b in body if re.match(r"\d+\. ", b)]
            [expected] = [b.removeprefix("=> ").split() for b in body if b.startswith("=> ")]
            messages = [b.removeprefix("! ") for b in body if b.startswith("! ")]
            cases.append((block[0][0], lang, text, entries, expected, messages))
            block = []
    return cases


RESOLVE = _resolve_cases()


def _outcome(item: CiteItem, numbers: dict[str, int], codes: dict[tuple[int, int], str]) -> str:
    if item.reference_id:
        return str(numbers[item.reference_id])
    return codes.get((item.line, item.col), "silent")


@pytest.mark.parametrize(
    ("line", "lang", "text", "entries", "expected", "messages"),
    RESOLVE,
    ids=[f"resolve:{c[0]}" for c in RESOLVE],
)
def test_resolve(  # noqa: PLR0917 -- one parameter per column of the fixture
    line: int,
    lang: str,
    text: str,
    entries: list[str],
    expected: list[str],
    messages: list[str],
) -> None:
    front = f"---\ntitle: T\nidentifier: urn:x:1\nlang: {lang}\n---\n\n"
    listed = "\n\n## References\n\n" + "\n".join(entries) if entries else ""
    document = document_from(f"{front}{text}\n{listed}\n")
    numbers = {entry.id: entry.number for entry in document.references}
    codes = {(d.line, d.col): d.code for d in document.diagnostics if d.code in {"C001", "C004"}}
    outcomes = [_outcome(i, numbers, codes) for c in document.citations for i in c.items]
    # A tentative form that names no entry is plain text again: found in the text, but
    # no longer a citation of the document, and nothing is said about it.
    found = [item for cite in find(text) for _, item in cite.items]
    assert len(found) == len(expected)
    assert outcomes == [o for o in expected if o != "text"]
    if expected.count("text") == len(expected):
        assert not document.citations
        assert not [d for d in document.diagnostics if d.code in {"C001", "C004"}]
    for part in messages:
        assert any(part in d.message for d in document.diagnostics), document.diagnostics
