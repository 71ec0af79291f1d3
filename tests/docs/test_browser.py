"""The built site in a real browser: Debian's chromium, driven by Playwright, on loopback.

Every page is checked for console errors, failed loads and requests leaving the machine (the
site must work offline: no CDN, no web fonts).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from clientcreds import TokenRequest, get_target, render, targets
from tests.docs.conftest import ROOT, BuiltSite
from tests.docs.test_site import PLACEHOLDERS
from tests.harness.browser import launch, require_browser

# Nothing outside loopback resolves: a request leaving the site fails (and is reported).
LOOPBACK_ONLY = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
ARTIFACTS = ROOT / "artifacts"
NETWORK = ("http", "https", "ws", "wss")
# Material renders mermaid into a closed shadow root; opening it lets the test see the SVG.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, { ...init, mode: "open" });
};
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site: BuiltSite) -> Iterator[str]:
    """The built site served by `http.server` on 127.0.0.1, stopped and joined afterwards."""
    handler = functools.partial(_QuietHandler, directory=str(site.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="docs-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless chromium; skipped locally when missing, a failure under CI."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch(playwright, LOOPBACK_ONLY)
        yield launched
        launched.close()


@dataclass
class Problems:
    """What went wrong while pages loaded: each list must stay empty."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert self.console_errors == [], "console errors"
        assert self.failed == [], "failed or 4xx/5xx loads"
        assert self.external == [], "requests outside the site"


@dataclass
class Tab:
    """A browser page on the site, with the problems seen while it was used."""

    page: Any
    base_url: str
    problems: Problems

    def open(self, path: str) -> None:
        self.page.goto(urljoin(self.base_url, path), wait_until="load")


def new_tab(browser: Any, base_url: str, **context_options: Any) -> Tab:
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    problems = Problems()
    context.add_init_script(OPEN_SHADOW_ROOTS)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.console_errors.append(m.text))
    page.on("pageerror", lambda e: problems.console_errors.append(str(e)))
    page.on("request", lambda r: record_external(problems, r, base_url))
    page.on("requestfailed", lambda r: record_failure(problems, r))
    page.on("response", lambda r: r.status >= 400 and problems.failed.append(f"{r.status} {r.url}"))
    return Tab(page, base_url, problems)


def record_external(problems: Problems, request: Any, base_url: str) -> None:
    if urlsplit(request.url).scheme in NETWORK and not request.url.startswith(base_url):
        problems.external.append(request.url)


def record_failure(problems: Problems, request: Any) -> None:
    # ERR_ABORTED is the browser cancelling a load by navigating on (say, a favicon); a
    # missing file is a 404 response, and a request outside the site fails to resolve.
    if "ERR_ABORTED" not in (request.failure or ""):
        problems.failed.append(f"{request.url} {request.failure}")


@pytest.fixture
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh browser context (no stored tab choice or palette) with clipboard access."""
    opened = new_tab(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    yield opened
    opened.page.context.close()


def checked_labels(tab: Tab) -> list[tuple[str, str]]:
    """Every tab set's selected label, in page order, each with the label of the tab it sits
    in (empty for a language's set; a client's set sits in its language's tab)."""
    return tab.page.eval_on_selector_all(
        ".tabbed-set",
        """sets => sets.map(set => {
            const labels = s => [...s.querySelectorAll(':scope > .tabbed-labels > label')];
            const input = set.querySelector(':scope > input:checked');
            const checked = labels(set).find(label => label.htmlFor === input.id);
            const block = set.parentElement.closest('.tabbed-block');
            if (!block) return ['', checked.textContent.trim()];
            const outer = block.closest('.tabbed-set');
            const blocks = [...outer.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
            const holder = labels(outer)[blocks.indexOf(block)];
            return [holder.textContent.trim(), checked.textContent.trim()];
        })""",
    )


def tab_label(scope: Any, title: str) -> Any:
    """The visible tab labels reading exactly `title` ("C" is not "cURL", "Java" not
    "JavaScript"): a client's label shows only inside its language's selected tab."""
    exact = re.compile(f"^\\s*{re.escape(title)}\\s*$")
    return scope.locator(".tabbed-labels > label:visible", has_text=exact)


def choose(scope: Any, name: str) -> None:
    """Select target `name`'s tab: its language, then its client."""
    target = get_target(name)
    tab_label(scope, target.title).first.click()
    tab_label(scope, target.client).first.click()


def test_switching_a_tab_switches_every_linked_block(tab: Tab) -> None:
    tab.open("get-token/")
    first = get_target(targets()[0])
    languages_shown = [label for outer, label in checked_labels(tab) if not outer]
    assert languages_shown == [first.title] * len(languages_shown)
    assert len(languages_shown) >= 2
    for name in reversed(targets()):
        target = get_target(name)
        choose(tab.page, name)
        shown = checked_labels(tab)
        assert {label for outer, label in shown if not outer} == {target.title}, name
        assert {label for outer, label in shown if outer == target.title} == {target.client}
    tab.problems.assert_none()


def test_copy_button_copies_exactly_the_snippet(tab: Tab) -> None:
    tab.open("get-token/")
    request = TokenRequest(**PLACEHOLDERS)
    first_set = tab.page.locator(".cc-snippets").first
    for name in targets():
        choose(first_set, name)
        block = first_set.locator(".tabbed-block:visible > .highlight").first  # the snippet
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        copied = tab.page.evaluate("navigator.clipboard.readText()")
        assert copied.rstrip("\n") == render(request, name).rstrip("\n"), name
    tab.problems.assert_none()


def test_search_finds_client_credentials(tab: Tab) -> None:
    tab.open("")
    tab.page.locator("input.md-search__input").click()
    tab.page.keyboard.type("client_credentials")  # Material searches on key events
    results = tab.page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("get-token/" in href for href in hrefs), hrefs
    tab.problems.assert_none()


def test_mermaid_diagram_renders_as_svg(tab: Tab) -> None:
    tab.open("get-token/")
    svg = tab.page.locator(".mermaid svg").first
    svg.wait_for()
    assert "Your service" in svg.text_content()
    assert svg.bounding_box()["height"] > 100
    tab.problems.assert_none()


def test_every_page_loads_cleanly(tab: Tab) -> None:
    """Crawl the navigation: no console error, no 404, nothing fetched from outside."""
    tab.open("")
    hrefs = tab.page.eval_on_selector_all(
        "nav.md-nav a.md-nav__link[href]", "as => as.map(a => a.href)"
    )
    pages = sorted({href.split("#")[0] for href in hrefs if href.startswith(tab.base_url)})
    assert len(pages) >= 9, pages
    for url in pages:
        tab.page.goto(url, wait_until="load")
        assert tab.page.locator("article h1").count() == 1, url
    tab.open("404.html")  # what a static host serves for an unknown path
    tab.problems.assert_none()


@pytest.mark.parametrize(("scheme", "material"), [("light", "default"), ("dark", "slate")])
def test_get_token_screenshots(browser: Any, base_url: str, scheme: str, material: str) -> None:
    """Each palette follows the system's, the toggle switches it; screenshots as artifacts."""
    tab = new_tab(browser, base_url, color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        tab.open("get-token/")
        body = tab.page.locator("body")
        assert body.get_attribute("data-md-color-scheme") == material
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / f"get-token-{scheme}.png"), full_page=True)
        tab.page.locator("form[data-md-component=palette] label:visible").first.click()
        assert body.get_attribute("data-md-color-scheme") != material
        tab.problems.assert_none()
    finally:
        tab.page.context.close()
