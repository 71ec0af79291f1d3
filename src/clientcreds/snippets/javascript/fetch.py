"""``javascript-fetch``: the Fetch API, unchanged in Node 18+ and browsers.

Environment mode reads ``process.env``, so that snippet is for Node: a client secret never
belongs in a browser. If the variable is unset or empty it prints a message with
``console.error`` and ends with ``process.exit(1)`` before sending (`shared.SYNTAX`). The
snippet prints the answer's body as it came; on an HTTP error status (``response.ok`` is false)
it then throws, which sets a non-zero exit status in Node (an unhandled rejection) and shows
the error in a browser's console, where ``process.exitCode`` does not exist.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, indented, layout
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

_PRINT_ANSWER: Code = indented(
    block(
        ".then(async (response) => {",
        [
            "console.log(await response.text());",
            "if (!response.ok) throw new Error(`HTTP ${response.status}`);",
        ],
        "});",
    )
)


def render(plan: Plan) -> str:
    """``fetch(url, {method, headers, body})`` then print the answer."""
    code: list[Code] = [SYNTAX.env_check(name) for name in plan.env_names]
    if plan.basic:
        code.append(credentials(*plan.basic))
    options: list[Code] = [f"method: {js_str(plan.method)},", _headers(plan)]
    if plan.body is not None:
        options.append(block(f"body: {body_encoder(plan)}({{", body_fields(plan), "}),"))
    code += [block(f"fetch({js_str(plan.url)}, {{", options, "})"), _PRINT_ANSWER]
    return layout(code, INDENT)


def _headers(plan: Plan) -> Code:
    """The ``headers`` option: on one line for one header, one header a line for more."""
    headers = []
    if plan.bearer is not None:
        headers.append(f"authorization: {SYNTAX.bearer(plan.bearer)}")
    if plan.body is not None:
        headers.append(f'"content-type": {js_str(plan.media_type)}')
    if plan.basic:
        headers.append("authorization: `Basic ${btoa(credentials)}`")
    if len(headers) == 1:
        return f"headers: {{ {headers[0]} }},"
    return block("headers: {", [f"{header}," for header in headers], "},")


RECIPE = Recipe("request.mjs", "node request.mjs", note="Node 18 or newer (built-in fetch).")
TARGET = Target(
    "javascript-fetch",
    "JavaScript",
    "javascript",
    "node 18+ (and browsers)",
    render,
    RECIPE,
    client="fetch",
)
