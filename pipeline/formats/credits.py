"""Who made the book, by role, and its copyright page, in the book's language.

The front matter gives each contributor a MARC relator code (``aut``, ``edt``,
``trl``, ``ill``, ``nrt``, ``ctb``). The cover, the title page, the HTML banner
and the narration's opening all say the same credit lines from ``credits``:
"By A and B", "Illustrated by C", "Narrated by D", each line with the id the
narration voices it by (``ids.CREDIT_IDS``). The copyright page gathers
``rights``, ``date``, ``identifier`` and ``publisher``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document.frontmatter import valid_date
from pipeline.document.ids import CREDIT_IDS
from pipeline.document.model import Author, Metadata
from pipeline.markup import attr, attrs, text
from pipeline.words import PageWords, page_words


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit line: a role and the people who hold it, in the order written."""

    role: str
    """MARC relator code, or ``oth`` for every role without words of its own."""
    phrase: str
    """What comes before the names: "By", "Illustrated by", "Lu par"..."""
    names: tuple[str, ...]
    ident: str
    """The line's id on the title page (``doc-authors``, ``doc-illustrators``...)."""


def credits(authors: tuple[Author, ...], language: str) -> tuple[Credit, ...]:
    """The credit lines, one per role, in the order each role first appears."""
    words = page_words(language)[1]
    grouped: dict[str, list[str]] = {}
    for author in authors:
        role = author.role if author.role in CREDIT_IDS else "oth"
        grouped.setdefault(role, []).append(author.name)
    return tuple(
        Credit(role, words.role(role), tuple(names), CREDIT_IDS[role])
        for role, names in grouped.items()
    )


_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")


def lead_in(phrase: str, first_name: str, language: str) -> tuple[str, str]:
    """The phrase before the names and what separates them: a space, or nothing where French
    elides "de" before a vowel ("Sous la direction d’Ève", not "de Ève"). A mute h is not
    guessed: "de Hugo" stays as written."""
    french = language.lower().split("-")[0] == "fr"
    if french and phrase.endswith(" de") and first_name[:1].lower() in _VOWELS:
        return phrase[:-2] + "d\u2019", ""
    return phrase, " "


def join_names(names: list[str], words: PageWords, english: bool) -> str:
    """``A and B``, ``A, B, and C`` (the serial comma only in English)."""
    if len(names) <= 2:
        return f" {words.and_} ".join(names)
    comma = "," if english else ""
    return ", ".join(names[:-1]) + f"{comma} {words.and_} " + names[-1]


def _english(language: str, words_lang: str) -> bool:
    return words_lang == "en" or language.lower().startswith("en")


def credit_lines(metadata: Metadata) -> tuple[str, ...]:
    """The credit lines as plain text ("Illustrated by C"), as the cover shows them."""
    words_lang, words = page_words(metadata.lang)
    english = _english(metadata.lang, words_lang)
    lines = []
    for c in credits(metadata.authors, metadata.lang):
        phrase, space = lead_in(c.phrase, c.names[0], metadata.lang)
        lines.append(f"{phrase}{space}{join_names(list(c.names), words, english)}")
    return tuple(lines)


def byline(authors: tuple[Author, ...], language: str) -> str:
    """``<p class="byline" id="doc-authors">By <span class="author">A</span> …</p>``, a line
    per role, each with the id the narration voices it by."""
    words_lang, words = page_words(language)
    english = _english(language, words_lang)
    out: list[str] = []
    for credit in credits(authors, language):
        names = [f'<span class="author">{text(name)}</span>' for name in credit.names]
        said, space = lead_in(credit.phrase, credit.names[0], language)
        phrase = text(said)
        if words_lang:  # English words in a book of another language
            phrase = f"<span{attrs(lang=words_lang)}>{phrase}</span>"
        out.append(
            f'<p class="byline"{attrs(id=credit.ident)}>'
            f"{phrase}{space}{join_names(names, words, english)}</p>\n"
        )
    return "".join(out)


def has_copyright_page(metadata: Metadata) -> bool:
    """Whether the book says anything a copyright page would hold (the identifier, always
    there, is not enough on its own)."""
    return bool(metadata.rights or metadata.date or metadata.publisher)


def copyright_lines(metadata: Metadata) -> tuple[str, ...]:
    """The copyright page's lines as markup: rights, publisher, date and identifier (a real
    date is a ``<time>``; any other is shown as written, and ``lint`` warned of it: F012)."""
    words_lang, words = page_words(metadata.lang)

    def marked(phrase: str) -> str:
        return f"<span{attrs(lang=words_lang)}>{phrase}</span>" if words_lang else phrase

    lines = [text(metadata.rights)] if metadata.rights else []
    if metadata.publisher:
        lines.append(marked(text(words.published_by).format(publisher=text(metadata.publisher))))
    if metadata.date:
        shown = text(metadata.date)
        if valid_date(metadata.date):
            shown = f'<time datetime="{attr(metadata.date)}">{shown}</time>'
        lines.append(marked(text(words.publication_date).format(date=shown)))
    if metadata.identifier:
        lines.append(marked(text(words.identifier).format(identifier=text(metadata.identifier))))
    return tuple(lines)
