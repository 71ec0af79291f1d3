"""``python-requests``: a short script using the requests library.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
A token request prints the JSON answer; an API call prints the answer's text.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.plan import Plan, ValueSyntax
from clientcreds.snippets.python.quoting import python_str
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "
_SYNTAX = ValueSyntax(
    quote=python_str,
    read="{variable} = os.environ.get({quoted_name})",
    if_unset="if not {variable}:",
    stop=("sys.exit({message})",),
    end=None,
    camel_case=False,
)


def render(plan: Plan) -> str:
    """``requests.<method>(url, data=... | json=..., auth=..., headers=..., timeout=...)``."""
    stdlib = ["import os", "import sys"] if plan.reads_env else []
    if plan.basic:
        stdlib.append("from urllib.parse import quote_plus")
    answer = "response.json()" if plan.body is not None else "response.text"
    code: list[Code] = [
        [*stdlib, ""] if stdlib else [],
        "import requests",
        "",
        [_SYNTAX.env_check(name) for name in plan.env_names],
        block(f"response = requests.{plan.method.lower()}(", _arguments(plan), ")"),
        f"print({answer})",
    ]
    return layout(code, _INDENT)


def _arguments(plan: Plan) -> list[Code]:
    """The call's arguments, one a line, each ending in a comma."""
    arguments: list[Code] = [f"{python_str(plan.url)},"]
    if plan.bearer is not None:
        arguments.append(f'headers={{"authorization": {_SYNTAX.bearer(plan.bearer)}}},')
    if plan.basic:
        client_id, secret = (f"quote_plus({_SYNTAX.expr(value)})" for value in plan.basic)
        arguments.append("# RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        arguments.append(f"auth=({client_id}, {secret}),")
    if plan.body is not None:
        keyword = "data" if plan.body == "form" else "json"
        fields = [f"{python_str(name)}: {_SYNTAX.expr(value)}," for name, value in plan.params]
        arguments.append(block(f"{keyword}={{", fields, "},"))
    arguments.append("timeout=10,")
    return arguments


RECIPE = Recipe(
    "request.py",
    "python3 request.py",
    note="Install requests first: pip install requests",
)
TARGET = Target(
    "python-requests",
    "Python",
    "python",
    "python3 with requests",
    render,
    RECIPE,
    client="requests",
)
