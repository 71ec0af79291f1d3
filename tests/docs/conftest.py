"""Build the site once per session, with `mkdocs build --strict`, while secrets exist to leak;
serve it on loopback for the browser tests.

The build runs while a `LocalTenant` holds a freshly generated demo secret and with canary
``AUTH0_*`` variables in its environment, so `test_site` can prove neither reaches the site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clientcreds import LocalTenant
from tests.harness.browser import served
from tests.harness.runtimes import missing

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / "docs" / "node_modules" / "mermaid" / "dist" / "mermaid.esm.min.mjs"
#: The in-browser engine the site serves (npm pyodide, installed by the same `npm ci`).
PYODIDE = ROOT / "docs" / "node_modules" / "pyodide" / "pyodide.mjs"
CANARIES = {
    "AUTH0_DOMAIN": "canary-domain.example",
    "AUTH0_CLIENT_ID": "canary-client-id-7f3a",
    "AUTH0_CLIENT_SECRET": "canary-secret-9c1e-do-not-publish",
    "AUTH0_AUDIENCE": "https://canary-audience.example/",
}


@dataclass(frozen=True)
class BuiltSite:
    """The built site's directory and the secrets that existed while it was built."""

    path: Path
    secrets: tuple[str, ...] = field(repr=False)  # never in a failure message

    def page(self, url_path: str) -> str:
        """The HTML of a page by its URL path, e.g. ``get-token/``."""
        return (self.path / url_path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site, built with ``mkdocs build --strict`` into a temporary directory."""
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        missing("mkdocs is not installed: pip install -e '.[docs]'")
    if not MERMAID.is_file():
        missing("mermaid is not installed for the docs: run `npm ci` in docs/")
    if not PYODIDE.is_file():
        missing("pyodide is not installed for the docs: run `npm ci` in docs/")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, **CANARIES, "NO_MKDOCS_2_WARNING": "1"}
    with LocalTenant() as tenant:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        secrets = (tenant.client_secret.reveal(), CANARIES["AUTH0_CLIENT_SECRET"])
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}"
    return BuiltSite(out, secrets)


@pytest.fixture(scope="session")
def base_url(site: BuiltSite) -> Iterator[str]:
    """The built site on 127.0.0.1, as a static host serves it (for every browser test)."""
    with served(site.path) as url:
        yield url
