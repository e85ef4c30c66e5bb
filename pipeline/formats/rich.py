"""Markup for formulas, extended descriptions and local links (issue 18).

Kept apart from ``render`` so the renderer only dispatches to it. The HTML page
and the EPUB differ in one way here: the page may scroll a wide displayed formula
in a focusable, named region (as it does code), while the EPUB has no scroll
wrapper, since paginated reading systems print its scroll bar.
"""

from __future__ import annotations

from pipeline.document import math
from pipeline.document.model import MathBlock
from pipeline.markup import attrs, text


def formula(tex: str, display: bool = False) -> str:
    """A formula as MathML; LaTeX that cannot be converted is shown as written (Q001)."""
    try:
        return math.markup(tex, display)
    except math.MathError:
        return f'<code class="math-error">{text(tex)}</code>'


def math_block(block: MathBlock, label: str, paginated: bool) -> str:
    """A displayed formula: in a focusable, named scroll region on the page, plain in a book."""
    body = formula(block.tex, display=True)
    if paginated:
        return f'<div{attrs(id=block.id)} class="math-display">{body}</div>\n'
    return (
        f'<div{attrs(id=block.id)} class="math-display math-scroll" tabindex="0" role="region"'
        f"{attrs(aria_label=label)}>{body}</div>\n"
    )


def details(ident: str, summary: str, body: str, paginated: bool) -> str:
    """An extended description: ``<details>`` the image names with ``aria-details``.

    In the EPUB it is open: a paginated reader may not let the reader expand it.
    """
    opened = attrs(open="open") if paginated else ""
    return (
        f'<details{attrs(id=ident)} class="description"{opened}>\n'
        f"<summary>{text(summary)}</summary>\n{body}</details>\n"
    )


def features(formulas: int, long_descriptions: int) -> tuple[str, ...]:
    """``schema:accessibilityFeature`` values this issue's content earns (the counts come
    from ``a11y_metadata.inventory``).

    ``MathML`` and ``describedMath`` when there is a formula (each carries its LaTeX as
    ``alttext`` and is read aloud in words); ``longDescription`` when a figure has an
    extended description.
    """
    found: list[str] = []
    if formulas:
        found += ["MathML", "describedMath"]
    if long_descriptions:
        found.append("longDescription")
    return tuple(found)
