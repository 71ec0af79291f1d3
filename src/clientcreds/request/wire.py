"""The exact wire form of a request: form and JSON bodies, HTTP Basic credentials, and the
`WireRequest` every snippet target must make a server see."""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote_plus, urlsplit

from clientcreds.core.protocol import MEDIA_TYPES

BodyFormat = Literal["form", "json"]

_FORM_SAFE = string.ascii_letters + string.digits + "_.~-"


@dataclass(frozen=True)
class WireRequest:
    """The exact HTTP request: what every snippet target must make a server see.

    Its `repr` hides the body and headers, since they carry the client secret.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def origin_form(self) -> str:
        """The request target of an HTTP/1.1 request line: path and query."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @property
    def authority(self) -> str:
        """The ``Host`` header's value."""
        return urlsplit(self.url).netloc

    def __repr__(self) -> str:
        return f"WireRequest({self.method} {self.url}, {len(self.body)} body bytes, secret hidden)"


def form_encode(pairs: Sequence[tuple[str, str]]) -> bytes:
    """Encode pairs as ``application/x-www-form-urlencoded`` UTF-8 (space as ``+``)."""
    return "&".join(f"{form_quote(k)}={form_quote(v)}" for k, v in pairs).encode("utf-8")


def json_encode(pairs: Sequence[tuple[str, str]]) -> bytes:
    """Encode pairs as one JSON object, in order, as UTF-8."""
    return json.dumps(dict(pairs), ensure_ascii=False).encode("utf-8")


def form_quote(text: str) -> str:
    """Form-urlencode one value (UTF-8, space as ``+``, nothing left unescaped but ``-._~``)."""
    # rstrip empties the text only if every character is safe: the stdlib's own fast path.
    return text if not text.rstrip(_FORM_SAFE) else quote_plus(text, safe="")


def basic_authorization(client_id: str, client_secret: str) -> str:
    """The ``Authorization`` value for ``client_secret_basic``, per RFC 6749 §2.3.1.

    Both parts are form-urlencoded *before* they are joined and base64-encoded, so a ``:``,
    ``%`` or ``+`` in either survives the round trip.
    """
    joined = f"{form_quote(client_id)}:{form_quote(client_secret)}"
    return "Basic " + base64.b64encode(joined.encode("ascii")).decode("ascii")


def build_wire_request(
    url: str,
    body: BodyFormat | None,
    params: Sequence[tuple[str, str]],
    basic: tuple[str, str] | None = None,
    *,
    method: str = "POST",
    bearer: str | None = None,
) -> WireRequest:
    """Assemble the wire request from already-resolved values (shared by every target).

    Args:
        url: The request URL.
        body: ``form``, ``json``, or None for a request without a body.
        params: The body's pairs, in order (empty without a body).
        basic: HTTP Basic credentials (id, secret), form-encoded before base64.
        method: The HTTP method.
        bearer: A token for ``Authorization: Bearer``.
    """
    headers: list[tuple[str, str]] = []
    if body is not None:
        headers.append(("Content-Type", MEDIA_TYPES[body]))
    if basic is not None:
        headers.append(("Authorization", basic_authorization(*basic)))
    if bearer is not None:
        headers.append(("Authorization", f"Bearer {bearer}"))
    if body is None:
        encoded = b""
    else:
        encoded = form_encode(params) if body == "form" else json_encode(params)
    return WireRequest(method, url, tuple(headers), encoded)
