"""Formulas read aloud as a careful human reader would, in the document's language.

The narration never sees LaTeX: it reads the MathML tree that the page shows
(``pipeline.document.math``), so what is heard is what is displayed. The rules
follow how a teacher reads a formula aloud: ``x^2`` is "x squared", ``\\frac{a}{b}``
"a over b" (a longer fraction is "the fraction ..., over ...," with pauses to mark
where it ends), ``x_i`` "x sub i", ``(a+b)^2`` "a plus b, all squared",
``\\sum_{i=1}^{n}`` "the sum from i equals 1 to n of", Greek letters by name.
Brackets around a single term or a function's argument are not said; brackets around
a group are, each kind by its own name (French says "crochet" for ``[``, not
"parenthèse"). Where one construct follows a preposition the language's grammar joins
or inflects them (``contractions``: "du produit", "vom Bruch"). Every word comes from
``pipeline.words`` (``MathWords``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.document.math import MathError, MathNode, convert
from pipeline.document.model import Inline, plain_text
from pipeline.words import MathWords, words_for

_GREEK_SMALL = "αβγδεζηθικλμνξοπρστυφχψω"
_GREEK_CAPITAL = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
#: Variant forms read as their letter (ϵ is epsilon, ϑ theta, ...).
_VARIANTS = {"ϵ": "ε", "ϑ": "θ", "ϕ": "φ", "ϖ": "π", "ϱ": "ρ", "ς": "σ", "ϰ": "κ"}
_BRACKETS = frozenset("()[]{}⟨⟩")
_APPLIED = frozenset({"f", "g", "h", "F", "G", "H"})
#: TeX's operator names without words of their own in ``MathWords.functions``: said as
#: written, not spelt letter by letter as a product ("ab" is a times b).
_NAMES = frozenset(
    {
        "lim", "liminf", "limsup", "sup", "inf", "gcd", "lcm", "Pr", "arg", "deg", "dim",
        "hom", "ker", "lg", "sinh", "cosh", "tanh", "coth", "sec", "csc", "cot", "arcsin",
        "arccos", "arctan",
    }
)  # fmt: skip
#: Accents over a base, by the character latex2mathml puts in ``<mover>``.
_ACCENTS = {"^": "hat", "ˆ": "hat", "¯": "bar", "‾": "bar", "→": "vec", "˙": "dot", "~": "tilde"}


def say(tex: str, lang: str, display: bool = False) -> str:
    """A formula as words in ``lang`` (English for a language without a table)."""
    words = words_for(lang).math
    try:
        root = convert(tex, display)
    except MathError:
        return words.unread
    said = _contract(_tidy(_Reader(words).row(root.children)), words.contractions)
    return said or words.unread  # "$)$" says nothing


def title(inlines: tuple[Inline, ...], lang: str) -> str:
    """A heading as text where markup cannot go (the EPUB's nav and NCX, a content
    document's ``<title>``, audio chapters): each formula is its words, never LaTeX."""
    return " ".join(plain_text(inlines, lambda formula: say(formula.tex, lang)).split())


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r",(\s*,)+", ",", text)
    return text.strip(" ,")


@lru_cache(maxsize=8)
def _contraction_pattern(contractions: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(old) for old, _ in contractions)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _contract(text: str, contractions: tuple[tuple[str, str], ...]) -> str:
    """``contractions`` applied in one pass, whole words only ("de le produit": "du produit")."""
    if not contractions:
        return text
    table = dict(contractions)
    return _contraction_pattern(contractions).sub(lambda m: table[m.group()], text)


_OPENING = "([{"
_CLOSING = ")]}"


def _opens(node: MathNode) -> bool:
    return node.tag == "mo" and node.text in _OPENING


def _closer(node: MathNode) -> bool:
    """A closing bracket, alone or carrying a power or index (``(a+b)^2``)."""
    if node.tag in ("msup", "msub", "msubsup") and node.children:
        node = _single(node.children[0])
    return node.tag == "mo" and node.text in _CLOSING


