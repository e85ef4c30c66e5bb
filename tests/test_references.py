"""Reference lists: detection by heading, entry parsing, matching and diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import FRONT

from pipeline.build import lint, load
from pipeline.document.model import Emphasis, Text
from pipeline.document.references import is_reference_heading, parse_entry


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "REFERENCES",
        "Bibliography",
        "Works Cited",
        "Références",
        "Bibliographie",
        "Literatur",
        "Literaturverzeichnis",
        "Referencias",
        "Bibliografía",
        "Riferimenti bibliografici",
        "References:",
    ],
)
def test_reference_headings_in_many_languages(heading: str) -> None:
    assert is_reference_heading(heading)


@pytest.mark.parametrize("heading", ["Introduction", "Referenced works are below", "Notes"])
def test_other_headings_are_not_references(heading: str) -> None:
    assert not is_reference_heading(heading)


def test_apa_journal_article() -> None:
    entry = parse_entry(
        (
            Text("Gallagher, A., & Holmes, P. (2008). Developing an effective response: Lessons. "),
            Emphasis((Text("International Criminal Justice Review"),)),
            Text(", "),
            Emphasis((Text("18"),)),
            Text("(3), 318–343. https://doi.org/10.1177/1057567708320746"),
        ),
        2,
        7,
    )
    assert [(p.family, p.given) for p in entry.authors] == [("Gallagher", "A."), ("Holmes", "P.")]
    assert entry.year == "2008"
    assert entry.title == "Developing an effective response: Lessons"
    assert entry.container == "International Criminal Justice Review"
    assert (entry.volume, entry.issue, entry.pages) == ("18", "3", "318–343")
    assert entry.doi == "10.1177/1057567708320746"
    assert (entry.number, entry.line) == (2, 7)


def test_apa_book_with_italic_title() -> None:
    entry = parse_entry(
        (Text("Weitzer, R. (2007). "), Emphasis((Text("Sex for sale"),)), Text(". Routledge.")),
        1,
        1,
    )
    assert entry.authors[0].family == "Weitzer"
    assert entry.title == "Sex for sale"
    assert entry.container == ""


def test_corporate_author_without_date() -> None:
    entry = parse_entry(
        (Text("Hotline Statistics. (n.d.). In National Human Trafficking Hotline. Retrieved"),),
        3,
        1,
    )
    assert [p.family for p in entry.authors] == ["Hotline Statistics"]
    assert entry.year == "n.d."
    assert entry.container == "National Human Trafficking Hotline"


def test_mla_style_entry() -> None:
    entry = parse_entry((Text("Smith, John, and Jane Doe. A Title. Publisher, 2019."),), 1, 1)
    assert [(p.family, p.given) for p in entry.authors] == [("Smith", "John"), ("Doe", "Jane")]
    assert entry.year == "2019"


def _doc(body: str, write_source: Callable[..., Path]) -> Path:
    return write_source(FRONT + body)


def test_citations_link_to_entries_and_entries_know_their_citations(
    write_source: Callable[..., Path],
) -> None:
    path = _doc(
        "Text (Müller & Smith, 2001) and (MULLER and Smith, 2001).\n\n"
        "Then Smith (1999) said.\n\n"
        "## Bibliography\n\n"
        "- Muller, A., & Smith, B. (2001). A. *J*, *1*(1), 1–2.\n"
        "- Smith, C. (1999). B.\n",
        write_source,
    )
    doc = load(path)
    first, second, third = doc.citations
    entry_1, entry_2 = doc.references
    assert first.items[0].reference_id == entry_1.id == "ref-muller-2001"
    assert second.items[0].reference_id == entry_1.id
    assert third.items[0].reference_id == entry_2.id
    assert entry_1.cited_by == (first.id, second.id)
    assert entry_2.cited_by == (third.id,)
    assert not [d for d in doc.diagnostics if d.code.startswith("C")]


def test_ambiguous_citation_narrowed_by_second_author(write_source: Callable[..., Path]) -> None:
    path = _doc(
        "See (Lee & Park, 2010) and (Lee & Kim, 2010).\n\n## References\n\n"
        "1. Lee, A., & Kim, B. (2010). One.\n2. Lee, A., & Park, C. (2010). Two.\n",
        write_source,
    )
    doc = load(path)
    kim, park = doc.references
    assert [c.items[0].reference_id for c in doc.citations] == [park.id, kim.id]


def test_truly_ambiguous_citation_is_reported(write_source: Callable[..., Path]) -> None:
    path = _doc(
        "See (Lee, 2010).\n\n## References\n\n1. Lee, A. (2010). One.\n2. Lee, B. (2010). Two.\n",
        write_source,
    )
    [found] = lint(path)  # neither entry is linked, and neither is "never cited"
    assert found.code == "C004"
    assert 'could mean entries 1 (Lee, A., 2010, "One") and 2 (Lee, B., 2010, "Two")' in (
        found.message
    )


def test_entry_without_year_is_reported(write_source: Callable[..., Path]) -> None:
    path = _doc("Text.\n\n## References\n\n1. Somebody wrote something.\n", write_source)
    [found] = lint(path)
    assert found.code == "C003"
    assert found.line == 10


def test_paragraph_entries_without_a_list(write_source: Callable[..., Path]) -> None:
    path = _doc(
        "Text (Roe, 2001).\n\n## Works Cited\n\nRoe, R. (2001). A work.\n\nPoe, E. (1845). B.\n",
        write_source,
    )
    doc = load(path)
    assert [e.authors[0].family for e in doc.references] == ["Roe", "Poe"]
    assert [d.code for d in doc.diagnostics] == ["C002"]


def test_citation_without_any_reference_list(write_source: Callable[..., Path]) -> None:
    path = _doc("Text (Roe, 2001).\n", write_source)
    [found] = lint(path)
    assert found.code == "C001"
    assert "no reference list" in found.message
