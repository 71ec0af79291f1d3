"""The equivalence of docs/architecture.md, as code: what two requests must agree on.

Method; scheme, host, port, path and query; the Content-Type media type; the client
credentials (in the body, or in ``Authorization: Basic`` decoded per RFC 6749 §2.3.1), or the
token of ``Authorization: Bearer``; and the body: the same ordered form pairs, the same JSON
object, or none (empty, without a Content-Type). Nothing else counts.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from clientcreds.request.wire import WireRequest
from tests.harness.capture import Captured


@dataclass(frozen=True)
class Canonical:
    """The parts of a request that equivalence compares."""

    method: str
    authority: str
    target: str
    media_type: str | None
    basic: tuple[str, str] | None
    bearer: str | None
    body: Any


def of_wire(wire: WireRequest) -> Canonical:
    """The canonical form of what `TokenRequest` says should be sent."""
    headers = dict(wire.headers)
    return _canonical(
        wire.method,
        wire.authority,
        wire.origin_form,
        headers.get("Content-Type"),
        headers.get("Authorization"),
        wire.body,
    )


def of_captured(captured: Captured) -> Canonical:
    """The canonical form of what a server received; raises `AssertionError` if malformed."""
    host = captured.header("Host")
    assert host is not None, "no Host header"
    assert captured.header("Transfer-Encoding") is None, "chunked body"
    return _canonical(
        captured.method,
        host,
        captured.target,
        captured.header("Content-Type"),
        captured.header("Authorization"),
        captured.body,
    )


def _canonical(
    method: str,
    authority: str,
    target: str,
    content_type: str | None,
    authorization: str | None,
    body: bytes,
) -> Canonical:
    if content_type is None:
        assert body == b"", "a body without a Content-Type"
        media_type = None
    else:
        media_type = content_type.split(";")[0].strip().lower()
    scheme, _, credentials = (authorization or "").partition(" ")
    if authorization is not None:
        assert scheme.lower() in ("basic", "bearer"), f"unexpected Authorization {scheme!r}"
    return Canonical(
        method,
        authority.lower(),
        target,
        media_type,
        _basic(credentials) if scheme.lower() == "basic" else None,
        credentials if scheme.lower() == "bearer" else None,
        None if media_type is None else _body(media_type, body),
    )


def _basic(encoded: str) -> tuple[str, str]:
    try:
        joined = base64.b64decode(encoded, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AssertionError(f"Basic credentials are not base64 of ASCII: {exc}") from None
    client_id, sep, secret = joined.partition(":")
    assert sep, "Basic credentials without ':'"
    return (
        unquote_plus(client_id, errors="strict"),
        unquote_plus(secret, errors="strict"),
    )


def _body(media_type: str, body: bytes) -> Any:
    text = body.decode("utf-8")
    if media_type == "application/json":
        return json.loads(text)
    assert media_type == "application/x-www-form-urlencoded", f"unexpected {media_type}"
    return parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict")
