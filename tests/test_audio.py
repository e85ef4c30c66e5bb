"""The article's audio files, read back with real tools: chapters, loudness, silences."""

from __future__ import annotations

import json
from pathlib import Path

from audiotools import decode, ffmpeg_chapters, loudness, rms, sample_rate, silence_at_ends
from conftest import ARTICLE
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from pipeline.audio.writer import AudioResult
from pipeline.build import load
from pipeline.formats.cover import render_cover

TITLES = [
    "Who are Individuals that Willingly Purchase People?",
    "References",
    "About the publisher",
]


def _files(result: object) -> tuple[AudioResult, Path, Path]:
    assert isinstance(result, AudioResult)
    mp3, m4b = result.paths[0], result.paths[1]
    assert mp3.suffix == ".mp3" and m4b.suffix == ".m4b"
    return result, mp3, m4b


def test_writes_every_artifact(article_audio: object) -> None:
    result, mp3, _ = _files(article_audio)
    names = sorted(p.name for p in result.paths)
    assert names == [
        "article.chapters.vtt",
        "article.m4b",
        "article.mp3",
        "article.narration.txt",
        "article.timings.json",
        "article.vtt",
    ]
    assert all(p.stat().st_size > 0 for p in result.paths)
    leftovers = [p.name for p in mp3.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary files or folders left behind


def test_mp3_chapters_and_tags(article_audio: object) -> None:
    result, mp3, _ = _files(article_audio)
    id3 = ID3(mp3)
    assert id3.version[:2] == (2, 3)
    assert str(id3["TIT2"]) == TITLES[0]
    assert str(id3["TPE1"]) == "Kimberly Fortson"
    assert str(id3["TALB"]) == TITLES[0]
    assert str(id3["TLAN"]) == "eng"
    toc = id3.getall("CTOC")[0]
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    ordered = [chaps[i] for i in toc.child_element_ids]
    assert [str(c.sub_frames["TIT2"]) for c in ordered] == TITLES
    expected = [round(c.start * 1000) for c in result.timeline.chapters]
    assert [c.start_time for c in ordered] == expected
    assert expected[0] == 0 and expected == sorted(expected)
    # ffmpeg (and players built on it) read the same chapters
    read = ffmpeg_chapters(mp3)
    assert [c.title for c in read] == TITLES
    assert [round(c.start * 1000) for c in read] == expected


def test_m4b_chapters_and_tags(article_audio: object) -> None:
    result, _, m4b = _files(article_audio)
    read = ffmpeg_chapters(m4b)
    assert [c.title for c in read] == TITLES
    for got, want in zip(read, result.timeline.chapters, strict=True):
        assert abs(got.start - want.start) < 0.05
    tags = MP4(m4b).tags
    assert tags is not None
    assert tags["\xa9nam"] == [TITLES[0]]
    assert tags["\xa9ART"] == ["Kimberly Fortson"]
    assert m4b.read_bytes()[8:12] == b"M4B "


def test_loudness_and_true_peak(article_audio: object) -> None:
    _, mp3, m4b = _files(article_audio)
    for path in (mp3, m4b):
        measured = loudness(path)
        assert -19.0 <= measured.integrated <= -17.0, (path.name, measured)
        assert measured.true_peak <= -3.0, (path.name, measured)


def test_silence_at_head_and_tail_and_one_sample_rate(article_audio: object) -> None:
    _, mp3, m4b = _files(article_audio)
    for path in (mp3, m4b):
        samples, rate = decode(path)
        assert rate == 22050
        head, tail = silence_at_ends(samples, rate)
        assert 0.5 <= head <= 1.0, (path.name, head)
        assert 1.0 <= tail <= 5.0, (path.name, tail)


def test_a_chapter_decodes_to_its_length_with_speech(article_audio: object) -> None:
    result, _, m4b = _files(article_audio)
    chapter = result.timeline.chapters[1]  # References
    samples, rate = decode(m4b, chapter.start, chapter.end)
    assert abs(len(samples) / rate - (chapter.end - chapter.start)) < 0.1
    assert chapter.end - chapter.start > 20  # three entries read in full
    assert rms(samples) > 500  # speech, not silence


def test_timings_sidecar_is_monotonic_and_covers_the_audio(article_audio: object) -> None:
    result, mp3, _ = _files(article_audio)
    data = json.loads(mp3.with_name("article.timings.json").read_text(encoding="utf-8"))
    utterances = data["utterances"]
    assert len(utterances) == len(result.timeline.utterances) > 30
    assert len({u["key"] for u in utterances}) == len(utterances)
    previous_end = 0.0
    for u in utterances:
        assert previous_end <= u["start"] < u["end"] <= data["duration"]
        previous_end = u["end"]
    for u in utterances:  # word timings from espeak-ng, inside their utterance, in order
        times = [t for t, _ in u["words"]]
        assert times and times == sorted(times)
        assert u["start"] <= times[0] and times[-1] < u["end"]
    assert [w for _, w in utterances[0]["words"]][:3] == ["Who", "are", "Individuals"]
    assert 0.5 <= utterances[0]["start"] <= 1.0
    assert 1.0 <= data["duration"] - utterances[-1]["end"] <= 5.0
    assert [c["title"] for c in data["chapters"]] == TITLES
    assert data["sample_rate"] == sample_rate(mp3) == 22050
    # the audio is as long as the timeline says (MP3 adds at most an encoder frame or two)
    samples, rate = decode(mp3)
    assert abs(len(samples) / rate - data["duration"]) < 0.15


def test_both_files_decode_in_step_with_the_timings(article_audio: object) -> None:
    """Speech starts where timings.json says, in both files (captions rely on it)."""
    result, mp3, m4b = _files(article_audio)
    for timing in (result.timeline.utterances[0], result.timeline.utterances[10]):
        for path in (mp3, m4b):
            samples, rate = decode(path, timing.start - 0.3, timing.start + 0.3)
            onset = next(i for i, s in enumerate(samples) if abs(s) > 100) / rate
            assert abs(onset - 0.3) < 0.025, (path.name, timing.key, onset)


def test_audiobooks_carry_the_book_cover(article_audio: object) -> None:
    """Without a cover of the author's own, MP3 and M4B show the EPUB's generated cover."""
    assert isinstance(article_audio, AudioResult)
    cover = render_cover(load(ARTICLE).metadata).png
    mp3 = next(p for p in article_audio.paths if p.suffix == ".mp3")
    m4b = next(p for p in article_audio.paths if p.suffix == ".m4b")
    [art] = ID3(mp3).getall("APIC")
    assert (art.mime, art.type, art.data) == ("image/png", 3, cover)
    assert bytes(MP4(m4b).tags["covr"][0]) == cover  # type: ignore[index]
