"""Debian's chromium driven by Playwright, and the built site served on loopback: what every
browser test (and benchmarks/site.py) shares.

Playwright's own browser download does not work here, so tests launch ``/usr/bin/chromium``
with the flags that keep it off the closed network, and resolve nothing outside loopback
(`LOOPBACK_ONLY`). A `Tab` is a page in a fresh browser context that records what went wrong
while it was used: console errors, failed loads and requests leaving the site.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from clientcreds import get_target
from tests.harness.runtimes import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: Nothing outside loopback resolves: a request leaving the site fails (and is reported).
LOOPBACK_ONLY = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
NETWORK = ("http", "https", "ws", "wss")
# Material renders mermaid into a closed shadow root; opening it lets the test see the SVG.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, { ...init, mode: "open" });
};
"""


def require_browser() -> None:
    """Skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) without chromium or playwright."""
    if not CHROMIUM.is_file():
        missing("chromium is not installed: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("playwright is not installed: pip install -e '.[dev]'")


def launch(playwright: Any, extra_args: Sequence[str] = ()) -> Any:
    """Headless chromium from a started ``sync_playwright()``."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args]
    )


@contextmanager
def headless_chromium() -> Iterator[Any]:
    """Headless chromium on loopback only, in a Playwright sync session of the calling thread
    (a thread holds one: enter and leave it in the same thread); skipped locally when missing,
    a failure under CI."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, LOOPBACK_ONLY)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """`directory` served by `http.server` on 127.0.0.1, as a static host serves it: its base
    URL, the server stopped and joined afterwards."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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
    """A page in a fresh browser context (`context_options` are Playwright's), recording its
    problems; close it with ``tab.page.context.close()``."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    problems = Problems()
    context.add_init_script(OPEN_SHADOW_ROOTS)
    page = context.new_page()
    page.on("console", lambda message: record_console_error(problems, message))
    page.on("pageerror", lambda error: problems.console_errors.append(str(error)))
    page.on("request", lambda request: record_external(problems, request, base_url))
    page.on("requestfailed", lambda request: record_failure(problems, request))
    page.on("response", lambda response: record_error_status(problems, response))
    return Tab(page, base_url, problems)


def record_console_error(problems: Problems, message: Any) -> None:
    if message.type == "error":
        problems.console_errors.append(message.text)


def record_error_status(problems: Problems, response: Any) -> None:
    if response.status >= 400:
        problems.failed.append(f"{response.status} {response.url}")


def record_external(problems: Problems, request: Any, base_url: str) -> None:
    if urlsplit(request.url).scheme in NETWORK and not request.url.startswith(base_url):
        problems.external.append(request.url)


def record_failure(problems: Problems, request: Any) -> None:
    # ERR_ABORTED is the browser cancelling a load by navigating on (say, a favicon); a
    # missing file is a 404 response, and a request outside the site fails to resolve.
    if "ERR_ABORTED" not in (request.failure or ""):
        problems.failed.append(f"{request.url} {request.failure}")


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
