"""What the token endpoint sent back: a `TokenResponse`, an `OAuthError`, or a clear error.

`parse_token_response` takes the raw status, headers and body, so it works with any HTTP
client (and with a response pasted from a log).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientcreds.errors import CatalogueEntry

Headers = Mapping[str, str] | Iterable[tuple[str, str]]

#: The token types accepted by default (compared case-insensitively, RFC 6749 §7.1).
DEFAULT_TOKEN_TYPES: tuple[str, ...] = ("Bearer",)

_EXCERPT = 120
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class QuotaBucket:
    """One bucket of Auth0's ``Auth0-Client-Quota-Limit`` header (``b=per_hour;q=10;r=7;t=3540``).

    Attributes:
        name: The bucket (``per_hour``, ``per_day``, ...), from ``b``.
        quota: Tokens allowed in the bucket's window, from ``q``.
        remaining: Tokens left in the window, from ``r``.
        resets_in: Time until the window resets, from ``t`` (seconds).
    """

    name: str
    quota: int | None
    remaining: int | None
    resets_in: timedelta | None


@dataclass(frozen=True)
class RateLimit:
    """Rate-limit state sent with a response.

    Attributes:
        limit: ``x-ratelimit-limit``: requests allowed in the current window.
        remaining: ``x-ratelimit-remaining``: requests left in it.
        reset_at: ``x-ratelimit-reset`` (UNIX seconds) as a UTC datetime.
        client_quota: Auth0's ``Auth0-Client-Quota-Limit`` buckets (M2M token quotas).
        organization_quota: ``Auth0-Organization-Quota-Limit`` buckets, parsed the same way.
    """

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None
    client_quota: tuple[QuotaBucket, ...] = ()
    organization_quota: tuple[QuotaBucket, ...] = ()

    @property
    def exhausted(self) -> bool:
        """True when a window or quota bucket has nothing left."""
        buckets = self.client_quota + self.organization_quota
        return self.remaining == 0 or any(b.remaining == 0 for b in buckets)


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
        from clientcreds import display

        return display.token_response_text(self)

    def _repr_html_(self) -> str:
        from clientcreds import display

        return display.token_response_html(self)


class OAuthError(Exception):
    """An error response from the token endpoint (RFC 6749 §5.2).

    Attributes:
        status: The HTTP status.
        error: The ``error`` code, e.g. ``access_denied``.
        error_description: The server's human-readable text, when sent.
        error_uri: A page about the error, when sent.
        retry_after: Seconds to wait before retrying, from ``Retry-After``, when sent.
        rate_limit: Rate-limit headers, when any were sent.
        server_date: The server's ``Date`` header, when sent.
    """

    def __init__(
        self,
        status: int,
        error: str,
        error_description: str | None = None,
        error_uri: str | None = None,
        *,
        retry_after: float | None = None,
        rate_limit: RateLimit | None = None,
        server_date: datetime | None = None,
    ) -> None:
        self.status = status
        self.error = error
        self.error_description = error_description
        self.error_uri = error_uri
        self.retry_after = retry_after
        self.rate_limit = rate_limit
        self.server_date = server_date
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line: status, code and description."""
        text = f"HTTP {self.status} {self.error}"
        if self.error_description:
            text += f": {self.error_description}"
        return text

    @property
    def explanation(self) -> CatalogueEntry | None:
        """The catalogue's entry for this error (cause, fix, retry advice), if known."""
        from clientcreds.errors import explain

        return explain(self)

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data, with the catalogue's explanation when there is one."""
        entry = self.explanation
        return {
            "status": self.status,
            "error": self.error,
            "error_description": self.error_description,
            "error_uri": self.error_uri,
            "retry_after": self.retry_after,
            "explanation": entry.to_dict() if entry else None,
        }

    def __repr__(self) -> str:
        return (
            f"OAuthError(status={self.status!r}, error={self.error!r}, "
            f"error_description={self.error_description!r})"
        )

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        from clientcreds import display

        return display.oauth_error_html(self)


