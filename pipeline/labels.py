"""The few words the outputs add themselves (contents, notes, link names), by language.

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
           "published_by": "Published by {publisher}.",
           "skip": "Skip to main content", "code": "Code example", "table": "Table {n}",
           "cited": "Cited:", "back_to_cite": "Back to where {work} is cited, {n} of {total}",
           "note": "Note {n}", "back_to_note": "Back to note {n} in the text",
           "back_to_note_ref": "Back to reference {k} of note {n} in the text",
           "aut": "By", "edt": "Edited by", "trl": "Translated by", "ill": "Illustrated by",
           "nrt": "Narrated by", "ctb": "With contributions by", "with": "With"},
    "fr": {"contents": "Table des matières", "landmarks": "Repères", "cover": "Couverture",
           "notes": "Notes", "start": "Début du texte",
           "cover_of": "Couverture de {title}", "by": "par {names}", "and": "et",
           "published_by": "Publié par {publisher}.",
           "skip": "Aller au contenu principal", "code": "Exemple de code",
           "table": "Tableau {n}", "cited": "Cité\u00a0:",
           "back_to_cite": "Retour à la citation de {work}, {n} sur {total}",
           "note": "Note {n}", "back_to_note": "Retour à l’appel de la note {n}",
           "back_to_note_ref": "Retour à l’appel {k} de la note {n}",
           "aut": "Par", "edt": "Sous la direction de", "trl": "Traduit par",
           "ill": "Illustré par", "nrt": "Lu par", "ctb": "Avec des contributions de",
           "with": "Avec"},
    "de": {"contents": "Inhalt", "landmarks": "Orientierungspunkte", "cover": "Umschlag",
           "notes": "Anmerkungen", "start": "Textbeginn",
           "cover_of": "Umschlag von {title}", "by": "von {names}", "and": "und",
           "published_by": "Verlag: {publisher}.",
           "skip": "Zum Hauptinhalt springen", "code": "Codebeispiel", "table": "Tabelle {n}",
           "cited": "Zitiert:",
           "back_to_cite": "Zurück zur Stelle, an der {work} zitiert wird, {n} von {total}",
           "note": "Anmerkung {n}", "back_to_note": "Zurück zu Anmerkung {n} im Text",
           "back_to_note_ref": "Zurück zu Verweis {k} auf Anmerkung {n} im Text",
           "aut": "Von", "edt": "Herausgegeben von", "trl": "Übersetzt von",
           "ill": "Illustriert von", "nrt": "Gelesen von", "ctb": "Mit Beiträgen von",
           "with": "Mit"},
    "es": {"contents": "Índice", "landmarks": "Puntos de referencia", "cover": "Cubierta",
           "notes": "Notas", "start": "Comienzo del texto",
           "cover_of": "Cubierta de {title}", "by": "de {names}", "and": "y",
           "published_by": "Publicado por {publisher}.",
           "skip": "Saltar al contenido principal", "code": "Ejemplo de código",
           "table": "Tabla {n}", "cited": "Citado:",
           "back_to_cite": "Volver a donde se cita {work}, {n} de {total}",
           "note": "Nota {n}", "back_to_note": "Volver a la nota {n} en el texto",
           "back_to_note_ref": "Volver a la referencia {k} de la nota {n} en el texto",
           "aut": "Por", "edt": "Edición de", "trl": "Traducción de",
           "ill": "Ilustraciones de", "nrt": "Narrado por", "ctb": "Con contribuciones de",
           "with": "Con"},
}  # fmt: skip


def labels(lang: str) -> tuple[str, dict[str, str]]:
    """``("", words)`` in the book's language, or ``("en", English words)`` as a fallback."""
    primary = lang.split("-", maxsplit=1)[0].lower()
    if primary in LABELS:
        return "", LABELS[primary]
    return ("" if primary == "en" else "en"), LABELS["en"]
