"""The accessible HTML page: one self-contained file a screen-reader user can navigate.

The body comes from the shared ``Renderer`` (the EPUB uses the same one); this
module adds the page around it: landmarks (banner, navigation, main,
contentinfo), a skip link, a named table of contents, the byline, the inlined
stylesheet and a Content-Security-Policy that allows no script of its own. Images
are embedded as ``data:`` URIs read from inside the source's folder, so the
page makes no request and works offline with JavaScript off. Built with the
audio, it also offers the narration (``listen``): the only script it may run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline import outputs
from pipeline.context import Context, Picture, Written
from pipeline.document.inputs import read_images
from pipeline.document.model import (
    Document,
    Image,
    Inline,
    Math,
    Section,
    inline_children,
    plain_text,
)
from pipeline.formats import codelines, rich, statement, tables
from pipeline.formats.a11y_metadata import AccessibilityMetadata
from pipeline.formats.a11y_metadata import compute as compute_a11y
from pipeline.formats.credits import byline, copyright_lines, has_copyright_page
from pipeline.formats.listen import Listen, digest, player, scripts
from pipeline.formats.listen import script as listen_script
from pipeline.formats.listen import stylesheet as listen_stylesheet
from pipeline.formats.render import ImageSrc, Renderer, lang
from pipeline.formats.typography import heading_text
from pipeline.markup import attr, attrs, text
from pipeline.words import page_words, words_for

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


@cache
def stylesheet() -> str:
    """The page's CSS (``html.css`` beside this module, then the code lines' and the
    stacking tables' rules)."""
    sheet = resources.files(__package__).joinpath("html.css").read_text(encoding="utf-8")
    return sheet + codelines.CSS + tables.CSS


def csp(css: str, script: str = "") -> str:
    """A policy allowing only this page's own stylesheet and embedded images.

    No script, unless the page has the listen-along player: then only that
    script, by its hash, and media (the MP3 and its tracks) from the page's origin.
    """
    style_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    scripting = f"script-src {digest(script)}; media-src 'self'; " if script else ""
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{style_hash}'; "
        f"{scripting}"
        "img-src data:; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def embed_image(images: Mapping[str, Picture]) -> ImageSrc:
    """An ``image_src`` for the renderer: the checked image as a ``data:`` URI, or None."""

    def src(image: Image) -> str | None:
        picture = images.get(image.src)
        if picture is None:
            return None
        data = base64.b64encode(picture.data).decode("ascii")
        return f"data:{picture.media_type};base64,{data}"

    return src