class TokenResponseError(ValueError):
    """The endpoint answered with something that is neither a token nor an OAuth error.

    Attributes:
        status: The HTTP status.
        content_type: The ``Content-Type`` header, when sent.
    """

    def __init__(self, message: str, *, status: int, content_type: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.content_type = content_type


def parse_token_response(
    status: int,
    headers: Headers,
    body: bytes | str,
    *,
    received_at: datetime | None = None,
    token_types: Iterable[str] = DEFAULT_TOKEN_TYPES,
) -> TokenResponse:
    """Turn a raw token-endpoint response into a `TokenResponse`, or raise.

    Args:
        status: The HTTP status code.
        headers: The response headers (a mapping or (name, value) pairs; names in any case).
        body: The body as bytes (or already-decoded text).
        received_at: When the response arrived (default: now, UTC).
        token_types: The acceptable ``token_type`` values, compared case-insensitively.

    Returns:
        The parsed response.

    Raises:
        OAuthError: for an RFC 6749 §5.2 error body (``{"error": ...}``).
        TokenResponseError: for an HTML page, an empty or truncated body, JSON that is not
            an object, a success without ``access_token`` or with an unexpected ``token_type``.
    """
    names = _lower_headers(headers)
    when = received_at or datetime.now(timezone.utc)
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    content_type = names.get("content-type")
    data = _json_object(status, content_type, raw)
    rate_limit = parse_rate_limit(names)
    server_date = _http_date(names.get("date"))
    if "error" in data or not 200 <= status < 300:
        raise _oauth_error(status, content_type, data, names, rate_limit, server_date, when)
    return _token_response(status, content_type, data, when, server_date, rate_limit, token_types)


def parse_rate_limit(headers: Headers) -> RateLimit | None:
    """Read ``x-ratelimit-*`` and Auth0's quota headers; None when there are none."""
    names = _lower_headers(headers)
    reset = _int(names.get("x-ratelimit-reset"))
    limit = RateLimit(
        limit=_int(names.get("x-ratelimit-limit")),
        remaining=_int(names.get("x-ratelimit-remaining")),
        reset_at=datetime.fromtimestamp(reset, timezone.utc) if reset is not None else None,
        client_quota=parse_quota(names.get("auth0-client-quota-limit", "")),
        organization_quota=parse_quota(names.get("auth0-organization-quota-limit", "")),
    )
    return None if limit == RateLimit() else limit


def parse_quota(value: str) -> tuple[QuotaBucket, ...]:
    """Parse ``b=per_hour;q=10;r=7;t=3540,b=per_day;q=50;r=47;t=43200`` into buckets.

    Unknown keys are ignored and unparseable numbers become None, so a header Auth0 extends
    later still yields what can be read.
    """
    buckets = []
    for part in value.split(","):
        fields = dict(item.strip().split("=", 1) for item in part.split(";") if "=" in item.strip())
        if not fields:
            continue
        seconds = _int(fields.get("t"))
        buckets.append(
            QuotaBucket(
                name=fields.get("b", "").strip(),
                quota=_int(fields.get("q")),
                remaining=_int(fields.get("r")),
                resets_in=timedelta(seconds=seconds) if seconds is not None else None,
            )
        )
    return tuple(buckets)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    seconds = _int(value)
    if seconds is not None:
        return float(max(seconds, 0))
    when = _http_date(value)
    if when is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def _lower_headers(headers: Headers) -> dict[str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in pairs}


def _json_object(status: int, content_type: str | None, raw: bytes) -> dict[str, Any]:
    def fail(what: str) -> TokenResponseError:
        return TokenResponseError(
            f"HTTP {status}: {what}", status=status, content_type=content_type
        )

    text = raw.strip()
    if not text:
        raise fail(
            "the body is empty, where a JSON token or error was expected: check the URL is the "
            "token endpoint and that nothing between you and it drops the body"
        )
    if text[:1] == b"<":
        title = _TITLE.search(text)
        shown = f" titled {_clean(title.group(1))!r}" if title else ""
        raise fail(
            f"an HTML page{shown} came back instead of JSON: a proxy, firewall or wrong URL "
            "answered, not the token endpoint"
        )
    try:
        data = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise fail(
            "the body is not UTF-8 text: the response is not from the token endpoint"
        ) from None
    except json.JSONDecodeError as exc:
        if text[:1] in (b"{", b"[") and not text.endswith((b"}", b"]")):
            raise fail(
                f"the JSON body stops after {len(raw)} bytes, truncated: retry, and check for "
                "a proxy or a Content-Length that cuts the body short"
            ) from None
        raise fail(
            f"the body is not JSON ({exc.msg} at position {exc.pos}): it starts "
            f"{_clean(text[:_EXCERPT])!r}"
        ) from None
    if not isinstance(data, dict):
        raise fail(f"the JSON body is a {type(data).__name__}, not an object")
    return data


def _oauth_error(
    status: int,
    content_type: str | None,
    data: dict[str, Any],
    names: dict[str, str],
    rate_limit: RateLimit | None,
    server_date: datetime | None,
    now: datetime,
) -> OAuthError:
    error = data.get("error")
    if not isinstance(error, str) or not error:
        raise TokenResponseError(
            f"HTTP {status}: the JSON body has no 'error' code (members: {_members(data)}): "
            "this is not an OAuth 2.0 error response",
            status=status,
            content_type=content_type,
        )
    description = data.get("error_description")
    uri = data.get("error_uri")
    return OAuthError(
        status,
        error,
        description if isinstance(description, str) else None,
        uri if isinstance(uri, str) else None,
        retry_after=parse_retry_after(names.get("retry-after"), server_date or now),
        rate_limit=rate_limit,
        server_date=server_date,
    )


def _token_response(
    status: int,
    content_type: str | None,
    data: dict[str, Any],
    when: datetime,
    server_date: datetime | None,
    rate_limit: RateLimit | None,
    token_types: Iterable[str],
) -> TokenResponse:
    def fail(what: str) -> TokenResponseError:
        return TokenResponseError(
            f"HTTP {status}: {what}", status=status, content_type=content_type
        )

    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise fail(
            f"the JSON body has no access_token (members: {_members(data)}): "
            "the server did not issue a token"
        )
    token_type = data.get("token_type")
    allowed = tuple(token_types)
    if not isinstance(token_type, str) or token_type.lower() not in {t.lower() for t in allowed}:
        raise fail(
            f"token_type is {token_type!r}, not {' or '.join(map(repr, allowed))}: "
            "this client only sends bearer tokens; check the server's token settings"
        )
    expires_in = data.get("expires_in")
    scope = data.get("scope")
    known = {"access_token", "token_type", "expires_in", "scope"}
    return TokenResponse(
        access_token=token,
        token_type=token_type,
        expires_in=_expires_in(expires_in, fail),
        scope=scope if isinstance(scope, str) else None,
        status=status,
        received_at=when,
        server_date=server_date,
        rate_limit=rate_limit,
        extra={k: v for k, v in data.items() if k not in known},
    )


def _expires_in(value: object, fail: Any) -> int | None:
    if value is None:
        return None
    # Some servers (Azure AD v1) send the number as a string.
    number = _int(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
        raise fail(f"expires_in is {value!r}, not a number of seconds")
    return int(number)


def _int(value: object) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _members(data: Mapping[str, Any]) -> str:
    return ", ".join(sorted(map(repr, data))) or "none"


def _clean(raw: bytes) -> str:
    return " ".join(raw.decode("utf-8", "replace").split())[:_EXCERPT]


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None
