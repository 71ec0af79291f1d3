"""The examples in docstrings are user documentation: they must stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["clientcreds.request.token_request", "clientcreds.core.secret", "clientcreds.snippets"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
