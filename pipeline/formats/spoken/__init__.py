"""Written text to text a speech engine reads correctly, per language.

Speech engines read plain digits and words well, but not what print conventions leave
implicit: ``$4.75``, ``p < .001``, ``12/04/2017``, ``Henry VIII``, ``3.er``, ``St. Luke's``,
an en dash range, a URL, a DOI. ``normalise`` rewrites the author's text the way a person
reads it aloud, with one module of rules per language (``en``, ``fr``, ``es``, ``de``,
in ``reading`` order); ``split_sentences`` finds where sentences end. Citations are said
the way a person reading aloud would ("Bach and colleagues, 2017"). The words said
around the author's text come from the catalogue, ``pipeline.words``.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote, urlsplit

from pipeline import words as catalogue
from pipeline.document.model import CiteItem, Locator
from pipeline.formats.spoken import de, en, es, fr, reading, sentences
from pipeline.formats.spoken.language import Rules
from pipeline.words import SpokenWords as Words

#: Each language's reading rules (abbreviations, numbers, units, symbols), by primary subtag.
_RULES: dict[str, Rules] = {"en": en.RULES, "fr": fr.RULES, "es": es.RULES, "de": de.RULES}


def words_for(lang: str) -> Words:
    """The narration's words for a BCP 47 tag (English when the language has no table)."""
    return catalogue.words_for(lang).spoken


_DOI_OR_URL = re.compile(
    r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;])"
    r"|\b(?:https?://|www\.)[^\s<>()\"]+[^\s<>()\".,;:!?]",
    re.I,
)
_SPACED_DIGITS = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}\b)")
_LONG_DIGITS = re.compile(r"\d{5,}")


def _spell_digits(match: re.Match[str]) -> str:
    return " ".join(match.group())


def say_doi(doi: str, words: Words) -> str:
    """``10.1177/105756770832`` → ``D O I 10.1177 slash 1 0 5 7 ...``: long digit runs one by
    one, every slash said, as a listener must type the DOI to find the work."""
    prefix, _, suffix = doi.partition("/")
    said = {"/": f" {words.slash} ", ".": f" {words.dot} "}
    suffix = re.sub(r"[/._-]", lambda m: said.get(m.group(), " "), suffix)
    suffix = _LONG_DIGITS.sub(_spell_digits, suffix)
    return f"{words.doi} {prefix} {words.slash} {suffix}".strip()


def say_url(url: str, words: Words, *, with_word: bool = True) -> str:
    """A URL reduced to its domain (``www.`` dropped): a listener can find the rest."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or url).removeprefix("www.")
    return f"{words.link} {host}" if with_word else host


_DOI = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\d{4,9}/\S+)", re.I)


def say_link(href: str, words: Words) -> str:
    """A link whose text is its own address: a DOI in full, an e-mail address as
    written, a web address by its domain."""
    if found := _DOI.fullmatch(href.strip()):
        return say_doi(unquote(found.group("doi")), words)
    if href.lower().startswith("mailto:"):
        return href[len("mailto:") :]
    return say_url(href, words, with_word=False)


def rules_for(lang: str) -> Rules:
    """The reading rules for a BCP 47 tag; ``en-US`` reads dates month first."""
    tag = lang.replace("_", "-").lower()
    primary = tag.split("-", maxsplit=1)[0]
    if tag in {"en-us", "en-ph", "en-ca"}:
        return en.RULES_US
    return _RULES.get(primary, en.RULES)


def has_rules(lang: str) -> bool:
    """Whether the language has reading rules of its own (others are read with English's)."""
    return lang.replace("_", "-").split("-", maxsplit=1)[0].lower() in _RULES


def tidy_punctuation(text: str) -> str:
    """No stutter reaches the engine: ``..``, ``?.``, ``:;``, ``,.`` become one mark."""
    return reading.tidy_punctuation(text)


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of text already normalised (each becomes one utterance)."""
    return sentences.split(text, rules_for(lang), lang)


def speak(text: str, lang: str) -> list[str]:
    """Written text to the sentences a speech engine is given: the whole reading path."""
    return split_sentences(normalise(text, lang), lang)


#: One sentence that takes every reading rule's library: numbers and ordinals (num2words),
#: currency and unit names (Babel), roman numerals (roman), sentence ends (sentencex).
_WARM_UP = (
    "On 12/04/2017 at 07:00, Dr. K. Mensah paid $4.75 for 3.5 kg in the 21st century (vol. II)."
)


@cache
def warm(lang: str) -> None:
    """Read one sample sentence in ``lang``, once per process: a resident ``publish watch``
    imports the reading rules' libraries (about 0.5 s) before the first edit, not after it,
    without narrating a whole book to do so."""
    speak(_WARM_UP, lang)


def say_years(text: str, lang: str) -> str:
    """Years in words where the engine would read them as quantities (``1999`` in English)."""
    return reading.years(text, rules_for(lang))


def normalise(text: str, lang: str) -> str:
    """Rewrite the author's text the way a person reads it aloud in ``lang``."""
    words = words_for(lang)
    rules = rules_for(lang)
    # DOIs and URLs are said first and kept out of the other rules (their digits are codes)
    pieces: list[str] = []
    at = 0
    for found in _DOI_OR_URL.finditer(text):
        pieces.append(reading.read(_SPACED_DIGITS.sub("", text[at : found.start()]), rules, lang))
        doi = found.group("doi")
        pieces.append(say_doi(doi, words) if doi else say_url(found.group(), words))
        at = found.end()
    pieces.append(reading.read(_SPACED_DIGITS.sub("", text[at:]), rules, lang))
    text = "".join(pieces)
    text = re.sub(r"\s*&\s*", f" {rules.and_} ", text)
    text = re.sub(r"\s*[—]\s*", ", ", text)  # an em dash is a pause, not a word
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


_NO_DATE = re.compile(r"(?:n\.\s?d\.|s\.\s?f\.|s\.\s?d\.|o\.\s?J\.|n\.\s?p\.)")


def say_year(year: str, words: Words) -> str:
    """``n.d.`` → ``no date``; ``2017a`` → ``2017 a``; ``in press`` as is."""
    if found := _NO_DATE.match(year):  # n.d., s. f., s. d., o. J., n.p.
        rest = year[found.end() :].lstrip("-")
        return words.no_date + (f" {rest}" if rest else "")
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
    said = [say_year(item.year, words)] if item.year else []  # MLA (Smith 45): no year
    if item.locator:
        said.append(say_locator(item.locator, words))
    if narrative:
        return ", ".join([names, *said]) + ","
    return ", ".join([names, *said])
