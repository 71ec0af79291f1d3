"""What the token endpoint sent back: a `TokenResponse`, or an `OAuthError` or a clear
`TokenResponseError`.

`parse_token_response` takes the raw status, headers and body, so it works with any HTTP
client (and with a response pasted from a log).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from clientcreds.core import bounded_json
from clientcreds.core.secret import scrub
from clientcreds.exceptions import OAuthError, TokenResponseError
from clientcreds.response.exchange import HttpExchange
from clientcreds.response.ratelimit import (
    MAX_SECONDS,
    Headers,
    RateLimit,
    http_date,
    lower_headers,
    parse_int,
    parse_rate_limit,
    parse_retry_after,
)

#: The token types accepted by default (compared case-insensitively, RFC 6749 §7.1).
DEFAULT_TOKEN_TYPES: tuple[str, ...] = ("Bearer",)

#: The longest token lifetime accepted, in seconds (ten years; Auth0 allows at most 30 days).
MAX_EXPIRES_IN = MAX_SECONDS

_EXCERPT = 120


@dataclass(frozen=True)
class TokenResponse:
    """A successful token response (RFC 6749 §5.1).

    Its `repr` shows only the start of the access token, which is a bearer credential.

    Attributes:
        access_token: The token to send as ``Authorization: Bearer ...``.
        token_type: The token type as sent (``Bearer``).
        expires_in: The lifetime in seconds, when sent.
        scope: The granted scopes, when sent.
        status: The HTTP status (normally 200).
        received_at: When the response was parsed (UTC), the base of `expires_at`.
        server_date: The server's ``Date`` header, when sent.
        rate_limit: Rate-limit headers, when any were sent.
        extra: Any other members of the JSON body (``id_token`` and the like).
        exchange: The HTTP answer it was read from (status, headers, body), when it was read
            from one.
    """

    access_token: str = field(repr=False)
    token_type: str
    expires_in: int | None = None
    scope: str | None = None
    status: int = 200
    received_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    server_date: datetime | None = None
    rate_limit: RateLimit | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)
    exchange: HttpExchange | None = field(default=None, repr=False, compare=False)

    @property
    def expires_at(self) -> datetime | None:
        """When the token expires: `received_at` plus `expires_in` (None without it)."""
        if self.expires_in is None:
            return None
        return self.received_at + timedelta(seconds=self.expires_in)

    @property
    def clock_skew(self) -> timedelta | None:
        """Local clock minus the server's ``Date`` (positive: this machine is ahead)."""
        if self.server_date is None:
            return None
        return self.received_at - self.server_date

    @property
    def scopes(self) -> tuple[str, ...]:
        """The granted scopes as a tuple (empty when `scope` was not sent)."""
        return tuple((self.scope or "").split())

    def to_dict(self) -> dict[str, Any]:
        """The response as JSON-ready data (times in ISO 8601), access token included."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
            "scope": self.scope,
            "status": self.status,
            "expires_at": _iso(self.expires_at),
            "server_date": _iso(self.server_date),
        }

    def __repr__(self) -> str:
        shown = self.access_token[:12] + "…" if len(self.access_token) > 12 else "…"
        return (
            f"TokenResponse(access_token={shown!r} ({len(self.access_token)} chars), "
            f"token_type={self.token_type!r}, expires_in={self.expires_in!r}, "
            f"scope={self.scope!r})"
        )

    def __str__(self) -> str:
        from clientcreds.views import display

        return display.token_response_text(self)

    def _repr_html_(self) -> str:
        from clientcreds.views import display

        return display.token_response_html(self)


def parse_token_response(
    status: int,
    headers: Headers,
    body: bytes | str,
    *,
    received_at: datetime | None = None,
    token_types: Iterable[str] = DEFAULT_TOKEN_TYPES,
    url: str | None = None,
    secrets: Iterable[str] = (),
) -> TokenResponse:
    """Turn a raw token-endpoint response into a `TokenResponse`, or raise.

    Whatever the outcome, the answer is kept as an `HttpExchange` (``.exchange`` on the token
    or on the error).

    Args:
        status: The HTTP status code.
        headers: The response headers (a mapping or (name, value) pairs; names in any case).
        body: The body as bytes (or already-decoded text).
        received_at: When the response arrived (default: now, UTC).
        token_types: The acceptable ``token_type`` values, compared case-insensitively.
        url: The URL the request went to, kept with the exchange.
        secrets: Values the request sent that must never be shown (the client secret, the
            Basic header): a server that echoes them back finds them replaced by
            ``**********`` in the error's message, description and kept body.

    Returns:
        The parsed response.

    Raises:
        OAuthError: for an RFC 6749 §5.2 error body (``{"error": ...}``).
        TokenResponseError: for an HTML page, an empty or truncated body, JSON that is not
            an object, a success without ``access_token``, with one holding a character
            outside visible ASCII (RFC 6749 §A.12), or with an unexpected ``token_type``.
    """
    exchange = HttpExchange.of(status, headers, body, url)
    try:
        return _parse(exchange, received_at, token_types)
    except OAuthError as error:
        raise _scrubbed_oauth(error, tuple(secrets)) from None
    except TokenResponseError as error:
        raise _scrubbed_failure(error, tuple(secrets)) from None


def _parse(
    exchange: HttpExchange, received_at: datetime | None, token_types: Iterable[str]
) -> TokenResponse:
    status = exchange.status
    names = lower_headers(exchange.headers)
    when = received_at or datetime.now(timezone.utc)
    data = _json_object(exchange)
    rate_limit = parse_rate_limit(names)
    server_date = http_date(names.get("date"))
    if "error" in data or not 200 <= status < 300:
        raise _oauth_error(exchange, data, names, rate_limit, server_date, when)
    return _token_response(exchange, data, when, server_date, rate_limit, token_types)


def _scrubbed_oauth(error: OAuthError, secrets: tuple[str, ...]) -> OAuthError:
    """The same error with `secrets` hidden in every text the server sent."""
    if not secrets:
        return error

    def hide(text: str | None) -> str | None:
        return None if text is None else scrub(text, secrets)

    return OAuthError(
        error.status,
        scrub(error.error, secrets),
        hide(error.error_description),
        hide(error.error_uri),
        retry_after=error.retry_after,
        rate_limit=error.rate_limit,
        server_date=error.server_date,
        exchange=_scrubbed_exchange(error.exchange, secrets),
    )


def _scrubbed_failure(error: TokenResponseError, secrets: tuple[str, ...]) -> TokenResponseError:
    """The same failure with `secrets` hidden in its message (which quotes the body)."""
    if not secrets:
        return error
    return TokenResponseError(
        scrub(str(error), secrets),
        status=error.status,
        content_type=error.content_type,
        exchange=_scrubbed_exchange(error.exchange, secrets),
    )


def _scrubbed_exchange(
    exchange: HttpExchange | None, secrets: tuple[str, ...]
) -> HttpExchange | None:
    """An error answer with `secrets` hidden in its body too, since views show the body.

    Only error answers: a token's body is never rewritten. The bytes round-trip exactly
    (``surrogateescape``), so a body that is not UTF-8 changes only where a secret was.
    """
    if exchange is None:
        return None
    text = exchange.body.decode("utf-8", "surrogateescape")
    hidden = scrub(text, secrets)
    if hidden == text:
        return exchange
    return dataclasses.replace(exchange, body=hidden.encode("utf-8", "surrogateescape"))


def _failure(exchange: HttpExchange, what: str) -> TokenResponseError:
    return TokenResponseError(
        f"HTTP {exchange.status}: {what}",
        status=exchange.status,
        content_type=exchange.content_type,
        exchange=exchange,
    )


def _json_object(exchange: HttpExchange) -> dict[str, Any]:
    raw = exchange.body
    text = raw.strip()
    if not text:
        raise _failure(
            exchange,
            "the body is empty, where a JSON token or error was expected: check the URL is the "
            "token endpoint and that nothing between you and it drops the body",
        )
    if text[:1] == b"<":
        title = html_title(text)
        shown = f" titled {_clean(title)!r}" if title else ""
        raise _failure(
            exchange,
            f"an HTML page{shown} came back instead of JSON: a proxy, firewall or wrong URL "
            "answered, not the token endpoint",
        )
    try:
        data = bounded_json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise _failure(
            exchange, "the body is not UTF-8 text: the response is not from the token endpoint"
        ) from None
    except json.JSONDecodeError as exc:
        if text[:1] in (b"{", b"[") and not text.endswith((b"}", b"]")):
            raise _failure(
                exchange,
                f"the JSON body stops after {len(raw)} bytes, truncated: retry, and check for "
                "a proxy or a Content-Length that cuts the body short",
            ) from None
        raise _failure(
            exchange,
            f"the body is not JSON ({exc.msg} at position {exc.pos}): it starts "
            f"{_clean(text[:_EXCERPT])!r}",
        ) from None
    except ValueError as exc:
        raise _failure(
            exchange, f"the JSON body is not one a token endpoint sends ({exc}): check the URL"
        ) from None
    if not isinstance(data, dict):
        raise _failure(exchange, f"the JSON body is a {type(data).__name__}, not an object")
    return data


def _oauth_error(
    exchange: HttpExchange,
    data: dict[str, Any],
    names: dict[str, str],
    rate_limit: RateLimit | None,
    server_date: datetime | None,
    now: datetime,
) -> OAuthError | TokenResponseError:
    try:
        error = _member_text(
            exchange, data, "'error' code", "error", "this is not an OAuth 2.0 error response"
        )
    except TokenResponseError as failure:
        return failure
    description = data.get("error_description")
    uri = data.get("error_uri")
    return OAuthError(
        exchange.status,
        error,
        description if isinstance(description, str) else None,
        uri if isinstance(uri, str) else None,
        retry_after=parse_retry_after(names.get("retry-after"), server_date or now),
        rate_limit=rate_limit,
        server_date=server_date,
        exchange=exchange,
    )


def _token_response(
    exchange: HttpExchange,
    data: dict[str, Any],
    when: datetime,
    server_date: datetime | None,
    rate_limit: RateLimit | None,
    token_types: Iterable[str],
) -> TokenResponse:
    token = _visible_ascii(
        exchange,
        _member_text(
            exchange, data, "access_token", "access_token", "the server did not issue a token"
        ),
    )
    token_type = data.get("token_type")
    allowed = tuple(token_types)
    if not isinstance(token_type, str) or token_type.lower() not in {t.lower() for t in allowed}:
        raise _failure(
            exchange,
            f"token_type is {token_type!r}, not {' or '.join(map(repr, allowed))}: "
            "this client only sends bearer tokens; check the server's token settings",
        )
    scope = data.get("scope")
    known = {"access_token", "token_type", "expires_in", "scope"}
    return TokenResponse(
        access_token=token,
        token_type=token_type,
        expires_in=_expires_in(exchange, data.get("expires_in")),
        scope=scope if isinstance(scope, str) else None,
        status=exchange.status,
        received_at=when,
        server_date=server_date,
        rate_limit=rate_limit,
        extra={k: v for k, v in data.items() if k not in known},
        exchange=exchange,
    )


def _visible_ascii(exchange: HttpExchange, token: str) -> str:
    """`token`, if it keeps to RFC 6749's token syntax (§A.12: visible ASCII and space).

    One rule for every face: a control character, bidi override or other non-ASCII character
    never reaches a terminal through ``--raw``, a header or a cache. The message names the
    character's code point and position, never the token, which is a credential.
    """
    bad = next((i for i, char in enumerate(token) if not " " <= char <= "~"), None)
    if bad is None:
        return token
    raise _failure(
        exchange,
        f"the access_token has U+{ord(token[bad]):04X} at position {bad + 1}, where RFC 6749 "
        "allows only visible ASCII: check that the URL is your token endpoint",
    )


def _expires_in(exchange: HttpExchange, value: object) -> int | None:
    if value is None:
        return None
    # Some servers (Azure AD v1) send the number as a string.
    number = parse_int(value) if isinstance(value, str) else value
    # `not number >= 0` is also true of NaN.
    if isinstance(number, bool) or not isinstance(number, int | float) or not number >= 0:
        raise _failure(exchange, f"expires_in is {_short(value)}, not a number of seconds")
    if number > MAX_EXPIRES_IN:
        raise _failure(
            exchange,
            f"expires_in is {_short(value)} seconds, more than the ten years any token "
            "endpoint means: check the server's token lifetime setting",
        )
    return int(number)


def _short(value: object) -> str:
    """`value`'s repr, cut to an excerpt (a hostile number can be thousands of digits)."""
    text = repr(value)
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


def html_title(html: bytes) -> bytes | None:
    """The text of an HTML page's first ``<title>`` element, or None; linear in the size.

    A regular expression such as ``<title[^>]*>(.*?)</title>`` retries from every ``<title``
    and takes quadratic time on ``<title><title><title>…``; three `bytes.find` calls do not.
    """
    lower = html.lower()
    start = lower.find(b"<title")
    opened = lower.find(b">", start) if start >= 0 else -1
    end = lower.find(b"</title", opened) if opened >= 0 else -1
    return html[opened + 1 : end] if end >= 0 else None


def _member_text(
    exchange: HttpExchange, data: Mapping[str, Any], what: str, name: str, meaning: str
) -> str:
    """The non-empty text member `name`, or the failure saying the body lacks `what`."""
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise _failure(
            exchange, f"the JSON body has no {what} (members: {_members(data)}): {meaning}"
        )
    return value


def _members(data: Mapping[str, Any]) -> str:
    return ", ".join(sorted(map(repr, data))) or "none"


def _clean(raw: bytes) -> str:
    return " ".join(raw.decode("utf-8", "replace").split())[:_EXCERPT]


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None
