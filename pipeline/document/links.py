"""Links the author did not mark up: bare web addresses, e-mail addresses and DOIs.

markdown-it-py finds them with linkify-it-py (the maintained port of the library
markdown-it uses), told here about ``doi:10.xxxx/...``, which becomes a link to
``https://doi.org/``. linkify-it also guesses links from bare domain names; a
manuscript is full of names that look like one (``x.py``, ``notes.md``: Paraguay and
Moldova), so a guessed link stands only when it starts with ``www.``.

A relative link points to a file beside the manuscript, which is not part of the
publication: it is reported (L001), and the EPUB shows its text without the link.
"""

from __future__ import annotations

import re
from typing import Protocol

from markdown_it import MarkdownIt

from pipeline.document import urls

DOI_RESOLVER = "https://doi.org/"
#: What may follow ``doi:``: a DOI (prefix ``10.`` and registrant, ``/``, suffix) that does
#: not end in punctuation belonging to the sentence.
_DOI_TAIL = re.compile(r"\s?10\.\d{4,9}/[^\s<>\"]*[^\s<>\".,;:!?)\]]")


class _Found(Protocol):
    """What linkify-it (untyped) hands a schema's ``normalize``: the match, URL settable."""

    url: str


def _doi_url(_linkify: object, match: _Found) -> None:
    match.url = DOI_RESOLVER + match.url.removeprefix("doi:").strip()


def configure(md: MarkdownIt) -> None:
    """Turn on linkify with ``doi:`` links."""
    md.options["linkify"] = True
    md.enable("linkify")
    if md.linkify is not None:
        md.linkify.add("doi:", {"validate": _DOI_TAIL, "normalize": _doi_url})


def kept(href: str, text: str) -> bool:
    """Whether a link linkify found stands: it has a scheme, is ``www.`` or an e-mail."""
    return bool(urls.scheme(text)) or text.lower().startswith("www.") or "@" in text


def local_file(href: str) -> bool:
    """Whether a link points to a file beside the source (no scheme, not ``#id``)."""
    target = href.strip()
    return bool(target) and not target.startswith("#") and not urls.scheme(target)
