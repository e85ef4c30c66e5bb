"""The page in real headless Chromium: axe-core, reflow, the accessibility tree, screenshots.

Chromium starts once per session (``browser`` fixture); each check opens a fresh
context. Every request the page makes is recorded and refused unless it is the
page itself: the page must be self-contained, and tests never touch the network.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

MODES: dict[str, dict[str, Any]] = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "narrow": {"color_scheme": "light", "viewport": {"width": 320, "height": 640}},
    "narrow-dark": {"color_scheme": "dark", "viewport": {"width": 320, "height": 640}},
}
PAGES = ("article", "features", "hostile", "statement")

#: Every axe rule, best practices and experimental ones included.
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "rule", values: axe.getRules().map(rule => rule.ruleId)},
    resultTypes: ["violations"],
}).then(result => result.violations.map(v => ({
    id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
})))"""

#: WCAG 1.4.12 text-spacing overrides (the bookmarklet's values).
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""


@contextmanager
def open_page(
    browser: Browser, path: Path, mode: str = "light", *, bypass_csp: bool = True
) -> Iterator[tuple[Page, list[str]]]:
    """The page in a fresh context; yields it with the URLs it requested."""
    context = browser.new_context(bypass_csp=bypass_csp, **MODES[mode])
    requested: list[str] = []

    def guard(route: Route) -> None:
        requested.append(route.request.url)
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        yield page, requested
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["light", "dark", "narrow", "narrow-dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(
    browser: Browser, page_files: dict[str, Path], axe_source: str, name: str, mode: str
) -> None:
    with open_page(browser, page_files[name], mode) as (page, requested):
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        dark = MODES[mode]["color_scheme"] == "dark"
        assert background == ("rgb(20, 20, 20)" if dark else "rgb(255, 255, 255)")
        page.evaluate(axe_source)
        violations = page.evaluate(AXE_RUN)
        assert page.evaluate("axe.version") == "4.14.1"
        assert violations == []
        assert requested == [page_files[name].as_uri()], "the page requested something else"


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scroll_at_320px_even_with_text_spacing(
    browser: Browser, page_files: dict[str, Path], name: str
) -> None:
    with open_page(browser, page_files[name], "narrow") as (page, _):
        widths = "() => [document.documentElement.scrollWidth, window.innerWidth]"
        scroll, inner = page.evaluate(widths)
        assert scroll <= inner
        page.add_style_tag(content=TEXT_SPACING)
        scroll, inner = page.evaluate(widths)
        assert scroll <= inner
        clipped = page.evaluate(
            """() => [...document.querySelectorAll("body *")].filter(el => {
                const s = getComputedStyle(el);
                const hides = ["hidden", "clip"].includes(s.overflowY);
                return hides && el.scrollHeight > el.clientHeight + 1;
            }).map(el => el.outerHTML.slice(0, 80))"""
        )
        assert clipped == []


def test_styles_and_images_work_under_the_pages_own_csp(
    browser: Browser, page_files: dict[str, Path]
) -> None:
    with open_page(browser, page_files["features"], bypass_csp=False) as (page, requested):
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.reload()
        styled = page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")
        assert styled not in ("none", "")
        sizes = page.evaluate("[...document.images].map(i => i.naturalWidth)")
        assert sizes and all(size > 0 for size in sizes)
        assert not [m for m in messages if "Content Security Policy" in m]
        assert set(requested) == {page_files["features"].as_uri()}


def test_keyboard_focus_is_visible_and_starts_at_the_skip_link(
    browser: Browser, page_files: dict[str, Path]
) -> None:
    with open_page(browser, page_files["features"]) as (page, _):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el),
                r = el.getBoundingClientRect();
                return [el.className, s.outlineStyle, r.top >= 0,
                        r.width >= 24, r.height >= 24]; }"""
        )
        assert focused == ["skip-link", "solid", True, True, True]
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # Tabbing reaches every code block and table region, each with a visible outline.
        reached: list[tuple[str, str]] = []
        for _ in range(80):
            page.keyboard.press("Tab")
            reached.append(
                page.evaluate(
                    """() => { const el = document.activeElement;
                        return [el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
                                getComputedStyle(el).outlineStyle]; }"""
                )
            )
        targets = dict(reached)
        assert targets.get("pre.lines") == "solid"
        assert targets.get("div.table-scroll") == "solid"
        targets.pop("body", None)  # focus wraps past the last link to the document
        assert {e: o for e, o in targets.items() if o != "solid"} == {}


def test_reduced_motion_and_print(browser: Browser, page_files: dict[str, Path]) -> None:
    with open_page(browser, page_files["features"]) as (page, _):
        behaviour = "getComputedStyle(document.documentElement).scrollBehavior"
        assert page.evaluate(behaviour) == "smooth"
        page.emulate_media(reduced_motion="reduce")
        assert page.evaluate(behaviour) == "auto"
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).display") == (
            "none"
        )
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"


def _ax_tree(page: Page) -> list[dict[str, Any]]:
    """Chromium's accessibility tree (what a screen reader is given), in document order."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    ordered: list[dict[str, Any]] = []
    stack = [nodes[0]["nodeId"]]
    while stack:
        node = by_id[stack.pop()]
        if not node.get("ignored"):
            ordered.append(node)
        stack.extend(reversed([c for c in node.get("childIds", []) if c in by_id]))
    return ordered


