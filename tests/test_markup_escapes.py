"""The escaping fast path gives exactly what a translation table gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline import markup

TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
ATTR_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


@given(st.text(alphabet=st.sampled_from("&<>\"'a ;#x\x00\ufffe")) | st.text())
def test_escapes_match_a_translation_table(value: str) -> None:
    assert markup.text(value) == markup.clean(value).translate(TEXT_TABLE)
    assert markup.attr(value) == markup.clean(value).translate(ATTR_TABLE)


def test_an_escape_is_not_escaped_again() -> None:
    assert markup.text("&lt; <") == "&amp;lt; &lt;"
    assert markup.attr("\"'&") == "&quot;&#x27;&amp;"
