"""Debian's chromium driven by Playwright: the one launch every browser test shares.

Playwright's own browser download does not work here, so tests launch ``/usr/bin/chromium``
with the flags that keep it off the closed network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
