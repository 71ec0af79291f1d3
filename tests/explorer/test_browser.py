"""The explorer in a real browser: JupyterLab on loopback, driven in Debian's chromium.

JupyterLab serves a copy of ``02-explorer.ipynb`` from a temporary directory (its config,
runtime, settings and workspaces there too, a known token, no update or news checks). The
test runs the notebook, types a domain and sees the curl tab follow, clicks "Get token" and
sees the decoded, verified token, and saves a screenshot to ``artifacts/explorer.png``.

Playwright's sync API runs in a thread of its own: another module's browser session may hold
this thread's event loop.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from clientcreds import get_target
from tests.harness.browser import launch, require_browser
from tests.harness.runtimes import job_env

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "02-explorer.ipynb"
ARTIFACTS = ROOT / "artifacts"
TIMEOUT_MS = 60_000
# Through JupyterLab's own API (expose_app_in_browser): the notebook's kernel is idle ...
IDLE = """() => {
  const panel = window.jupyterapp?.shell?.currentWidget;
  return panel?.sessionContext?.session?.kernel?.status === "idle";
}"""
# ... clear the committed outputs (and execution counts), then run every cell, not waiting ...
RUN_ALL = """() => {
  const commands = window.jupyterapp.commands;
  commands.execute("notebook:clear-all-cell-outputs").then(
    () => commands.execute("notebook:run-all-cells"));
}"""
# ... until every code cell has run again and the kernel is idle.
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = Array.from(panel.content.model.cells).filter((c) => c.type === "code");
  return cells.every((c) => c.executionCount !== null)
    && panel.sessionContext.session.kernel.status === "idle";
}"""


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it is and how to get in."""

    url: str
    token: str
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}lab/tree/{name}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(lab: Lab, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{lab.log.read_text()[-3000:]}")
        try:
            if requests.get(f"{lab.url}api/status?token={lab.token}", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"JupyterLab did not start in 60 s:\n{lab.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 serving a copy of the explorer notebook; stopped afterwards."""
    require_browser()
    home = tmp_path_factory.mktemp("lab")
    root = home / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    no_news = home / "settings" / "@jupyterlab" / "apputils-extension"
    no_news.mkdir(parents=True)
    (no_news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = job_env(
        {
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "IPYTHONDIR": str(home / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        },
        home,
    )
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI and these machines run as root
    log = home / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Lab(f"http://127.0.0.1:{port}/", token, log)
    try:
        _wait_until_up(running, process)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _in_thread(action: Callable[[], None]) -> None:
    """Run `action` in a new thread and re-raise what it raised."""
    failures: list[BaseException] = []

    def target() -> None:
        try:
            action()
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    worker = threading.Thread(target=target, name="playwright")
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


def _choose(tabs: Any, name: str) -> None:
    """Select target `name`'s tab: its language's tab, then its client's inside it."""
    target = get_target(name)
    tabs.get_by_role("tab", name=target.title, exact=True).click()
    tabs.get_by_role("tab", name=target.client, exact=True).click()


def _field(page: Any, label: str) -> Any:
    return (
        page.locator(".cc-explorer .widget-text, .cc-explorer .widget-password")
        .filter(has=page.locator(f"label:text-is('{label}')"))
        .locator("input")
    )


def _explore(lab: Lab, screenshot: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(lab.notebook_url(NOTEBOOK.name))
            page.wait_for_function("window.jupyterapp && window.jupyterapp.shell")
            page.locator(".jp-Notebook").wait_for()
            page.wait_for_function(IDLE)
            page.evaluate(RUN_ALL)
            page.wait_for_function(ALL_RUN)
            explorer = page.locator(".cc-explorer").first
            explorer.scroll_into_view_if_needed()
            expect(explorer).to_be_visible()

            # The explorer renders with the embedded tenant's demo app, one tab per target.
            domain = _field(page, "Domain")
            expect(domain).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+$"))
            tenant_domain = domain.input_value()
            assert tenant_domain.startswith("http://127.0.0.1:")
            assert _field(page, "Client secret").input_value() == ""
            tokens = explorer.locator(".cc-token-snippets")
            _choose(tokens, "curl")
            curl = tokens.locator("pre.language-shell:visible").first
            expect(curl).to_contain_text(f"{tenant_domain}/oauth/token")

            # Typing a domain updates the curl tab.
            domain.fill("acme.eu.auth0.com")
            expect(curl).to_contain_text("https://acme.eu.auth0.com/oauth/token")
            domain.fill("https://bad domain")
            expect(explorer.locator(".cc-error").first).to_contain_text("spaces")
            domain.fill(tenant_domain)
            expect(curl).to_contain_text(f"{tenant_domain}/oauth/token")

            # "Get token" shows the decoded, verified token.
            explorer.get_by_role("button", name="Get token").click()
            panel = explorer.locator(".cc-exchange").first
            expect(panel).to_contain_text("HTTP 200")
            expect(panel).to_contain_text("Token is valid")
            expect(panel).to_contain_text("demo-m2m-app@clients")
            expect(panel).to_contain_text("x-ratelimit-limit")
            # "Call your API": the same tab machinery, the API URL with the placeholder token.
            calls = explorer.locator(".cc-api-snippets")
            _choose(calls, "curl")
            shown = calls.locator("pre.language-shell:visible").first
            expect(shown).to_contain_text("YOUR_ACCESS_TOKEN")
            explorer.get_by_role("button", name="Call API").click()
            expect(explorer.locator(".cc-api").first).to_contain_text("your token is valid")
            expect(panel.get_by_role("button", name="Copy token")).to_be_visible()

            # A typed secret leaves the field (and the widget state) as soon as it is entered.
            secret = _field(page, "Client secret")
            secret.fill("typed-in-the-page")
            secret.press("Enter")
            expect(secret).to_have_value("")
            expect(secret).to_have_attribute("placeholder", re.compile("^secret set"))
            explorer.get_by_role("button", name="Clear").click()
            expect(secret).to_have_attribute("placeholder", re.compile("default secret"))
            screenshot.parent.mkdir(exist_ok=True)
            explorer.evaluate("(node) => node.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(screenshot))
        finally:
            browser.close()


def test_the_explorer_works_in_jupyterlab(lab: Lab) -> None:
    screenshot = ARTIFACTS / "explorer.png"
    try:
        _in_thread(lambda: _explore(lab, screenshot))
    except Exception:
        print(lab.log.read_text()[-3000:])
        raise
    assert screenshot.stat().st_size > 10_000
