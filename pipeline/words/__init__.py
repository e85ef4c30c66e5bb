"""Every word the program itself says or writes, one table module per language.

The author's text is the author's; around it the outputs add words of their
own: the page's labels (contents, notes, "back to note 1"), the narration's
framing ("A list of 3 items", "Note 1", "Published by"), and the listen-along
player's controls. They live here and nowhere else, so a book in French is
framed in French everywhere, and adding a language is one new module.

Each language is one ``Words`` value built from typed, frozen dataclasses: a
word missing from a table is a ``TypeError`` at import and a mypy error, not
an English word that slips into a French book. A language without a table
gets English words; the page marks them ``lang="en"`` so screen readers say
them right, and the front matter check reports it (F009).

How the author's own text is read aloud (numbers, units, abbreviations,
dates) is not here: that is ``pipeline.formats.spoken``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageWords:
    """Labels of the HTML page and the EPUB (navigation, notes, title page, cover)."""

    contents: str
    landmarks: str
    cover: str
    notes: str
    references: str
    """Heading of a reference list generated from a ``bibliography:`` file."""
    start: str
    """Landmark of where the text begins."""
    cover_of: str
    """Cover alt text: ``{title}``."""
    by: str
    """Cover alt text: ``{names}``."""
    and_: str
    published_by: str
    """A sentence with ``{publisher}``."""
    skip: str
    code: str
    """Accessible name of a code block (a number may follow)."""
    table: str
    """Accessible name of an uncaptioned table: ``{n}``."""
    cited: str
    back_to_cite: str
    """``{work}``, ``{n}``, ``{total}``."""
    note: str
    """A note reference's accessible name: ``{n}``."""
    back_to_note: str
    back_to_note_ref: str
    """``{k}`` of note ``{n}``."""
    aut: str
    """Byline phrases by MARC relator code (author, editor, translator...)."""
    edt: str
    trl: str
    ill: str
    nrt: str
    ctb: str
    with_: str
    """The byline phrase for any other role."""
    copyright: str
    """Heading of the copyright page."""
    publication_date: str
    """Copyright page: ``{date}``."""
    identifier: str
    """Copyright page: ``{identifier}``."""

    def role(self, code: str) -> str:
        """The byline phrase for a MARC relator code."""
        return {
            "aut": self.aut,
            "edt": self.edt,
            "trl": self.trl,
            "ill": self.ill,
            "nrt": self.nrt,
            "ctb": self.ctb,
        }.get(code, self.with_)


@dataclass(frozen=True, slots=True)
class Locators:
    """Citation and reference locators, singular and plural ("page 4", "pages 14 to 19")."""

    page: tuple[str, str]
    pages: tuple[str, str]
    chapter: tuple[str, str]
    section: tuple[str, str]
    paragraph: tuple[str, str]
    table: tuple[str, str]
    figure: tuple[str, str]
    note: tuple[str, str]

    def get(self, label: str) -> tuple[str, str]:
        """The words for a locator label, or the label itself when it has none."""
        found: tuple[str, str] | None = getattr(self, label, None) if label in _LOCATORS else None
        return found if found is not None else (label, label)


_LOCATORS = frozenset(
    {"page", "pages", "chapter", "section", "paragraph", "table", "figure", "note"}
)


@dataclass(frozen=True, slots=True)
class SpokenWords:
    """What the narration says around the author's text."""

    and_: str
    colleagues: str
    """Said for ``et al.``: "Bach and colleagues"."""
    no_date: str
    to: str
    """Range word: "pages 14 to 19"."""
    percent: str
    """Said for ``%``."""
    locators: Locators
    figure: str
    table: str
    list_of: str
    """Format string with ``{n}`` items."""
    item: str
    items: str
    code: str
    """Format string: ``{language}`` (empty or `` in_language``) and ``{lines}``."""
    in_language: str
    """``{language}`` of a code block: "in python"."""
    lines: str
    line: str
    quote: str
    end_quote: str
    note: str
    end_note: str
    by: str
    published_by: str
    entries: str
    entry: str
    link: str
    doi: str
    slash: str
    """Said for ``/`` inside a DOI."""
    dot: str
    """Said for ``.`` inside a DOI."""
    volume: str
    issue: str
    in_: str
    retrieved: str
    deleted: str
    image: str
    rows: str
    row: str
    columns: str
    column: str


