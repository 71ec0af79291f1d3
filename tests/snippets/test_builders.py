"""The shared pieces targets are built from: the code builder, the quoting modules, recipes."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import replace

import pytest

from clientcreds import ApiRequest, RenderError, render, targets
from clientcreds.snippets import get_target
from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.javascript.quoting import js_str
from clientcreds.snippets.plan import EnvVar, ValueSyntax
from clientcreds.snippets.python.quoting import python_str

MODULES = [
    "clientcreds.snippets.code",
    "clientcreds.snippets.escapes",
    "clientcreds.snippets.plan",
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
    code: Code = [
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
    named_by = [recipe.command, *(content for _, content in recipe.files)]
    assert any(recipe.filename in text for text in named_by), (
        "the command runs the saved file, or a manifest it reads (Cargo.toml) names it"
    )


@pytest.mark.parametrize("name", targets())
def test_a_token_outside_ascii_is_refused_with_the_reason(name: str) -> None:
    """No header carries é the same way in every client: refused when revealed, not emitted."""
    request = ApiRequest("https://api.example.com/", access_token="tok\u00e9n")
    with pytest.raises(RenderError, match=r"outside ASCII.*RFC 6750"):
        render(request, name, secret="reveal")
    assert "YOUR_ACCESS_TOKEN" in render(request, name)


#: A made-up language whose literals are Python's, to check what `ValueSyntax` does for all.
_TOY = ValueSyntax(
    quote=repr,
    read="let {variable} = env[{quoted_name}]  # {name}",
    if_unset="if empty({variable}) {{",
    stop=("warn({message})", "write({message_line})", "exit(1)"),
)


def test_value_syntax_names_the_variable_without_the_auth0_prefix() -> None:
    assert _TOY.variable("AUTH0_CLIENT_SECRET") == "clientSecret"
    assert _TOY.variable("ACCESS_TOKEN") == "accessToken"
    assert replace(_TOY, camel_case=False).variable("AUTH0_CLIENT_SECRET") == "client_secret"
    assert _TOY.expr(EnvVar("MY_AUTH0_KEY")) == "myAuth0Key", "only a leading AUTH0_ goes"
    assert _TOY.expr("AUTH0_CLIENT_SECRET") == "'AUTH0_CLIENT_SECRET'", "a literal is quoted"


def test_value_syntax_writes_a_bearer_token_as_one_literal_when_it_is_one() -> None:
    assert _TOY.bearer("tok") == "'Bearer tok'"
    assert _TOY.bearer(EnvVar("ACCESS_TOKEN")) == '"Bearer " + accessToken'
    template = replace(_TOY, env_bearer="`Bearer ${{{variable}}}`")
    assert template.bearer(EnvVar("ACCESS_TOKEN")) == "`Bearer ${accessToken}`"


def test_value_syntax_checks_the_variable_in_each_block_style() -> None:
    read = "let accessToken = env['ACCESS_TOKEN']  # ACCESS_TOKEN\n"
    stop = (
        "    warn('ACCESS_TOKEN is not set or empty: export it first')\n"
        "    write('ACCESS_TOKEN is not set or empty: export it first\\n')\n"
        "    exit(1)\n"
    )
    braces = _TOY.env_check("ACCESS_TOKEN")
    assert layout(braces, "    ") == f"{read}if empty(accessToken) {{\n{stop}}}\n\n"
    own_line = replace(_TOY, if_unset="if empty({variable})", brace_on_own_line=True)
    assert layout(own_line.env_check("ACCESS_TOKEN"), "    ") == (
        f"{read}if empty(accessToken)\n{{\n{stop}}}\n\n"
    )
    no_end = replace(_TOY, if_unset="if empty({variable}):", end=None)
    assert layout(no_end.env_check("ACCESS_TOKEN"), "    ") == (
        f"{read}if empty(accessToken):\n{stop}\n"
    )


def test_python_and_javascript_literals_differ_only_above_the_bmp() -> None:
    """Both share `hex_escape`; a tag character (U+E0001) is where their escapes part."""
    text = "\x7f\u202e\U000e0001"
    assert python_str(text) == '"\\x7f\\u202e\\U000e0001"'
    assert js_str(text) == '"\\x7f\\u202e\\u{e0001}"'
