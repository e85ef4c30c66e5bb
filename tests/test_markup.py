"""Markup: one escaper for every writer, and outputs that are well-formed whatever the text.

The reported bug: ``title: "Bad\\x01Title"`` (a YAML escape, so the source reader never
saw a control character) gave an EPUB whose package, navigation, NCX, cover and chapter
were not well-formed XML, with exit status 0.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support import run_cli

from pipeline import markup
from pipeline.build import load
from pipeline.diagnostics import PipelineError, Severity
from pipeline.formats.epub import build_epub
from pipeline.formats.html import page

Capture = pytest.CaptureFixture[str]

LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+) (?P<code>[A-Z]\d{3}) ")


def _parse_every_xml_file(epub: bytes) -> list[str]:
    """Parse every XML file of an EPUB (raises on the first ill-formed one); their names."""
    names = []
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml", ".smil")):
                ET.fromstring(book.read(name))  # noqa: S314 (our own output)
                names.append(name)
    return names


def _parse_page(html: str) -> None:
    """The HTML page is polyglot: it must parse as XML too (stricter than an HTML parser)."""
    ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))  # noqa: S314 (our own output)


# --------------------------------------------------------------------------- the module


def test_every_character_the_filter_drops_is_unprintable() -> None:
    """``clean`` keeps a printable value as it is without running the pattern: that is
    only right if no character the pattern replaces is printable."""
    dropped = [c for c in map(chr, range(0x110000)) if markup.NOT_XML.match(c)]
    assert len(dropped) == 29 + 33 + 2048 + 32 + 2
    assert not [c for c in dropped if c.isprintable()]
    assert markup.clean("a\x01b\ud800c\ufffe") == "a\ufffdb\ufffdc\ufffd"
    assert markup.clean("Ünïcødé, tab\tand line\nkept") == "Ünïcødé, tab\tand line\nkept"


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\ud800", "\udfff",
             "\ufdd0", "\ufffe", "\uffff"],
)  # fmt: skip
def test_characters_xml_cannot_carry_are_replaced(char: str) -> None:
    assert markup.text(f"a{char}b") == "a\ufffdb"
    assert markup.attr(f"a{char}b") == "a\ufffdb"


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " ", "é", "\u2028", "\ufffd", "\U0001f600"])
def test_characters_xml_allows_are_kept(char: str) -> None:
    assert markup.text(f"a{char}b") == f"a{char}b"


def test_text_and_attribute_escapes() -> None:
    assert markup.text("""<a href="x">&'</a>]]>""") == '&lt;a href="x"&gt;&amp;\'&lt;/a&gt;]]&gt;'
    assert markup.attr("""<"&'>""") == "&lt;&quot;&amp;&#x27;&gt;"
    assert markup.attrs(id="a\x01", class_="", data_x='"') == ' id="a\ufffd" data-x="&quot;"'


def test_no_writer_escapes_markup_on_its_own() -> None:
    """Every XML and HTML writer goes through ``pipeline.markup``: no other escaper is left."""
    root = Path(markup.__file__).parent
    others = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if path.name != "markup.py" and re.search(
            r'html\.escape|from html import escape|replace\("&", "&amp;"\)|quoteattr', source
        ):
            others.append(path.relative_to(root).as_posix())
    assert others == []


# --------------------------------------------------------------------------- the bug


BAD_TITLE = """---
title: "Bad\\x01Title"
subtitle: "Sub\\u0007title"
author: ["Ann \\x1bOne", "Bo Two"]
publisher: "Press\\uffff"
lang: en
identifier: urn:uuid:00000000-0000-4000-8000-000000000000
---

# Chapter

Some text.
"""


def test_control_character_in_the_title_gives_well_formed_outputs_and_a_diagnostic(
    tmp_path: Path, capsys: Capture
) -> None:
    source = tmp_path / "bad.md"
    source.write_text(BAD_TITLE, encoding="utf-8")
    status, _, err = run_cli(
        ["build", source, "--out", tmp_path / "out", "--formats", "epub,html,narration"], capsys
    )
    assert status == 0, err
    found = [m.groupdict() for line in err.splitlines() if (m := LINE.match(line))]
    assert [(d["code"], d["sev"], d["line"], d["col"]) for d in found] == [
        ("F008", "warning", "2", "12"),  # title: "Bad\x01Title": the backslash of \x01
        ("F008", "warning", "3", "15"),
        ("F008", "warning", "4", "15"),
        ("F008", "warning", "5", "18"),
    ], err
    assert "U+0001" in err and "U+FFFF" in err and "noncharacter" in err
    epub = (tmp_path / "out" / "bad.epub").read_bytes()
    checked = _parse_every_xml_file(epub)
    assert {"EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/cover.xhtml"} <= set(
        checked
    )
    assert any(name.startswith("EPUB/01-") for name in checked)
    assert (
        '<dc:title id="title">Bad Title</dc:title>'
        in zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/package.opf").decode()
    )
    _parse_page((tmp_path / "out" / "bad.html").read_text(encoding="utf-8"))
    narration = (tmp_path / "out" / "bad.narration.txt").read_text(encoding="utf-8")
    assert "Bad Title" in narration and "\x01" not in narration