@dataclass(frozen=True, slots=True)
class PlayerWords:
    """The listen-along player's controls on the HTML page."""

    audio: str
    """Accessible name of the ``<audio>`` element."""
    captions: str
    chapters: str
    download: str
    narration: str
    """Lead of the links line: "Narration: MP3, captions"."""
    captions_link: str
    follow: str
    """The checkbox that scrolls the page along with the reading."""
    listen_here: str
    listen_here_to: str
    """Accessible name of a "listen from here" button: ``{heading}``."""
    read_by: str
    """The narrator credit under the player: ``{engine}`` and ``{voice}`` (a synthetic voice,
    said plainly)."""


@dataclass(frozen=True, slots=True)
class SummaryWords:
    """The EPUB's accessibility summary (``schema:accessibilitySummary``), sentence by sentence.

    Nouns are (singular, plural) pairs, said after a count: "1 table", "2 tables".
    """

    conformance: str
    """Only with a reviewed claim: ``{wcag}`` version and ``{level}``."""
    no_claim: str
    """Without a recorded review: the book claims no conformance."""
    navigation: str
    """``{headings}``: a counted noun."""
    contents_only: str
    images: str
    """``{images}`` and ``{described}``."""
    all_described: str
    some_described: str
    """``{n}`` images of them."""
    no_images: str
    has: str
    """``{extras}``: the counted tables, code listings, notes and citations."""
    with_headers: str
    """After the counted tables when every one has header cells."""
    notes_linked: str
    """``{notes}``."""
    citations_linked: str
    """``{citations}`` and ``{references}``."""
    narrated: str
    display: str
    no_hazards: str
    no_hazards_narrated: str
    must_see: str
    audiobook: str
    """The summary of the W3C audiobook (``<stem>.lpf``): what is read, and its aids."""
    heading: tuple[str, str]
    image: tuple[str, str]
    table: tuple[str, str]
    code_listing: tuple[str, str]
    note: tuple[str, str]
    citation: tuple[str, str]
    reference: tuple[str, str]

    @staticmethod
    def count(n: int, noun: tuple[str, str]) -> str:
        """``1 table``, ``2 tables``."""
        return f"{n} {noun[0] if n == 1 else noun[1]}"


