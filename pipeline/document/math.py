"""LaTeX formulas to MathML, converted and checked in one place for every writer.

latex2mathml (a maintained, pure-Python converter) turns the author's LaTeX into
an element tree. Its own serialiser passes ``\\text{<b>}`` through unescaped and
keeps ``\\href`` targets, so the tree is rebuilt here as a small immutable
``MathNode`` tree: only MathML presentation elements and layout attributes are
kept, and every text goes through ``pipeline.markup`` when written. The HTML page,
the EPUB chapters and the narration all read that one tree.

A formula that cannot be converted is reported while parsing (Q001-Q003, so
``publish lint`` says what ``build`` would) and shown as the LaTeX the author wrote.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element

from pipeline.markup import attr, text

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

#: MathML presentation elements a formula may contain; others are dropped with their content.
_ELEMENTS = frozenset(
    {
        "math", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "msup", "msub",
        "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable",
        "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced",
        "mmultiscripts", "mprescripts", "none",
    }
)  # fmt: skip
#: Layout attributes kept (``href`` and anything else latex2mathml copies are not).
_ATTRIBUTES = frozenset(
    {
        "display", "stretchy", "fence", "form", "accent", "accentunder", "width", "height",
        "depth", "mathvariant", "columnalign", "rowalign", "columnlines", "rowlines",
        "columnspacing", "rowspacing", "frame", "linethickness", "lspace", "rspace",
        "minsize", "maxsize", "movablelimits", "largeop", "symmetric", "separator",
        "displaystyle", "scriptlevel", "notation", "open", "close", "separators",
    }
)  # fmt: skip
_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


class MathError(ValueError):
    """The LaTeX cannot be converted; ``code`` is the diagnostic (Q001-Q003)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class MathNode:
    """One MathML element: its tag (no namespace), attributes, text and children."""

    tag: str
    text: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[MathNode, ...] = ()

    def attr(self, name: str) -> str:
        """An attribute's value, or ""."""
        return next((value for key, value in self.attrs if key == name), "")


#: latex2mathml's exceptions, as a reader of the diagnostic would put them.
_REASONS = {
    "NoAvailableTokensError": "it ends before a brace, argument or environment is closed",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "NumeratorNotFoundError": "a fraction has no numerator",
    "MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
    "DoubleSuperscriptsError": "one base has two superscripts (write x^{ab} or {x^a}^b)",
    "DoubleSubscriptsError": "one base has two subscripts (write x_{ab} or {x_a}_b)",
    "ExtraLeftOrMissingRightError": "a \\left has no matching \\right",
    "MissingEndError": "a \\begin has no matching \\end",
    "LimitsMustFollowMathOperatorError": "\\limits follows something that is not an operator",
    "InvalidStyleForGenfracError": "\\genfrac has an invalid style",
    "InvalidAlignmentError": "an array column alignment is invalid",
    "InvalidWidthError": "a width is invalid",
}


def _node(element: Element) -> MathNode | None:
    tag = str(element.tag).rsplit("}", 1)[-1]
    if tag not in _ELEMENTS:
        return None
    attrs = tuple(
        (key, str(value)) for key, value in sorted(element.attrib.items()) if key in _ATTRIBUTES
    )
    children = tuple(node for child in element if (node := _node(child)) is not None)
    # latex2mathml stores symbols as character references inside the text ("&#x0002B;").
    value = html.unescape(element.text or "")
    return MathNode(tag, value if tag == "mtext" else value.strip(), attrs, children)


def _operator_names(node: MathNode, display: bool) -> MathNode:
    """``\\lim``, ``\\max``, ``\\det``... as TeX sets them. latex2mathml writes the name as
    an ``<mo>``, which Chromium (and calibre) space as an operator: the ``+`` before
    ``\\lim`` lost its left space. A name is an ``<mi>`` here, as ``\\sin`` already is; in
    a displayed formula its limit goes below it (``munder``), not beside (``msub``)."""
    children = tuple(_operator_names(child, display) for child in node.children)
    tag, attrs = node.tag, node.attrs
    if tag == "mo" and len(node.text) > 1 and node.text.isalpha():
        tag = "mi"  # without the attributes only an <mo> may have (movablelimits...)
        attrs = tuple((key, value) for key, value in attrs if key == "mathvariant")
    elif tag == "msub" and display and len(children) == 2:
        base = children[0]
        if base.tag == "mi" and len(base.text) > 1 and base.text in _LIMIT_NAMES:
            tag = "munder"
    if tag == node.tag and children == node.children:
        return node
    return MathNode(tag, node.text, attrs, children)


#: Operator names whose limit TeX sets below them in a displayed formula.
_LIMIT_NAMES = frozenset(
    {"lim", "liminf", "limsup", "max", "min", "sup", "inf", "det", "gcd", "Pr"}
)


def _unknown_command(node: MathNode) -> str:
    """The first LaTeX command latex2mathml did not know (it keeps it as text), or ""."""
    if node.tag in ("mi", "mo", "mtext") and (found := _COMMAND.search(node.text)):
        return found.group()
    return next((c for c in map(_unknown_command, node.children) if c), "")


@lru_cache(maxsize=4096)
def convert(tex: str, display: bool = False) -> MathNode:
    """The formula's MathML tree; raises ``MathError`` when it cannot be converted."""
    if not tex.strip():
        raise MathError("Q003", "the formula is empty")
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except Exception as error:
        name = type(error).__name__
        reason = _REASONS.get(name, f"the converter stopped ({name})")
        raise MathError("Q001", f"formula ${tex}$ cannot be converted: {reason}") from None
    node = _node(element)
    if node is None:  # pragma: no cover - latex2mathml always returns <math>
        raise MathError("Q001", f"formula ${tex}$ cannot be converted")
    node = _operator_names(node, display)
    command = _unknown_command(node)
    if command:
        raise MathError("Q002", f"formula ${tex}$ uses {command}, which is not a known command")
    return node


def problem(tex: str, display: bool = False) -> MathError | None:
    """Why the formula cannot be converted, or None when it can."""
    try:
        convert(tex, display)
    except MathError as error:
        return error
    return None


def _write(node: MathNode, out: list[str]) -> None:
    extra = "".join(f' {key}="{attr(value)}"' for key, value in node.attrs)
    if not node.text and not node.children:
        out.append(f"<{node.tag}{extra} />")
        return
    out.append(f"<{node.tag}{extra}>{text(node.text)}")
    for child in node.children:
        _write(child, out)
    out.append(f"</{node.tag}>")


@lru_cache(maxsize=4096)
def markup(tex: str, display: bool = False) -> str:
    """``<math>`` with the LaTeX as ``alttext``; raises ``MathError`` like ``convert``."""
    root = convert(tex, display)
    out: list[str] = []
    for child in root.children:
        _write(child, out)
    mode = "block" if display else "inline"
    alt = " ".join(tex.split())
    return f'<math xmlns="{MATHML_NS}" display="{mode}" alttext="{attr(alt)}">{"".join(out)}</math>'
