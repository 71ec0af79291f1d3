"""The public surface: everything in ``__all__`` exists, is documented, and imports light."""

from __future__ import annotations

import subprocess
import sys

import clientcreds


def test_every_public_name_exists_and_has_a_docstring() -> None:
    for name in clientcreds.__all__:
        obj = getattr(clientcreds, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_design_contract_names_are_exported() -> None:
    contract = {"TokenRequest", "targets", "render", "decode", "verify", "LocalTenant"}
    assert contract <= set(clientcreds.__all__)


def test_import_does_not_load_optional_ui_libraries() -> None:
    code = (
        "import sys, clientcreds; "
        "print(sorted(m for m in ('ipywidgets', 'httpx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
