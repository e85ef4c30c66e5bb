"""Written text to text a speech engine reads correctly, per language.

Speech engines read digits, "8,524" and "21 million" well (espeak-ng says
"eight thousand five hundred twenty-four"), but not what print conventions
leave implicit: an en dash range is read as two numbers, "e.g." letter by
letter, a URL character by character and a DOI as one enormous number. This
module rewrites those, and speaks citations the way a person reading aloud
would ("Bach and colleagues, 2017"). Only English and French have abbreviation
tables so far; other languages get the language-neutral rules. The words said
around the author's text come from the catalogue, ``pipeline.words``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pipeline import words as catalogue
from pipeline.document.model import CiteItem, Locator
from pipeline.words import SpokenWords as Words

#: Abbreviations the author wrote, (written, spoken) pairs matched as whole words and
#: case-sensitive, by primary language subtag. The words the narration adds around the
#: author's text (figure, note, "and colleagues"...) are in ``pipeline.words``.
ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("e.g.", "for example"),
        ("E.g.", "For example"),
        ("i.e.", "that is"),
        ("I.e.", "That is"),
        ("cf.", "compare"),
        ("Cf.", "Compare"),
        ("vs.", "versus"),
        ("etc.", "et cetera"),
        ("et al.", "and colleagues"),
        ("n.d.", "no date"),
        ("approx.", "approximately"),
        ("Dr.", "Doctor"),
        ("Prof.", "Professor"),
        ("Mr.", "Mister"),
        ("Mrs.", "Missus"),
        ("Fig.", "Figure"),
        ("fig.", "figure"),
        ("Figs.", "Figures"),
        ("Tab.", "Table"),
        ("Eq.", "Equation"),
        ("Vol.", "Volume"),
        ("vol.", "volume"),
        ("Ed.", "Editor"),
        ("Eds.", "Editors"),
        ("ed.", "edition"),
        ("chap.", "chapter"),
        ("Ch.", "Chapter"),
        ("sec.", "section"),
        ("pp.", "pages"),
        ("p.", "page"),
        ("No.", "number"),
        ("no.", "number"),
        ("Jan.", "January"),
        ("Feb.", "February"),
        ("Aug.", "August"),
        ("Sept.", "September"),
        ("Sep.", "September"),
        ("Oct.", "October"),
        ("Nov.", "November"),
        ("Dec.", "December"),
    ),
    "fr": (
        ("p. ex.", "par exemple"),
        ("P. ex.", "Par exemple"),
        ("c.-à-d.", "c'est-à-dire"),
        ("C.-à-d.", "C'est-à-dire"),
        ("cf.", "voir"),
        ("Cf.", "Voir"),
        ("etc.", "et cetera"),
        ("et al.", "et collaborateurs"),
        ("n.d.", "sans date"),
        ("s.d.", "sans date"),
        ("env.", "environ"),
        ("M.", "Monsieur"),
        ("MM.", "Messieurs"),
        ("Mme", "Madame"),
        ("Mmes", "Mesdames"),
        ("Mlle", "Mademoiselle"),
        ("Dr", "Docteur"),
        ("Pr", "Professeur"),
        ("fig.", "figure"),
        ("Fig.", "Figure"),
        ("tabl.", "tableau"),
        ("vol.", "volume"),
        ("chap.", "chapitre"),
        ("éd.", "édition"),
        ("pp.", "pages"),
        ("p.", "page"),
        ("n°", "numéro"),
        ("nº", "numéro"),
        ("janv.", "janvier"),
        ("févr.", "février"),
        ("oct.", "octobre"),
        ("nov.", "novembre"),
        ("déc.", "décembre"),
    ),
}


def words_for(lang: str) -> Words:
    """The narration's words for a BCP 47 tag (English when the language has no table)."""
    return catalogue.words_for(lang).spoken


# Abbreviations after which a sentence may end: they keep a full stop there.
_MAY_END = ("etc.", "et al.", "n.d.", "s.d.")

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"]+[^\s<>()\".,;:!?]", re.I)
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;])")
_RANGE = re.compile(r"(?<![\d.,])(\d[\d,.]*)\s*[–—]\s*(\d[\d,.]*)(?![\d])")
_HYPHEN_YEARS = re.compile(r"\b(1[5-9]\d\d|20\d\d)-(\d{2}|\d{4})\b")
_PERCENT = re.compile(r"(\d)\s?%")
_SPACED_DIGITS = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}\b)")
_LONG_DIGITS = re.compile(r"\d{5,}")


def _spell_digits(match: re.Match[str]) -> str:
    return " ".join(match.group())


