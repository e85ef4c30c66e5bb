"""Text into XML and HTML: the one place markup is escaped.

Every writer of XML or HTML (the renderer, the EPUB package, navigation and
NCX, media overlays, the cover page, the conformance report) builds its
markup from strings in a fixed order, so the same book gives the same bytes.
That is only safe if every piece of text goes through the same two functions:
``text`` for character data and ``attr`` for attribute values (always written
in double quotes). Both first drop what XML 1.0 cannot carry at all.

XML 1.0 allows tab, line feed, carriage return and the code points from
U+0020 up, less the surrogates and U+FFFE/U+FFFF. HTML also treats C1
controls (U+007F-U+009F) and the noncharacters U+FDD0-U+FDEF as parse
errors, so they go too: one filter makes output that is at once well-formed
XHTML and valid HTML5. A forbidden character becomes U+FFFD, the replacement
character, rather than vanishing: the reader sees that something was there,
and the source reader has already reported it with its position.
"""

from __future__ import annotations

import functools
import re

#: What XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF) and what
#: HTML calls a parse error on top (DEL and C1 controls, the U+FDD0-U+FDEF noncharacters).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

REPLACEMENT = "\ufffd"

#: Escapes in the order they are applied (``&`` first, so no escape is escaped again).
#: A chain of ``str.replace`` does this 2-10 times faster than ``str.translate`` with a
#: table of multi-character replacements, which CPython runs one character at a time:
#: on a 20 MB manuscript the escaping was the largest single cost of the text build.
TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
ATTR_ESCAPES = (*TEXT_ESCAPES, ('"', "&quot;"), ("'", "&#x27;"))


def clean(value: str) -> str:
    """``value`` with every character XML or HTML cannot carry replaced by U+FFFD.

    Every such character is unprintable for ``str.isprintable`` (a control, a surrogate
    or a noncharacter: Unicode's "Other"), and that test runs four times faster than the
    pattern: most values are short printable runs and ids."""
    return value if value.isprintable() else NOT_XML.sub(REPLACEMENT, value)


def _escape(value: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, escape in escapes:
        if char in value:
            value = value.replace(char, escape)
    return value


def text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` escaped (``>`` too, so ``]]>`` is safe)."""
    return _escape(clean(value), TEXT_ESCAPES)


def attr(value: str) -> str:
    """An attribute value for double quotes (single quotes escaped too, for either)."""
    return _escape(clean(value), ATTR_ESCAPES)


def attrs(**values: str) -> str:
    """`` name="value"`` pairs for the non-empty values; ``_`` in names becomes ``-``.

    A trailing underscore lets Python keywords be names (``class_``).
    """
    out = ""  # a loop, not a generator into join: the renderer calls this a million times
    for name, value in values.items():
        if value:
            out += f' {_name(name)}="{attr(value)}"'
    return out


@functools.cache
def _name(keyword: str) -> str:
    return keyword.rstrip("_").replace("_", "-")
