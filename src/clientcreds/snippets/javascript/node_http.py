"""``node-native``: Node's own ``https`` (or ``http``) module, no dependency.

The module is chosen from the URL's scheme when the snippet is rendered: ``node:http`` only
for ``http://`` (a loopback URL), ``node:https`` otherwise. The body is built first, in the
plan's order (``URLSearchParams`` or ``JSON.stringify``), so its ``Content-Length`` is known:
``Buffer.byteLength`` counts its UTF-8 bytes; without it Node would send the body chunked. The
Basic credentials are form-encoded (RFC 6749 §2.3.1) and handed to the ``auth`` option, which
Node sends as ``Authorization: Basic``. The URL is passed as a string: Node parses it with
``new URL`` and strips an IPv6 host's brackets itself. The default agent needs no
``agent: false``: Node 19+ keeps the connection alive but unreferenced, so the process still
ends as soon as the answer is in.

In env mode each variable is checked first (`shared.SYNTAX`). The snippet prints the answer's
body and sets a non-zero exit status on an HTTP error status (400 or more); a transport error
is an unhandled ``error`` event, which ends Node with status 1.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.javascript.quoting import js_str
from clientcreds.snippets.javascript.shared import (
    INDENT,
    SYNTAX,
    body_encoder,
    body_fields,
    credentials,
)
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.target import Recipe, Target

_PRINT_ANSWER: Code = [
    'let answer = "";',
    'response.setEncoding("utf8");',
    'response.on("data", (chunk) => (answer += chunk));',
    block(
        'response.on("end", () => {',
        ["console.log(answer);", "if (response.statusCode >= 400) process.exitCode = 1;"],
        "});",
    ),
]


def render(plan: Plan) -> str:
    """``module.request(url, options, callback)``, then ``request.end(body)``."""
    module = "http" if plan.url.startswith("http:") else "https"
    code: list[Code] = [f'import {module} from "node:{module}";', ""]
    code += [SYNTAX.env_check(name) for name in plan.env_names]
    if plan.basic:
        code.append(credentials(*plan.basic))
    code += [_body(plan), block("const options = {", _options(plan), "};"), ""]
    code.append(
        block(
            f"const request = {module}.request({js_str(plan.url)}, options, (response) => {{",
            _PRINT_ANSWER,
            "});",
        )
    )
    code.append("request.end(body);" if plan.body is not None else "request.end();")
    return layout(code, INDENT)


def _body(plan: Plan) -> Code:
    """``const body = ...``: the body as text, so its length in bytes can be sent first."""
    if plan.body is None:
        return []
    to_text = ".toString()" if plan.body == "form" else ""  # JSON.stringify gives text
    return [block(f"const body = {body_encoder(plan)}({{", body_fields(plan), f"}}){to_text};"), ""]


def _options(plan: Plan) -> list[Code]:
    """The method, the credentials and the headers."""
    headers = []
    if plan.bearer is not None:
        headers.append(f"authorization: {SYNTAX.bearer(plan.bearer)}")
    if plan.body is not None:
        headers.append(f'"content-type": {js_str(plan.media_type)}')
        headers.append('"content-length": Buffer.byteLength(body)')
    options: list[Code] = [f"method: {js_str(plan.method)},"]
    if plan.basic:
        options.append("auth: credentials,")
    if len(headers) == 1:  # a token alone fits on the line
        options.append(f"headers: {{ {headers[0]} }},")
    else:
        options.append(block("headers: {", [f"{header}," for header in headers], "},"))
    return options


RECIPE = Recipe("request.mjs", "node request.mjs", note="Node 18 or newer; no dependency.")
TARGET = Target(
    "node-native",
    "JavaScript",
    "javascript",
    "node 20 (its https and http modules, no dependency)",
    render,
    RECIPE,
    client="http module",
)
