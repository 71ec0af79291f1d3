"""``javascript-fetch``: the Fetch API, unchanged in Node 18+ and browsers.

Environment mode reads ``process.env``, so that snippet is for Node: a client secret never
belongs in a browser. If the variable is unset or empty it prints a message with
``console.error`` and ends with ``process.exit(1)`` before sending. A token request prints the
JSON answer; an API call prints the answer's text.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.javascript.quoting import js_str
from clientcreds.snippets.plan import Plan, Value, ValueSyntax
from clientcreds.snippets.target import Recipe, Target

_INDENT = "  "
_SYNTAX = ValueSyntax(
    quote=js_str,
    read="const {variable} = process.env.{name};",
    if_unset="if (!{variable}) {{",
    stop=("console.error({message});", "process.exit(1);"),
    env_bearer="`Bearer ${{{variable}}}`",
)


def render(plan: Plan) -> str:
    """``fetch(url, {method, headers, body})`` then print the answer."""
    code: list[Code] = [_SYNTAX.env_check(name) for name in plan.env_names]
    if plan.basic:
        code.append(_credentials(*plan.basic))
    options: list[Code] = [f"method: {js_str(plan.method)},", _headers(plan)]
    if plan.body is not None:
        fields = [f"{name}: {_SYNTAX.expr(value)}," for name, value in plan.params]
        encode = "new URLSearchParams" if plan.body == "form" else "JSON.stringify"
        options.append(block(f"body: {encode}({{", fields, "}),"))
    read, answer = ("json", "token") if plan.body is not None else ("text", "text")
    code.append(block(f"fetch({js_str(plan.url)}, {{", options, "})"))
    code.append(
        indented(
            [
                f".then((response) => response.{read}())",
                f".then(({answer}) => console.log({answer}));",
            ]
        )
    )
    return layout(code, _INDENT)


def _headers(plan: Plan) -> Code:
    """The ``headers`` option: on one line for one header, one header a line for more."""
    headers = []
    if plan.bearer is not None:
        headers.append(f"authorization: {_SYNTAX.bearer(plan.bearer)}")
    if plan.body is not None:
        headers.append(f'"content-type": {js_str(plan.media_type)}')
    if plan.basic:
        headers.append("authorization: `Basic ${btoa(credentials)}`")
    if len(headers) == 1:
        return f"headers: {{ {headers[0]} }},"
    return block("headers: {", [f"{header}," for header in headers], "},")


def _credentials(client_id: Value, secret: Value) -> Code:
    """The Basic credentials, each part form-encoded first."""
    return [
        "// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth",
        f"const credentials = [{_SYNTAX.expr(client_id)}, {_SYNTAX.expr(secret)}]",
        indented([".map(encodeURIComponent)", '.join(":");']),
        "",
    ]


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
