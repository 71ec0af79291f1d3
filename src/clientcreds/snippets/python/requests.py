"""``python-requests``: a short script using the requests library.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
A token request prints the JSON answer; an API call prints the answer's text.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.plan import EnvVar, Plan, Value, missing_env_message
from clientcreds.snippets.python.quoting import python_str
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "


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
        [_env_check(name) for name in plan.env_names],
        block(f"response = requests.{plan.method.lower()}(", _arguments(plan), ")"),
        f"print({answer})",
    ]
    return layout(code, _INDENT)


def _arguments(plan: Plan) -> list[Code]:
    """The call's arguments, one a line, each ending in a comma."""
    arguments: list[Code] = [f"{python_str(plan.url)},"]
    if plan.bearer is not None:
        arguments.append(f'headers={{"authorization": {_bearer(plan.bearer)}}},')
    if plan.basic:
        client_id, secret = (f"quote_plus({_expr(value)})" for value in plan.basic)
        arguments.append("# RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        arguments.append(f"auth=({client_id}, {secret}),")
    if plan.body is not None:
        keyword = "data" if plan.body == "form" else "json"
        fields = [f"{python_str(name)}: {_expr(value)}," for name, value in plan.params]
        arguments.append(block(f"{keyword}={{", fields, "},"))
    arguments.append("timeout=10,")
    return arguments


def _bearer(token: Value) -> str:
    if isinstance(token, EnvVar):
        return f'"Bearer " + {_variable(token.name)}'
    return python_str(f"Bearer {token}")


def _env_check(name: str) -> list[Code]:
    """Read `name` into a variable, or exit with the message if it is unset or empty."""
    return [
        f"{_variable(name)} = os.environ.get({python_str(name)})",
        block(f"if not {_variable(name)}:", f"sys.exit({python_str(missing_env_message(name))})"),
        "",
    ]


def _variable(name: str) -> str:
    """The script's variable for an environment variable: ``AUTH0_CLIENT_SECRET`` is
    ``client_secret``, ``ACCESS_TOKEN`` is ``access_token``."""
    return name.lower().removeprefix("auth0_")


def _expr(value: Value) -> str:
    if isinstance(value, EnvVar):
        return _variable(value.name)
    return python_str(value)


RECIPE = Recipe(
    "request.py",
    "python3 request.py",
    note="Install requests first: pip install requests",
)
TARGET = Target("python-requests", "Python", "python", "python3 with requests", render, RECIPE)
