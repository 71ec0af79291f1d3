"""The per-client token bucket and M2M quotas, on their own and over HTTP."""

from __future__ import annotations

import pytest
import requests

from clientcreds.tenant import Limits, LocalTenant, TenantConfig
from clientcreds.tenant.ratelimit import QuotaTracker, RateLimiter
from tests.tenant.conftest import assert_error, demo_form, post_token


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=3, per_second=1.0, clock=clock)
    decisions = [limiter.take("c") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.headers["x-ratelimit-remaining"] for d in decisions] == ["2", "1", "0", "0"]
    assert decisions[0].headers["x-ratelimit-limit"] == "3"
    assert int(decisions[2].headers["x-ratelimit-reset"]) == int(clock.now) + 3
    assert decisions[3].retry_after == 1
    clock.now += 1.0
    assert limiter.take("c").allowed
    assert not limiter.take("c").allowed
    assert limiter.take("other").allowed


def test_defaults_are_auth0_free_tier() -> None:
    limits = Limits()
    assert (limits.burst, limits.per_second) == (30, 30.0)


def test_http_429_after_the_burst(http: requests.Session) -> None:
    clock = Clock()
    config = TenantConfig(limits=Limits(burst=5, per_second=1.0))
    with LocalTenant(config, clock=clock) as tenant:
        statuses = [post_token(http, tenant, data=demo_form(tenant)) for _ in range(6)]
        assert [r.status_code for r in statuses] == [200] * 5 + [429]
        assert_error(statuses[5], 429, "too_many_requests", "Global limit has been reached")
        assert statuses[5].headers["x-ratelimit-remaining"] == "0"
        assert statuses[5].headers["x-ratelimit-limit"] == "5"
        clock.now += 1.0
        assert post_token(http, tenant, data=demo_form(tenant)).status_code == 200


def test_quota_windows_and_headers() -> None:
    clock = Clock(3600.0 * 1000)
    quotas = QuotaTracker(clock)
    first = quotas.check("c", {"per_hour": 2, "per_day": 5})
    assert first.headers["Auth0-Client-Quota-Limit"] == (
        "b=per_hour;q=2;r=1;t=3600,b=per_day;q=5;r=4;t=28800"
    )
    assert quotas.check("c", {"per_hour": 2, "per_day": 5}).allowed
    clock.now += 600
    refused = quotas.check("c", {"per_hour": 2, "per_day": 5})
    assert not refused.allowed
    assert refused.headers["Retry-After"] == "3000"
    clock.now += 3000
    assert quotas.check("c", {"per_hour": 2, "per_day": 5}).allowed


def test_http_quota_exceeded(tenant: LocalTenant, http: requests.Session) -> None:
    client = tenant.add_client("quota-app", client_secret="s3cret", quota_per_hour=2)
    tenant.grant(client, tenant.audience)
    form = demo_form(tenant, client_id="quota-app", client_secret="s3cret")
    ok = [post_token(http, tenant, data=form) for _ in range(2)]
    assert all(r.status_code == 200 for r in ok)
    assert ok[1].headers["Auth0-Client-Quota-Limit"].startswith("b=per_hour;q=2;r=0;")
    refused = post_token(http, tenant, data=form)
    assert_error(refused, 429, "too_many_requests", "Client quota exceeded")
    assert int(refused.headers["Retry-After"]) > 0
    assert (
        "Auth0-Client-Quota-Limit" not in post_token(http, tenant, data=demo_form(tenant)).headers
    )


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="burst"):
        Limits(burst=0)
