"""Narrated books for the overlay tests, built from the session's audio fixtures."""

from __future__ import annotations

from pathlib import Path

from epub_helpers import EPOCH

from pipeline.audio.writer import AudioResult
from pipeline.build import load
from pipeline.formats.epub import Narrated, build_epub


def narrated_from(result: object) -> Narrated:
    """The MP3 and timings an audio build wrote, as the EPUB writer reads them."""
    assert isinstance(result, AudioResult)
    return Narrated(result.paths[0].read_bytes(), result.timings)


def narrated_book(source: Path, result: object) -> bytes:
    """The EPUB of ``source`` carrying the narration of ``result``."""
    return build_epub(load(source), epoch=EPOCH, narrated=narrated_from(result))
