"""The writer registry: formats known by name, their modules imported only when chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import modules_after_build

from pipeline.audio.writer import AudioWriter
from pipeline.formats import registry as writers
from pipeline.formats.epub import EpubWriter


def test_a_text_build_does_not_import_the_audio_stack(tmp_path: Path) -> None:
    modules = modules_after_build(tmp_path / "o", "html,epub")
    assert {"pipeline.formats.html", "pipeline.formats.epub"} <= modules
    assert "pipeline.audio.writer" not in modules
    assert not any(m == "pipeline.audio" or m.startswith("pipeline.audio.") for m in modules)
    assert "pipeline.audio.speech" not in modules
    assert "pipeline.formats.narration" not in modules
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "article.accessibility.html",
        "article.epub",
        "article.html",
    ]


def test_registered_names_and_descriptions_are_the_writers_own() -> None:
    assert list(writers.WRITERS) == [
        "model",
        "html",
        "epub",
        "narration",
        "audio",
        "onix",
        "audiobook",
    ]
    for name, entry in writers.WRITERS.items():
        loaded = entry.load() if isinstance(entry, writers.Lazy) else entry
        assert (loaded.name, loaded.description) == (name, entry.description)
        assert not isinstance(loaded, writers.Lazy)


def test_select_hands_out_loaded_writers_in_order() -> None:
    every = writers.select(None)
    # the ONIX record and the audiobook are built only on request
    assert [w.name for w in every] == ["model", "narration", "audio", "html", "epub"]
    assert not any(isinstance(w, writers.Lazy) for w in every)
    (epub,) = writers.select("epub, EPUB,epub")
    assert isinstance(epub, EpubWriter)


def test_configure_sets_options_without_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "WRITERS", dict(writers.WRITERS))
    place = list(writers.WRITERS).index("audio")
    writers.configure("audio", engine="gtts", rate=200)
    writers.configure("audio", voice="en")
    entry = writers.WRITERS["audio"]
    assert isinstance(entry, writers.Lazy)
    assert dict(entry.options) == {"engine": "gtts", "rate": 200, "voice": "en"}
    assert list(writers.WRITERS).index("audio") == place  # its place in the order is kept
    (audio,) = writers.select("audio")
    assert audio == AudioWriter(engine="gtts", voice="en", rate=200)


def test_a_lazy_entry_that_names_another_writer_is_refused() -> None:
    wrong = writers.Lazy("html", "not the HTML writer's words", "pipeline.formats.html:HtmlWriter")
    with pytest.raises(TypeError, match="not the writer registered as 'html'"):
        wrong.load()
