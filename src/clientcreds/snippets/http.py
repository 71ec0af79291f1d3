"""``http``: the raw HTTP/1.1 message, byte for byte what the other targets send.

A JSON body is written with `json_object`, like every target's JSON, so characters that are
not printable (invisible, bidi and line-separator marks) show as ``\\uXXXX`` escapes: the same
JSON value, and ``Content-Length`` counts the bytes shown. A form body is percent-encoded.
"""

from __future__ import annotations

from clientcreds.snippets.plan import Plan, literal
from clientcreds.snippets.quoting import json_object
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """An origin-form HTTP/1.1 request with ``Host`` and ``Content-Length``.

    Lines are shown ending in LF; on the wire each header line ends in CRLF.
    """
    wire = plan.wire_request("http")
    body = _body(plan) if plan.body == "json" else wire.body.decode("utf-8")
    head = [f"{wire.method} {wire.origin_form} HTTP/1.1", f"Host: {wire.authority}"]
    head += [f"{name}: {value}" for name, value in wire.headers]
    head.append(f"Content-Length: {len(body.encode('utf-8'))}")
    return "\n".join(head) + "\n\n" + body


def _body(plan: Plan) -> str:
    """The JSON body with every character that is not printable escaped."""
    return json_object([(name, literal(value)) for name, value in plan.params])


TARGET = Target("http", "HTTP", "http", "a raw TCP socket", render)
