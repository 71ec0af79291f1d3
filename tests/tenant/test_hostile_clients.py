"""Abusive clients of the embedded tenant (issue 11): bounded memory, connections and time.

A flood of made-up client ids, values that are not text, slow or silent connections, too many
parameters and a stranger guessing the demo client's secret each get a JSON 4xx, and none of
them costs the tenant unbounded memory or threads, or locks the real client out.
"""

from __future__ import annotations

import http.client
import json
import secrets
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from clientcreds.core.protocol import JWT_BEARER
from clientcreds.tenant import Client, Limits, LocalTenant, TenantConfig
from clientcreds.tenant.params import MAX_FIELDS
from clientcreds.tenant.ratelimit import RateLimiter
from clientcreds.tenant.refusals import FIDELITY
from tests.tenant.conftest import assert_error, demo_form, post_token

FORM = "application/x-www-form-urlencoded"
STRANGER = "127.0.0.2"
#: Slack for timings on a busy machine: the tests assert bounds, not speed.
SLACK = 4.0


def form_body(fields: dict[str, str]) -> bytes:
    return "&".join(f"{k}={v}" for k, v in fields.items()).encode()


def token_request(body: bytes, content_type: str = FORM) -> bytes:
    head = (
        f"POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def read_response(sock: socket.socket) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of one response on `sock`."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, json.loads(response.read())


def connect(tenant: LocalTenant, source: str = "127.0.0.1") -> socket.socket:
    return socket.create_connection(
        ("127.0.0.1", tenant.port), timeout=10, source_address=(source, 0)
    )


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closed `sock` (EOF or reset), waiting at most its timeout."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.fixture
def limited() -> Iterator[LocalTenant]:
    """A tenant with small connection limits and short timeouts."""
    limits = Limits(
        burst=10_000, per_second=10_000, max_connections=8, idle_timeout=1.0, request_timeout=1.0
    )
    with LocalTenant(TenantConfig(limits=limits)) as running:
        yield running
    assert running.internal_errors == []


# Memory: a flood of made-up client ids keeps no per-id state.


def test_2000_unique_30kb_client_ids_leave_the_limiter_bounded(
    tenant: LocalTenant, http: requests.Session
) -> None:
    limiter = tenant._running().endpoints.limiter
    with connect(tenant) as sock:
        for n in range(2000):
            client_id = f"{n:06d}" + "x" * 30_000
            sock.sendall(token_request(form_body(demo_form(tenant, client_id=client_id))))
            status, body = read_response(sock)
            assert (status, body["error"]) == (401, "access_denied")
    assert len(limiter) <= 2  # this address's shared bucket for unknown clients
    assert post_token(http, tenant, data=demo_form(tenant)).status_code == 200


def test_rate_limiter_keeps_at_most_max_buckets() -> None:
    limiter = RateLimiter(burst=5, per_second=1.0, max_buckets=100)
    for n in range(1000):
        assert limiter.take(f"key-{n}").allowed
    assert len(limiter) == 100


# 500s: values that are not text, and a configuration that is wrong.


@pytest.mark.parametrize("field", ["client_secret", "client_id", "audience"])
def test_lone_surrogate_in_json_is_a_400(
    tenant: LocalTenant, http: requests.Session, field: str
) -> None:
    text = json.dumps(demo_form(tenant)).replace(json.dumps(demo_form(tenant)[field]), '"a\\ud800"')
    response = post_token(http, tenant, data=text, headers={"Content-Type": "application/json"})
    body = assert_error(response, 400, "invalid_request")
    assert "surrogate" in body["error_description"]
    assert tenant.client_secret.reveal() not in response.text


@pytest.mark.parametrize("exp", ["9999999999", 1e400, True, None])
def test_assertion_with_a_non_numeric_exp_is_a_401(
    tenant: LocalTenant, http: requests.Session, exp: Any
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    client = tenant.add_client("pkjwt", client_secret=None, public_keys=(_jwk(key),))
    tenant.grant(client, tenant.audience)
    claims = {
        "iss": "pkjwt",
        "sub": "pkjwt",
        "aud": tenant.issuer,
        "exp": exp,
        "jti": secrets.token_hex(8),
    }
    assertion = jwt.encode(claims, key, "ES256", {"kid": "k"})
    form = {
        "grant_type": "client_credentials",
        "client_id": "pkjwt",
        "client_assertion_type": JWT_BEARER,
        "client_assertion": assertion,
        "audience": tenant.audience,
    }
    assert_error(post_token(http, tenant, data=form), 401, "access_denied", "Unauthorized")


def _jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": "k"}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"client_secret": 5}, "client_secret"),
        ({"client_secret": ""}, "client_secret"),
        ({"client_secret": ["a"]}, "client_secret"),
        ({"name": 5}, "name"),
        ({"grant_types": "client_credentials"}, "grant_types"),
        ({"grant_types": [5]}, "grant_types"),
        ({"default_organization": 5}, "default_organization"),
        ({"public_keys": [5]}, "public_keys"),
    ],
)
def test_config_with_a_wrong_client_value_is_refused_at_load(
    tmp_path: Path, entry: dict[str, Any], field: str
) -> None:
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps({"clients": [{"client_id": "svc", **entry}]}))
    with pytest.raises(ValueError, match=f"client 'svc': {field}"):
        TenantConfig.from_file(path)


