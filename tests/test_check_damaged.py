"""``publish check`` on damaged and hostile artifacts: findings and a report, never a traceback.

The EPUB cases are in ``fixtures/check/damaged-epubs.txt`` (one block each), screened
without any validator; Hypothesis gives the screen random bytes and random archives.
The artifact-level cases (links out of the folder, a tampered ``model.json``, names
with terminal escapes) run ``publish check`` itself on folders where every artifact is
refused before a validator starts, so they need no Java or browser.
"""

from __future__ import annotations

import ast
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import run_cli

from pipeline.check import screen
from pipeline.check.findings import printable
from pipeline.check.run import discover, locate_source
from pipeline.diagnostics import Severity

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "damaged-epubs.txt"
MIB = 1024 * 1024
LIMITS = screen.Limits(entry_bytes=4 * MIB, book_bytes=6 * MIB, ratio=100, entries=40)
CONTAINER = (
    '<?xml version="1.0"?>\n<container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
PACKAGE = (
    '<?xml version="1.0"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
    'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:identifier id="id">x</dc:identifier><dc:title>T</dc:title>'
    "<dc:language>en</dc:language></metadata><manifest>"
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    '</manifest><spine><itemref idref="nav"/></spine></package>'
)
NAV = (
    '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
    'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>T</title></head><body>'
    '<nav epub:type="toc"><ol><li><a href="nav.xhtml">T</a></li></ol></nav></body></html>'
)


def _unescape(text: str) -> str:
    return str(ast.literal_eval('"' + text.replace('"', '\\"') + '"'))


@dataclass(frozen=True)
class Case:
    """One block of the fixture file."""

    name: str
    steps: tuple[str, ...]
    expect: frozenset[str]


def _cases() -> list[Case]:
    text = "\n".join(
        line
        for line in FIXTURES.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    )
    cases = []
    for block in text.strip().split("\n\n"):
        name, *steps = block.strip().split("\n")
        expect = [s for s in steps if s.startswith("expect ")]
        assert len(expect) == 1, f"{name}: one expect line"
        codes = expect[0].split()[1:]
        cases.append(
            Case(
                name,
                tuple(s for s in steps if not s.startswith("expect ")),
                frozenset() if codes == ["none"] else frozenset(codes),
            )
        )
    return cases


def _build(steps: tuple[str, ...]) -> bytes:
    """The file a case's steps describe."""
    entries: dict[str, tuple[bytes, int]] = {}
    raw: bytes | None = None
    cut: int | None = None
    corrupt: list[str] = []
    for step in steps:
        verb, _, rest = step.partition(" ")
        if verb == "bytes":
            raw = _unescape(rest).encode("latin-1")
        elif verb == "base":
            entries["mimetype"] = (b"application/epub+zip", zipfile.ZIP_STORED)
            entries["META-INF/container.xml"] = (CONTAINER.encode(), zipfile.ZIP_DEFLATED)
            entries["EPUB/package.opf"] = (PACKAGE.encode(), zipfile.ZIP_DEFLATED)
            entries["EPUB/nav.xhtml"] = (NAV.encode(), zipfile.ZIP_DEFLATED)
        elif verb == "entry":
            name, _, content = rest.partition(" = ")
            entries[_unescape(name)] = (_unescape(content).encode("utf-8"), zipfile.ZIP_DEFLATED)
        elif verb in ("zeros", "stored"):
            name, size = rest.split()
            method = zipfile.ZIP_DEFLATED if verb == "zeros" else zipfile.ZIP_STORED
            entries[name] = (bytes(int(float(size) * MIB)), method)
        elif verb == "drop":
            del entries[rest]
        elif verb == "many":
            for index in range(int(rest)):
                entries[f"EPUB/extra/{index}.txt"] = (b"x", zipfile.ZIP_STORED)
        elif verb == "cut":
            cut = int(rest)
        elif verb == "corrupt":
            corrupt.append(rest)
        else:
            raise AssertionError(f"unknown step {step!r}")
    if raw is not None:
        return raw
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, (content, method) in entries.items():
            book.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content, method)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        for name in corrupt:
            info = book.getinfo(name)
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data[:cut] if cut is not None else data)


