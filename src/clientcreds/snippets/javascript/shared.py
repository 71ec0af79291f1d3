"""What every JavaScript target writes alike: values, environment checks, body fields and the
form-encoded Basic credentials.

Environment mode reads ``process.env``, so it is for Node (a client secret never belongs in a
browser): unset or empty, the snippet writes the message with ``console.error`` and ends with
``process.exit(1)`` before sending.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, indented
from clientcreds.snippets.javascript.quoting import js_str
from clientcreds.snippets.plan import Plan, Value, ValueSyntax

INDENT = "  "
SYNTAX = ValueSyntax(
    quote=js_str,
    read="const {variable} = process.env.{name};",
    if_unset="if (!{variable}) {{",
    stop=("console.error({message});", "process.exit(1);"),
    env_bearer="`Bearer ${{{variable}}}`",
)


def body_fields(plan: Plan) -> list[Code]:
    """The body's pairs as the members of an object literal, in order, one a line.

    Every parameter name is a plain identifier (``client_id``, ``grant_type``…), so it is
    written unquoted; only the values are hostile.
    """
    return [f"{name}: {SYNTAX.expr(value)}," for name, value in plan.params]


def body_encoder(plan: Plan) -> str:
    """What turns the fields into the body: ``new URLSearchParams`` (form encoding, in order,
    a space as ``+``) or ``JSON.stringify``."""
    return "new URLSearchParams" if plan.body == "form" else "JSON.stringify"


def credentials(client_id: Value, secret: Value) -> Code:
    """``const credentials = "id:secret"``, each part form-encoded first (RFC 6749 §2.3.1).

    ``encodeURIComponent`` leaves ``!'()*`` as they are and writes a space as ``%20``; a form
    decoder reads both back to the same text, as the server does.
    """
    return [
        "// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth",
        f"const credentials = [{SYNTAX.expr(client_id)}, {SYNTAX.expr(secret)}]",
        indented([".map(encodeURIComponent)", '.join(":");']),
        "",
    ]
