"""``http``: the raw HTTP/1.1 message, byte for byte what the other targets send.

A JSON body is written with `json_object`, like every target's JSON, so characters that are
not printable (invisible, bidi and line-separator marks) show as ``\\uXXXX`` escapes: the same
JSON value, and ``Content-Length`` counts the bytes shown. A form body is percent-encoded. So
the body never holds a line break, and ``openssl s_client -crlf`` (which turns every LF into
CRLF) sends exactly this message; ``Connection: close`` lets the command end with the answer.
"""

from __future__ import annotations

from clientcreds.snippets.escapes import json_object
from clientcreds.snippets.plan import Plan, literal
from clientcreds.snippets.target import Recipe, Target


def render(plan: Plan) -> str:
    """An origin-form HTTP/1.1 request with ``Host``, and ``Content-Length`` if it has a body.

    Lines are shown ending in LF; on the wire each header line ends in CRLF.
    """
    wire = plan.wire_request("http")
    head = [f"{wire.method} {wire.origin_form} HTTP/1.1", f"Host: {wire.authority}"]
    head += [f"{name}: {value}" for name, value in wire.headers]
    body = ""
    if plan.body is not None:
        body = _json_body(plan) if plan.body == "json" else wire.body.decode("utf-8")
        head.append(f"Content-Length: {len(body.encode('utf-8'))}")
    head.append("Connection: close")
    return "\n".join(head) + "\n\n" + body


def _json_body(plan: Plan) -> str:
    """The JSON body with every character that is not printable escaped."""
    return json_object([(name, literal(value)) for name, value in plan.params])


RECIPE = Recipe(
    "request.http",
    "openssl s_client -quiet -crlf -connect HOST:PORT < request.http",
    note=(
        "HOST and PORT are the Host line's (PORT 443 if it has none); for an http:// URL "
        "such as the embedded tenant's, any TCP client that sends CRLF line ends does, "
        "e.g. nc -C HOST PORT < request.http"
    ),
)
TARGET = Target("http", "HTTP", "http", "a raw TCP socket", render, RECIPE, client="HTTP/1.1")
