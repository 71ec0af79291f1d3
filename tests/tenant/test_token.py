"""``POST /oauth/token``: the success path, its auth methods, bodies, claims and profiles."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote_plus

import jwt
import pytest
import requests

from clientcreds.request.token_request import TokenRequest
from clientcreds.tenant import LocalTenant
from tests.tenant.conftest import demo_form, post_token, verify_rs


def send(http: requests.Session, request: TokenRequest) -> requests.Response:
    """Send a `TokenRequest`'s exact wire request."""
    wire = request.wire_request()
    return http.post(wire.url, data=wire.body, headers=dict(wire.headers), timeout=10)


@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
@pytest.mark.parametrize("body", ["form", "json"])
def test_token_request_gets_a_valid_token(
    tenant: LocalTenant, http: requests.Session, auth_method: str, body: str
) -> None:
    response = send(http, tenant.token_request(auth_method=auth_method, body=body))
    assert response.status_code == 200, response.text
    data = response.json()
    assert list(data) == ["access_token", "scope", "expires_in", "token_type"]
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 86400
    assert data["scope"] == "read:demo write:demo"
    claims = verify_rs(http, tenant, data["access_token"])
    assert claims["sub"] == f"{tenant.client_id}@clients"


def test_success_headers(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert response.headers[name].isdigit()


def test_auth0_profile_claims_and_header(tenant: LocalTenant, http: requests.Session) -> None:
    before = int(time.time())
    token = post_token(http, tenant, data=demo_form(tenant)).json()["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"] in {k["kid"] for k in tenant.jwks()["keys"]}
    claims = verify_rs(http, tenant, token)
    assert claims["iss"] == tenant.issuer
    assert tenant.issuer.endswith("/")
    assert claims["aud"] == tenant.audience
    assert claims["azp"] == tenant.client_id
    assert claims["gty"] == "client-credentials"
    assert claims["scope"] == "read:demo write:demo"
    assert claims["exp"] - claims["iat"] == 86400
    assert before <= claims["iat"] <= int(time.time())
    assert "permissions" not in claims
    assert "jti" not in claims


def test_rfc9068_profile(tenant: LocalTenant, http: requests.Session) -> None:
    tenant.add_api("urn:api:9068", profile="rfc9068", token_lifetime=600)
    tenant.grant(tenant.client_id, "urn:api:9068", [])
    response = post_token(http, tenant, data=demo_form(tenant, audience="urn:api:9068"))
    data = response.json()
    assert "scope" not in data
    assert data["expires_in"] == 600
    token = data["access_token"]
    assert jwt.get_unverified_header(token)["typ"] == "at+jwt"
    claims = verify_rs(http, tenant, token, "urn:api:9068")
    assert claims["client_id"] == tenant.client_id
    assert claims["jti"]
    assert "azp" not in claims
    assert "gty" not in claims
    assert claims["exp"] - claims["iat"] == 600


def test_rbac_permissions(tenant: LocalTenant, http: requests.Session) -> None:
    tenant.add_api("urn:api:rbac", rbac=True, add_permissions=True, scopes=("a:b", "c:d"))
    tenant.grant(tenant.client_id, "urn:api:rbac", "a:b c:d")
    token = post_token(http, tenant, data=demo_form(tenant, audience="urn:api:rbac")).json()
    claims = verify_rs(http, tenant, token["access_token"], "urn:api:rbac")
    assert claims["permissions"] == ["a:b", "c:d"]
    assert claims["scope"] == "a:b c:d"


def test_ps256_api(tenant: LocalTenant, http: requests.Session) -> None:
    tenant.add_api("urn:api:ps", signing_alg="PS256")
    tenant.grant(tenant.client_id, "urn:api:ps")
    token = post_token(http, tenant, data=demo_form(tenant, audience="urn:api:ps")).json()
    header = jwt.get_unverified_header(token["access_token"])
    assert header["alg"] == "PS256"
    published = {k["kid"]: k for k in tenant.jwks()["keys"]}
    assert published[header["kid"]]["alg"] == "PS256"
    verify_rs(http, tenant, token["access_token"], "urn:api:ps")


def test_hs256_api_signs_with_the_api_secret(tenant: LocalTenant, http: requests.Session) -> None:
    api = tenant.add_api("urn:api:hs", signing_alg="HS256", signing_secret="x" * 32)
    tenant.grant(tenant.client_id, api)
    token = post_token(http, tenant, data=demo_form(tenant, audience="urn:api:hs")).json()
    header = jwt.get_unverified_header(token["access_token"])
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(
        token["access_token"], "x" * 32, algorithms=["HS256"], audience="urn:api:hs"
    )
    assert claims["iss"] == tenant.issuer
    assert "x" * 32 not in repr(api)


def test_all_granted_scopes_are_issued_whatever_was_asked(
    tenant: LocalTenant, http: requests.Session
) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, scope="read:demo"))
    assert response.json()["scope"] == "read:demo write:demo"


