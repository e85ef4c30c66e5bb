"""The listen-along page in real Chromium: highlighting, seeking, no-JS, axe, vnu, CSP.

The page is built beside the session's article audio (synthesised once) and
opened from disk with the page's own Content-Security-Policy enforced, so the
script runs only because its hash is allowed. The audio really loads and seeks.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE, FIXTURES, VNU, _require
from playwright.sync_api import Browser, Page

from pipeline.audio.writer import AudioResult
from pipeline.build import load, prepare
from pipeline.context import Recording
from pipeline.formats import listen
from pipeline.formats.html import HtmlWriter, page

FEATURES = FIXTURES / "narration" / "features.md"
MODES: dict[str, dict[str, Any]] = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "narrow": {"color_scheme": "light", "viewport": {"width": 320, "height": 640}},
}
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "rule", values: axe.getRules().map(rule => rule.ruleId)},
    resultTypes: ["violations"],
}).then(result => result.violations.map(v => ({
    id: v.id, nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
})))"""


def _beside_audio(result: object, source: Path, folder: Path) -> Path:
    """The page written by the HTML writer beside the audio it plays."""
    assert isinstance(result, AudioResult)
    stem = result.paths[0].stem
    for suffix in (".mp3", ".vtt", ".chapters.vtt", ".timings.json"):  # the tests read it
        shutil.copy(result.paths[0].parent / f"{stem}{suffix}", folder / f"{stem}{suffix}")
    recording = Recording(folder / f"{stem}.mp3", result.timings)
    context = replace(prepare(source, folder), recording=recording)
    path, _statement = HtmlWriter().write(context).paths  # the page, then its statement alone
    return path


