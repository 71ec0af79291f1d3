"""The committed notebooks: executed, sanitized, secret-free; and 05 on a tenant from ``AUTH0_*``.

(nbval itself runs every notebook and compares its outputs: see ``notebooks/``.)
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from clientcreds import LocalTenant

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-get-a-token",
    "02-explorer",
    "03-decode-and-verify",
    "04-troubleshooting",
    "05-try-your-tenant",
]
# A JWT, or any segment of one (base64url JSON starts with eyJ), whole or barely shortened.
JWT_SHAPED = re.compile(r"eyJ[A-Za-z0-9_-]{10,}")
# The tenant's secrets are secrets.token_urlsafe(48): 64 base64url characters; signatures and
# key ids are long base64url runs too.
SECRET_SHAPED = re.compile(r"[A-Za-z0-9_-]{40,}")


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebook_build", NOTEBOOKS / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs_text(path: Path) -> list[str]:
    """Every text an output holds: stream text and each text-like mime value."""
    notebook = nbformat.read(path, as_version=4)
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts += [v for v in output.get("data", {}).values() if isinstance(v, str)]
    return texts


def test_the_five_notebooks_are_there() -> None:
    assert [p.stem for p in PATHS] == EXPECTED


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_notebooks_are_executed_without_errors(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code
    assert all(c["execution_count"] is not None for c in code)
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_notebooks_hold_no_token_secret_or_widget_state(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not JWT_SHAPED.findall(text)
    assert not SECRET_SHAPED.findall(text)
    notebook = json.loads(text)
    assert "widgets" not in notebook["metadata"]
    assert "application/vnd.jupyter.widget-state+json" not in text
    assert "application/vnd.jupyter.widget-view+json" not in text


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_outputs_are_already_sanitized(path: Path) -> None:
    build = _build()
    rules = build.patterns()
    for text in _outputs_text(path):
        assert build.sanitize(text, rules) == text


def test_sanitizing_catches_real_tokens_and_secrets() -> None:
    build = _build()
    rules = build.patterns()
    with LocalTenant() as tenant:
        from clientcreds import fetch_token

        token = fetch_token(tenant.token_request()).access_token
        secret = tenant.client_secret.reveal()
        sample = f"{token} {token[:16]}… {secret} {tenant.domain}"
        cleaned = build.sanitize(sample, rules)
    assert not JWT_SHAPED.search(cleaned)
    assert not SECRET_SHAPED.search(cleaned)
    assert "127.0.0.1:PORT" in cleaned
    assert build.sanitize(cleaned, rules) == cleaned


def test_notebook_05_uses_the_auth0_variables_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LocalTenant() as tenant:
        monkeypatch.setenv("AUTH0_DOMAIN", tenant.domain)
        monkeypatch.setenv("AUTH0_CLIENT_ID", tenant.client_id)
        monkeypatch.setenv("AUTH0_CLIENT_SECRET", tenant.client_secret.reveal())
        monkeypatch.setenv("AUTH0_AUDIENCE", tenant.audience)
        notebook = nbformat.read(NOTEBOOKS / "05-try-your-tenant.ipynb", as_version=4)
        execute(notebook, tmp_path)
        secret = tenant.client_secret.reveal()
    shown = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
    assert (
        "Using the environment (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, "
        "AUTH0_AUDIENCE)." in shown
    )
    assert "AUTH0_DOMAIN is not set" not in shown
    assert "Exchange(HTTP 200, token valid)" in shown
    assert secret not in shown


def test_build_script_is_importable_without_running() -> None:
    assert "notebook_build" not in sys.modules
    assert callable(_build().main)


def execute(notebook: nbformat.NotebookNode, directory: Path) -> None:
    """Run every cell of `notebook` in a fresh kernel of this Python, in `directory`."""
    from nbclient import NotebookClient

    NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(directory)}},
        store_widget_state=False,
    ).execute()