def test_resource_instead_of_audience(tenant: LocalTenant, http: requests.Session) -> None:
    form = demo_form(tenant, resource=tenant.audience)
    del form["audience"]
    token = post_token(http, tenant, data=form).json()["access_token"]
    assert verify_rs(http, tenant, token)["aud"] == tenant.audience


def test_audience_wins_over_resource(tenant: LocalTenant, http: requests.Session) -> None:
    form = demo_form(tenant, resource="urn:other")
    token = post_token(http, tenant, data=form).json()["access_token"]
    assert verify_rs(http, tenant, token)["aud"] == tenant.audience


def test_default_audience(tenant: LocalTenant, http: requests.Session) -> None:
    tenant.config.default_audience = tenant.audience
    form = demo_form(tenant)
    del form["audience"]
    assert post_token(http, tenant, data=form).status_code == 200


def test_basic_credentials_are_form_decoded(tenant: LocalTenant, http: requests.Session) -> None:
    secret = "a:b%c+d &é=/ü"
    client = tenant.add_client("id:with+odd %chars", client_secret=secret)
    tenant.grant(client, tenant.audience, ["read:demo"])
    request = tenant.token_request(client, auth_method="client_secret_basic")
    assert send(http, request).status_code == 200
    raw = f"{quote_plus(client.client_id)}:{quote_plus(secret)}".encode()
    headers = {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    form = {"grant_type": "client_credentials", "audience": tenant.audience}
    assert post_token(http, tenant, data=form, headers=headers).status_code == 200


def test_json_body(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, json=demo_form(tenant))
    assert response.status_code == 200
    verify_rs(http, tenant, response.json()["access_token"])


def test_tokens_pass_clientcreds_verify(tenant: LocalTenant, http: requests.Session) -> None:
    from clientcreds.tokens.verification import verify

    token = send(http, tenant.token_request()).json()["access_token"]
    report = verify(token, issuer=tenant.issuer, audience=tenant.audience)
    assert report.ok, report


def test_demo_secret_is_new_on_every_start() -> None:
    tenant = LocalTenant()
    with tenant:
        first = tenant.client_secret.reveal()
    with tenant:
        second = tenant.client_secret.reveal()
    assert first != second
    assert first not in repr(tenant)


def test_identical_rs256_claims_reuse_the_token_9068_never(
    tenant: LocalTenant, http: requests.Session
) -> None:
    from clientcreds.tenant.signing import KeyRing, sign

    keys = KeyRing(tenant.issuer)
    claims = {"iss": tenant.issuer, "sub": "x@clients", "iat": 1, "exp": 2}
    secret = tenant.demo_api.signing_secret
    first = sign(claims, alg="RS256", keys=keys, secret=secret, typ="JWT")
    assert sign(dict(claims), alg="RS256", keys=keys, secret=secret, typ="JWT") == first
    assert sign(claims, alg="PS256", keys=keys, secret=secret, typ="JWT") != sign(
        claims, alg="PS256", keys=keys, secret=secret, typ="JWT"
    )
    tenant.add_api("urn:9068", profile="rfc9068")
    tenant.grant(tenant.client_id, "urn:9068")
    form = demo_form(tenant, audience="urn:9068")
    tokens = {post_token(http, tenant, data=form).json()["access_token"] for _ in range(3)}
    assert len(tokens) == 3
