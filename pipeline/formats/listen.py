"""The listen-along player for the HTML page: markup, data and the script's CSP hash.

Progressive enhancement: the page gains a native ``<audio controls>`` (the
MP3 beside the page, with caption and chapter tracks) and a link to each
file, which work without JavaScript. ``listen.js`` then adds "listen from
here" buttons and highlights the element being read, from the segments in
a JSON data block (never executed, so the CSP need not allow it). The script
is inline and allowed by its SHA-256 hash: no ``'unsafe-inline'``, and the
page still loads nothing but the audio and its tracks.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline import words as catalogue
from pipeline.document.model import Document
from pipeline.formats.render import lang
from pipeline.formats.sync import Timings, segments
from pipeline.markup import attr, attrs, text
from pipeline.words import words_for


@dataclass(frozen=True, slots=True)
class Listen:
    """What the page needs to offer the narration: its files and timings."""

    audio: str
    """The MP3's file name, beside the page."""
    captions: str
    chapters: str
    timings: Timings


@cache
def script() -> str:
    """``listen.js`` beside this module."""
    return resources.files(__package__).joinpath("listen.js").read_text(encoding="utf-8")


@cache
def stylesheet() -> str:
    """``listen.css``: the player and the highlight, light and dark."""
    return resources.files(__package__).joinpath("listen.css").read_text(encoding="utf-8")


def digest(source: str) -> str:
    """A CSP hash source for an inline script or style."""
    value = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{value}'"


def data(listen: Listen, document: Document, heading_ids: dict[str, str]) -> str:
    """The segments as JSON for the script, safe inside ``<script>`` (no ``</``)."""
    found = segments(listen.timings, document, heading_ids)
    words = words_for(document.metadata.lang).player
    payload = {
        "segments": [[s.begin, s.end, s.target] for s in found],
        # the script's own words, in the page's language (the script itself is fixed,
        # so its CSP hash does not change with the language)
        "words": {
            "lang": catalogue.marked(document.metadata.lang),
            "follow": words.follow,
            "listenHere": words.listen_here,
            "listenHereTo": words.listen_here_to,
        },
    }
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("</", "<\\/")


def read_by(listen: Listen, sentence: str) -> str:
    """The narrator credit in the page's language: ``sentence`` names the engine and the
    voice (``Read by a synthetic voice: {engine} {voice}.``)."""
    from pipeline.audio.speech import ENGINE_NAMES, voice_name  # noqa: PLC0415 - audio only

    engine = listen.timings.engine
    return sentence.format(
        engine=ENGINE_NAMES.get(engine, engine), voice=voice_name(listen.timings.voice)
    )


def player(listen: Listen, document: Document) -> str:
    """The player markup (placed inside the banner); works without script.

    Its words follow the document's language; marked ``lang="en"`` when that
    language has no word table.
    """
    language = lang(document.metadata.lang)
    words = words_for(document.metadata.lang).player
    marked = attrs(lang=catalogue.marked(document.metadata.lang))
    return (
        f'<div class="listen" id="listen"{marked}>\n'
        '<audio id="listen-audio" controls="" preload="metadata"'
        f"{attrs(aria_label=words.audio)}>\n"
        f'<source src="{attr(listen.audio)}" type="audio/mpeg" />\n'
        f'<track kind="captions"{attrs(src=listen.captions, srclang=language)}'
        f'{attrs(label=words.captions)} default="" />\n'
        f'<track kind="chapters"{attrs(src=listen.chapters, srclang=language)}'
        f"{attrs(label=words.chapters)} />\n"
        f'<a href="{attr(listen.audio)}">{text(words.download)}</a>\n'
        "</audio>\n"
        f'<p class="listen-links">{text(words.narration)} <a href="{attr(listen.audio)}">MP3</a>,'
        f' <a href="{attr(listen.captions)}">{text(words.captions_link)}</a></p>\n'
        f'<p class="listen-credit">{text(read_by(listen, words.read_by))}</p>\n'
        "</div>\n"
    )


def scripts(listen: Listen, document: Document, heading_ids: dict[str, str]) -> str:
    """The data block and the script, for the end of ``<body>`` (the text is parsed by then)."""
    return (
        '<script type="application/json" id="listen-data">'
        f"{data(listen, document, heading_ids)}</script>\n"
        f"<script>{script()}</script>\n"
    )
