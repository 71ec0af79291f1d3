"""``python-urllib``: a short script using ``urllib.request``, the standard library only.

The snippet builds the request itself, each choice proven by a test of
tests/snippets/test_python_urllib.py:

- the body is a dict of the plan's pairs, in order, encoded with ``urlencode`` (the wire's
  form encoding) or ``json.dumps(..., ensure_ascii=False)`` (the wire's JSON), then to UTF-8
  bytes with ``.encode()``: urllib refuses a ``str`` body, and ``http.client`` would encode one
  as Latin-1. Bytes also give a ``Content-Length`` (never a chunked body), and strict UTF-8
  refuses a lone surrogate (a variable that is not UTF-8) before anything is sent;
- the ``Content-Type`` is set explicitly (urllib would assume a form);
- Basic credentials are form-encoded with ``quote_plus`` (RFC 6749 §2.3.1), joined and
  base64-encoded into the ``Authorization`` header;
- urllib sends the URL's path and query as given, and raises ``HTTPError`` on a 4xx or 5xx
  status: the snippet prints that answer's body too, then exits with status 1.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.python.common import (
    BASIC_COMMENT,
    INDENT,
    SYNTAX,
    body_fields,
    env_checks,
    env_imports,
    form_encoded_credentials,
    imports,
)
from clientcreds.snippets.python.quoting import python_str
from clientcreds.snippets.target import Recipe, Target

_ENCODED_BODY = {
    "form": "urlencode(body).encode()",
    "json": "json.dumps(body, ensure_ascii=False).encode()",
}

_SEND_AND_PRINT: Code = [
    block(
        "try:",
        block("with urlopen(request, timeout=10) as response:", "print(response.read().decode())"),
    ),
    block(
        "except HTTPError as error:  # a 4xx or 5xx status: print its body too, then fail",
        ["print(error.read().decode())", "sys.exit(1)"],
    ),
]


def render(plan: Plan) -> str:
    """A ``Request`` with its body as UTF-8 bytes and explicit headers, sent by ``urlopen``;
    the body is printed whatever the status, and an error status exits with 1."""
    code = [
        imports(_imports(plan)),
        env_checks(plan),
        _credentials(plan),
        block("body = {", body_fields(plan), "}") if plan.body is not None else [],
        block("request = Request(", _request_arguments(plan), ")"),
        _SEND_AND_PRINT,
    ]
    return layout(code, INDENT)


def _imports(plan: Plan) -> list[str]:
    """Exactly the modules and names this snippet uses."""
    lines = env_imports(plan) or ["import sys"]  # sys.exit on an error status, at least
    parse_names = ["quote_plus"] if plan.basic else []
    if plan.body == "form":
        parse_names.append("urlencode")
    if parse_names:
        lines.append(f"from urllib.parse import {', '.join(parse_names)}")
    if plan.body == "json":
        lines.append("import json")
    if plan.basic:
        lines.append("from base64 import b64encode")
    lines += ["from urllib.error import HTTPError", "from urllib.request import Request, urlopen"]
    return lines


def _credentials(plan: Plan) -> Code:
    """``credentials = quote_plus(<id>) + ":" + quote_plus(<secret>)``, for Basic auth."""
    if not plan.basic:
        return []
    client_id, secret = form_encoded_credentials(plan.basic)
    return [BASIC_COMMENT, f'credentials = {client_id} + ":" + {secret}']


def _request_arguments(plan: Plan) -> list[Code]:
    """The URL, the body as bytes, the headers and the method, one a line."""
    arguments: list[Code] = [f"{python_str(plan.url)},"]
    if plan.body is not None:
        arguments.append(f"data={_ENCODED_BODY[plan.body]},")
    headers = _headers(plan)
    if len(headers) == 1:
        arguments.append(f"headers={{{headers[0].removesuffix(',')}}},")
    else:
        arguments.append(block("headers={", headers, "},"))
    arguments.append(f"method={python_str(plan.method)},")
    return arguments


def _headers(plan: Plan) -> list[str]:
    """``Authorization`` (Basic or Bearer) and the body's ``Content-Type``."""
    headers = []
    if plan.basic:
        basic = '"Basic " + b64encode(credentials.encode()).decode()'
        headers.append(f'"Authorization": {basic},')
    if plan.bearer is not None:
        headers.append(f'"Authorization": {SYNTAX.bearer(plan.bearer)},')
    if plan.body is not None:
        headers.append(f'"Content-Type": {python_str(plan.media_type)},')
    return headers


RECIPE = Recipe(
    "main.py",
    "python3 main.py",
    note="The standard library only: nothing to install.",
)
TARGET = Target(
    "python-urllib",
    "Python",
    "python",
    "Python 3.10+ (urllib.request, standard library only)",
    render,
    RECIPE,
    client="urllib",
)
