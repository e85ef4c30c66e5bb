"""Bad sources: one clear ``path:line:col: severity CODE message`` line, never a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FRONT, run_cli

from pipeline.build import load

LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning|info) (?P<code>[A-Z]\d{3}) .+$"
)

Capture = pytest.CaptureFixture[str]


def _lint(path: Path, capsys: Capture) -> tuple[int, list[re.Match[str]]]:
    status, _, err = run_cli(["lint", path], capsys)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1].startswith(f"{path}: ")  # the summary
    matches = [LINE.match(line) for line in lines[:-1]]
    assert all(matches), lines
    return status, [m for m in matches if m]


def _one_error(path: Path, capsys: Capture, code: str) -> re.Match[str]:
    status, found = _lint(path, capsys)
    assert status == 1
    errors = [m for m in found if m["sev"] == "error"]
    assert [m["code"] for m in errors] == [code], found
    return errors[0]


def test_missing_file(tmp_path: Path, capsys: Capture) -> None:
    found = _one_error(tmp_path / "nope.md", capsys, "S001")
    assert "no such file" in found.group(0)


def test_directory_instead_of_file(tmp_path: Path, capsys: Capture) -> None:
    found = _one_error(tmp_path, capsys, "S001")
    assert "directory" in found.group(0)


def test_non_utf8_bytes_give_line_and_column(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    path = write_source(FRONT.encode() + "Café ok.\nBad: caf".encode() + b"\xe9 here.\n")
    found = _one_error(path, capsys, "S002")
    assert (found["line"], found["col"]) == ("7", "9")
    assert "0xe9" in found.group(0)


def test_byte_order_mark_is_accepted(write_source: Callable[..., Path], capsys: Capture) -> None:
    path = write_source(b"\xef\xbb\xbf" + (FRONT + "Text.\n").encode())
    status, found = _lint(path, capsys)
    assert (status, found) == (0, [])
    assert load(path).metadata.title == "T"


def test_crlf_and_cr_endings_are_accepted(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    text = FRONT + "Para (Roe, 2001).\n\n## References\n\n1. Roe, R. (2001). W.\n"
    path = write_source(text.replace("\n", "\r\n").encode())
    status, found = _lint(path, capsys)
    assert (status, found) == (0, [])
    cr = write_source(text.replace("\n", "\r").encode(), "cr.md")
    assert load(cr).citations[0].line == 6


def test_malformed_yaml_reports_its_line(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    path = write_source('---\ntitle: T\nlang: en\nauthor: "unclosed\n---\nText.\n')
    found = _one_error(path, capsys, "F001")
    assert int(found["line"]) >= 4
    assert "not valid YAML" in found.group(0)


def test_tabs_in_yaml_are_explained(write_source: Callable[..., Path], capsys: Capture) -> None:
    path = write_source("---\ntitle: T\nkeywords:\n\t- a\n---\nText.\n")
    found = _one_error(path, capsys, "F001")
    assert found["line"] == "4"
    assert "tabs" in found.group(0)


def test_number_as_title_is_a_type_error(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    path = write_source("---\nlang: en\ntitle: 2017\n---\nText.\n")
    found = _one_error(path, capsys, "F003")
    assert found["line"] == "3"
    assert "'title' must be text, not a number" in found.group(0)


def test_front_matter_that_is_not_a_mapping(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    _one_error(write_source("---\n- a\n- b\n---\nText.\n"), capsys, "F003")


def test_unclosed_front_matter(write_source: Callable[..., Path], capsys: Capture) -> None:
    found = _one_error(write_source("---\ntitle: T\n\nText.\n"), capsys, "F005")
    assert found["line"] == "1"


def test_missing_title(write_source: Callable[..., Path], capsys: Capture) -> None:
    found = _one_error(write_source("---\nlang: en\n---\nText.\n\n## A\n\n# B\n"), capsys, "F002")
    assert "title" in found.group(0)


def test_empty_file(write_source: Callable[..., Path], capsys: Capture) -> None:
    _one_error(write_source(""), capsys, "S003")


def test_whitespace_only_file(write_source: Callable[..., Path], capsys: Capture) -> None:
    _one_error(write_source(" \n\n\t\n"), capsys, "S003")


def test_front_matter_only(write_source: Callable[..., Path], capsys: Capture) -> None:
    _one_error(write_source(FRONT), capsys, "S003")


def test_control_characters_are_replaced_with_a_warning(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    path = write_source(FRONT + "Bell\x07 here.\n")
    status, found = _lint(path, capsys)
    assert status == 0
    assert [(m["code"], m["line"], m["col"]) for m in found] == [("S004", "6", "5")]


def test_unused_field_and_missing_lang_are_reported(
    write_source: Callable[..., Path], capsys: Capture
) -> None:
    path = write_source("---\ntitle: T\nidentifier: x\nflavour: mint\n---\nText.\n")
    status, found = _lint(path, capsys)
    assert status == 0
    assert [(m["code"], m["sev"]) for m in found] == [("F006", "warning"), ("F004", "info")]
    assert load(path).metadata.lang == "en"


def test_bad_language_tag(write_source: Callable[..., Path], capsys: Capture) -> None:
    path = write_source("---\ntitle: T\nlang: english please\nidentifier: x\n---\nText.\n")
    _, found = _lint(path, capsys)
    assert [(m["code"], m["line"]) for m in found] == [("F006", "3")]


def test_build_of_a_bad_source_writes_nothing(
    write_source: Callable[..., Path], tmp_path: Path, capsys: Capture
) -> None:
    out = tmp_path / "out"
    good = write_source(FRONT + "Text.\n", "good.md")
    assert run_cli(["build", good, "--out", out], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    good.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    status, _, err = run_cli(["build", good, "--out", out], capsys)
    assert status == 1
    assert "nothing written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
