"""Code blocks whose wrapped lines keep their indentation.

A ``pre`` with ``white-space: pre-wrap`` fits a narrow screen or a page, but a
wrapped line starts again at the left edge, so the continuation of an indented
line reads as if it were less indented. Each line is written as its own span:
its leading white space in one span (``.ci``), the rest in another (``.cc``),
and the style sheets lay the line out as a row (``display: flex``), so a
continuation starts under the line's first character, two columns further in.
Every line keeps its newline inside its span: copied, read with styles off or
by a screen reader, the text is exactly the source. A reader that ignores the
layout shows ordinary wrapped lines.
"""

from __future__ import annotations

from pipeline.markup import text

#: Shared by the page's and the EPUB's style sheets.
CSS = """\
pre.lines { white-space: pre-wrap; tab-size: 4; }
pre.lines .cl { display: flex; }
pre.lines .ci { flex: none; }
pre.lines .cc { flex: 1 1 0; min-width: 0; padding-inline-start: 2ch; text-indent: -2ch;
  overflow-wrap: anywhere; }
"""


def split_indent(line: str) -> tuple[str, str]:
    """A line's leading spaces and tabs, and the rest."""
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)], body


def lines(source: str) -> str:
    """The markup inside ``<pre><code>``: one ``.cl`` span per source line."""
    out: list[str] = []
    for line in source.removesuffix("\n").split("\n"):
        indent, body = split_indent(line)
        lead = f'<span class="ci">{indent}</span>' if indent and body else ""
        rest = body if indent and body else line
        out.append(f'<span class="cl">{lead}<span class="cc">{text(rest)}\n</span></span>')
    return "".join(out)
