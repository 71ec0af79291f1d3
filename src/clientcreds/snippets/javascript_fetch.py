"""``javascript-fetch``: the Fetch API, unchanged in Node 18+ and browsers.

Environment mode reads ``process.env``, so that snippet is for Node: a client secret never
belongs in a browser. If the variable is unset or empty it prints a message with
``console.error`` and ends with ``process.exit(1)`` before sending.
"""

from __future__ import annotations

from clientcreds.snippets.plan import EnvVar, Plan, Value, missing_env_message
from clientcreds.snippets.quoting import js_str
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """``fetch(url, {method, headers, body})`` then print the JSON response."""
    prelude = "".join(_env_check(name) for name in plan.env_names)
    headers = [f'"content-type": {js_str(plan.media_type)}']
    if plan.basic:
        prelude += (
            "// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth\n"
            f"const credentials = [{_expr(plan.basic[0])}, {_expr(plan.basic[1])}]\n"
            "  .map(encodeURIComponent)\n"
            '  .join(":");\n\n'
        )
        headers.append("authorization: `Basic ${btoa(credentials)}`")
    fields = "".join(f"    {name}: {_expr(value)},\n" for name, value in plan.params)
    if plan.body == "form":
        body = f"new URLSearchParams({{\n{fields}  }})"
    else:
        body = f"JSON.stringify({{\n{fields}  }})"
    return (
        f"{prelude}fetch({js_str(plan.url)}, {{\n"
        '  method: "POST",\n'
        f"  headers: {_object(headers)},\n"
        f"  body: {body},\n"
        "})\n"
        "  .then((response) => response.json())\n"
        "  .then((token) => console.log(token));\n"
    )


def _object(members: list[str]) -> str:
    """An object literal: on one line for one member, one member a line for more."""
    if len(members) == 1:
        return f"{{ {members[0]} }}"
    return "{\n" + "".join(f"    {member},\n" for member in members) + "  }"


def _env_check(name: str) -> str:
    """Read `name` into a constant, or exit with the message if it is unset or empty."""
    return (
        f"const {_variable(name)} = process.env.{name};\n"
        f"if (!{_variable(name)}) {{\n"
        f"  console.error({js_str(missing_env_message(name))});\n"
        "  process.exit(1);\n"
        "}\n\n"
    )


def _variable(name: str) -> str:
    """The script's constant for an environment variable: ``AUTH0_CLIENT_SECRET`` is
    ``clientSecret``."""
    first, *rest = name.lower().removeprefix("auth0_").split("_")
    return first + "".join(word.capitalize() for word in rest)


def _expr(value: Value) -> str:
    if isinstance(value, EnvVar):
        return _variable(value.name)
    return js_str(value)


TARGET = Target("javascript-fetch", "JavaScript", "javascript", "node 18+ (and browsers)", render)
