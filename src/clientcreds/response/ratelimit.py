"""Rate limits and quotas as a response states them: ``x-ratelimit-*``, Auth0's
``Auth0-Client-Quota-Limit`` and ``Auth0-Organization-Quota-Limit``, and ``Retry-After``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

Headers = Mapping[str, str] | Iterable[tuple[str, str]]

#: The longest wait or window read from a header, in seconds (ten years): beyond it a value
#: is not a time any server means, and it would overflow `timedelta` and `datetime`.
MAX_SECONDS = 10 * 365 * 86400
#: The latest ``x-ratelimit-reset`` read, in UNIX seconds (the end of 9999, UTC).
_LAST_TIMESTAMP = 253_402_300_799

#: The response headers that say how close a client is to a limit (lower case): what
#: `parse_rate_limit` and `parse_retry_after` read.
RATE_LIMIT_HEADERS: tuple[str, ...] = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "auth0-client-quota-limit",
    "auth0-organization-quota-limit",
)


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


def parse_rate_limit(headers: Headers) -> RateLimit | None:
    """Read ``x-ratelimit-*`` and Auth0's quota headers; None when there are none.

    Rate limits are advisory: a value that cannot be read (or a reset time before 1970 or
    after 9999) is left out rather than failing the response.
    """
    names = lower_headers(headers)
    reset = _bounded(parse_int(names.get("x-ratelimit-reset")), _LAST_TIMESTAMP)
    limit = RateLimit(
        limit=parse_int(names.get("x-ratelimit-limit")),
        remaining=parse_int(names.get("x-ratelimit-remaining")),
        reset_at=datetime.fromtimestamp(reset, timezone.utc) if reset is not None else None,
        client_quota=parse_quota(names.get("auth0-client-quota-limit", "")),
        organization_quota=parse_quota(names.get("auth0-organization-quota-limit", "")),
    )
    return None if limit == RateLimit() else limit


def parse_quota(value: str) -> tuple[QuotaBucket, ...]:
    """Parse ``b=per_hour;q=10;r=7;t=3540,b=per_day;q=50;r=47;t=43200`` into buckets.

    Unknown keys are ignored and unparseable or out-of-range numbers become None, so a header
    Auth0 extends later still yields what can be read.
    """
    buckets = []
    for part in value.split(","):
        fields = dict(item.strip().split("=", 1) for item in part.split(";") if "=" in item.strip())
        if not fields:
            continue
        seconds = _bounded(parse_int(fields.get("t")), MAX_SECONDS)
        buckets.append(
            QuotaBucket(
                name=fields.get("b", "").strip(),
                quota=parse_int(fields.get("q")),
                remaining=parse_int(fields.get("r")),
                resets_in=timedelta(seconds=seconds) if seconds is not None else None,
            )
        )
    return tuple(buckets)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    seconds = parse_int(value)
    if seconds is not None:
        return float(min(max(seconds, 0), MAX_SECONDS))
    when = http_date(value)
    if when is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def parse_int(value: object) -> int | None:
    """A header's integer, or None when it is absent or not an integer."""
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _bounded(value: int | None, most: int) -> int | None:
    """`value` when it is between 0 and `most`, else None: a time no server means."""
    return value if value is not None and 0 <= value <= most else None


def http_date(value: str | None) -> datetime | None:
    """An HTTP-date header (``Date``, ``Retry-After``) as an aware datetime, or None."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def lower_headers(headers: Headers) -> dict[str, str]:
    """The headers as a dict with lower-case names (the last of repeated names wins)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in pairs}
