"""Words the outputs add themselves follow the document's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.build import load
from pipeline.formats.html import page

BODY = (
    "Texte (Dupont, 2001).[^n]\n\n```\ncode\n```\n\n"
    "## Références\n\n1. Dupont, J. (2001). *Titre*.\n\n[^n]: Une note.\n"
)


def _page(lang: str, write_source: Callable[..., Path]) -> str:
    front = f"---\ntitle: Essai\nlang: {lang}\nauthor: Jeanne Dupont\npublisher: Éditions\n---\n"
    return page(load(write_source(front + BODY, f"{lang}.md")))


def test_a_french_page_speaks_french(write_source: Callable[..., Path]) -> None:
    html = _page("fr", write_source)
    for words in (
        "Table des matières",
        "Aller au contenu principal",
        'Par <span class="author">',
        "Publié par",
        "Cité\u00a0:",
        'aria-label="Note 1"',
        "Retour à la citation de Dupont, 2001, 1 sur 1",
        "Exemple de code",
    ):
        assert words in html, words
    for english in ("Contents", "Skip to main content", ">By ", "Cited:", "Back to"):
        assert english not in html, english


def test_a_language_without_labels_marks_the_english_words(
    write_source: Callable[..., Path],
) -> None:
    html = _page("ja", write_source)
    assert '<h2 id="contents" lang="en">Contents</h2>' in html
    assert 'lang="en">Skip to main content</a>' in html
    assert '<span lang="en">By</span>' in html
    assert '<span lang="en">Cited:</span>' in html
