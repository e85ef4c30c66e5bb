"""Author–year citation forms: each form found, each false positive left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document.citations import find, normalise


def only(text: str):  # type: ignore[no-untyped-def]
    found = find(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "written", "authors", "year", "et_al"),
    [
        ("as shown (Weitzer, 2007).", "(Weitzer, 2007)", ("Weitzer",), "2007", False),
        ("in children (Bach et al., 2017).", "(Bach et al., 2017)", ("Bach",), "2017", True),
        (
            "the world (Bach, Diane & Litam, 2017).",
            "(Bach, Diane & Litam, 2017)",
            ("Bach", "Diane", "Litam"),
            "2017",
            False,
        ),
        ("lives (Trouteaud, n.d.).", "(Trouteaud, n.d.)", ("Trouteaud",), "n.d.", False),
        ("lives (Trouteaud, n. d.).", "(Trouteaud, n. d.)", ("Trouteaud",), "n.d.", False),
        (
            "a claim (Gallagher and Holmes, 2008).",
            "(Gallagher and Holmes, 2008)",
            ("Gallagher", "Holmes"),
            "2008",
            False,
        ),
        ("a claim (van der Berg, 2010).", "(van der Berg, 2010)", ("van der Berg",), "2010", False),
        ("a claim (Dupré, 2001a).", "(Dupré, 2001a)", ("Dupré",), "2001a", False),
        (
            "stats (National Human Trafficking Hotline, n.d.)",
            "(National Human Trafficking Hotline, n.d.)",
            ("National Human Trafficking Hotline",),
            "n.d.",
            False,
        ),
        ("a claim (Smith, in press).", "(Smith, in press)", ("Smith",), "in press", False),
    ],
)
def test_parenthetical_forms(
    text: str, written: str, authors: tuple[str, ...], year: str, et_al: bool
) -> None:
    cite = only(text)
    assert text[cite.start : cite.end] == written
    assert not cite.narrative
    [(_, item)] = cite.items
    assert item.authors == authors
    assert item.year == year
    assert item.et_al is et_al


def test_several_works_in_one_citation() -> None:
    text = "vulnerable to trafficking (Gallagher & Holmes, 2008; Wetizer, 2007)."
    cite = only(text)
    items = [item for _, item in cite.items]
    assert [i.authors for i in items] == [("Gallagher", "Holmes"), ("Wetizer",)]
    assert [i.year for i in items] == ["2008", "2007"]
    assert [text[offset:].split(",", maxsplit=1)[0] for offset, _ in cite.items] == [
        "Gallagher & Holmes",
        "Wetizer",
    ]


def test_several_years_of_one_author() -> None:
    cite = only("(Smith, 2019, 2020)")
    assert [item.year for _, item in cite.items] == ["2019", "2020"]


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        ("(Smith, 2020, p. 4)", "page", "4"),
        ("(Smith, 2020, pp. 14–19)", "pages", "14–19"),
        ("(Smith, 2020, pp. 14-19)", "pages", "14–19"),
        ("(Smith, 2020, pp.14 - 19)", "pages", "14–19"),
        ("(Smith, 2020, chap. 3)", "chapter", "3"),
        ("(Smith, 2020, para. 12)", "paragraph", "12"),
    ],
)
def test_page_locators(text: str, label: str, value: str) -> None:
    [(_, item)] = only(text).items
    assert item.locator is not None
    assert (item.locator.label, item.locator.value) == (label, value)


@pytest.mark.parametrize(
    ("text", "prefix_free"),
    [("(see Weitzer, 2007)", "Weitzer"), ("(e.g., Bach et al., 2017)", "Bach")],
)
def test_prefixes_are_not_authors(text: str, prefix_free: str) -> None:
    [(_, item)] = only(text).items
    assert item.authors[0] == prefix_free


@pytest.mark.parametrize(
    ("text", "written", "authors", "et_al"),
    [
        ("As Weitzer (2007) argues, sex work", "Weitzer (2007)", ("Weitzer",), False),
        ("and Smith et al. (2019) found", "Smith et al. (2019)", ("Smith",), True),
        (
            "Gallagher and Holmes (2008) show",
            "Gallagher and Holmes (2008)",
            ("Gallagher", "Holmes"),
            False,
        ),
        (
            "Gallagher & Holmes (2008) show",
            "Gallagher & Holmes (2008)",
            ("Gallagher", "Holmes"),
            False,
        ),
        ("In Weitzer (2007) we read", "Weitzer (2007)", ("Weitzer",), False),
        ("Smith (2020, p. 4) notes", "Smith (2020, p. 4)", ("Smith",), False),
    ],
)
def test_narrative_forms(text: str, written: str, authors: tuple[str, ...], et_al: bool) -> None:
    cite = only(text)
    assert cite.narrative
    assert text[cite.start : cite.end] == written
    [(_, item)] = cite.items
    assert item.authors == authors
    assert item.et_al is et_al


@pytest.mark.parametrize(
    "text",
    [
        "as explained (see below).",
        "the figure (2017) rose",
        "reported that in 2017 there were 8,524 cases",
        "the International Labour Organization (ILO) said",
        "situational (availability), preferential (sexually attracted to children)",
        "who (knowingly) purchase",
        "The report (2017) said",
        "In (2017) we",
        "between 2010 and 2017 (a rise of 20%)",
        "(p. 4)",
        "(Chapter 3)",
        "calls (26,557) about",
        "(see 2017)",
        "(and 2017)",
    ],
)
def test_false_positives(text: str) -> None:
    assert find(text) == []


def test_citation_across_a_line_break() -> None:
    cite = only("in children (Bach et al.,\n2017) and")
    [(_, item)] = cite.items
    assert item.year == "2017"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Dupré", "dupre"), ("Gallagher & Holmes", "gallagher and holmes"), ("O’Neil", "o'neil")],
)
def test_names_are_compared_folded(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("(Das, 1989)", ("Das",)),
        ("(Le & Nguyen, 2020)", ("Le", "Nguyen")),
        ("(El Saadawi, 1977)", ("El Saadawi",)),
        ("(See Weitzer, 2007)", ("Weitzer",)),
        ("(Cf. Weitzer, 2007)", ("Weitzer",)),
    ],
)
def test_surnames_that_are_also_articles_and_capitalised_prefixes(
    text: str, authors: tuple[str, ...]
) -> None:
    [(_, item)] = only(text).items
    assert item.authors == authors


def test_narrative_surname_that_is_also_an_article() -> None:
    cite = only("as Das (1989) argued")
    assert cite.narrative
    assert cite.items[0][1].authors == ("Das",)


# ----------------------------------------------------------------- start-up cost

WIDE_AUTHORS = [
    "Ødegård",
    "Łukasiewicz",
    "Çelik",
    "Ünal",
    "Šimić",
    "Ἀριστοτέλης",
    "Достоевский",
    "Ďurovič",
]


@pytest.mark.parametrize("author", WIDE_AUTHORS)
def test_surnames_with_capitals_outside_a_to_z_are_still_citations(author: str) -> None:
    """The patterns for such capitals are compiled only when a text has them (compiling
    them cost 15 ms at every start); an ASCII-only text gets patterns that match alike."""
    parenthetical = find(f"Buyers were studied ({author}, 2019).")
    narrative = find(f"As {author} (2019) found, buyers differ.")
    assert [item.authors for f in parenthetical for _, item in f.items] == [(author,)]
    assert [item.authors for f in narrative for _, item in f.items] == [(author,)]


_TEXTS = st.lists(
    st.sampled_from(
        [
            "Weitzer",
            "Farley & Macleod",
            "García",
            "van der Berg",
            "(",
            ")",
            ", ",
            "2007",
            "n.d.",
            "et al.",
            " ",
            "see ",
            "p. 4",
            "; ",
            "In",
            "é",
            "“quoted”",
            "—",
            "and",
        ]
    ),
    max_size=30,
).map("".join)


# The wide patterns take tens of milliseconds to compile on the first example, and the
# machine may be busy: a deadline would time those, not the search.
@settings(deadline=None)
@given(_TEXTS)
def test_narrow_and_wide_patterns_find_the_same_citations_in_text_without_other_capitals(
    text: str,
) -> None:
    from pipeline.document import citations

    assert not citations._needs_wide(text)
    narrow = citations.find(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(citations, "_needs_wide", lambda _text: True)
        wide = citations.find(text)
    assert narrow == wide


def test_only_capitals_a_surname_could_begin_with_need_the_wide_patterns() -> None:
    from pipeline.document import citations

    assert not citations._needs_wide("Plain ASCII (Weitzer, 2007).")
    assert not citations._needs_wide("Curly “quotes”, dashes — and é, ü in García Müller")
    assert citations._needs_wide("As Ødegård (2019) found")
    assert not citations._needs_wide("Ⅻ is a numeral above U+2000")
