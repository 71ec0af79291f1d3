"""`ClientCredentials`: caching, refresh ahead of expiry, single flight, stale-on-error."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from clientcreds import (
    CacheKey,
    ClientCredentials,
    OAuthError,
    TokenCache,
    TokenRequest,
    TokenResponse,
    fetch_token,
)
from clientcreds.tenant import LocalTenant
from tests.faults import TokenCounter, running_tenant

REQUEST = TokenRequest(domain="tenant.auth0.com", client_id="a", client_secret="s", audience="x")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeFetch:
    """Hands out numbered tokens with `lifetime`, or raises `failure` while it is set."""

    def __init__(self, lifetime: int | None = 100) -> None:
        self.calls = 0
        self.lifetime = lifetime
        self.failure: Exception | None = None
        self.gate: threading.Event | None = None

    def __call__(self, request: TokenRequest) -> TokenResponse:
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(5)
        if self.failure is not None:
            raise self.failure
        return TokenResponse(f"token-{self.calls}", "Bearer", self.lifetime)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake() -> FakeFetch:
    return FakeFetch()


@pytest.fixture
def creds(clock: Clock, fake: FakeFetch) -> ClientCredentials:
    return ClientCredentials(REQUEST, clock=clock, fetch=fake)


@pytest.fixture
def tenant() -> Iterator[LocalTenant]:
    with running_tenant() as running:
        yield running


def test_token_is_cached(creds: ClientCredentials, fake: FakeFetch) -> None:
    first = creds.get_token()
    assert creds.get_token() is first
    assert fake.calls == 1


def test_refreshed_ahead_of_expiry_by_a_margin_of_the_lifetime(
    creds: ClientCredentials, clock: Clock, fake: FakeFetch
) -> None:
    assert creds.get_token().access_token == "token-1"
    clock.now += 89.9  # lifetime 100 s, margin 10 %: refresh from 90 s on
    assert creds.get_token().access_token == "token-1"
    clock.now += 0.2
    assert creds.get_token().access_token == "token-2"
    assert fake.calls == 2


def test_the_lead_is_capped_for_long_lifetimes(clock: Clock) -> None:
    fake = FakeFetch(lifetime=86400)
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    creds.get_token()
    clock.now += 86400 - 601  # 10 % would be 2.4 h; the lead is at most 10 min
    creds.get_token()
    assert fake.calls == 1
    clock.now += 2
    creds.get_token()
    assert fake.calls == 2


def test_a_token_without_expires_in_is_kept_a_short_while(clock: Clock) -> None:
    fake = FakeFetch(lifetime=None)
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    creds.get_token()
    clock.now += 300
    creds.get_token()
    assert fake.calls == 2


def test_failed_refresh_serves_the_valid_token_and_retries_later(
    creds: ClientCredentials, clock: Clock, fake: FakeFetch
) -> None:
    creds.get_token()
    clock.now += 95
    fake.failure = OAuthError(503, "temporarily_unavailable")
    assert creds.get_token().access_token == "token-1"
    assert creds.get_token().access_token == "token-1"
    assert fake.calls == 2  # no new attempt during the back-off
    clock.now += 2  # back-off: a quarter of the 5 s left
    fake.failure = None
    assert creds.get_token().access_token == "token-3"


def test_failure_without_a_valid_token_raises(
    creds: ClientCredentials, clock: Clock, fake: FakeFetch
) -> None:
    creds.get_token()
    clock.now += 101
    fake.failure = OAuthError(401, "access_denied", "Unauthorized")
    with pytest.raises(OAuthError):
        creds.get_token()


def test_invalidate_drops_only_the_given_token(creds: ClientCredentials, fake: FakeFetch) -> None:
    token = creds.get_token()
    creds.invalidate("some-older-token")
    assert creds.get_token() is token
    creds.invalidate(token)
    assert creds.get_token().access_token == "token-2"
    creds.invalidate()
    assert creds.get_token().access_token == "token-3"


def test_shared_cache_is_keyed_by_url_client_audience_scope_organization(
    clock: Clock, fake: FakeFetch
) -> None:
    shared = TokenCache()

    def creds(**changes: object) -> ClientCredentials:
        return ClientCredentials(REQUEST.replace(**changes), clock=clock, fetch=fake, cache=shared)

    creds().get_token()
    creds(body="json", auth_method="client_secret_basic").get_token()  # same key
    assert fake.calls == 1
    for changes in (
        {"domain": "other.auth0.com"},
        {"client_id": "b"},
        {"audience": "y"},
        {"scope": "read"},
        {"organization": "org_1"},
    ):
        creds(**changes).get_token()
    assert fake.calls == 6
    assert len(shared) == 6
    assert CacheKey.of(REQUEST) == CacheKey("https://tenant.auth0.com/oauth/token", "a", "x",
                                            None, None)  # fmt: skip
    shared.clear()
    assert len(shared) == 0


def run_threads(count: int, target: Callable[[], object]) -> list[object]:
    results: list[object] = []
    barrier = threading.Barrier(count)

    def work() -> None:
        barrier.wait()
        try:
            results.append(target())
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_64_threads_on_a_cold_cache_make_one_request(
    tenant: LocalTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = TokenCounter().install(monkeypatch)
    creds = ClientCredentials(tenant.token_request())
    results = run_threads(64, creds.get_token)
    assert counter.count == 1
    assert len({r.access_token for r in results if isinstance(r, TokenResponse)}) == 1
    assert len(results) == 64


def test_64_threads_on_an_expiring_token_make_one_request(clock: Clock, fake: FakeFetch) -> None:
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    creds.get_token()
    clock.now += 95
    fake.gate = threading.Event()
    timer = threading.Timer(0.2, fake.gate.set)
    timer.start()
    results = run_threads(64, creds.get_token)
    timer.join()
    assert fake.calls == 2
    # While one thread refreshed, the others kept using the still-valid token.
    assert {r.access_token for r in results if isinstance(r, TokenResponse)} <= {
        "token-1",
        "token-2",
    }
    assert len(results) == 64


def test_threads_waiting_on_a_failed_cold_fetch_share_its_error(
    clock: Clock, fake: FakeFetch
) -> None:
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    fake.failure = OAuthError(401, "access_denied", "Unauthorized")
    fake.gate = threading.Event()
    timer = threading.Timer(0.2, fake.gate.set)
    timer.start()
    results = run_threads(16, creds.get_token)
    timer.join()
    assert all(isinstance(r, OAuthError) for r in results)
    assert fake.calls < 16  # waiters got the in-flight failure instead of retrying at once


def test_real_fetch_with_the_tenant(tenant: LocalTenant) -> None:
    creds = ClientCredentials(tenant.token_request(), fetch=fetch_token)
    token = creds.get_token()
    assert token.expires_in == 86400
    assert token.access_token not in repr(creds)


def test_margin_is_checked() -> None:
    with pytest.raises(ValueError, match="margin"):
        ClientCredentials(REQUEST, margin=1.5)
