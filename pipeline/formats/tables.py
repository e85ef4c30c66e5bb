"""Wide tables that stack on narrow screens, keeping their table semantics.

A table of many columns squeezed into a phone's width breaks its words letter by
letter. Below the width its columns need (about ``EM_PER_COLUMN`` each), a table of
``STACK_FROM`` columns or more is laid out as a stack: each body row is a block and
each cell shows its column's header above its text, from the cell's ``data-label``
(CSS generated content). The header row stays in the page, hidden only visually,
and the caption stays whole. A table of two or three columns stays an ordinary table.

Screen readers must still meet a table, and do: the markup is unchanged (``caption``,
``th scope``), only the boxes change. Explicit roles (``role="row"``, ``"cell"``) are
not added, although changing ``display`` on table parts made Safari 14 to 16 with
VoiceOver miscount columns and misname headers: ARIA in HTML forbids a role on a
``tr``, ``th`` or ``td`` whose table is a table (the Nu HTML Checker reports it as an
error), and Chromium keeps the table, its rows, cells and column headers at any width
(``tests/test_pages.py`` reads its accessibility tree at 320 px). The visible label
must not be read twice (once as generated text, once as the column header a screen
reader announces), so its ``content`` has the empty alternative text (``content:
attr(data-label) / ""``); a reader that does not know that syntax drops the
declaration and uses the plain one before it, so it shows, and may read, the label.

The same rules serve the page and the EPUB: a reading system's viewport is its page.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Tables with this many columns or more stack on narrow screens (and are set smaller).
STACK_FROM = 4
#: Widest table the rules distinguish; wider ones stack from the same width.
STACK_UP_TO = 8
#: The width one column needs, in ems of the page's text: a word of about ten letters
#: in the table's smaller text, with its cell's padding.
EM_PER_COLUMN = 5


def stack_class(columns: int) -> str:
    """The class of a table with ``columns`` columns: ``""`` for one that never stacks."""
    if columns < STACK_FROM:
        return ""
    return f"stack-{min(columns, STACK_UP_TO)}"


def labels(head: Sequence[str], count: int) -> list[str]:
    """The label of each of a body row's ``count`` cells: its column's header text, as
    typeset (the no-break spaces of French typography kept)."""
    return [head[i].strip() if i < len(head) else "" for i in range(count)]


def _stacked(columns: int) -> str:
    """The stacked layout of a ``stack-<columns>`` table below the width it needs.

    Above it, the page keeps a wide table's words whole (``html.css``; its scroll region
    is the last resort) and the EPUB lets them break rather than run off the page: a
    paginated reader has no scroll bar, and a word that is cut off is lost.

    The stacked layout's query reads "not at least that wide" rather than "at most": the
    same in every browser, and true where a width cannot be tested. calibre's conversion
    (to PDF, say) treats any width test as false (its ``stylizer.py``: "Media queries that
    test for device specific features always fail") and so applies the negation: it
    stacks the table, which fits any page, rather than squeezing it letter by letter.
    A reader without media queries at all shows a table whose cells wrap anywhere:
    squeezed, never cut off.
    """
    width = columns * EM_PER_COLUMN
    table = f"table.stack-{columns}"
    return f"""\
@media not all and (min-width: {width}.0625em) {{
  {table}, {table} > caption, {table} > tbody, {table} > tbody > tr,
  {table} > tbody > tr > td, {table} > tbody > tr > th {{ display: block; }}
  {table} {{ width: 100%; }}
  {table} > thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }}
  {table} > tbody > tr {{ padding-block: 0.5em; border-block-end: 0.125em solid; }}
  {table} > tbody > tr > td, {table} > tbody > tr > th {{ border: 0; padding: 0.15em 0;
    text-align: start; }}
  {table} > tbody > tr > [data-label]::before {{ display: block; font-weight: bold;
    content: attr(data-label); content: attr(data-label) / ""; }}
}}
"""


#: Shared by the page's and the EPUB's style sheets.
CSS = "".join(_stacked(n) for n in range(STACK_FROM, STACK_UP_TO + 1))
