"""``http``: the raw HTTP/1.1 message, byte for byte what the other targets send."""

from __future__ import annotations

from clientcreds.snippets.plan import Plan
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """An origin-form HTTP/1.1 request with ``Host`` and ``Content-Length``.

    Lines are shown ending in LF; on the wire each header line ends in CRLF.
    """
    wire = plan.wire_request("http")
    head = [f"{wire.method} {wire.origin_form} HTTP/1.1", f"Host: {wire.authority}"]
    head += [f"{name}: {value}" for name, value in wire.headers]
    head.append(f"Content-Length: {len(wire.body)}")
    return "\n".join(head) + "\n\n" + wire.body.decode("utf-8")


TARGET = Target("http", "HTTP", "http", "a raw TCP socket", render)
