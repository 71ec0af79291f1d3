"""Hostile and malformed requests: always a JSON 4xx, never a 500 or a dropped connection."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds.tenant import LocalTenant
from tests.tenant.conftest import assert_error, demo_form, post_token

FORM = "application/x-www-form-urlencoded"


def raw(tenant: LocalTenant, data: bytes) -> http.client.HTTPResponse:
    """Send raw bytes on a new connection and parse the one response (read fully)."""
    with socket.create_connection(("127.0.0.1", tenant.port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


def request_bytes(body: bytes, content_type: str = FORM, extra: str = "") -> bytes:
    head = (
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


def assert_json_4xx(response: http.client.HTTPResponse) -> None:
    assert 400 <= response.status < 500, response.status
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert b'"error"' in response.body  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [64 * 1024 + 1, 1024 * 1024, 8 * 1024 * 1024])
def test_body_too_large(tenant: LocalTenant, http: requests.Session, size: int) -> None:
    response = post_token(http, tenant, data=b"a" * size, headers={"Content-Type": FORM})
    body = assert_error(response, 413, "invalid_request")
    assert "65536" in body["error_description"]


def test_body_too_large_with_expect_continue(tenant: LocalTenant) -> None:
    data = request_bytes(b"", extra="Expect: 100-continue\r\n").replace(
        b"Content-Length: 0", b"Content-Length: 999999"
    )
    assert raw(tenant, data).status == 413


def test_expect_continue_is_honoured(tenant: LocalTenant) -> None:
    body = "&".join(f"{k}={v}" for k, v in demo_form(tenant).items()).encode()
    head = request_bytes(b"", extra="Expect: 100-continue\r\n").replace(
        b"Content-Length: 0", f"Content-Length: {len(body)}".encode()
    )
    with socket.create_connection(("127.0.0.1", tenant.port), timeout=10) as sock:
        sock.sendall(head)
        assert sock.recv(100).startswith(b"HTTP/1.1 100")
        sock.sendall(body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 200
        response.read()


@pytest.mark.parametrize(
    "body",
    [b"a", b"=x", b"a=1&&b=2", b"a=%zz", b"a=%", b"a=\xff", b"a=%ff%fe", b"a=1;b=2"],
)
def test_malformed_form(tenant: LocalTenant, http: requests.Session, body: bytes) -> None:
    response = post_token(http, tenant, data=body, headers={"Content-Type": FORM})
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b'"text"',
        b'{"grant_type": 1}',
        b'{"a": "b", "a": "c"}',
        b'{"a": NaN}',
        b"[" * 60000,
        b'{"a":' * 10000,
        b"\xff\xfe{}",
        b"1" * 60000,
    ],
)
def test_malformed_json(tenant: LocalTenant, http: requests.Session, body: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    response = post_token(http, tenant, data=body, headers=headers)
    assert_error(response, 400, "invalid_request")


def test_duplicate_parameter(tenant: LocalTenant, http: requests.Session) -> None:
    pairs = [*demo_form(tenant).items(), ("audience", tenant.audience)]
    response = post_token(http, tenant, data=pairs)
    assert_error(response, 400, "invalid_request", "Duplicate parameter: audience")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "multipart/form-data; boundary=x", "", f"{FORM}; charset=latin-1"],
)
def test_wrong_content_type(tenant: LocalTenant, http: requests.Session, content_type: str) -> None:
    body = "&".join(f"{k}={v}" for k, v in demo_form(tenant).items())
    response = post_token(http, tenant, data=body, headers={"Content-Type": content_type})
    assert_error(response, 400, "invalid_request")


def test_content_type_is_case_insensitive(tenant: LocalTenant, http: requests.Session) -> None:
    body = "&".join(f"{k}={v}" for k, v in demo_form(tenant).items())
    headers = {"Content-Type": "Application/X-WWW-Form-Urlencoded; Charset=UTF-8"}
    assert post_token(http, tenant, data=body, headers=headers).status_code == 200


def test_parameters_in_the_query_are_refused(tenant: LocalTenant, http: requests.Session) -> None:
    response = http.post(tenant.token_url + "?client_secret=x", data=demo_form(tenant), timeout=10)
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"])
def test_wrong_method_on_token(tenant: LocalTenant, http: requests.Session, method: str) -> None:
    response = http.request(method, tenant.token_url, timeout=10)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"


def test_wrong_method_on_jwks(tenant: LocalTenant, http: requests.Session) -> None:
    response = http.post(tenant.jwks_uri, data=b"x", timeout=10)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/", "/oauth/token/", "/authorize", "/.well-known/x", "/%00"])
def test_unknown_path(tenant: LocalTenant, http: requests.Session, path: str) -> None:
    assert_error(http.get(tenant.domain + path, timeout=10), 404, "not_found")


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n",
        b"GET / HTTP/1.1\r\nX: " + b"y" * 70000 + b"\r\n\r\n",
        b"POST /oauth/token HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"POST /oauth/token HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"POST /oauth/token HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"POST /oauth/token HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
        b"POST /oauth/token HTTP/1.1\r\nAuthorization: Basic !!!\r\nContent-Type: "
        + FORM.encode()
        + b"\r\nContent-Length: 3\r\n\r\na=b",
        b"POST /oauth/token HTTP/1.1\r\nAuthorization: Basic Og==\r\nAuthorization: Basic Og=="
        b"\r\nContent-Length: 0\r\n\r\n",
    ],
    ids=[
        "garbage",
        "http09",
        "version",
        "long-line",
        "many-headers",
        "long-header",
        "cl-text",
        "cl-negative",
        "cl-twice",
        "chunked",
        "basic-garbage",
        "auth-twice",
    ],
)
def test_malformed_http(tenant: LocalTenant, data: bytes) -> None:
    assert_json_4xx(raw(tenant, data))


@pytest.mark.parametrize(
    "authorization",
    ["Basic", "Basic =", "Basic " + "QQ==", "Bearer abc", "Basic w6k6w6k=", "Basic JXp6OiV6eg=="],
)
def test_malformed_basic(tenant: LocalTenant, http: requests.Session, authorization: str) -> None:
    form = {"grant_type": "client_credentials", "audience": tenant.audience}
    response = post_token(http, tenant, data=form, headers={"Authorization": authorization})
    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in ("invalid_request", "access_denied")


def test_keep_alive_survives_errors(tenant: LocalTenant, http: requests.Session) -> None:
    for _ in range(3):
        assert (
            post_token(http, tenant, data=b"%%", headers={"Content-Type": FORM}).status_code == 400
        )
        assert http.get(tenant.domain + "/nope", timeout=10).status_code == 404
        assert post_token(http, tenant, data=demo_form(tenant)).status_code == 200


def test_client_that_hangs_up_mid_body(tenant: LocalTenant) -> None:
    with socket.create_connection(("127.0.0.1", tenant.port), timeout=10) as sock:
        sock.sendall(request_bytes(b"").replace(b"Content-Length: 0", b"Content-Length: 100"))
        sock.sendall(b"grant_type=")
    assert raw(tenant, b"GET /.well-known/jwks.json HTTP/1.1\r\n\r\n").status == 200


def test_stop_closes_idle_keep_alive_connections() -> None:
    before = threading.active_count()
    tenant = LocalTenant().start()
    with requests.Session() as session:
        assert session.get(tenant.jwks_uri, timeout=10).status_code == 200
        started = time.monotonic()
        tenant.stop()
        assert time.monotonic() - started < 3
    assert threading.active_count() == before


def test_binds_loopback_only(tenant: LocalTenant) -> None:
    assert tenant._running().server_address[0] == "127.0.0.1"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "grant_type",
                        "client_id",
                        "client_secret",
                        "audience",
                        "scope",
                        "resource",
                        "organization",
                        "client_assertion",
                        "client_assertion_type",
                        "x",
                    ]
                ),
                st.text(max_size=40),
            ),
            max_size=8,
        ).map(
            lambda pairs: "&".join(
                f"{k}={v.encode('utf-8', 'surrogatepass').hex()}" if i % 2 else f"{k}={v}"
                for i, (k, v) in enumerate(pairs)
            ).encode("utf-8", "surrogatepass")
        ),
    ),
    content_type=st.sampled_from([FORM, "application/json", "text/plain", "", "a/b;;;=="]),
    authorization=st.one_of(
        st.none(),
        st.text(max_size=30),
        st.binary(max_size=30).map(lambda b: "Basic " + __import__("base64").b64encode(b).decode()),
    ),
)
def test_fuzzed_requests_never_fail_the_server(
    tenant: LocalTenant, body: bytes, content_type: str, authorization: str | None
) -> None:
    extra = ""
    if authorization is not None:
        clean = "".join(ch for ch in authorization if ch.isprintable() and ord(ch) < 256)
        extra = f"Authorization: {clean}\r\n"
    response = raw(tenant, request_bytes(body, content_type, extra))
    assert response.status in (200, 400, 401, 403, 404, 405, 413, 429), response.status
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert tenant.internal_errors == []
