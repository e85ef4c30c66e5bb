"""axe-core in headless Chromium: every rule, best practices included, in three views.

One browser serves a whole check run (``check``, or ``Browser`` as a context
manager);
each page is opened in a fresh context per view: light and dark colour
schemes at desktop width, and a 320 px viewport (WCAG 1.4.10 reflow), since
contrast and layout problems differ between them. Every request the page
makes outside its own folder is refused and reported: a page that needs the
network is not self-contained, and a check never touches the network. At
320 px the page must not scroll sideways (axe does not test reflow).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pipeline.check import tools
from pipeline.check.findings import Finding, MissingToolError
from pipeline.diagnostics import ExternalError, Severity

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser
    from playwright.sync_api import Playwright, Route

#: The views each page is checked in, by name.
VIEWS: dict[str, dict[str, Any]] = {
    "light": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 900}},
    "320px": {"color_scheme": "light", "viewport": {"width": 320, "height": 640}},
}

#: Chromium flags: headless without a sandbox (containers) and without any background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Run every rule axe has (experimental and best-practice ones too), report what matters.
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "rule", values: axe.getRules().map(rule => rule.ruleId)},
    resultTypes: ["violations"],
}).then(result => ({
    version: result.testEngine.version,
    passes: result.passes.length,
    incomplete: result.incomplete.map(r => r.id),
    violations: result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ")),
    })),
}))"""


@dataclass(frozen=True, slots=True)
class AxeResult:
    """axe-core's verdict on one page, over all views."""

    version: str
    findings: tuple[Finding, ...]
    passes: dict[str, int]
    """Rules passed, by view."""
    incomplete: dict[str, list[str]]
    """Rules axe could not decide (to review by hand), by view."""


class Browser:
    """One headless Chromium with axe-core loaded, for as many pages as needed."""

    def __init__(self) -> None:
        self._axe = tools.axe_script().read_text(encoding="utf-8")
        self._chromium = tools.chromium()
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None

    def __enter__(self) -> Browser:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise MissingToolError("Playwright", "pip install playwright") from None
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(self._chromium),
                args=[*CHROMIUM_ARGS, f"--js-flags=--max-old-space-size={tools.memory_mb()}"],
            )
        except Exception as exc:
            self._playwright.stop()
            raise ExternalError(f"Chromium did not start: {str(exc).splitlines()[0]}") from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def run(self, path: Path, view: str) -> tuple[dict[str, Any], list[str]]:
        """axe's summary of ``path`` in ``view``, and the URLs it refused."""
        if self._browser is None:
            raise RuntimeError("use Browser as a context manager")
        page_url = path.resolve().as_uri()
        folder = path.resolve().parent.as_uri() + "/"
        refused: list[str] = []

        def guard(route: Route) -> None:
            url = route.request.url
            if url == page_url or url.startswith(folder):
                route.continue_()
            else:
                refused.append(url)
                route.abort()

        context = self._browser.new_context(bypass_csp=True, **VIEWS[view])
        context.set_default_timeout(tools.timeout() * 1000)
        try:
            context.route("**/*", guard)
            page = context.new_page()
            page.goto(page_url, wait_until="load")
            page.evaluate(self._axe)
            summary: dict[str, Any] = page.evaluate(AXE_RUN)
            summary["overflow"] = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
        finally:
            context.close()
        return summary, refused

    def check(self, pages: Sequence[tuple[str, Path]]) -> dict[str, AxeResult]:
        """axe every ``(name, path)`` page in every view; results by name."""
        return {name: self._check_page(name, path) for name, path in pages}

    def _check_page(self, name: str, path: Path) -> AxeResult:
        version = ""
        passes: dict[str, int] = {}
        incomplete: dict[str, list[str]] = {}
        # (rule, targets) -> [views, impact, help]: one finding per fault, naming its views
        faults: dict[tuple[str, str], tuple[list[str], str, str]] = {}
        refused_all: dict[str, list[str]] = {}
        reflow: Finding | None = None
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for view in VIEWS:
            try:
                summary, refused = self.run(path, view)
            except PlaywrightTimeout:
                failed = Finding(
                    name,
                    "axe",
                    "PAGE-TIMEOUT",
                    Severity.ERROR,
                    f"the page did not load and run axe within {tools.timeout():g} s "
                    "(PUBLISH_CHECK_TIMEOUT sets the limit); not checked further",
                    view,
                )
                return AxeResult(version, (failed,), passes, incomplete)
            except PlaywrightError as exc:
                reason = " ".join(str(exc).split("\n")[0].split())
                failed = Finding(
                    name,
                    "axe",
                    "PAGE-CRASHED",
                    Severity.ERROR,
                    f"Chromium could not check the page ({reason}); not checked further",
                    view,
                )
                return AxeResult(version, (failed,), passes, incomplete)
            version = str(summary["version"])
            passes[view] = int(summary["passes"])
            incomplete[view] = sorted(summary["incomplete"])
            for url in refused:
                refused_all.setdefault(url, []).append(view)
            if view == "320px" and int(summary["overflow"]) > 0:
                reflow = Finding(
                    name,
                    "axe",
                    "PAGE-REFLOW",
                    Severity.ERROR,
                    f"the page scrolls sideways by {summary['overflow']} px at 320 px wide "
                    "(WCAG 1.4.10 reflow)",
                    view,
                )
            for violation in summary["violations"]:
                nodes = violation["nodes"]
                target = nodes[0] + (f" and {len(nodes) - 1} more" if len(nodes) > 1 else "")
                key = (str(violation["id"]), target)
                entry = faults.setdefault(key, ([], str(violation["impact"]), violation["help"]))
                entry[0].append(view)
        findings = [
            Finding(
                name,
                "axe",
                f"AXE-{rule}",
                Severity.ERROR,
                f"{help_text} [{impact}]",
                f"{', '.join(views)}: {target}",
            )
            for (rule, target), (views, impact, help_text) in faults.items()
        ]
        findings += [
            Finding(
                name,
                "axe",
                "PAGE-REQUEST",
                Severity.ERROR,
                f"the page requests {url}, outside its folder (refused)",
                ", ".join(views),
            )
            for url, views in refused_all.items()
        ]
        if reflow is not None:
            findings.append(reflow)
        return AxeResult(version, tuple(findings), passes, incomplete)


def check(pages: Sequence[tuple[str, Path]]) -> dict[str, AxeResult]:
    """axe every ``(name, path)`` page in one browser started on a thread of its own.

    Playwright's sync API refuses to start in a thread that already runs an
    asyncio loop, which includes any thread with a live Playwright session
    (a test suite's own browser fixture, a notebook). A fresh thread has none.
    """
    if not pages:
        return {}

    def work() -> dict[str, AxeResult]:
        with Browser() as browser:
            return browser.check(pages)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-axe") as pool:
        return pool.submit(work).result()