LINK_ROLES = ("link", "doc-noteref", "doc-backlink")
LANDMARKS = ("banner", "navigation", "main", "contentinfo", "region", "doc-bibliography")


def _role(node: dict[str, Any]) -> str:
    return str(node.get("role", {}).get("value", ""))


def _name(node: dict[str, Any]) -> str:
    return str(node.get("name", {}).get("value", ""))


def _level(node: dict[str, Any]) -> int:
    for prop in node.get("properties", []):
        if prop["name"] == "level":
            return int(prop["value"]["value"])
    return 0


def test_screen_reader_view_of_the_article(browser: Browser, page_files: dict[str, Path]) -> None:
    with open_page(browser, page_files["article"]) as (page, _):
        nodes = _ax_tree(page)
    landmarks = [(_role(n), _name(n)) for n in nodes if _role(n) in LANDMARKS]
    assert landmarks == [
        ("banner", ""),
        ("navigation", "Contents"),
        ("main", ""),
        ("doc-bibliography", "References"),
        ("region", "About the publisher"),
        ("region", "Accessibility"),  # the accessibility statement, listed in the contents
        ("contentinfo", ""),
    ]
    headings = [(_level(n), _name(n)) for n in nodes if _role(n) == "heading"]
    assert headings == [
        (1, "Who are Individuals that Willingly Purchase People?"),
        (2, "Contents"),
        (2, "References"),
        (2, "About the publisher"),
        (2, "Accessibility"),
        (3, "Ways of reading"),
        (3, "Conformance"),
        (3, "Navigation"),
        (3, "Rich content"),
        (3, "Hazards"),
        (3, "Accessibility summary"),
        (3, "Legal considerations"),
    ]
    links = [_name(n) for n in nodes if _role(n) in LINK_ROLES]
    assert links.count("Bach, Diane & Litam, 2017") == 1
    assert links.count("Bach et al., 2017") == 2
    assert links.count("Gallagher & Holmes, 2008") == 1
    assert "Back to where Bach & Litam, 2017 is cited, 3 of 3" in links
    assert "Back to where Gallagher & Holmes, 2008 is cited, 1 of 1" in links
    # Unresolved citations are text, never a dead link.
    assert not [name for name in links if "Weitzer" in name or "Wetizer" in name]


def test_screen_reader_view_of_the_features(browser: Browser, page_files: dict[str, Path]) -> None:
    with open_page(browser, page_files["features"]) as (page, _):
        nodes = _ax_tree(page)
        langs = page.evaluate(
            "[...document.querySelectorAll('[lang]')].map(e => e.getAttribute('lang'))"
        )
    levels = [_level(n) for n in nodes if _role(n) == "heading"]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    links = [_name(n) for n in nodes if _role(n) in LINK_ROLES]
    assert {
        "Note 1",
        "Note 2",
        "Smith, 2019",
        "Brown et al. (2018)",
        "Skip to main content",
    } <= set(links)
    assert "Back to reference 2 of note 1 in the text" in links
    regions = [_name(n) for n in nodes if _role(n) == "region"]
    assert {"Code example 1 (python)", "Code example 2", "Measured times, in seconds"} <= set(
        regions
    )
    images = [_name(n) for n in nodes if _role(n) in ("image", "img")]
    assert images == ["A bar chart of build times: HTML is fastest."]  # decorative one hidden
    assert {"en-GB", "fr", "de", "es"} <= set(langs)


def test_screenshots(browser: Browser, page_files: dict[str, Path], tmp_path: Path) -> None:
    """Light, dark and 320 px pictures for a person to look at (``nox -s screenshots``)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("article", "features"):
        for mode in ("light", "dark", "narrow"):
            with open_page(browser, page_files[name], mode) as (page, _):
                shot = folder / f"{name}-{mode}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 1000
