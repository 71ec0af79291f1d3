"""``node-axios``: one CommonJS file calling ``axios(config)`` (axios 1.x, from npm).

A form body is a ``URLSearchParams``, which axios sends as it serialises (in order, a space as
``+``) with ``Content-Type: application/x-www-form-urlencoded;charset=utf-8``; a JSON body is
a plain object, which axios sends with ``JSON.stringify`` as ``application/json``. axios's
``auth`` option joins username and password as they are, so each is form-encoded first
(RFC 6749 §2.3.1). ``responseType: "text"`` keeps the answer's body as it came, so the snippet
prints it verbatim rather than a parsed and re-serialised object. axios gives a POST, PUT or
PATCH a form ``Content-Type`` even without a body, so an API call by one of those methods sets
``"content-type": false``, which axios leaves out. The file is CommonJS (``request.cjs``:
``require`` works in any folder, whatever its package.json says).

In env mode each variable is checked first (`shared.SYNTAX`). axios rejects on an HTTP error
status (400 or more): the snippet then prints the error answer's body and sets a non-zero exit
status; any other error (no answer at all) is rethrown, which ends Node with status 1.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.javascript.quoting import js_str
from clientcreds.snippets.javascript.shared import INDENT, SYNTAX, body_fields
from clientcreds.snippets.plan import Plan, Value
from clientcreds.snippets.target import Recipe, Target

#: The methods axios sends ``application/x-www-form-urlencoded`` with by default, body or not.
_DEFAULT_FORM_METHODS = frozenset({"post", "put", "patch"})
_PRINT_ANSWER: Code = indented(
    [
        ".then((response) => console.log(response.data))",
        block(
            ".catch((error) => {",
            [
                "if (!error.response) throw error; // no answer at all",
                "console.log(error.response.data);",
                "process.exitCode = 1;",
            ],
            "});",
        ),
    ]
)


def render(plan: Plan) -> str:
    """``axios({method, url, auth, headers, data, responseType})`` then print the answer."""
    code: list[Code] = ['const axios = require("axios");', ""]
    code += [SYNTAX.env_check(name) for name in plan.env_names]
    code += [block("axios({", _config(plan), "})"), _PRINT_ANSWER]
    return layout(code, INDENT)


def _config(plan: Plan) -> list[Code]:
    """The request config, one option a line."""
    config: list[Code] = [f"method: {js_str(plan.method)},", f"url: {js_str(plan.url)},"]
    if plan.basic:
        client_id, secret = (SYNTAX.expr(value) for value in plan.basic)
        config.append("// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        config.append(
            block(
                "auth: {",
                [
                    f"username: encodeURIComponent({client_id}),",
                    f"password: encodeURIComponent({secret}),",
                ],
                "},",
            )
        )
    if plan.bearer is not None:
        config.append(_bearer_headers(plan.bearer, plan.method))
    if plan.body == "form":
        config.append(block("data: new URLSearchParams({", body_fields(plan), "}),"))
    elif plan.body == "json":
        config.append(block("data: {", body_fields(plan), "},"))
    config.append('responseType: "text", // print the answer as it came')
    return config


def _bearer_headers(token: Value, method: str) -> Code:
    """The ``headers`` of an API call: the token, and for a method axios gives a form
    ``Content-Type`` by default (even without a body), ``false``, which axios omits."""
    authorization = f"authorization: {SYNTAX.bearer(token)}"
    if method.lower() not in _DEFAULT_FORM_METHODS:
        return f"headers: {{ {authorization} }},"
    no_content_type = [
        f"{authorization},",
        "// no body, so no Content-Type (axios would add a form one)",
        '"content-type": false,',
    ]
    return block("headers: {", no_content_type, "},")


RECIPE = Recipe(
    "request.cjs",
    "node request.cjs",
    note="Install axios first, in the same folder: npm install axios",
)
TARGET = Target(
    "node-axios",
    "JavaScript",
    "javascript",
    "node 20 with axios 1.21",
    render,
    RECIPE,
    client="axios",
)
