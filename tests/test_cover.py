"""The cover cache: a cached cover is the drawn one, byte for byte, and skips Pillow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ARTICLE
from support import modules_after_build

from pipeline.build import load
from pipeline.formats import cover

EPOCH = "1700000000"


def _no_drawing(metadata: object) -> bytes:
    raise AssertionError("the cover was drawn, not read from the cache")


def test_a_cache_hit_gives_the_drawn_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = load(ARTICLE).metadata
    drawn = cover.render_cover(metadata)
    first = cover.cached_cover(metadata, tmp_path / "covers")
    assert first == drawn
    (entry,) = (tmp_path / "covers").iterdir()
    assert entry.name == f"{cover.cache_key(metadata)}.png"
    assert entry.read_bytes() == drawn.png
    monkeypatch.setattr(cover, "_draw", _no_drawing)
    assert cover.cached_cover(metadata, tmp_path / "covers") == drawn


def test_the_key_follows_what_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = load(ARTICLE).metadata
    key = cover.cache_key(metadata)
    assert cover.cache_key(metadata) == key
    assert cover.cache_key(replace(metadata, title=metadata.title + "!")) != key
    assert cover.cache_key(replace(metadata, publisher="Another")) != key
    assert cover.cache_key(replace(metadata, authors=metadata.authors[:-1])) != key
    monkeypatch.setattr(cover, "COVER_FORMAT", cover.COVER_FORMAT + 1)
    assert cover.cache_key(metadata) != key


def test_a_damaged_entry_is_drawn_again_and_an_unwritable_cache_is_no_error(
    tmp_path: Path,
) -> None:
    metadata = load(ARTICLE).metadata
    drawn = cover.render_cover(metadata)
    entry = tmp_path / "covers" / f"{cover.cache_key(metadata)}.png"
    entry.parent.mkdir()
    entry.write_bytes(drawn.png[: len(drawn.png) // 2])  # truncated
    assert cover.cached_cover(metadata, entry.parent) == drawn
    assert entry.read_bytes() == drawn.png
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert cover.cached_cover(metadata, blocked / "covers") == drawn


def test_the_cache_folder_is_beside_the_outputs_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLISH_COVER_CACHE", raising=False)
    assert cover.default_cache_dir(tmp_path / "out") == tmp_path / ".cache" / "covers"
    monkeypatch.setenv("PUBLISH_COVER_CACHE", str(tmp_path / "elsewhere"))
    assert cover.default_cache_dir(tmp_path / "out") == tmp_path / "elsewhere"


def _build(out: Path, cache: Path) -> set[str]:
    """Build the article's EPUB in a fresh interpreter; the modules it imported."""
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PUBLISH_COVER_CACHE": str(cache)}
    return modules_after_build(out, "epub", env)


def test_an_epub_with_a_cached_cover_is_identical_and_needs_no_pillow(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    drawing = _build(tmp_path / "first", cache)
    assert "PIL" in drawing  # a miss draws
    assert len(list(cache.iterdir())) == 1
    hit = _build(tmp_path / "second", cache)
    assert "PIL" not in hit
    first = (tmp_path / "first" / "article.epub").read_bytes()
    assert (tmp_path / "second" / "article.epub").read_bytes() == first


def test_a_title_of_any_length_is_measured_only_as_far_as_a_cover_can_show() -> None:
    """A 1,000-word title took 9 s to draw, 4,000 words 41 s: each size tried wrapped it all."""
    metadata = load(ARTICLE).metadata
    words = " ".join(f"word{i}" for i in range(20_000))
    long = cover.render_cover(replace(metadata, title=words))
    cut = cover.render_cover(replace(metadata, title=words[: cover.MAX_CHARS]))
    assert long.png == cut.png
    assert words in long.alt  # the text alternative keeps the whole title


def test_a_title_too_long_for_six_lines_ends_in_an_ellipsis() -> None:
    from PIL import ImageFont

    font = ImageFont.truetype(cover._font_path(True), 60)
    block = cover._fit(" ".join(["word"] * 400), range(60, 59, -1), 1300, 6, bold=True)
    assert len(block.lines) == 6
    assert block.lines[-1].endswith(" …")
    assert all(font.getlength(line) <= 1300 for line in block.lines)
