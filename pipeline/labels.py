"""The few words a book adds itself (contents, cover, notes), by language.

Known languages get their own words; any other falls back to English, and the
caller marks those words with ``lang="en"`` so screen readers pronounce them
correctly inside a book in another language.
"""

from __future__ import annotations

#: Words by primary language subtag.
LABELS: dict[str, dict[str, str]] = {
    "en": {"contents": "Contents", "landmarks": "Landmarks", "cover": "Cover",
           "notes": "Notes", "start": "Start of the text",
           "cover_of": "Cover of {title}", "by": "by {names}", "and": "and",
           "published_by": "Published by {publisher}."},
    "fr": {"contents": "Table des matières", "landmarks": "Repères", "cover": "Couverture",
           "notes": "Notes", "start": "Début du texte",
           "cover_of": "Couverture de {title}", "by": "par {names}", "and": "et",
           "published_by": "Publié par {publisher}."},
    "de": {"contents": "Inhalt", "landmarks": "Orientierungspunkte", "cover": "Umschlag",
           "notes": "Anmerkungen", "start": "Textbeginn",
           "cover_of": "Umschlag von {title}", "by": "von {names}", "and": "und",
           "published_by": "Verlag: {publisher}."},
    "es": {"contents": "Índice", "landmarks": "Puntos de referencia", "cover": "Cubierta",
           "notes": "Notas", "start": "Comienzo del texto",
           "cover_of": "Cubierta de {title}", "by": "de {names}", "and": "y",
           "published_by": "Publicado por {publisher}."},
}  # fmt: skip


def labels(lang: str) -> tuple[str, dict[str, str]]:
    """``("", words)`` in the book's language, or ``("en", English words)`` as a fallback."""
    primary = lang.split("-", maxsplit=1)[0].lower()
    if primary in LABELS:
        return "", LABELS[primary]
    return ("" if primary == "en" else "en"), LABELS["en"]