def say_doi(doi: str, words: Words) -> str:
    """``10.1177/105756770832`` → ``D O I 10.1177 slash 1 0 5 7 ...``: digits one by one."""
    prefix, _, suffix = doi.partition("/")
    said = {"/": f" {words.slash} ", ".": f" {words.dot} "}
    suffix = re.sub(r"[/._-]", lambda m: said.get(m.group(), " "), suffix)
    return f"{words.doi} {prefix}, {_LONG_DIGITS.sub(_spell_digits, suffix)}".strip()


def say_url(url: str, words: Words, *, with_word: bool = True) -> str:
    """A URL reduced to its domain (``www.`` dropped): a listener can find the rest."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or url).removeprefix("www.")
    return f"{words.link} {host}" if with_word else host


def _abbreviations(lang: str) -> tuple[tuple[str, str], ...]:
    """The language's abbreviations; English ones for a language without a word table."""
    primary = lang.split("-", maxsplit=1)[0].lower()
    return ABBREVIATIONS.get(primary, () if catalogue.has_table(lang) else ABBREVIATIONS["en"])


def _expand_abbreviations(text: str, lang: str) -> str:
    for written, spoken in sorted(_abbreviations(lang), key=lambda p: -len(p[0])):
        # "p." and "pp." only before a number: elsewhere they may be initials.
        needs_number = written in {"p.", "pp.", "No.", "no.", "n°", "nº"}
        left = r"(?<![\w.])"
        right = r"(?=\s*\d)" if needs_number else r"(?![\w])"
        pattern = re.compile(left + re.escape(written) + right)

        def replace(match: re.Match[str], spoken: str = spoken, written: str = written) -> str:
            tail = match.string[match.end() :]
            ends = written in _MAY_END and (not tail.strip() or re.match(r"\s+[A-ZÀ-Ý]", tail))
            return spoken + ("." if ends else "")

        text = pattern.sub(replace, text)
    return text


def normalise(text: str, lang: str) -> str:
    """Rewrite running text for a speech engine: URLs, DOIs, ranges, symbols, abbreviations."""
    words = words_for(lang)
    text = _DOI.sub(lambda m: say_doi(m.group(1), words), text)
    text = _URL.sub(lambda m: say_url(m.group(), words), text)
    text = _SPACED_DIGITS.sub(" ", text)
    text = _HYPHEN_YEARS.sub(lambda m: f"{m.group(1)} {words.to} {m.group(2)}", text)
    text = _RANGE.sub(lambda m: f"{m.group(1)} {words.to} {m.group(2)}", text)
    text = _PERCENT.sub(lambda m: f"{m.group(1)} {words.percent}", text)
    text = _expand_abbreviations(text, lang)
    text = re.sub(r"\s*&\s*", f" {words.and_} ", text)
    text = re.sub(r"\s*[—]\s*", ", ", text)  # an em dash is a pause, not a word
    text = re.sub(r"(?<=\w)/(?=\w)", " ", text)  # "and/or" → "and or"
    text = re.sub(r"[“”«»„\"]", "", text)
    text = re.sub(r"[*_`#]+", " ", text)  # stray Markdown punctuation, never words
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + " ".join(text.split()) + trail if text.strip() else text[:1]


def join_names(names: list[str], words: Words) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {words.and_} {names[-1]}"


def say_year(year: str, words: Words) -> str:
    """``n.d.`` → ``no date``; ``2017a`` → ``2017 a``; ``in press`` as is."""
    if year.startswith("n.d.") or year.startswith("s.d."):
        return words.no_date + (" " + year[5:] if len(year) > 5 else "")
    found = re.fullmatch(r"(\d{4})([a-z])", year)
    return f"{found.group(1)} {found.group(2)}" if found else year


def say_locator(locator: Locator, words: Words) -> str:
    """``pp. 14–19`` → ``pages 14 to 19``; ``p. 4`` → ``page 4``."""
    singular, plural = words.locators.get(locator.label)
    is_range = bool(re.search(r"[–—-]", locator.value))
    value = re.sub(r"\s*[–—-]\s*", f" {words.to} ", locator.value)
    return f"{plural if is_range else singular} {value}"


def say_cite_item(item: CiteItem, words: Words, *, narrative: bool = False) -> str:
    """One cited work as a person reads it: ``Bach and colleagues, 2017, pages 14 to 19``."""
    authors = [a.rstrip(".") for a in item.authors]  # "Anon." is said, not punctuated
    names = join_names(authors, words)
    if item.et_al:
        names = f"{authors[0]} {words.colleagues}" if authors else words.colleagues
    year = say_year(item.year, words)
    locator = f", {say_locator(item.locator, words)}" if item.locator else ""
    if narrative:
        return f"{names}, {year}{locator},"
    return f"{names}, {year}{locator}"
