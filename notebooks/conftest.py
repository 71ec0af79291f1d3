"""nbval runs these notebooks on the embedded tenant: no ``AUTH0_*`` reaches their kernels.

A developer with a real tenant in the environment would otherwise get outputs from it, which
cannot match the committed ones (``tests/explorer`` runs notebook 05 with ``AUTH0_*`` set).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Start each notebook's kernel (in its first cell's setup) without ``AUTH0_*``."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AUTH0_")}
    try:
        yield
    finally:
        os.environ.update(saved)
