"""The benchmark documents: about the asked length, deterministic, and citations resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import count_words, generate
from pipeline.build import lint
from pipeline.diagnostics import Severity


@pytest.mark.parametrize("words", [1_000, 10_000, 25_000, 100_000])
def test_word_count_is_within_ten_percent(words: int) -> None:
    assert abs(count_words(generate(words)) - words) <= words // 10


def test_the_same_arguments_give_the_same_text() -> None:
    assert generate(10_000) == generate(10_000)
    assert generate(10_000, seed=1) == generate(10_000, seed=1)
    assert generate(10_000, seed=1) != generate(10_000)


@pytest.mark.parametrize("words", [1_000, 10_000])
def test_generated_document_lints_clean(words: int, tmp_path: Path) -> None:
    source = tmp_path / f"gen-{words}.md"
    source.write_text(generate(words), encoding="utf-8")
    found = lint(source)
    assert not [d for d in found if d.code == "C001"], "every citation resolves"
    assert not [d for d in found if d.severity in (Severity.ERROR, Severity.WARNING)]


def test_it_looks_like_an_article() -> None:
    text = generate(10_000)
    assert text.startswith("---\ntitle: ")
    for marker in ("\n## ", "\n### ", "\n## References\n", "\nTable: ", "[^n1]", "\n- ", " et al."):
        assert marker in text, marker


def test_count_words_skips_front_matter_and_table_rules() -> None:
    assert count_words("---\ntitle: A b c\n---\nOne two.\n\n|---|---:|\n| x | 1 |\n") == 4


def test_too_short_a_document_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(10)
