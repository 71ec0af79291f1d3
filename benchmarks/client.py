"""Token sources side by side against the embedded tenant: cached-call cost, token requests.

For each peer: the cost of one call that yields a valid token from a warm cache, and how many
token requests 64 threads make between them, each calling for a token 1,000 times, starting
cold. The naive peer (``requests.post`` on every call) is bounded to 64 threads x 20 calls,
since every call is a token request. The tenant's rate limit is raised (Auth0's free tier
allows 30/s with a burst of 30) so the naive peer is measured, not refused, and its listen
backlog is raised from socketserver's 5 to 128 so 64 simultaneous connections are accepted.

    .venv/bin/python benchmarks/client.py [--iterations 200000] [--calls 1000]

Peers: clientcreds `ClientCredentials.get_token`; authlib's `OAuth2Session` (client
credentials, ``fetch_token`` then ``ensure_active_token``, which re-fetches on expiry); MSAL's
`ConfidentialClientApplication.acquire_token_for_client`, when it can be pointed at the tenant.
authlib and msal are benchmark-only dependencies.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from clientcreds import ClientCredentials, LocalTenant
from clientcreds.tenant import Limits, TenantConfig
from clientcreds.tenant.endpoints import Endpoints, Request, Response
from timing import per_call_us

THREADS = 64
NAIVE_CALLS = 20


class Counter:
    """Counts the token requests the tenant handles (patched into its endpoint)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        original = Endpoints.token
        counter = self

        # Its first parameter is named `self`, as in the method it replaces, so the types match.
        def counted(self: Endpoints, request: Request) -> Response:
            with counter._lock:
                counter.count += 1
            return original(self, request)

        Endpoints.token = counted  # type: ignore[method-assign]

    def take(self) -> int:
        with self._lock:
            count, self.count = self.count, 0
        return count


def hammer(get: Callable[[], str], calls: int) -> tuple[float, list[str]]:
    """Run `get` `calls` times in each of 64 threads, started together.

    Returns:
        Wall seconds, and the failed calls (type and message) -- a failure is counted, not
        fatal, since how a peer fails under a cold start is part of the comparison.
    """
    barrier = threading.Barrier(THREADS + 1)
    errors: list[str] = []

    def work() -> None:
        barrier.wait()
        for _ in range(calls):
            try:
                assert get()
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {str(exc)[:80]}")

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors


def ours(tenant: LocalTenant) -> tuple[Callable[[], str], Callable[[], str]]:
    def make() -> Callable[[], str]:
        creds = ClientCredentials(tenant.token_request())
        return lambda: creds.get_token().access_token

    return make(), make()


def naive(tenant: LocalTenant) -> tuple[Callable[[], str], Callable[[], str]]:
    session = requests.Session()
    data = {
        "grant_type": "client_credentials",
        "client_id": tenant.client_id,
        "client_secret": tenant.client_secret.reveal(),
        "audience": tenant.audience,
    }

    def get() -> str:
        response = session.post(tenant.token_url, data=data, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])

    return get, get


def authlib_peer(tenant: LocalTenant) -> tuple[Callable[[], str], Callable[[], str]]:
    from authlib.integrations.requests_client import OAuth2Session

    def make() -> Callable[[], str]:
        session = OAuth2Session(
            tenant.client_id,
            tenant.client_secret.reveal(),
            token_endpoint=tenant.token_url,
            grant_type="client_credentials",
            token_endpoint_auth_method="client_secret_post",
        )

        def get() -> str:
            # authlib has no cold start of its own for this grant: the first call must fetch.
            if not session.token:
                session.fetch_token(tenant.token_url, audience=tenant.audience)
            session.ensure_active_token()
            return str(session.token["access_token"])

        return get

    return make(), make()


def msal_peer(tenant: LocalTenant) -> tuple[Callable[[], str], Callable[[], str]]:
    import msal

    def make() -> Callable[[], str]:
        app = msal.ConfidentialClientApplication(
            tenant.client_id,
            client_credential=tenant.client_secret.reveal(),
            oidc_authority=tenant.domain,
        )

        def get() -> str:
            result = app.acquire_token_for_client(scopes=[tenant.audience + ".default"])
            return str(result["access_token"])

        return get

    return make(), make()


def measure(
    name: str,
    peer: Callable[[LocalTenant], tuple[Callable[[], str], Callable[[], str]]],
    tenant: LocalTenant,
    counter: Counter,
    iterations: int,
    calls: int,
) -> dict[str, Any] | None:
    try:
        warm, cold = peer(tenant)
        warm()
    except Exception as exc:
        print(f"{name:<28} cannot be pointed at the tenant: {type(exc).__name__}: {exc}")
        return None
    cached_us = per_call_us(warm, iterations)
    counter.take()
    seconds, errors = hammer(cold, calls)
    return {"name": name, "us": cached_us, "requests": counter.take(), "calls": calls,
            "seconds": seconds, "errors": errors}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    config = TenantConfig(limits=Limits(burst=1_000_000, per_second=1_000_000.0))
    counter = Counter()
    with LocalTenant(config) as tenant:
        peers = [
            ("clientcreds get_token", ours, args.iterations, args.calls),
            ("authlib OAuth2Session", authlib_peer, args.iterations, args.calls),
            ("msal acquire_token_for_client", msal_peer, args.iterations, args.calls),
            ("naive requests.post per call", naive, 200, NAIVE_CALLS),
        ]
        rows = [measure(n, p, tenant, counter, i, c, ) for n, p, i, c in peers]  # fmt: skip
    report([row for row in rows if row is not None])


def report(rows: list[dict[str, Any]]) -> None:
    base = rows[0]
    print(f"\n{'peer':<30} {'cached call':>12} {'x ours':>8}   token requests, 64 threads")
    for row in rows:
        ratio = row["us"] / base["us"]
        print(
            f"{row['name']:<30} {row['us']:>9.2f} µs {ratio:>7.1f}x   "
            f"{row['requests']:>5} for {THREADS} x {row['calls']:,} calls "
            f"({row['seconds']:.2f} s)"
        )
        if row["errors"]:
            print(f"{'':<30} {len(row['errors'])} failed calls, e.g. {row['errors'][0]}")


if __name__ == "__main__":
    main()
