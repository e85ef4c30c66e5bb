"""Links the author did not mark up: bare web addresses, e-mail addresses and DOIs.

markdown-it-py finds them with linkify-it-py (the maintained port of the library
markdown-it uses), told here about ``doi:10.xxxx/...``, which becomes a link to
``https://doi.org/``. linkify-it also guesses links from bare domain names; a
manuscript is full of names that look like one (``x.py``, ``notes.md``: Paraguay and
Moldova), so a guessed link stands only when it starts with ``www.``.

A relative link points to a file beside the manuscript. When the publication holds
that file (an image the text shows), the link goes to where the image is shown, in
the page and in the EPUB (a reading system cannot open an image as a page: EPUBCheck
refuses a hyperlink to a resource outside the spine). Any other file is not part of
the publication: it is reported (L001), and the EPUB shows the link's text without it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Protocol

from markdown_it import MarkdownIt

from pipeline.diagnostics import diagnostic
from pipeline.document import urls
from pipeline.document.ids import TITLE_PAGE_IDS
from pipeline.document.model import (
    Document,
    Image,
    Inline,
    Link,
    block_inlines,
    element_ids,
    inline_children,
    per_document,
    walk_blocks,
    walk_inlines,
    walk_sections,
)

DOI_RESOLVER = "https://doi.org/"
#: What may follow ``doi:``: a DOI (prefix ``10.`` and registrant, ``/``, suffix) that does
#: not end in punctuation belonging to the sentence.
_DOI_TAIL = re.compile(r"\s?10\.\d{4,9}/[^\s<>\"]*[^\s<>\".,;:!?)\]]")


class _Found(Protocol):
    """What linkify-it (untyped) hands a schema's ``normalize``: the match, URL settable."""

    url: str


def _doi_url(_linkify: object, match: _Found) -> None:
    match.url = DOI_RESOLVER + match.url.removeprefix("doi:").strip()


#: What every text linkify-it's own pretest accepts contains: a scheme's ``:`` or ``//``,
#: an e-mail's ``@``, ``www.``, ``localhost``, or a dot before a letter or digit (a host's
#: top-level domain, an IP address). Nearly all prose lacks all of them.
_MAY_LINK = re.compile(r"[:@]|//|\.\w|www\.|localhost", re.IGNORECASE)


def configure(md: MarkdownIt) -> None:
    """Turn on linkify with ``doi:`` links."""
    md.options["linkify"] = True
    md.enable("linkify")
    if md.linkify is not None:
        md.linkify.add("doi:", {"validate": _DOI_TAIL, "normalize": _doi_url})
        full = md.linkify.pretest

        def pretest(text: str) -> bool:
            """linkify-it's pretest behind a cheap one: its pattern tries every top-level
            domain at every position, 18 µs for a one-line paragraph, 3.5 s of CPU for
            100,000 footnotes; ``_MAY_LINK`` rejects the same paragraphs 13 times faster."""
            return _MAY_LINK.search(text) is not None and bool(full(text))

        md.linkify.pretest = pretest


def kept(href: str, text: str) -> bool:
    """Whether a link linkify found stands: it has a scheme, is ``www.`` or an e-mail."""
    return bool(urls.scheme(text)) or text.lower().startswith("www.") or "@" in text


def local_file(href: str) -> bool:
    """Whether a link points to a file beside the source (no scheme, not ``#id``)."""
    target = href.strip()
    return bool(target) and not target.startswith("#") and not urls.scheme(target)


def file_path(href: str) -> PurePosixPath | None:
    """The file below the source's folder a relative link names (``./a.png`` is ``a.png``),
    or None (a fragment, a query, a scheme, ``..``)."""
    return urls.relative_image(href.strip())


def _images(inlines: tuple[Inline, ...]) -> Iterator[Image]:
    for node in inlines:
        if isinstance(node, Image):
            yield node
        elif children := inline_children(node):  # no generator for a node that holds none
            yield from _images(children)


@per_document
def published_files(document: Document) -> Mapping[PurePosixPath, str]:
    """The files of the source's folder the publication holds (the images the text shows),
    each with the id of the first heading or block that shows it ("" before ids are given)."""
    found: dict[PurePosixPath, str] = {}

    def add(inlines: tuple[Inline, ...], where: str) -> None:
        for image in _images(inlines):
            path = urls.relative_image(image.src)
            if path is not None:
                found.setdefault(path, where)

    for section in walk_sections(document.sections):
        add(section.title, section.id)
    for block in walk_blocks(document):
        for run in block_inlines(block):
            add(run, str(getattr(block, "id", "")))
    return MappingProxyType(found)


def dangling_fragment(href: str, known: Collection[str]) -> bool:
    """Whether ``href`` is ``#id`` for an id not in ``known``. ``#`` and ``#top`` are the
    top of the page (HTML's own meaning), never dangling."""
    return href.startswith("#") and href.lower() not in ("#", "#top") and href[1:] not in known


def check_fragments(doc: Document) -> Document:
    """L002 for each ``[text](#id)`` whose id no element of the document has: a reader
    following it would go nowhere (EPUBCheck RSC-012), so the page and the EPUB show its
    text without the link. Runs after every transform that gives ids."""
    fragments = [n for n in walk_inlines(doc) if isinstance(n, Link) and n.href[:1] == "#"]
    if not fragments:  # most documents: no need to gather every id
        return doc
    known = element_ids(doc) | set(TITLE_PAGE_IDS)
    found = [
        diagnostic(
            "L002",
            f"link to {node.href!r}: no heading or element has the id {node.href[1:]!r}; "
            "it is shown as text",
            doc.path,
            node.line,
            node.col,
        )
        for node in fragments
        if dangling_fragment(node.href, known)
    ]
    if not found:
        return doc
    return replace(doc, diagnostics=doc.diagnostics + tuple(found))
