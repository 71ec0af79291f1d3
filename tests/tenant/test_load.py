"""A bounded load test: many concurrent clients, zero errors, every token valid."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import jwt
import requests

from clientcreds.tenant import Limits, LocalTenant, TenantConfig

THREADS = 16
REQUESTS = 2000


def test_2000_requests_from_16_threads() -> None:
    config = TenantConfig(limits=Limits(burst=REQUESTS, per_second=REQUESTS))
    with LocalTenant(config) as tenant:
        form = {
            "grant_type": "client_credentials",
            "client_id": tenant.client_id,
            "client_secret": tenant.client_secret.reveal(),
            "audience": tenant.audience,
        }

        def worker(count: int) -> list[tuple[int, str]]:
            with requests.Session() as session:
                results = []
                for _ in range(count):
                    response = session.post(tenant.token_url, data=form, timeout=30)
                    results.append((response.status_code, response.json().get("access_token")))
                return results

        with ThreadPoolExecutor(THREADS) as pool:
            batches = list(pool.map(worker, [REQUESTS // THREADS] * THREADS))
        results = [item for batch in batches for item in batch]
        assert len(results) == REQUESTS
        assert {status for status, _ in results} == {200}
        (jwk,) = requests.get(tenant.jwks_uri, timeout=10).json()["keys"]
        key = jwt.PyJWK(jwk).key
        for _, token in results:
            jwt.decode(
                token, key, algorithms=["RS256"], audience=tenant.audience, issuer=tenant.issuer
            )
        assert tenant.internal_errors == []
