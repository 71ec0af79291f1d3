"""``private_key_jwt`` on `TokenRequest`: the assertion, validation, secrecy, the tenant."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from clientcreds import (
    ClientCredentials,
    PrivateKey,
    RenderError,
    TokenRequest,
    fetch_token,
    render,
    targets,
)
from clientcreds.core.protocol import JWT_BEARER
from clientcreds.tenant import LocalTenant
from tests.faults import running_tenant

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
CLIENT_ID = "pkjwt-client"


def pem(key: Any, public: bool = False) -> str:
    if public:
        data = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return str(data.decode())


def key_request(**changes: Any) -> TokenRequest:
    values: dict[str, Any] = {
        "domain": "tenant.auth0.com",
        "client_id": CLIENT_ID,
        "audience": "https://api/",
        "auth_method": "private_key_jwt",
        "private_key": pem(RSA_KEY),
        "key_id": "kid-1",
    }
    return TokenRequest(**{**values, **changes})


def body_of(request: TokenRequest) -> dict[str, str]:
    return dict(parse_qsl(request.wire_request().body.decode()))


def test_the_assertion_is_what_auth0_asks_for() -> None:
    body = body_of(key_request())
    assert body["client_assertion_type"] == JWT_BEARER
    assert "client_secret" not in body
    assertion = body["client_assertion"]
    header = jwt.get_unverified_header(assertion)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "kid-1"}
    claims = jwt.decode(
        assertion, RSA_KEY.public_key(), algorithms=["RS256"], audience="https://tenant.auth0.com/"
    )
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert len(assertion) <= 2048


def test_every_wire_request_signs_a_fresh_assertion() -> None:
    request = key_request()
    first, second = body_of(request), body_of(request)
    assert first["client_assertion"] != second["client_assertion"]
    jti = [
        jwt.decode(b["client_assertion"], options={"verify_signature": False})["jti"]
        for b in (first, second)
    ]
    assert jti[0] != jti[1]


def test_token_url_assertion_audience_is_the_endpoint() -> None:
    request = key_request(domain=None, token_url="https://idp.example/oauth2/token")
    assert request.assertion_audience == "https://idp.example/oauth2/token"
    assert key_request(domain="https://t.eu.auth0.com/").assertion_audience == (
        "https://t.eu.auth0.com/"
    )


@pytest.mark.parametrize(
    ("key", "alg", "expected"),
    [(EC_KEY, None, "ES256"), (RSA_KEY, "PS384", "PS384"), (EC_KEY, "ES256", "ES256")],
)
def test_algorithms(key: Any, alg: str | None, expected: str) -> None:
    request = key_request(private_key=key, assertion_alg=alg)
    assert jwt.get_unverified_header(body_of(request)["client_assertion"])["alg"] == expected


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"private_key": None}, "private_key is required"),
        ({"client_secret": "s"}, "leave client_secret out"),
        ({"private_key": EC_KEY, "assertion_alg": "RS256"}, "cannot sign RS256"),
        ({"private_key": RSA_KEY, "assertion_alg": "ES256"}, "cannot sign ES256"),
        ({"assertion_alg": "HS256"}, "assertion_alg must be one of"),
        ({"private_key": "not a key"}, "not a PEM private key"),
        ({"private_key": 42}, "must be PEM text"),
        ({"key_id": ""}, "key_id is empty"),
        ({"auth_method": "client_secret_post", "client_secret": "s"}, "only used with"),
    ],
)
def test_bad_key_requests_are_refused(changes: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        key_request(**changes)


def test_secret_methods_still_need_a_secret() -> None:
    with pytest.raises(ValueError, match="client_secret is required"):
        TokenRequest(domain="tenant.auth0.com", client_id="a", audience="x")


def test_the_key_never_prints_or_pickles() -> None:
    request = key_request()
    private_pem = pem(RSA_KEY)
    body_line = private_pem.splitlines()[1]
    for shown in (repr(request), str(request), repr(request.private_key), f"{request}"):
        assert body_line not in shown
        assert "hidden" in shown
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(PrivateKey(RSA_KEY))
    assert PrivateKey(private_pem) == PrivateKey(RSA_KEY)


@pytest.mark.parametrize("target", targets())
def test_snippets_refuse_private_key_jwt(target: str) -> None:
    with pytest.raises(RenderError, match="snippets for private_key_jwt are not supported yet"):
        render(key_request(), target, secret="reveal")


@pytest.fixture
def tenant() -> Iterator[LocalTenant]:
    with running_tenant() as running:
        running.add_client(
            CLIENT_ID, client_secret=None, public_keys=(pem(RSA_KEY, True), pem(EC_KEY, True))
        )
        running.grant(CLIENT_ID, running.audience, ["read:demo"])
        yield running


@pytest.mark.parametrize(
    ("key", "alg"), [(RSA_KEY, "RS256"), (RSA_KEY, "PS256"), (EC_KEY, "ES256")]
)
def test_private_key_jwt_gets_a_token_from_the_tenant(
    tenant: LocalTenant, key: Any, alg: str
) -> None:
    request = key_request(domain=tenant.domain, audience=tenant.audience, private_key=key,
                          assertion_alg=alg)  # fmt: skip
    token = fetch_token(request)
    claims = jwt.decode(token.access_token, options={"verify_signature": False})
    assert claims["azp"] == CLIENT_ID


def test_cached_private_key_jwt_refreshes_with_a_new_assertion(
    tenant: LocalTenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    request = key_request(domain=tenant.domain, audience=tenant.audience)
    creds = ClientCredentials(request)
    first = creds.get_token()
    creds.invalidate()
    second = creds.get_token()  # the tenant refuses a replayed jti: this needs a new one
    assert second.token_type == "Bearer"
    for leak in (first.access_token, second.access_token, pem(RSA_KEY).splitlines()[1]):
        assert leak not in caplog.text
    assert "eyJ" not in caplog.text  # no JWT at all: no assertion, no token
