"""The book's pronunciation lexicon as a PLS 1.0 document, for reading systems' own voices.

EPUB 3 lets a content document name a Pronunciation Lexicon (``<link
rel="pronunciation" type="application/pls+xml">``) that a reading system's
text-to-speech applies, as the narration here applies it. The lexicon shipped
is the one the narration used: the front matter's ``pronunciations`` merged with
``<stem>.pls`` beside the source, written afresh (aliases and phonemes, in a
fixed order) rather than copied, so the book gets exactly what was checked and
nothing the author's file might also hold.
"""

from __future__ import annotations

from pipeline import markup
from pipeline.document.lexicon import PLS, Lexicon

HREF = "lexicon.pls"
MEDIA_TYPE = "application/pls+xml"


def pls_document(lexicon: Lexicon, lang: str) -> bytes:
    """The PLS 1.0 file for ``lexicon``, in language ``lang``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<lexicon version="1.0" xmlns="{PLS}" alphabet="ipa" xml:lang="{markup.attr(lang)}">',
    ]
    for written, spoken in lexicon.entries:
        lines.append(
            f"  <lexeme><grapheme>{markup.text(written)}</grapheme>"
            f"<alias>{markup.text(spoken)}</alias></lexeme>"
        )
    for written, sounds, alphabet in lexicon.phonemes:
        lines.append(
            f"  <lexeme><grapheme>{markup.text(written)}</grapheme>"
            f'<phoneme alphabet="{markup.attr(alphabet)}">{markup.text(sounds)}</phoneme>'
            "</lexeme>"
        )
    lines.append("</lexicon>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def link(lang: str, href: str = HREF) -> str:
    """The ``<link>`` a content document names the lexicon with."""
    return (
        f'<link rel="pronunciation" type="{MEDIA_TYPE}" hreflang="{markup.attr(lang)}"'
        f' href="{markup.attr(href)}"/>\n'
    )