CASES = _cases()


def test_the_fixture_file_has_every_screen_code() -> None:
    codes = set().union(*(case.expect for case in CASES))
    assert codes >= {
        "EPUB-EMPTY",
        "EPUB-NOT-ZIP",
        "EPUB-TRUNCATED",
        "EPUB-NO-CONTAINER",
        "EPUB-UNSAFE-NAME",
        "EPUB-XML-ENTITY",
        "EPUB-ENTRY-TOO-LARGE",
        "EPUB-ENTRY-RATIO",
        "EPUB-TOO-LARGE",
        "EPUB-ENTRY-DAMAGED",
        "EPUB-TOO-MANY-ENTRIES",
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_damaged_epub_is_screened(case: Case, tmp_path: Path) -> None:
    book = tmp_path / "book.epub"
    book.write_bytes(_build(case.steps))
    found = screen.screen("out/book.epub", book, LIMITS)
    assert {f.code for f in found} == case.expect, [str(f) for f in found]
    assert all(f.severity is Severity.ERROR and f.path == "out/book.epub" for f in found)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub"]  # nothing extracted


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_CHECK_MAX_ENTRY_MB", "2")
    monkeypatch.setenv("PUBLISH_CHECK_MAX_BOOK_MB", "3")
    monkeypatch.setenv("PUBLISH_CHECK_MAX_RATIO", "50")
    monkeypatch.setenv("PUBLISH_CHECK_MAX_ENTRIES", "7")
    assert screen.Limits.from_environment() == screen.Limits(2 * MIB, 3 * MIB, 50, 7)
    monkeypatch.setenv("PUBLISH_CHECK_MAX_ENTRIES", "lots")
    assert screen.Limits.from_environment().entries == 10_000


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000))
def test_random_bytes_never_crash_the_screen(data: bytes) -> None:
    with _scratch() as book:
        book.write_bytes(data)
        found = screen.screen("b.epub", book, LIMITS)
    assert found and all(f.severity is Severity.ERROR for f in found)  # no ZIP, no book


ENTRY_NAMES = st.lists(
    st.sampled_from([*"ab./\\:\x00\x1b-_", "..", "META-INF/", "EPUB/", "container.xml"]),
    min_size=1,
    max_size=8,
).map("".join)
CONTENTS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
            b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
            b"<a><b></a>",
            CONTAINER.encode(),
        ]
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(ENTRY_NAMES, CONTENTS, st.booleans()),
        max_size=8,
        unique_by=lambda e: e[0].split("\x00")[0],
    ),
    st.one_of(st.none(), st.integers(0, 3000)),
)
def test_random_archives_never_crash_the_screen(
    entries: list[tuple[str, bytes, bool]], cut: int | None
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, content, deflate in entries:
            method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            book.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content, method)
    data = buffer.getvalue()[:cut] if cut is not None else buffer.getvalue()
    with _scratch() as book_path:
        book_path.write_bytes(data)
        found = screen.screen("b.epub", book_path, LIMITS)
    codes = {f.code for f in found}
    # zipfile reads a name only up to a NUL, as the validators would
    if cut is None and any(screen.unsafe_name(name.split("\x00")[0]) for name, _, _ in entries):
        assert "EPUB-UNSAFE-NAME" in codes
    names = [name.split("\x00")[0] for name, _, _ in entries]
    if cut is None and "META-INF/container.xml" not in names:
        assert codes  # at least the missing container


class _scratch:  # noqa: N801 - used as a context manager, named for what it gives
    """A fresh file path in a folder of its own (Hypothesis examples cannot share tmp_path)."""

    def __init__(self) -> None:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="publish-screen-")

    def __enter__(self) -> Path:
        return Path(self._dir.name) / "b.epub"

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


# ------------------------------------------------------------ artifacts and the model


