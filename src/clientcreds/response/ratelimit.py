"""Rate limits and quotas as a response states them: ``x-ratelimit-*``, Auth0's
``Auth0-Client-Quota-Limit`` and ``Auth0-Organization-Quota-Limit``, and ``Retry-After``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


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
    """Read ``x-ratelimit-*`` and Auth0's quota headers; None when there are none."""
    names = lower_headers(headers)
    reset = parse_int(names.get("x-ratelimit-reset"))
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

    Unknown keys are ignored and unparseable numbers become None, so a header Auth0 extends
    later still yields what can be read.
    """
    buckets = []
    for part in value.split(","):
        fields = dict(item.strip().split("=", 1) for item in part.split(";") if "=" in item.strip())
        if not fields:
            continue
        seconds = parse_int(fields.get("t"))
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
        return float(max(seconds, 0))
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


def http_date(value: str | None) -> datetime | None:
    """An HTTP-date header (``Date``, ``Retry-After``) as an aware datetime, or None."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def lower_headers(headers: Headers) -> dict[str, str]:
    """The headers as a dict with lower-case names (the last of repeated names wins)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in pairs}
