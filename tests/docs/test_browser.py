"""The built site in a real browser: Debian's chromium, driven by Playwright, on loopback.

Every page is checked for console errors, failed loads and requests leaving the machine (the
site must work offline: no CDN, no web fonts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clientcreds import TokenRequest, get_target, render, targets
from tests.docs.conftest import ROOT
from tests.docs.test_site import PLACEHOLDERS
from tests.harness.browser import Tab, choose, headless_chromium, new_tab

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless chromium; skipped locally when missing, a failure under CI."""
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh browser context (no stored tab choice or palette) with clipboard access."""
    opened = new_tab(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    yield opened
    opened.page.context.close()


def checked_labels(tab: Tab) -> list[tuple[str, str]]:
    """Every tab set's selected label, in page order, each with the label of the tab it sits
    in (empty for a language's set; a client's set sits in its language's tab)."""
    labels: list[tuple[str, str]] = tab.page.eval_on_selector_all(
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
    return labels


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


@pytest.mark.parametrize(
    ("page", "text"),
    [("get-token/", "Your service"), ("architecture/", "TokenRequest")],
    ids=["sequence", "flowchart"],
)
def test_mermaid_diagram_renders_as_svg(tab: Tab, page: str, text: str) -> None:
    """Each diagram type loads its own chunks of mermaid, from this site."""
    tab.open(page)
    svg = tab.page.locator(".mermaid svg").first
    svg.wait_for()
    assert text in svg.text_content()
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
