"""The word catalogue: complete for every language, used by the page, the player and the
narration, and a diagnostic when a language has no table."""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from support import run_cli

from pipeline.build import load
from pipeline.formats.listen import Listen, data, player
from pipeline.formats.sync import Timings
from pipeline.words import TABLES, has_table, page_words, words_for

Capture = pytest.CaptureFixture[str]


def _leaves(value: object, path: str = "") -> dict[str, str]:
    """Every string of a table by its dotted field path (tuples as ``.0``, ``.1``)."""
    if isinstance(value, str):
        return {path: value}
    out: dict[str, str] = {}
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            out.update(_leaves(item, f"{path}.{index}"))
    elif is_dataclass(value):
        for field in fields(value):
            out.update(_leaves(getattr(value, field.name), f"{path}.{field.name}".lstrip(".")))
    return out


#: Tables as long as the language's grammar needs (English contracts nothing in formulas).
PER_LANGUAGE = ("math.contractions.",)


def _shared(lang: str) -> dict[str, str]:
    leaves = _leaves(TABLES[lang])
    return {key: value for key, value in leaves.items() if not key.startswith(PER_LANGUAGE)}


ENGLISH = _shared("en")


def test_four_languages_have_tables() -> None:
    assert sorted(TABLES) == ["de", "en", "es", "fr"]
    assert all(TABLES[code].lang == code for code in TABLES)


@pytest.mark.parametrize("lang", ["fr", "es", "de"])
def test_every_word_is_there_with_the_same_placeholders(lang: str) -> None:
    words = _shared(lang)
    assert words.keys() == ENGLISH.keys()
    for key, english in ENGLISH.items():
        if key == "lang":
            continue
        assert words[key].strip(), key
        assert sorted(re.findall(r"\{\w+\}", words[key])) == sorted(
            re.findall(r"\{\w+\}", english)
        ), key


def test_a_missing_word_is_a_type_error() -> None:
    from pipeline.words import PlayerWords

    with pytest.raises(TypeError):
        PlayerWords(audio="a", captions="b")  # type: ignore[call-arg]


def test_regional_tags_use_their_language_and_others_fall_back_marked() -> None:
    assert words_for("fr-CA") is TABLES["fr"]
    assert words_for("de_AT") is TABLES["de"]
    assert has_table("es-419")
    assert page_words("es-419") == ("", TABLES["es"].page)
    assert page_words("ja") == ("en", TABLES["en"].page)


def test_a_language_without_a_table_gets_a_diagnostic(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "ja.md"
    source.write_text("---\ntitle: T\nidentifier: x\nlang: ja\n---\n\nテキスト。\n", "utf-8")
    status, _, err = run_cli(["lint", source], capsys)
    assert status == 0
    assert f"{source}:4:1: info F009 no word table for 'ja'" in err
    assert "will be English" in err
    french = tmp_path / "fr.md"
    french.write_text("---\ntitle: T\nidentifier: x\nlang: fr-CA\n---\n\nTexte.\n", "utf-8")
    run_cli(["lint", french], capsys)
    assert load(french).diagnostics == ()


def _listen() -> Listen:
    return Listen(
        "a.mp3",
        "a.vtt",
        "a.chapters.vtt",
        Timings(cues=(), chapters=(), duration=0, engine="pyttsx3", voice="v"),
    )


@pytest.mark.parametrize("lang", ["fr", "es", "de", "en"])
def test_the_player_speaks_the_documents_language(lang: str, tmp_path: Path) -> None:
    source = tmp_path / "d.md"
    source.write_text(f"---\ntitle: T\nidentifier: x\nlang: {lang}\n---\n\nText.\n", "utf-8")
    document = load(source)
    words = TABLES[lang].player
    markup = player(_listen(), document)
    assert f'aria-label="{words.audio}"' in markup
    assert f'label="{words.captions}"' in markup
    assert words.download in markup
    assert ' lang="en"' not in markup
    script_words = json.loads(data(_listen(), document, {}))["words"]
    assert script_words == {
        "lang": "",
        "follow": words.follow,
        "listenHere": words.listen_here,
        "listenHereTo": words.listen_here_to,
    }


def test_the_player_marks_english_words_in_a_language_without_a_table(tmp_path: Path) -> None:
    source = tmp_path / "d.md"
    source.write_text("---\ntitle: T\nidentifier: x\nlang: ja\n---\n\nText.\n", "utf-8")
    document = load(source)
    assert '<div class="listen" id="listen" lang="en">' in player(_listen(), document)
    assert json.loads(data(_listen(), document, {}))["words"]["lang"] == "en"


@pytest.mark.parametrize(
    ("lang", "start"),
    [("fr", "Elle ne déclare"), ("de", "Sie erhebt"), ("es", "No declara"), ("ja", "It makes")],
)
def test_the_accessibility_summary_is_in_the_books_language(
    lang: str, start: str, tmp_path: Path
) -> None:
    from epub_helpers import book_from

    source = tmp_path / "d.md"
    source.write_text(
        f"---\ntitle: T\nidentifier: x\nlang: {lang}\n---\n\n## A\n\nText.[^n]\n\n[^n]: N.\n",
        "utf-8",
    )
    opf = book_from(source).text("EPUB/package.opf")
    found = re.search(r'<meta( xml:lang="(\w+)")? property="schema:accessibilitySummary">', opf)
    assert found is not None
    assert found.group(2) == ("en" if lang == "ja" else None)
    summary = opf[found.end() :].split("<", 1)[0]
    assert summary.startswith(start)
    note = TABLES[lang if lang != "ja" else "en"].summary.note[0]
    assert f"1 {note}" in summary
