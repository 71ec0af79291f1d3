"""``private_key_jwt``: the client assertion and every check the tenant makes on it."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from clientcreds.core.protocol import JWT_BEARER
from clientcreds.tenant import Client, LocalTenant
from tests.tenant.conftest import assert_error, post_token, verify_rs

CLIENT_ID = "pkjwt-service"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem(key: Any) -> str:
    return str(
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture
def client(
    tenant: LocalTenant, rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey
) -> Client:
    ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    ec_jwk["kid"] = "ec-1"
    added = tenant.add_client(CLIENT_ID, client_secret=None, public_keys=(pem(rsa_key), ec_jwk))
    tenant.grant(added, tenant.audience, ["read:demo"])
    return added


def assertion(tenant: LocalTenant, key: Any, alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": tenant.issuer,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_hex(8),
    }
    claims.update(changes)
    headers = {"kid": "ec-1"} if alg.startswith("ES") else None
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, alg, headers)


def form(tenant: LocalTenant, token: str, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_assertion_type": JWT_BEARER,
        "client_assertion": token,
        "audience": tenant.audience,
        **extra,
    }


@pytest.mark.usefixtures("client")
@pytest.mark.parametrize("alg", ["RS256", "RS384", "PS256", "PS384", "ES256"])
def test_assertion_accepted(
    tenant: LocalTenant,
    http: requests.Session,
    rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
    alg: str,
) -> None:
    key = ec_key if alg.startswith("ES") else rsa_key
    response = post_token(http, tenant, data=form(tenant, assertion(tenant, key, alg)))
    assert response.status_code == 200, response.text
    claims = verify_rs(http, tenant, response.json()["access_token"])
    assert claims["azp"] == CLIENT_ID


@pytest.mark.usefixtures("client")
def test_client_id_may_come_from_the_assertion(
    tenant: LocalTenant, http: requests.Session, rsa_key: rsa.RSAPrivateKey
) -> None:
    data = form(tenant, assertion(tenant, rsa_key))
    del data["client_id"]
    assert post_token(http, tenant, data=data).status_code == 200


@dataclass(frozen=True)
class Seconds:
    """A time claim `offset` seconds from the moment the test runs."""

    offset: int


@pytest.mark.usefixtures("client")
@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "someone-else"},
        {"sub": "someone-else"},
        {"aud": "http://127.0.0.1/"},
        {"aud": "wrong"},
        {"exp": None},
        {"jti": None},
        {"exp": Seconds(-60), "iat": Seconds(-120)},
        {"exp": Seconds(600)},
        {"iat": Seconds(600), "exp": Seconds(700)},
    ],
    ids=["iss", "sub", "aud-no-port", "aud", "no-exp", "no-jti", "expired", "long", "future"],
)
def test_bad_assertion_refused(
    tenant: LocalTenant,
    http: requests.Session,
    rsa_key: rsa.RSAPrivateKey,
    changes: dict[str, Any],
) -> None:
    now = int(time.time())  # times relative to when the test runs, not when it was collected
    resolved: dict[str, Any] = {
        k: now + v.offset if isinstance(v, Seconds) else v for k, v in changes.items()
    }
    token = assertion(tenant, rsa_key, **resolved)
    response = post_token(http, tenant, data=form(tenant, token))
    assert_error(response, 401, "access_denied", "Unauthorized")


@pytest.mark.usefixtures("client")
def test_replayed_jti_refused(
    tenant: LocalTenant, http: requests.Session, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = assertion(tenant, rsa_key)
    assert post_token(http, tenant, data=form(tenant, token)).status_code == 200
    replay = post_token(http, tenant, data=form(tenant, token))
    assert_error(replay, 401, "access_denied", "Unauthorized")


@pytest.mark.usefixtures("client")
def test_unregistered_key_refused(tenant: LocalTenant, http: requests.Session) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = post_token(http, tenant, data=form(tenant, assertion(tenant, stranger)))
    assert_error(response, 401, "access_denied", "Unauthorized")


@pytest.mark.usefixtures("client")
def test_disallowed_algorithms_refused(tenant: LocalTenant, http: requests.Session) -> None:
    hs = assertion(tenant, "a-shared-secret-that-is-long-enough", "HS256")
    assert_error(post_token(http, tenant, data=form(tenant, hs)), 401, "access_denied")
    unsigned = assertion(tenant, None, "none")
    assert_error(post_token(http, tenant, data=form(tenant, unsigned)), 401, "access_denied")


@pytest.mark.usefixtures("client")
def test_oversized_assertion_refused(
    tenant: LocalTenant, http: requests.Session, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = assertion(tenant, rsa_key, padding="x" * 2000)
    assert len(token) > 2048
    assert_error(post_token(http, tenant, data=form(tenant, token)), 401, "access_denied")


@pytest.mark.usefixtures("client")
def test_wrong_assertion_type(
    tenant: LocalTenant, http: requests.Session, rsa_key: rsa.RSAPrivateKey
) -> None:
    data = form(tenant, assertion(tenant, rsa_key), client_assertion_type="urn:nope")
    assert_error(post_token(http, tenant, data=data), 400, "invalid_request")


@pytest.mark.usefixtures("client")
def test_garbage_assertion(tenant: LocalTenant, http: requests.Session) -> None:
    for garbage in ["x", "a.b.c", "e30.e30.", "....", "eyJhbGciOiJSUzI1NiJ9.%%%.x"]:
        response = post_token(http, tenant, data=form(tenant, garbage))
        assert_error(response, 401, "access_denied", "Unauthorized")


@pytest.mark.usefixtures("client")
def test_assertion_and_secret_together_refused(
    tenant: LocalTenant, http: requests.Session, rsa_key: rsa.RSAPrivateKey
) -> None:
    data = form(tenant, assertion(tenant, rsa_key), client_secret="s")
    assert_error(post_token(http, tenant, data=data), 400, "invalid_request")


@pytest.mark.usefixtures("client")
def test_secret_for_a_keys_only_client_refused(tenant: LocalTenant, http: requests.Session) -> None:
    data = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": "guess",
        "audience": tenant.audience,
    }
    assert_error(post_token(http, tenant, data=data), 401, "access_denied", "Unauthorized")
