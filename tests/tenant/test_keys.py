"""JWKS, discovery and key rotation."""

from __future__ import annotations

import jwt
import pytest
import requests

from clientcreds.tenant import LocalTenant
from tests.tenant.conftest import demo_form, jwks_keys, post_token, verify_rs


def get_token(http: requests.Session, tenant: LocalTenant) -> str:
    token: str = post_token(http, tenant, data=demo_form(tenant)).json()["access_token"]
    return token


def test_jwks_document(tenant: LocalTenant, http: requests.Session) -> None:
    response = http.get(tenant.jwks_uri, timeout=10)
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert {"kty", "use", "alg", "n", "e", "kid", "x5t", "x5c"} <= set(key)
    assert key["kty"] == "RSA"
    assert key["use"] == "sig"
    assert "d" not in key
    assert response.headers["Cache-Control"].startswith("public")


def test_head_jwks(tenant: LocalTenant, http: requests.Session) -> None:
    response = http.head(tenant.jwks_uri, timeout=10)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) > 100


def test_discovery_document(tenant: LocalTenant, http: requests.Session) -> None:
    doc = http.get(tenant.discovery_url, timeout=10).json()
    assert doc["issuer"] == tenant.issuer
    assert doc["token_endpoint"] == tenant.token_url
    assert doc["jwks_uri"] == tenant.jwks_uri
    assert doc["grant_types_supported"] == ["client_credentials"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
        "private_key_jwt",
    }


def test_rotation_keeps_the_old_key_published(tenant: LocalTenant, http: requests.Session) -> None:
    old_token = get_token(http, tenant)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    (new_kid,) = tenant.rotate_keys()
    assert new_kid != old_kid
    new_token = get_token(http, tenant)
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert list(jwks_keys(http, tenant)) == [new_kid, old_kid]
    verify_rs(http, tenant, old_token)
    verify_rs(http, tenant, new_token)
    tenant.retire_keys()
    assert list(jwks_keys(http, tenant)) == [new_kid]
    with pytest.raises(KeyError):
        verify_rs(http, tenant, old_token)


def test_rotated_keys_expire_after_the_grace() -> None:
    now = [1_000_000.0]
    with LocalTenant(clock=lambda: now[0]) as tenant:
        old = [k["kid"] for k in tenant.jwks()["keys"]]
        new = tenant.rotate_keys(grace=60)
        assert [k["kid"] for k in tenant.jwks()["keys"]] == new + old
        now[0] += 61
        assert [k["kid"] for k in tenant.jwks()["keys"]] == new


def test_rotation_rotates_every_algorithm(tenant: LocalTenant) -> None:
    tenant.add_api("urn:ps", signing_alg="PS256")
    before = {k["alg"]: k["kid"] for k in tenant.jwks()["keys"]}
    assert set(before) == {"RS256", "PS256"}
    assert len(tenant.rotate_keys()) == 2
    assert len(tenant.jwks()["keys"]) == 4


def test_rotating_a_stopped_tenant_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        LocalTenant().rotate_keys()