def test_config_with_wrong_api_and_limit_values_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="signing_secret"):
        TenantConfig.from_dict({"apis": [{"identifier": "https://a/", "signing_secret": 5}]})
    with pytest.raises(ValueError, match="scopes"):
        TenantConfig.from_dict({"apis": [{"identifier": "https://a/", "scopes": [1]}]})
    with pytest.raises(ValueError, match="request_timeout"):
        TenantConfig.from_dict({"limits": {"request_timeout": "1"}})
    with pytest.raises(ValueError, match="client_secret"):
        Client("svc", client_secret=5)  # type: ignore[arg-type]


# Connections: bounded, idle ones closed, slow requests answered 408, good clients served.


def test_idle_connections_are_bounded_and_good_clients_served(
    limited: LocalTenant, http: requests.Session
) -> None:
    server = limited._running()
    threads_before = threading.active_count()
    idle = [connect(limited) for _ in range(100)]
    try:
        time.sleep(0.5)
        assert len(server._connections) <= server.max_connections
        # Threads of evicted connections may still be ending.
        assert threading.active_count() - threads_before <= server.max_connections + 2
        started = time.monotonic()
        response = post_token(http, limited, data=demo_form(limited))
        assert response.status_code == 200
        assert time.monotonic() - started < SLACK
    finally:
        for sock in idle:
            sock.close()


def test_idle_keep_alive_connection_is_closed(limited: LocalTenant) -> None:
    with connect(limited) as sock:
        sock.sendall(token_request(form_body(demo_form(limited))))
        assert read_response(sock)[0] == 200
        started = time.monotonic()
        assert closed_by_server(sock)
        assert time.monotonic() - started < 1.0 + SLACK


@pytest.mark.parametrize("stall", ["request line", "headers", "body"])
def test_slow_request_gets_a_json_408(limited: LocalTenant, stall: str) -> None:
    whole = token_request(form_body(demo_form(limited)))
    cut = {"request line": 10, "headers": 60, "body": len(whole) - 5}[stall]
    with connect(limited) as sock:
        started = time.monotonic()
        sock.sendall(whole[:cut])
        status, body = read_response(sock)
        assert status == 408
        assert body["error"] == "invalid_request"
        assert body["error_description"].startswith("Request timed out")
        assert time.monotonic() - started < 1.0 + SLACK
        assert closed_by_server(sock)


def test_dripping_request_gets_a_json_408_while_good_clients_are_served(
    limited: LocalTenant,
) -> None:
    whole = token_request(form_body(demo_form(limited)))
    stop = threading.Event()
    answers: list[int] = []

    def drip() -> None:
        with connect(limited) as sock:
            for byte in whole:
                if stop.wait(0.2):
                    return
                if select.select([sock], [], [], 0)[0]:
                    break  # the answer came: stop sending
                sock.sendall(bytes([byte]))
            answers.append(read_response(sock)[0])

    drippers = [threading.Thread(target=drip) for _ in range(3)]
    for thread in drippers:
        thread.start()
    try:
        with requests.Session() as http:
            for _ in range(5):
                assert post_token(http, limited, data=demo_form(limited)).status_code == 200
        for thread in drippers:
            thread.join(1.0 + SLACK)
        assert answers == [408, 408, 408]
    finally:
        stop.set()
        for thread in drippers:
            thread.join()


# Too many parameters.


@pytest.mark.parametrize("body", ["form", "json"])
def test_too_many_parameters_says_how_many_are_allowed(
    tenant: LocalTenant, http: requests.Session, body: str
) -> None:
    fields = {**demo_form(tenant), **{f"p{n}": "v" for n in range(MAX_FIELDS + 1 - 4)}}
    if body == "form":
        response = post_token(http, tenant, data=fields)
    else:
        response = post_token(http, tenant, json=fields)
    assert_error(
        response,
        400,
        "invalid_request",
        f"Too many parameters: {MAX_FIELDS + 1} sent, at most {MAX_FIELDS} are allowed",
    )
    row = next(r for r in FIDELITY if r.case == "too many parameters")
    assert f"at most {MAX_FIELDS} are allowed" in row.description


# A stranger guessing the demo client's secret.


class Clock:
    """A clock that stands still, so buckets do not refill during the test."""

    def __call__(self) -> float:
        return 1_700_000_000.0


def post_from(tenant: LocalTenant, source: str, fields: dict[str, str]) -> tuple[int, Any]:
    with connect(tenant, source) as sock:
        sock.sendall(token_request(form_body(fields)))
        return read_response(sock)


def test_wrong_secrets_from_a_stranger_do_not_lock_the_client_out() -> None:
    config = TenantConfig(limits=Limits(burst=5, per_second=1.0))
    with LocalTenant(config, clock=Clock()) as tenant:
        wrong = demo_form(tenant, client_secret="guess")
        statuses = [post_from(tenant, STRANGER, wrong)[0] for _ in range(40)]
        assert statuses == [401] * 5 + [429] * 35
        assert post_from(tenant, STRANGER, wrong)[1]["error"] == "too_many_attempts"
        # Blocked means blocked: the right secret from that address is refused too.
        assert post_from(tenant, STRANGER, demo_form(tenant))[0] == 429
        # The real client, from its own address, keeps its whole bucket.
        real = [post_from(tenant, "127.0.0.1", demo_form(tenant))[0] for _ in range(5)]
        assert real == [200] * 5
        assert post_from(tenant, "127.0.0.1", demo_form(tenant))[0] == 429  # its own limit
        assert tenant.internal_errors == []


def test_fidelity_table_says_what_auth0_does_on_failed_attempts() -> None:
    row = next(r for r in FIDELITY if r.error == "too_many_attempts")
    assert (row.status, row.confirmed) == (429, False)
    assert "per source address and claimed client id" in row.note
    assert "Suspicious IP Throttling" in row.note
