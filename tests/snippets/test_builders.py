"""The shared pieces targets are built from: the code builder, the quoting modules, recipes."""

from __future__ import annotations

import doctest
import importlib

import pytest

from clientcreds import ApiRequest, RenderError, render, targets
from clientcreds.snippets import get_target
from clientcreds.snippets.code import block, indented, layout

MODULES = [
    "clientcreds.snippets.code",
    "clientcreds.snippets.escapes",
    "clientcreds.snippets.shell.quoting",
    "clientcreds.snippets.python.quoting",
    "clientcreds.snippets.javascript.quoting",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def test_blocks_nest_and_blank_lines_stay_empty() -> None:
    code = [
        block("def f():", ["x = 1", "", block("if x:", "return x")]),
        indented([".a()", ".b()"]),
        [["flat"]],
    ]
    assert layout(code, "    ") == (
        "def f():\n    x = 1\n\n    if x:\n        return x\n    .a()\n    .b()\nflat\n"
    )
    assert layout(block("{", [], "}"), "  ") == "{\n}\n"


def test_a_line_break_inside_a_line_is_refused() -> None:
    """A literal with a raw line break would break the indentation: it must be escaped first."""
    with pytest.raises(ValueError, match="holds a line break"):
        layout(["ok", "a\nb"], "  ")


@pytest.mark.parametrize("name", targets())
def test_every_target_says_how_to_run_it(name: str) -> None:
    recipe = get_target(name).recipe
    assert recipe is not None, f"{name} has no Recipe"
    assert recipe.filename
    assert recipe.filename in recipe.command, "the command runs the saved file"


@pytest.mark.parametrize("name", targets())
def test_a_token_outside_ascii_is_refused_with_the_reason(name: str) -> None:
    """No header carries é the same way in every client: refused when revealed, not emitted."""
    request = ApiRequest("https://api.example.com/", access_token="tok\u00e9n")
    with pytest.raises(RenderError, match=r"outside ASCII.*RFC 6750"):
        render(request, name, secret="reveal")
    assert "YOUR_ACCESS_TOKEN" in render(request, name)