@dataclass(frozen=True, slots=True)
class MathWords:
    """Formulas read aloud as a careful reader would, and the names of formulas and
    extended descriptions on the page (issue 18).

    Format strings name their parts: ``{base}``, ``{exp}``, ``{sub}``, ``{num}``,
    ``{den}``, ``{x}``, ``{n}``, ``{op}``, ``{low}``, ``{high}``, ``{under}``.
    """

    formula: str
    """Accessible name of a displayed formula's scroll region on the page: ``{n}``."""
    description: str
    """The ``<summary>`` of an extended description."""
    description_start: str
    """Said before a figure's extended description."""
    description_end: str
    unread: str
    """Said for a formula that could not be converted (Q001-Q003)."""
    operators: tuple[tuple[str, str], ...]
    """Symbol to words: ``("+", "plus")``; brackets are silent."""
    functions: tuple[tuple[str, str], ...]
    """Function names: ``("sin", "sine")``."""
    greek: tuple[str, ...]
    """The names of α to ω, in alphabetical order (24)."""
    capital: str
    """An upper-case Greek letter: ``{x}``."""
    of: str
    """Between a function and its argument in brackets: "f of x"."""
    brackets: tuple[tuple[str, str], ...]
    """How each bracket around a group of several terms is said, by its character:
    ``("[", "open square bracket")``; a language names round and square ones apart."""
    squared: str
    cubed: str
    power: str
    all_: str
    """Said before the power of a bracketed group: "a plus b, all squared"."""
    prime: str
    sub: str
    frac: str
    """A fraction of two single terms."""
    frac_long: str
    """Any other fraction (its end marked by a pause)."""
    sqrt: str
    cbrt: str
    root: str
    big: tuple[tuple[str, str], ...]
    """Sums, integrals, products: ``("∑", "the sum")``, the ``{op}`` of the next three."""
    big_from: str
    big_range: str
    """Limits written ``i=1`` to ``n``: ``{op}``, ``{var}``, ``{start}``, ``{high}``
    ("the sum from i equals 1 to n of", "la somme pour i allant de 1 à n de")."""
    big_over: str
    big_of: str
    limit: str
    hat: str
    bar: str
    vec: str
    dot: str
    tilde: str
    matrix: str
    """``{rows}``: the rows, each its cells."""
    contractions: tuple[tuple[str, str], ...] = ()
    """Words the grammar joins or inflects where one construct follows another, applied
    once, whole words: French ``("de le", "du")``, German ``("von der", "vom")`` (every
    construct starts in the nominative, so "von der Bruch" is a masculine one)."""


@dataclass(frozen=True, slots=True)
class StatementWords:
    """The accessibility statement readers see, under the headings of the W3C Accessibility
    Metadata Display Guide 2.0 (ways of reading, conformance, navigation, rich content,
    hazards, summary, legal, additional information)."""

    title: str
    ways: str
    conformance: str
    navigation: str
    rich: str
    hazards: str
    summary: str
    legal: str
    more: str
    modifiable: str
    """``displayTransformability``."""
    read_aloud: str
    """Text alone is sufficient: read aloud and braille work."""
    not_read_aloud: str
    synchronized: str
    """Pre-recorded narration synchronised with the text."""
    meets: str
    """A reviewed claim: ``{wcag}`` and ``{level}``."""
    certified: str
    """``{certifier}`` and ``{date}``."""
    credential: str
    """``{credential}``."""
    report: str
    """The link text to the review's report."""
    no_claim: str
    toc: str
    headings: str
    alt_text: str
    missing_alt: str
    no_images: str
    no_hazards: str
    hazard_list: str
    """``{hazards}``: the declared hazards."""
    exemption: str
    """``{reason}``, one of the three below."""
    microenterprise: str
    burden: str
    alteration: str
    no_legal: str
    contact: str
    """Before the contact address."""


@dataclass(frozen=True, slots=True)
class Words:
    """All the words of one language."""

    lang: str
    """The primary language subtag these words are in."""
    page: PageWords
    spoken: SpokenWords
    player: PlayerWords
    summary: SummaryWords
    math: MathWords
    statement: StatementWords


def _tables() -> dict[str, Words]:
    from pipeline.words import de, en, es, fr  # noqa: PLC0415 - the tables import this module

    return {table.WORDS.lang: table.WORDS for table in (en, fr, es, de)}


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-", maxsplit=1)[0].lower()


def has_table(lang: str) -> bool:
    """Whether a BCP 47 tag's language has words of its own here."""
    return _primary(lang) in TABLES


def words_for(lang: str) -> Words:
    """The words for a BCP 47 tag: its language's, or English when it has none."""
    return TABLES.get(_primary(lang), TABLES["en"])


def marked(lang: str) -> str:
    """``"en"`` when the words for ``lang`` fell back to English (to mark them), else ``""``."""
    return "" if has_table(lang) else "en"


def page_words(lang: str) -> tuple[str, PageWords]:
    """``("", words)`` in the book's language, or ``("en", English words)`` as a fallback."""
    return marked(lang), words_for(lang).page


TABLES: dict[str, Words] = _tables()