@pytest.fixture(scope="session")
def listen_page(article_audio: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``article.html`` with its player, beside the article's audio."""
    return _beside_audio(article_audio, ARTICLE, tmp_path_factory.mktemp("listen"))


@pytest.fixture(scope="session")
def features_listen_page(features_audio: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The narration fixture's page (note, table, lists, figure) with its player."""
    return _beside_audio(features_audio, FEATURES, tmp_path_factory.mktemp("listen-features"))


@contextmanager
def opened(
    browser: Browser, path: Path, mode: str = "light", **options: Any
) -> Iterator[tuple[Page, list[str]]]:
    """The page with its CSP enforced; yields it with console messages and page errors."""
    context = browser.new_context(**{**MODES[mode], **options})
    messages: list[str] = []
    page_ = context.new_page()
    page_.on("console", lambda m: messages.append(m.text))
    page_.on("pageerror", lambda e: messages.append(f"error: {e}"))
    try:
        page_.goto(path.as_uri())
        yield page_, messages
    finally:
        context.close()


def _poll(page_: Page, expression: str, timeout: float = 10.0) -> Any:
    """Evaluate until truthy (``wait_for_function`` would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page_.evaluate(expression)
        if value or time.monotonic() > deadline:
            return value
        page_.wait_for_timeout(50)


def _segments(path: Path) -> dict[str, tuple[int, int]]:
    """The page's own data block: element id → (begin, end) in milliseconds."""
    html = path.read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="listen-data">')
    block = html[html.index(">", start) + 1 : html.index("</script>", start)]
    segments = json.loads(block)["segments"]
    return {target: (begin, end) for begin, end, target in segments}


def _real_messages(messages: list[str]) -> list[str]:
    # Chromium treats file: URLs as unique origins: it will not load the tracks from disk
    # (served over HTTP it does). Anything else, a CSP refusal above all, is a failure.
    return [m for m in messages if "Unsafe attempt to load URL file:" not in m]


def test_seeking_highlights_the_sentence_and_listen_from_here_seeks(
    media_browser: Browser, listen_page: Path
) -> None:
    with opened(media_browser, listen_page) as (page_, messages):
        assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
        duration = page_.evaluate("document.getElementById('listen-audio').duration")
        assert abs(duration - article_seconds(listen_page)) < 1.0
        assert page_.evaluate("document.querySelectorAll('.listen-current').length") == 0
        begin, end = _segments(listen_page)["p-3-s2"]
        page_.evaluate(
            f"document.getElementById('listen-audio').currentTime = {(begin + end) / 2000}"
        )
        # the second sentence of the third paragraph, not the paragraph around it
        assert _poll(page_, "document.querySelector('.listen-current')?.id") == "p-3-s2"
        assert page_.evaluate("document.querySelectorAll('.listen-current').length") == 1
        current = "document.querySelector('.listen-current')"
        assert page_.evaluate(f"{current}.parentElement.id") == "p-3"
        assert page_.evaluate(f"{current}.textContent").startswith("For those who purchase")
        style = page_.evaluate(f"getComputedStyle({current}).textDecorationLine")
        assert style == "underline"  # not colour alone
        buttons = page_.locator("button.listen-here")
        labels = buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
        assert labels == [
            "Listen from here: Who are Individuals that Willingly Purchase People?",
            "Listen from here: References",
            "Listen from here: About the publisher",
        ]
        buttons.nth(1).focus()
        page_.keyboard.press("Enter")  # keyboard-operable
        begin, _ = _segments(listen_page)["references-title"]
        assert _poll(page_, "document.querySelector('.listen-current')?.id") == "references-title"
        at = page_.evaluate("document.getElementById('listen-audio').currentTime")
        assert begin / 1000 <= at < begin / 1000 + 2.0
        assert _poll(page_, "!document.getElementById('listen-audio').paused")  # it plays
        assert _real_messages(messages) == []


def article_seconds(path: Path) -> float:
    return float(json.loads(path.with_suffix(".timings.json").read_text())["duration"])


def test_follow_checkbox_scrolls_and_respects_reduced_motion(
    media_browser: Browser, listen_page: Path
) -> None:
    begin, end = _segments(listen_page)["ref-bach-2017"]
    seek = f"document.getElementById('listen-audio').currentTime = {(begin + end) / 2000}"
    follow = "Scroll to the passage being read"
    with opened(media_browser, listen_page) as (page_, _):
        assert page_.get_by_label(follow).is_checked()
        assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
        page_.evaluate(seek)
        assert _poll(page_, "window.scrollY > 0")  # the reference read is brought into view
    with opened(media_browser, listen_page, reduced_motion="reduce") as (page_, _):
        assert not page_.get_by_label(follow).is_checked()  # off unless the reader asks
        assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
        page_.evaluate(seek)
        assert _poll(page_, "document.querySelector('.listen-current')?.id") == "ref-bach-2017"
        assert page_.evaluate("window.scrollY") == 0
        page_.get_by_label(follow).check()  # asked for: it scrolls, without animation
        page_.evaluate(f"document.getElementById('listen-audio').currentTime = {end / 1000 + 1}")
        assert _poll(page_, "window.scrollY > 0")


def test_without_javascript_the_page_is_complete_and_has_no_dead_controls(
    media_browser: Browser, listen_page: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.html"
    plain.write_text(page(load(ARTICLE)), encoding="utf-8")
    # the text, apart from the accessibility statement, which says the page is narrated
    main_text = (
        "document.querySelector('main section.accessibility').remove(),"
        " document.querySelector('main').innerText"
    )
    with opened(media_browser, plain, java_script_enabled=False) as (page_, _):
        expected = page_.evaluate(main_text)
    with opened(media_browser, listen_page, java_script_enabled=False) as (page_, _):
        assert page_.evaluate(main_text) == expected  # the text is unchanged
        assert page_.locator("button, input").count() == 0  # nothing that needs the script
        assert page_.locator("audio[controls] source[src='article.mp3']").count() == 1
        tracks = page_.evaluate(
            "[...document.querySelectorAll('audio track')]"
            ".map(t => [t.kind, t.src.split('/').pop()])"
        )
        assert tracks == [["captions", "article.vtt"], ["chapters", "article.chapters.vtt"]]


@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_no_violations_while_reading(
    media_browser: Browser, listen_page: Path, axe_source: str, mode: str
) -> None:
    with opened(media_browser, listen_page, mode, bypass_csp=True) as (page_, _):
        assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
        begin, end = _segments(listen_page)["ref-bach-2017"]
        page_.evaluate(
            f"document.getElementById('listen-audio').currentTime = {(begin + end) / 2000}"
        )
        assert _poll(page_, "document.querySelector('.listen-current')?.id") == "ref-bach-2017"
        page_.evaluate(axe_source)
        assert page_.evaluate(AXE_RUN) == []
        widths = page_.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]


@pytest.mark.parametrize("mode", ["light", "dark", "narrow"])
def test_axe_on_the_features_page_while_a_table_row_is_read(
    media_browser: Browser, features_listen_page: Path, axe_source: str, mode: str
) -> None:
    with opened(media_browser, features_listen_page, mode, bypass_csp=True) as (page_, messages):
        assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
        begin, end = _segments(features_listen_page)["row-2"]
        page_.evaluate(
            f"document.getElementById('listen-audio').currentTime = {(begin + end) / 2000}"
        )
        assert _poll(page_, "document.querySelector('.listen-current')?.id") == "row-2"
        assert page_.locator("button.listen-here").count() == 5  # title and four headings
        page_.evaluate(axe_source)
        assert page_.evaluate(AXE_RUN) == []
        widths = page_.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]
        assert _real_messages(messages) == []


def test_csp_allows_only_the_listen_script(listen_page: Path) -> None:
    html = listen_page.read_text(encoding="utf-8")
    assert "unsafe-inline" not in html and "unsafe-eval" not in html
    assert f"script-src {listen.digest(listen.script())};" in html.replace("&#x27;", "'")
    assert "media-src 'self'" in html.replace("&#x27;", "'")
    assert html.count("<script") == 2  # the data block and the script, nothing else


@pytest.mark.jvm
def test_vnu_reports_no_errors_on_the_listen_page(listen_page: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found", pytrace=False)
    jar = _require(VNU, "vnu.jar")
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", str(listen_page)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []


def test_screenshots_of_the_player(
    media_browser: Browser, listen_page: Path, tmp_path: Path
) -> None:
    """The player while a reference is read, light, dark and 320 px (``nox -s screenshots``)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for mode in MODES:
        with opened(media_browser, listen_page, mode) as (page_, _):
            assert _poll(page_, "document.getElementById('listen-audio').readyState >= 1")
            begin, end = _segments(listen_page)["ref-bach-2017"]
            page_.evaluate(
                f"document.getElementById('listen-audio').currentTime = {(begin + end) / 2000}"
            )
            assert _poll(page_, "document.querySelector('.listen-current')?.id")
            page_.evaluate("window.scrollTo(0, 0)")
            top = folder / f"listen-{mode}-player.png"
            page_.screenshot(path=str(top))
            page_.locator("#ref-bach-2017").scroll_into_view_if_needed()
            reading = folder / f"listen-{mode}-reading.png"
            page_.screenshot(path=str(reading))
            assert top.stat().st_size > 1000 and reading.stat().st_size > 1000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def test_caption_and_chapter_tracks_load_over_http(
    media_browser: Browser, listen_page: Path
) -> None:
    """Served from 127.0.0.1 (never the network), the tracks load under the page's CSP."""
    handler = functools.partial(_Quiet, directory=str(listen_page.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{listen_page.name}"
        context = media_browser.new_context()
        try:
            page_ = context.new_page()
            messages: list[str] = []
            page_.on("console", lambda m: messages.append(m.text))
            page_.goto(url)
            page_.evaluate("document.getElementById('listen-audio').textTracks[1].mode = 'hidden'")
            counts = (
                "[...document.getElementById('listen-audio').textTracks].map(t => t.cues?.length)"
            )
            cues = json.loads(listen_page.with_suffix(".timings.json").read_text())["utterances"]
            expected = [len(cues), 3]
            deadline = time.monotonic() + 10
            while page_.evaluate(counts) != expected and time.monotonic() < deadline:
                page_.wait_for_timeout(50)
            assert page_.evaluate(counts) == expected
            first = "document.getElementById('listen-audio').textTracks[0].cues[0].id"
            assert page_.evaluate(first) == "doc-title"
            assert messages == []
        finally:
            context.close()
    finally:
        server.shutdown()
        server.server_close()
