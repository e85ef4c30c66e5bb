"""Properties over generated sources: no crash but our own, unique ids, determinism."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import load
from pipeline.diagnostics import PipelineError
from pipeline.document.model import (
    Citation,
    Document,
    FootnoteRef,
    walk_blocks,
    walk_inlines,
    walk_sections,
)
from pipeline.document.serialize import to_json
from pipeline.document.source import decode

SNIPPETS = [
    "# Heading\n",
    "## Sub {#id .backmatter}\n",
    "###### Deep\n",
    "#\n",
    "## References\n",
    "- item\n",
    "  - nested\n",
    "1. first\n",
    "> quote\n",
    "> > deeper\n",
    "```\ncode\n```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Table: cap\n",
    "Term\n: def\n",
    "---\n",
    "...\n",
    "title: X\n",
    "lang: fr\n",
    "author: [A, B]\n",
    "text (Weitzer, 2007) more\n",
    "Smith et al. (2019) said\n",
    "(see below)\n",
    "[^1]\n",
    "[^1]: note\n",
    "![alt](x.png)\n",
    "<script>x</script>\n",
    "[link](javascript:alert(1))\n",
    "[x]{lang=de}\n",
    "*em* **strong**\n",
    "Bach, J. (2017). Title. *J*, *1*(2), 3–4.\n",
    "\n",
    "\t\n",
    "\ufeff",
    "\r\n",
    "\x00",
]

documents = st.lists(st.sampled_from(SNIPPETS) | st.text(max_size=40), max_size=25).map("".join)


def _load_text(text: str, times: int = 1) -> list[Document | None]:
    """Load a source ``times`` times from one file (None when it is rejected)."""
    results: list[Document | None] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for _ in range(times):
            try:
                results.append(load(path))
            except PipelineError as exc:
                assert exc.diagnostics, "a PipelineError always explains itself"
                results.append(None)
    return results


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    _load_text(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_raise_our_error(data: bytes) -> None:
    try:
        text, _ = decode(data, "x.md")
    except PipelineError as exc:
        assert exc.diagnostics[0].code in {"S002", "S003"}
    else:
        assert "\r" not in text


def _ids(doc: Document) -> list[str]:
    found = [s.id for s in walk_sections(doc.sections)]
    found += [b.id for b in walk_blocks(doc) if getattr(b, "id", "")]
    found += [e.id for e in doc.references]
    found += [n.id for n in doc.footnotes]
    found += [n.id for n in walk_inlines(doc) if isinstance(n, Citation | FootnoteRef) and n.id]
    return found


@settings(max_examples=200, deadline=None)
@given(documents)
def test_ids_are_unique_and_links_resolve(text: str) -> None:
    [doc] = _load_text("---\ntitle: T\nlang: en\nidentifier: x\n---\n" + text)
    if doc is None:
        return
    ids = _ids(doc)
    assert len(ids) == len(set(ids))
    targets = set(ids)
    for node in walk_inlines(doc):
        if isinstance(node, Citation):
            assert all(i.reference_id in targets for i in node.items if i.reference_id)
        if isinstance(node, FootnoteRef) and node.note_id:
            assert node.note_id in targets
    for entry in doc.references:
        assert set(entry.cited_by) <= targets


@settings(max_examples=50, deadline=None)
@given(documents)
def test_parsing_is_deterministic(text: str) -> None:
    first, second = _load_text(text, times=2)
    if first is None or second is None:
        assert first is second is None
        return
    assert to_json(first) == to_json(second)