def _closing(nodes: tuple[MathNode, ...], start: int) -> int:
    """The index of the bracket that closes the one at ``start``, or -1."""
    depth = 0
    for index in range(start, len(nodes)):
        if _opens(nodes[index]):
            depth += 1
        elif _closer(nodes[index]):
            depth -= 1
            if depth == 0:
                return index
    return -1


def _assignment(node: MathNode) -> tuple[MathNode, tuple[MathNode, ...]] | None:
    """A lower limit written ``i=1``: the variable and what it starts at, else None."""
    node = _single(node)
    parts = node.children if node.tag == "mrow" else ()
    if len(parts) > 2 and parts[1].tag == "mo" and parts[1].text == "=" and parts[0].tag == "mi":
        return parts[0], parts[2:]
    return None


def _single(node: MathNode) -> MathNode:
    """The one element inside ``<mrow>`` wrappers, or the node itself."""
    while node.tag == "mrow" and len(node.children) == 1:
        node = node.children[0]
    return node


class _Reader:
    def __init__(self, words: MathWords) -> None:
        self.words = words
        self.operators = dict(words.operators)
        self.functions = dict(words.functions)
        self.big = dict(words.big)
        self.brackets = dict(words.brackets)

    # ----------------------------------------------------------------- tokens

    def token(self, node: MathNode) -> str:
        value = node.text
        if node.tag in ("mn", "mtext"):
            return value
        if node.tag == "mo" and value in _BRACKETS:
            return ""
        if value in self.functions:
            return self.functions[value]
        if value in self.operators:
            return self.operators[value]
        if value in self.big:  # no limits: "the integral of"
            return self.words.big_of.format(op=self.big[value])
        if len(value) == 1:
            return self.letter(value)
        if value in _NAMES:
            return value
        if node.tag == "mi" and value.isalpha() and value.isascii():
            return " ".join(self.letter(c) for c in value)  # "ab" is a times b
        return value

    def letter(self, char: str) -> str:
        char = _VARIANTS.get(char, char)
        if char in _GREEK_SMALL:
            return self.words.greek[_GREEK_SMALL.index(char)]
        if char in _GREEK_CAPITAL:
            return self.words.capital.format(x=self.words.greek[_GREEK_CAPITAL.index(char)])
        return char

    # ----------------------------------------------------------------- structure

    def row(self, nodes: tuple[MathNode, ...]) -> str:
        out: list[str] = []
        index = 0
        while index < len(nodes):
            node = nodes[index]
            close = _closing(nodes, index) if _opens(node) else -1
            if close < 0:
                out.append(self.node(node))
                index += 1
                continue
            inner = nodes[index + 1 : close]
            said = self.row(inner)
            last = nodes[close]
            applied = index > 0 and self.applied(nodes[index - 1])
            if applied:  # f(x): "f of x"; g(x + 1): "g of x plus 1," (the pause ends it)
                said = f"{self.words.of} {said}" + ("," if len(inner) > 1 else "")
            elif index > 0 and nodes[index - 1].tag != "mo":  # n(n + 1): brackets said
                said = self.bracketed(node, said, last)
                if last.tag != "mo":  # c(1 + r)^t
                    said += " " + self.power(last.children[0], last.children[-1], said="")
            elif last.tag != "mo":  # (a + b)^2: "a plus b, all squared"
                said = f"{said} {self.node(last)}"
            elif len(inner) > 1:
                said = self.bracketed(node, said, last)
            out.append(said)
            index = close + 1
        return " ".join(part for part in out if part)

    def bracketed(self, opening: MathNode, said: str, closing: MathNode) -> str:
        """A group said between its brackets, each by its name (``[0, 1)`` too)."""
        if closing.tag != "mo" and closing.children:  # the bracket carrying a power
            closing = _single(closing.children[0])
        before = self.brackets.get(opening.text, "")
        return f"{before} {said} {self.brackets.get(closing.text, '')}"

    def applied(self, node: MathNode) -> bool:
        """Whether brackets after ``node`` hold a function's argument ("f of x")."""
        node = _single(node)
        if node.tag in ("msup", "msub") and node.children:  # f'(x), f_1(x)
            node = _single(node.children[0])
        name = node.text
        return node.tag in ("mi", "mo") and (
            name in _APPLIED or name in self.functions or name in _NAMES
        )

    def node(self, node: MathNode) -> str:
        tag, parts = node.tag, node.children
        if tag in ("mi", "mn", "mo", "mtext", "ms"):
            return self.token(node)
        if tag in ("mspace", "mphantom", "none", "mprescripts"):
            return ""
        if tag == "msup" and len(parts) == 2:
            return self.power(parts[0], parts[1])
        if tag in ("msub", "munder") and len(parts) == 2:
            return self.subscript(parts[0], parts[1])
        if tag in ("msubsup", "munderover") and len(parts) == 3:
            base = _single(parts[0])
            if base.text in self.big and (start := _assignment(parts[1])) is not None:
                return self.words.big_range.format(
                    op=self.big[base.text],
                    var=self.node(start[0]),
                    start=self.row(start[1]),
                    high=self.node(parts[2]),
                )
            if base.text in self.big:
                return self.words.big_from.format(
                    op=self.big[base.text], low=self.node(parts[1]), high=self.node(parts[2])
                )
            return self.power(MathNode("msub", children=(parts[0], parts[1])), parts[2])
        if tag == "mover" and len(parts) == 2:
            accent = _ACCENTS.get(_single(parts[1]).text)
            if accent is not None:
                return str(getattr(self.words, accent)).format(x=self.node(parts[0]))
            return f"{self.node(parts[0])} {self.node(parts[1])}"
        if tag == "mfrac" and len(parts) == 2:
            simple = all(_single(p).tag in ("mi", "mn") for p in parts)
            form = self.words.frac if simple else self.words.frac_long
            return form.format(num=self.node(parts[0]), den=self.node(parts[1]))
        if tag == "msqrt":
            return self.words.sqrt.format(x=self.row(parts))
        if tag == "mroot" and len(parts) == 2:
            index = _single(parts[1]).text
            if index == "3":
                return self.words.cbrt.format(x=self.node(parts[0]))
            if index == "2":
                return self.words.sqrt.format(x=self.node(parts[0]))
            return self.words.root.format(n=self.node(parts[1]), x=self.node(parts[0]))
        if tag == "mtable":
            rows = [", ".join(self.row(cell.children) for cell in row.children) for row in parts]
            return self.words.matrix.format(rows="; ".join(rows)) + ","
        return self.row(parts)

    def power(self, base: MathNode, exponent: MathNode, said: str | None = None) -> str:
        single = _single(base)
        if said is not None:
            pass
        elif single.tag == "mo" and single.text in _BRACKETS:  # (a + b)^2
            said = f", {self.words.all_}"
        elif single.tag == "mrow" and len(single.children) > 2:  # \left( a/b \right)^2
            first, *inner, last = single.children
            if _opens(first) and _closer(last):
                said = f"{self.row(tuple(inner))}, {self.words.all_}"
        if said is None:
            said = self.node(base)
        top = _single(exponent).text
        if top in ("′", "'"):
            return self.words.prime.format(base=said)
        if top in ("″", "''"):
            return self.words.prime.format(base=self.words.prime.format(base=said))
        if _single(exponent).tag == "mn" and top == "2":
            return self.words.squared.format(base=said)
        if _single(exponent).tag == "mn" and top == "3":
            return self.words.cubed.format(base=said)
        return self.words.power.format(base=said, exp=self.node(exponent))

    def subscript(self, base: MathNode, below: MathNode) -> str:
        single = _single(base)
        if single.text == "lim":
            return self.words.limit.format(under=self.node(below))
        if single.text in self.big:
            return self.words.big_over.format(op=self.big[single.text], low=self.node(below))
        return self.words.sub.format(base=self.node(base), sub=self.node(below))