def test_an_artifact_linked_outside_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.html"
    outside.write_text("<p>secret</p>", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.html").symlink_to(outside)
    (out / "b.html").symlink_to(tmp_path / "missing.html")
    (out / "c.html").write_text("<p>ok</p>", encoding="utf-8")
    os.mkfifo(out / "d.mp3")
    found = {
        a.path.name: {f.code for f in a.refused} for arts in discover(out).values() for a in arts
    }
    assert found == {
        "a.html": {"ARTIFACT-OUTSIDE"},
        "b.html": {"ARTIFACT-NOT-FILE"},
        "c.html": set(),
        "d.mp3": {"ARTIFACT-NOT-FILE"},
    }


def test_a_link_inside_the_folder_is_checked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "pages").mkdir(parents=True)
    (out / "pages" / "real.html").write_text("<p>ok</p>", encoding="utf-8")
    (out / "a.html").symlink_to(out / "pages" / "real.html")
    [artifact] = discover(out)["a"]
    assert artifact.refused == ()


@pytest.mark.parametrize(
    "model",
    ["{not json", "[1, 2]", '"text"', '{"path": 5}', '{"path": ["a"]}', "\x00\xff", "[" * 100_000],
)
def test_a_damaged_model_is_a_warning(
    model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.model.json").write_text(model, encoding="utf-8", errors="surrogateescape")
    source, how, problems = locate_source(out, "doc", None)
    assert (source, how) == (None, "not found")
    assert [f.code for f in problems] == ["MODEL-JSON-BAD"]


def test_a_recorded_source_outside_the_folders_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    out = project / "out"
    out.mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text("password\n", encoding="utf-8")
    monkeypatch.chdir(project)
    for recorded in (str(secret), "../secret.md"):
        (out / "doc.model.json").write_text(json.dumps({"path": recorded}), encoding="utf-8")
        source, _, problems = locate_source(out, "doc", None)
        assert source is None, recorded
        assert [f.code for f in problems] == ["SOURCE-OUTSIDE"], recorded
    (project / "link.md").symlink_to(secret)  # a link inside that leads outside
    (out / "doc.model.json").write_text('{"path": "link.md"}', encoding="utf-8")
    assert [f.code for f in locate_source(out, "doc", None)[2]] == ["SOURCE-OUTSIDE"]
    (project / "doc.md").write_text("# T\n", encoding="utf-8")
    (out / "doc.model.json").write_text('{"path": "doc.md"}', encoding="utf-8")
    assert locate_source(out, "doc", None)[:1] == (Path("doc.md"),)


def test_control_characters_are_escaped_for_the_terminal() -> None:
    assert printable("out/\x1b[2Ja\x07b\rc\u202e.epub") == "out/\\x1b[2Ja\\x07b\\rc\\u202e.epub"
    assert printable("café – ok") == "café – ok"


def test_check_of_damaged_artifacts_reports_and_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every artifact here is refused before a validator starts: a report each, exit 1."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    evil = "\x1b[2J\x1b]0;pwned\x07book"
    (out / f"{evil}.epub").write_bytes(b"not a zip")
    (out / "empty.epub").write_bytes(b"")
    (tmp_path / "secret.html").write_text("<p>x</p>", encoding="utf-8")
    (out / "linked.html").symlink_to(tmp_path / "secret.html")
    (out / "linked.model.json").write_text("[1, 2]", encoding="utf-8")
    status, printed_out, printed_err = run_cli(["check", out], capsys)
    assert status == 1
    assert "\x1b" not in printed_out + printed_err and "\x07" not in printed_out + printed_err
    assert "\\x1b[2J" in printed_err
    for stem, code in (
        (evil, "EPUB-NOT-ZIP"),
        ("empty", "EPUB-EMPTY"),
        ("linked", "ARTIFACT-OUTSIDE"),
    ):
        report = json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
        codes = {f["code"] for a in report["artifacts"] for f in a["findings"]}
        assert codes == {code}, (stem, codes)
        assert (out / f"{stem}.report.html").is_file()
    linked = json.loads((out / "linked.report.json").read_text(encoding="utf-8"))
    assert {f["code"] for f in linked["source"]["findings"]} == {
        "MODEL-JSON-BAD",
        "SOURCE-NOT-FOUND",
    }