def test_lint_reports_a_control_character_in_a_list_value(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "k.md"
    source.write_text(
        '---\ntitle: T\nlang: en\nkeywords: [ok, "a\\\\x01", "b\\x02"]\n---\n\nText.\n',
        encoding="utf-8",
    )
    status, _, err = run_cli(["lint", source], capsys)
    found = [m.groupdict() for line in err.splitlines() if (m := LINE.match(line))]
    # "a\\x01" is an escaped backslash, not a control character: only "b\x02" is reported.
    assert [(d["code"], d["line"], d["col"]) for d in found if d["code"] == "F008"] == [
        ("F008", "4", "28")
    ]
    assert status == 0
    assert load(source).metadata.keywords == ("ok", "a\\x01", "b")


# --------------------------------------------------------------------------- the property

#: Any character YAML can write (escaped by json.dumps), surrogates and controls included.
_ANY = st.text(st.characters(codec=None), max_size=40)
#: A title or a name: anything that still says something once what XML cannot carry is gone.
_NAME = _ANY.filter(lambda t: markup.NOT_XML.sub("", t).strip() != "")
#: Body text: any character UTF-8 can encode (controls included; the reader blanks them).
_BODY_CHARS = st.characters(exclude_categories=("Cs",))
_PIECES = (
    "# Heading {#h}",
    "## Sub",
    "- item\n- two",
    "1. one\n2. two",
    "> quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Term\n: Definition",
    "Text[^n] and (Roe, 2001).\n\n[^n]: The note.",
    "## References\n\n1. Roe, R. (2001). *A work*. Press.",
    "<b>raw</b> & [l](https://example.org/?a=1&b=2)",
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=_NAME,
    subtitle=_ANY,
    authors=st.lists(_NAME, max_size=3),
    publisher=_ANY,
    description=_ANY,
    keywords=st.lists(_ANY, max_size=3),
    rights=_ANY,
    lang=st.sampled_from(["en", "fr", "de", "es", "ja", "en-GB"]),
    pieces=st.lists(st.sampled_from(_PIECES), max_size=5),
    body=st.text(_BODY_CHARS, max_size=80),
)
def test_any_front_matter_and_body_give_well_formed_xml_everywhere(
    tmp_path: Path,
    *,
    title: str,
    subtitle: str,
    authors: list[str],
    publisher: str,
    description: str,
    keywords: list[str],
    rights: str,
    lang: str,
    pieces: list[str],
    body: str,
) -> None:
    fields = {
        "title": title,
        "subtitle": subtitle,
        "author": authors,
        "publisher": publisher,
        "description": description,
        "keywords": keywords,
        "rights": rights,
        "lang": lang,
        "identifier": "urn:uuid:00000000-0000-4000-8000-000000000000",
    }
    # JSON is YAML: every value becomes a double-quoted scalar with \\u escapes.
    front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    source = tmp_path / "any.md"
    text = f"---\n{front}---\n\n" + "\n\n".join([*pieces, f"Para {body}"]) + "\n"
    source.write_bytes(text.encode("utf-8"))
    try:
        document = load(source)
    except PipelineError as error:  # the body may make errors of its own (a heading "#")
        errors = [d.code for d in error.diagnostics if d.severity == Severity.ERROR]
        assert not [code for code in errors if code.startswith("F")], error.diagnostics
        event("refused for the body")
        return
    event("built")
    _parse_every_xml_file(build_epub(document, epoch=1_700_000_000, cover_cache=tmp_path))
    _parse_page(page(document))


def test_a_noncharacter_in_the_body_is_reported_and_blanked(
    tmp_path: Path, capsys: Capture
) -> None:
    """U+FFFF is valid UTF-8, so the reader sees it: reported like a control character."""
    source = tmp_path / "n.md"
    source.write_text(
        "---\ntitle: T\nlang: en\nidentifier: x\n---\n\n# Bad\uffffHeading\n\nText.\n"
    )
    status, _, err = run_cli(["lint", source], capsys)
    assert status == 0
    assert f"{source}:7:6: warning S004 noncharacter U+FFFF is replaced by a space" in err
