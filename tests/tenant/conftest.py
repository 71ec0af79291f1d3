"""Fixtures for the embedded tenant's tests: a running tenant and an HTTP session to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from clientcreds.tenant import Limits, LocalTenant, TenantConfig


@pytest.fixture
def tenant() -> Iterator[LocalTenant]:
    """A running tenant with the demo app and API, and a rate limit tests do not hit."""
    config = TenantConfig(limits=Limits(burst=10_000, per_second=10_000))
    with LocalTenant(config) as running:
        yield running
    assert running.internal_errors == []


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A keep-alive session, closed afterwards."""
    with requests.Session() as session:
        yield session


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    """Every tenant a test starts must have joined all its threads by the end of the test."""
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == [], f"threads left behind: {left}"


def demo_form(tenant: LocalTenant, **extra: str) -> dict[str, str]:
    """The demo app's client_secret_post form parameters, with `extra` added or replaced."""
    form = {
        "grant_type": "client_credentials",
        "client_id": tenant.client_id,
        "client_secret": tenant.client_secret.reveal(),
        "audience": tenant.audience,
    }
    form.update(extra)
    return {k: v for k, v in form.items() if v is not None}


def post_token(http: requests.Session, tenant: LocalTenant, **kwargs: Any) -> requests.Response:
    """``POST /oauth/token`` with `kwargs` passed to `requests`."""
    return http.post(tenant.token_url, timeout=10, **kwargs)


def jwks_keys(http: requests.Session, tenant: LocalTenant) -> dict[str, Any]:
    """The tenant's published keys by kid, fetched over HTTP."""
    document = http.get(tenant.jwks_uri, timeout=10).json()
    return {key["kid"]: key for key in document["keys"]}


def verify_rs(
    http: requests.Session, tenant: LocalTenant, token: str, audience: str | None = None
) -> dict[str, Any]:
    """Verify an asymmetric tenant token against its own JWKS (fetched over HTTP) with PyJWT."""
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWK(jwks_keys(http, tenant)[header["kid"]])
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=[header["alg"]],
        audience=audience or tenant.audience,
        issuer=tenant.issuer,
        options={"require": ["iss", "sub", "aud", "iat", "exp"]},
    )
    return claims


def assert_error(
    response: requests.Response, status: int, error: str, description: str | None = None
) -> dict[str, Any]:
    """The response is the JSON error given (exactly, when `description` is given)."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"] == error
    if description is not None:
        assert body["error_description"] == description
    return body
