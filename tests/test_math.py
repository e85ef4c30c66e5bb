"""Formulas (issue 18): conversion to MathML, diagnostics, speech per language, markup."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from epub_helpers import EPOCH, Book
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import load
from pipeline.document import math
from pipeline.document.model import Math, MathBlock, Paragraph, walk_blocks, walk_inlines
from pipeline.document.parse import parse
from pipeline.document.source import SourceText
from pipeline.formats import a11y_metadata
from pipeline.formats.epub import build_epub
from pipeline.formats.html import page
from pipeline.formats.narration import narrate
from pipeline.formats.render import Renderer
from pipeline.formats.spoken.math import say
from pipeline.words import words_for

FIXTURES = Path(__file__).parent / "fixtures" / "math"
LANGS = ("en", "fr", "es", "de")
#: One formula per line; its golden speech per language is in ``<lang>.txt``.
FORMULAS = [
    line
    for line in (FIXTURES / "formulas.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


def _golden(lang: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (FIXTURES / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tex, _, speech = line.partition(" => ")
            pairs.append((tex, speech))
    return pairs


def _doc(body: str, lang: str = "en") -> SourceText:
    text = f"---\ntitle: T\nlang: {lang}\n---\n\n{body}\n"
    return SourceText(text=text, path="book.md", directory=Path())


@pytest.mark.golden
@pytest.mark.parametrize("lang", LANGS)
def test_speech_matches_golden(lang: str, update_golden: bool) -> None:
    said = [(tex, say(tex, lang)) for tex in FORMULAS]
    path = FIXTURES / f"{lang}.txt"
    if update_golden:
        head = f"# Formulas read aloud in {lang}: LaTeX => speech (tests/test_math.py)\n"
        path.write_text(head + "".join(f"{t} => {s}\n" for t, s in said), encoding="utf-8")
    assert said == _golden(lang)


def test_no_english_operator_words_in_other_languages() -> None:
    for lang in ("fr", "es", "de"):
        for _, speech in _golden(lang):
            for word in ("squared", "plus or minus", "over", "the sum", "equals", "times"):
                assert f" {word} " not in f" {speech} ", (lang, speech)


@pytest.mark.parametrize(
    ("tex", "code"),
    [
        (r"\frac{a}{", "Q001"),
        ("x^2^3", "Q001"),
        (r"\foo x", "Q002"),
        ("   ", "Q003"),
    ],
)
def test_unconvertible_latex_is_reported(tex: str, code: str) -> None:
    error = math.problem(tex)
    assert error is not None
    assert error.code == code


def test_markup_escapes_text_and_drops_links() -> None:
    written = math.markup(r"\text{<b>&} \href{javascript:x}{a}", display=True)
    root = ET.fromstring(written)  # noqa: S314 - our own output
    assert root.get("alttext") == r"\text{<b>&} \href{javascript:x}{a}"
    assert root.get("display") == "block"
    assert "href=" not in written
    assert "&lt;b&gt;&amp;" in written


def test_prices_stay_text_and_formulas_become_math() -> None:
    document = parse(_doc("It costs $5 and $10, but $x^2$ and \\(a+b\\) are math."))
    paragraph = next(b for b in walk_blocks(document) if isinstance(b, Paragraph))
    formulas = [n.tex for n in paragraph.children if isinstance(n, Math)]
    assert formulas == ["x^2", "a+b"]
    assert "$5 and $10" in "".join(getattr(n, "text", "") for n in paragraph.children)


def test_display_math_blocks_and_diagnostic_position() -> None:
    document = parse(_doc("$$\nx^2\n$$\n\n\\[\ny_1\n\\]\n\nBad: $\\frac{a}{$ here."))
    blocks = [b for b in walk_blocks(document) if isinstance(b, MathBlock)]
    assert [b.tex for b in blocks] == ["x^2", "y_1"]
    assert [b.line for b in blocks] == [6, 10]
    [found] = [d for d in document.diagnostics if d.code == "Q001"]
    assert (found.line, found.col) == (14, 7)


def test_html_scrolls_display_math_in_a_named_region_and_epub_does_not() -> None:
    document = parse(_doc("$$\n\\sum_{i=1}^{n} i\n$$", lang="fr"))
    block = next(b for b in walk_blocks(document) if isinstance(b, MathBlock))
    page = Renderer(document).block(block)
    book = Renderer(document, paginated=True).block(block)
    assert 'tabindex="0" role="region" aria-label="Formule 1"' in page
    assert "tabindex" not in book and "math-scroll" not in book
    assert 'alttext="\\sum_{i=1}^{n} i"' in book


def test_math_features_declared_only_when_present() -> None:
    with_math = a11y_metadata.compute(parse(_doc("Area $\\pi r^2$.")))
    without = a11y_metadata.compute(parse(_doc("No formula, $5 only.")))
    assert {"MathML", "describedMath"} <= set(with_math.features)
    assert not {"MathML", "describedMath"} & set(without.features)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("x^_{}\\frac12+-=()ab ")), max_size=30))
def test_any_latex_converts_or_is_reported(tex: str) -> None:
    error = math.problem(tex)
    if error is None:
        ET.fromstring(math.markup(tex))  # noqa: S314 - our own output, well-formed
        assert say(tex, "fr")
    else:
        assert error.code in {"Q001", "Q002", "Q003"}


def test_inline_math_is_read_in_the_paragraph() -> None:
    document = parse(_doc("Here $x^2$ grows."))
    assert [n.tex for n in walk_inlines(document) if isinstance(n, Math)] == ["x^2"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_kind_of_bracket_is_said_by_its_own_name(lang: str) -> None:
    brackets = dict(words_for(lang).math.brackets)
    assert len({brackets["("], brackets["["], brackets["{"]}) == 3, lang
    said = say("2[x + (y - 1)]", lang)
    square, round_ = brackets["["], brackets["("]
    assert said.index(square) < said.index(round_), said
    assert said.endswith(brackets["]"]), said
    assert say("[0, 1)", lang) == f"{square} 0, 1 {brackets[')']}"


#: Word sequences a careful reader never says: the construct after a preposition keeps
#: its nominative article ("von der Bruch") or is not contracted ("de le produit").
UNGRAMMATICAL = {
    "en": (),
    "fr": ("de le", "de les", "à le", "à les", "de i égale"),
    "es": ("de el", "a el", "desde i es igual a"),
    "de": ("von der Bruch", "von die", "von das", "aus der Bruch", "aus die", "über der"),
}
#: Constructs that start with an article in some language (``@``: what they hold), and
#: places that put them after a preposition (``{}`` is the construct).
_CONSTRUCTS = (
    r"\frac{@+1}{b}",
    r"\sqrt{@+1}",
    r"\sum_{i=1}^{n} @",
    r"\prod_{k=1}^{n} @",
    r"\int_0^1 @\,dx",
    r"\lim_{x \to 0} @",
    r"\begin{pmatrix}@ & b\end{pmatrix}",
)
_PLACES = (
    "{}",
    r"\lim_{n \to \infty} {}",
    r"\sqrt{{}}",
    r"\int_0^1 {}",
    r"y = {}",
    r"\sum_{j=1}^{m} {}",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PLACES), st.sampled_from(_CONSTRUCTS)), min_size=1, max_size=3
    ),
    st.sampled_from(LANGS),
)
def test_constructs_after_a_preposition_are_grammatical(
    nesting: list[tuple[str, str]], lang: str
) -> None:
    tex = "x"
    for place, construct in nesting:
        tex = place.replace("{}", construct.replace("@", "{" + tex + "}"))
    said = say(tex, lang)
    assert said != words_for(lang).math.unread, tex
    for wrong in UNGRAMMATICAL[lang]:
        assert f" {wrong} " not in f" {said} ", (tex, said)


def test_headings_with_formulas_show_no_latex_in_the_contents(tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text(
        "---\ntitle: T\nlang: fr\nidentifier: urn:x\n---\n\n# Un\n\nTexte.\n\n"
        "## L’aire $\\pi r^2$ et $[0, 1)$\n\nTexte.\n",
        encoding="utf-8",
    )
    document = load(source)
    words = "L’aire pi r au carré et crochet ouvrant 0, 1 parenthèse fermante"
    book = Book(build_epub(document, epoch=EPOCH))
    nav, ncx = book.text("EPUB/nav.xhtml"), book.text("EPUB/toc.ncx")
    for shown in (nav, ncx):
        assert words in shown
        assert "\\pi" not in shown and "r^2" not in shown
    assert "<title>Un</title>" in book.text("EPUB/01-un.xhtml")
    [chapter] = [c for c in narrate(document).chapters if c.title.startswith("L’aire")]
    assert chapter.title == words
    contents = page(document).split("<nav", 1)[1].split("</nav>", 1)[0]
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"' in contents
    assert "<mi>π</mi>" in contents
    assert "\\pi r^2" not in contents.replace('alttext="\\pi r^2"', "")


def test_a_content_document_title_is_the_heading_in_words(tmp_path: Path) -> None:
    source = tmp_path / "book.md"
    source.write_text(
        "---\ntitle: T\nlang: de\nidentifier: urn:x\n---\n\n"
        "# Die Formel $\\frac{a+1}{b}$\n\nText.\n",
        encoding="utf-8",
    )
    book = Book(build_epub(load(source), epoch=EPOCH))
    [name] = [n for n in book.content_documents() if n.startswith("EPUB/01-")]
    assert "<title>Die Formel der Bruch a plus 1, durch b</title>" in book.text(name)


def test_displayed_limits_are_set_below_lim_and_inline_ones_beside() -> None:
    tex = r"\lim_{x \to 0} \frac{\sin x}{x} + \max_{i} a_i"
    shown = ET.fromstring(math.markup(tex, display=True))  # noqa: S314 - our own output
    inline = ET.fromstring(math.markup(tex))  # noqa: S314 - our own output
    ns = "{http://www.w3.org/1998/Math/MathML}"
    below = [e[0].text for e in shown.iter(f"{ns}munder")]
    assert below == ["lim", "max"]
    assert [e[0].text for e in inline.iter(f"{ns}msub")][:2] == ["lim", "max"]
    assert say(tex, "de", display=True) == say(tex, "de")


def test_operator_names_are_identifiers_without_operator_attributes() -> None:
    written = math.markup(r"x + \lim_{n \to \infty} a_n + \det A", display=True)
    assert "<mi>lim</mi>" in written
    assert "<mo>lim</mo>" not in written
    assert "<mi>det</mi>" in written
    assert "movablelimits" not in written
