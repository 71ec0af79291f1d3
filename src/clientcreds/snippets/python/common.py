"""What the Python targets write alike: values, imports, the environment check, Basic
credentials, the body's fields, and the keyword arguments and the ending requests and httpx
share.

requests and httpx have the same call, ``<module>.<method>(url, headers=..., auth=...,
data=... | json=..., timeout=...)``, so `library_call` writes both; urllib builds its own
request from the same pieces. No snippet uses an f-string, ``str.format`` or ``%``: a value
holding ``{x}`` or ``%s`` stays a plain literal.
"""

from __future__ import annotations

from collections.abc import Sequence

from clientcreds.snippets.code import Code, block
from clientcreds.snippets.plan import Plan, Value, ValueSyntax
from clientcreds.snippets.python.quoting import python_str

INDENT = "    "
SYNTAX = ValueSyntax(
    quote=python_str,
    read="{variable} = os.environ.get({quoted_name})",
    if_unset="if not {variable}:",
    stop=("sys.exit({message})",),
    end=None,
    camel_case=False,
)
BASIC_COMMENT = "# RFC 6749 §2.3.1: form-encode the id and secret before Basic auth"
#: How a requests or httpx snippet ends: the answer's body as it came, then, as neither library
#: fails on an HTTP error status by itself, ``raise_for_status()`` ends the script with a
#: non-zero status (and a traceback naming it) on a 4xx or 5xx.
PRINT_THEN_CHECK_STATUS = ("print(response.text)", "response.raise_for_status()")


def imports(stdlib: Sequence[str], third_party: Sequence[str] = ()) -> Code:
    """The import sections, standard library first, each followed by a blank line.

    Within a section, ``import x`` lines come before ``from x import y`` lines, each kind
    sorted, as isort (and ruff) order them.

    Example:
        >>> imports(["from base64 import b64encode", "import sys"], ["import httpx"])
        [['import sys', 'from base64 import b64encode', ''], ['import httpx', '']]
    """
    return [_section(lines) for lines in (stdlib, third_party) if lines]


def _section(lines: Sequence[str]) -> list[str]:
    return [*sorted(lines, key=lambda line: (line.startswith("from "), line)), ""]


def env_checks(plan: Plan) -> Code:
    """Read each environment variable the plan uses, or stop with `missing_env_message`."""
    return [SYNTAX.env_check(name) for name in plan.env_names]


def env_imports(plan: Plan) -> list[str]:
    """``import os`` and ``import sys`` when the snippet reads (and checks) the environment."""
    return ["import os", "import sys"] if plan.reads_env else []


def form_encoded_credentials(basic: tuple[Value, Value]) -> tuple[str, str]:
    """``quote_plus(<id>)`` and ``quote_plus(<secret>)`` of a plan's `basic` pair: RFC 6749
    §2.3.1 form-encodes each before they are joined for Basic auth."""
    client_id, secret = basic
    return f"quote_plus({SYNTAX.expr(client_id)})", f"quote_plus({SYNTAX.expr(secret)})"


def body_fields(plan: Plan) -> list[str]:
    """The body's pairs as the lines of a dict display, in order, each ending in a comma."""
    return [f"{python_str(name)}: {SYNTAX.expr(value)}," for name, value in plan.params]


def library_call(plan: Plan, module: str) -> Code:
    """The imports, the environment check and ``response = <module>.<method>(...)`` of a
    library with requests' interface (requests, httpx)."""
    stdlib = env_imports(plan)
    if plan.basic:
        stdlib.append("from urllib.parse import quote_plus")
    call = block(f"response = {module}.{plan.method.lower()}(", _keyword_arguments(plan), ")")
    return [imports(stdlib, [f"import {module}"]), env_checks(plan), call]


def _keyword_arguments(plan: Plan) -> list[Code]:
    """The call's arguments, one a line, each ending in a comma."""
    arguments: list[Code] = [f"{python_str(plan.url)},"]
    if plan.bearer is not None:
        arguments.append(f'headers={{"authorization": {SYNTAX.bearer(plan.bearer)}}},')
    if plan.basic:
        client_id, secret = form_encoded_credentials(plan.basic)
        arguments.append(BASIC_COMMENT)
        arguments.append(f"auth=({client_id}, {secret}),")
    if plan.body is not None:
        keyword = "data" if plan.body == "form" else "json"
        arguments.append(block(f"{keyword}={{", body_fields(plan), "},"))
    arguments.append("timeout=10,")
    return arguments
