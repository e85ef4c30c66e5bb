"""Typography per language (issue 18): quotes, dashes, ellipses, French spaces, sub/superscript.

Each case of ``fixtures/typography/cases.txt`` is one line: language, text as typed, markup
written. The source is never changed, code is never touched and the narration reads the
dashes and scripts naturally.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from epub_helpers import book_from
from hypothesis import given
from hypothesis import strategies as st
from support import FRONT

from pipeline.build import load
from pipeline.formats.html import page
from pipeline.formats.narration import narrate, to_text
from pipeline.formats.typography import NBSP, NNBSP, Typesetter, for_speech

CASES = Path(__file__).parent / "fixtures" / "typography" / "cases.txt"


def _cases() -> list[tuple[str, str, str]]:
    found = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, typed, written = (part.strip() for part in line.split(" | "))
            found.append((lang, typed, written.format(nnbsp=NNBSP, nbsp=NBSP)))
    return found


@pytest.mark.parametrize(("lang", "typed", "written"), _cases())
def test_typography_case(lang: str, typed: str, written: str) -> None:
    assert Typesetter(lang).markup(typed) == written


def test_a_quote_opens_or_closes_across_inline_markup(write_source: Callable[..., Path]) -> None:
    path = write_source(FRONT + '"*Emphasis*" and "`code`" here.\n')
    written = page(load(path))
    assert '<p id="p-1">“<em>Emphasis</em>” and “<code>code</code>” here.</p>' in written


def test_a_passage_in_another_language_has_its_quotes(write_source: Callable[..., Path]) -> None:
    path = write_source(
        FRONT + 'She said ["oui"]{lang=fr}, "ja" and "yes".\n\n> "Nein."\n{lang=de}\n'
    )
    written = page(load(path))
    assert f'<span lang="fr">«{NNBSP}oui{NNBSP}»</span>, “ja” and “yes”.' in written


def test_contents_show_headings_as_set(write_source: Callable[..., Path]) -> None:
    path = write_source(FRONT.replace("lang: en", "lang: fr") + '# "Eau" et H~2~O -- ici\n\nT.\n')
    written = page(load(path))
    assert f"«{NNBSP}Eau{NNBSP}» et H2O – ici</a>" in written  # the table of contents
    assert f"«{NNBSP}Eau{NNBSP}» et H<sub>2</sub>O – ici</h2>" in written
    book = book_from(path)
    assert f">«{NNBSP}Eau{NNBSP}» et H2O – ici</a>" in book.text("EPUB/nav.xhtml")


def test_the_title_page_sets_the_title(write_source: Callable[..., Path]) -> None:
    front = (
        '---\ntitle: "Vraiment ?"\nsubtitle: "L\'eau -- H~2~O"\nlang: fr\nidentifier: urn:x\n---\n'
    )
    path = write_source(front + "Texte.\n")
    expected = f'<h1 id="doc-title">Vraiment{NNBSP}?</h1>'
    assert expected in page(load(path))
    book = book_from(path)
    [first] = [n for n in book.names() if n.startswith("EPUB/01-")]
    title_page = book.text(first)
    assert expected in title_page and ">L’eau – H2O</p>" in title_page


def test_code_and_addresses_keep_what_was_typed(write_source: Callable[..., Path]) -> None:
    source = (
        FRONT + 'Use `"a" -- b...` and <https://example.org/a--b...>.\n\n```\n"x" -- y...\n```\n'
    )
    path = write_source(source)
    written = page(load(path))
    assert "<code>&quot;a&quot; -- b...</code>" in written or '<code>"a" -- b...</code>' in written
    assert ">https://example.org/a--b...</a>" in written
    assert '"x" -- y...' in written or "&quot;x&quot; -- y..." in written
    assert path.read_text(encoding="utf-8") == source  # the source is never modified


def test_narration_reads_dashes_and_scripts_naturally(write_source: Callable[..., Path]) -> None:
    path = write_source(FRONT + '"Water" is H~2~O --- see pages 10--12 of a 20 m^2^ room.\n')
    script = to_text(narrate(load(path)))
    assert "Water is H2O, see pages 10 to 12 of a 20 square metres room." in script
    assert "“" not in script and "~" not in script and "^" not in script


def test_for_speech_leaves_ordinary_text_alone() -> None:
    assert for_speech("A plain sentence, with 3 words.") == "A plain sentence, with 3 words."
    assert for_speech("x~2~ and y^3^") == "x2 and y3"


_TEXT = st.text(alphabet=st.sampled_from(list("ab '\"-.~^<&;:!? «»\n")), max_size=40)


@given(_TEXT, st.sampled_from(["en", "fr", "es", "de", "sv"]))
def test_typesetting_keeps_every_letter_and_escapes(typed: str, lang: str) -> None:
    """Only punctuation changes: the letters are all there, in order, and the markup
    is escaped text with at most ``<sub>``/``<sup>`` elements."""
    written = Typesetter(lang).markup(typed)
    assert "<" not in re.sub(r"</?su[bp]>", "", written)
    shown = html.unescape(re.sub(r"</?su[bp]>", "", written))
    assert re.sub(r"[^ab]", "", shown) == re.sub(r"[^ab]", "", typed)
    if lang != "sv":
        assert '"' not in written and "'" not in written