def _title_markup(inlines: tuple[Inline, ...], lang: str) -> str:
    """A heading's text for the contents, each formula as MathML (as the heading shows it;
    never its LaTeX), set as the heading is (``typography``), without the links, notes or
    styling of the heading."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Math):
            out.append(rich.formula(node.tex))
        elif children := inline_children(node):
            out.append(_title_markup(children, lang))
        else:
            out.append(text(heading_text(plain_text((node,)), lang)))
    return "".join(out)


def _toc_items(renderer: Renderer, sections: tuple[Section, ...]) -> str:
    out: list[str] = []
    for section in sections:
        if section.implicit:
            out.append(_toc_items(renderer, section.subsections))
            continue
        nested = _toc_items(renderer, section.subsections)
        sub = f"\n<ol>\n{nested}</ol>\n" if nested else ""
        # Text and formulas: a note reference or link in a heading must not be repeated here.
        # (ASCII white space only: the no-break spaces typography set stay.)
        title = _title_markup(section.title, renderer.document.metadata.lang)
        title = re.sub(r"[ \t\r\n]+", " ", title).strip()
        link = attrs(href=renderer.href(section.id), lang=lang(section.lang))
        out.append(f"<li><a{link}>{title}</a>{sub}</li>\n" if section.id else "")
    return "".join(out)


def page(
    document: Document,
    listen: Listen | None = None,
    images: Mapping[str, Picture] | None = None,
    a11y: AccessibilityMetadata | None = None,
) -> str:
    """The whole page as text (deterministic: same document, same bytes).

    With ``listen``, the banner holds the listen-along player (see ``listen``). ``images`` are
    the build's checked inputs; without them (a document built in code) the images that pass
    the checks are read here, and the others are left out. ``a11y`` is the page's
    accessibility metadata when the caller has it already (the writer also writes it as the
    statement page); else it is computed here.
    """
    if images is None:
        images = read_images(document)[0]
    renderer = Renderer(document, image_src=embed_image(images))
    meta = document.metadata
    css = stylesheet() + (listen_stylesheet() if listen else "")
    script = listen_script() if listen else ""
    main_id = renderer.claim("main")
    toc_id = renderer.claim("contents")
    title = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")

    head = [
        "<!DOCTYPE html>\n",
        f'<html lang="{attr(meta.lang)}">\n<head>\n',
        '<meta charset="utf-8" />\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n',
        f'<meta http-equiv="Content-Security-Policy" content="{attr(csp(css, script))}" />\n',
        f"<title>{text(title)}</title>\n",
    ]
    if meta.description:
        head.append(f'<meta name="description" content="{attr(meta.description)}" />\n')
    for author in meta.authors:
        head.append(f'<meta name="author" content="{attr(author.name)}" />\n')
    if meta.keywords:
        head.append(f'<meta name="keywords" content="{attr(", ".join(meta.keywords))}" />\n')
    head.append('<meta name="color-scheme" content="light dark" />\n')
    head.append(f"<style>{css}</style>\n</head>\n")

    # The title page's ids are the ones the narration voices it by.
    header = [
        '<header class="masthead">\n',
        f'<h1 id="doc-title">{text(heading_text(meta.title, meta.lang))}</h1>\n',
    ]
    if meta.subtitle:
        header.append(
            f'<p class="subtitle" id="doc-subtitle">'
            f"{text(heading_text(meta.subtitle, meta.lang))}</p>\n"
        )
    header.append(byline(meta.authors, meta.lang))
    header.append(_publication(document))
    if listen:
        header.append(player(listen, document))
    header.append("</header>\n")

    toc = _toc_items(renderer, document.sections)
    notes = renderer.footnotes()
    if notes:
        toc += (
            f"<li><a{attrs(href=renderer.href(renderer.notes_id), lang=renderer.words_lang)}>"
            f"{text(renderer.words.notes)}</a></li>\n"
        )
    # The accessibility statement, last in the contents (issue 19: readers find it there).
    a11y_id = renderer.claim("accessibility")
    if a11y is None:
        a11y = compute_a11y(document, narrated=listen is not None)
    claims = statement.section(a11y, meta.lang, a11y_id, 2, renderer.claim)
    toc += (
        f"<li><a{attrs(href='#' + a11y_id, lang=renderer.words_lang)}>"
        f"{text(words_for(meta.lang).statement.title)}</a></li>\n"
    )
    nav = (
        f'<nav class="toc"{attrs(aria_labelledby=toc_id)}>\n'
        f"<h2{attrs(id=toc_id, lang=renderer.words_lang)}>{text(renderer.words.contents)}"
        f"</h2>\n<ol>\n{toc}</ol>\n</nav>\n"
    )

    body = [
        "<body>\n",
        f'<a class="skip-link"{attrs(href="#" + main_id, lang=renderer.words_lang)}>'
        f"{text(renderer.words.skip)}</a>\n",
        *header,
        nav,
        f"<main{attrs(id=main_id)}>\n",
        *(renderer.section(section) for section in document.sections),
        notes,
        claims,
        "</main>\n",
        _footer(document),
        scripts(listen, document, renderer.heading_ids) if listen else "",
        "</body>\n</html>\n",
    ]
    return "".join(head + body)


def _publication(document: Document) -> str:
    meta = document.metadata
    words_lang, words = page_words(meta.lang)
    parts: list[str] = []
    if meta.publisher:
        phrase = (
            text(words.published_by)
            .rstrip(".")
            .format(publisher=f'<span class="publisher">{text(meta.publisher)}</span>')
        )
        parts.append(f"<span{attrs(lang=words_lang)}>{phrase}</span>" if words_lang else phrase)
    if meta.date:
        shown = text(meta.date)
        parts.append(
            f'<time datetime="{attr(meta.date)}">{shown}</time>'
            if _ISO_DATE.match(meta.date)
            else shown
        )
    ident = attrs(id="doc-publisher") if meta.publisher else ""
    return f'<p class="publication"{ident}>{", ".join(parts)}</p>\n' if parts else ""


def _footer(document: Document) -> str:
    """The page's contentinfo: its copyright page (rights, publisher, date, identifier)."""
    meta = document.metadata
    lines = list(copyright_lines(meta)) if has_copyright_page(meta) else [text(meta.title)]
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    return f"<footer>\n{body}</footer>\n"


@dataclass(frozen=True)
class HtmlWriter:
    """One accessible, self-contained HTML page; with a listen-along player beside audio."""

    name: str = "html"
    description: str = "an accessible, self-contained HTML page (<stem>.html)"
    uses: tuple[str, ...] = ("audio",)
    """Its recording, when audio is built in the same run, gives the page its player."""

    def write(self, context: Context) -> Written:
        stem, recording = context.stem, context.recording
        listen = None
        if recording is not None:
            listen = Listen(
                recording.mp3.name, f"{stem}.vtt", f"{stem}.chapters.vtt", recording.timings
            )
        path = context.out_dir / f"{stem}.html"
        meta = context.document.metadata
        a11y = compute_a11y(context.document, narrated=recording is not None)
        text = page(context.document, listen, context.inputs.images, a11y)
        alone = statement.page(a11y, meta.lang, meta.title)
        return Written(
            (
                outputs.write_text(path, text),
                outputs.write_text(context.out_dir / f"{stem}.accessibility.html", alone),
            )
        )
