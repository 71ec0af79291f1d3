"""`fetch_token` against the embedded tenant and a loopback fault server."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import jwt
import pytest
import requests

from clientcreds import (
    OAuthError,
    RetryPolicy,
    TokenEndpointError,
    TokenRequest,
    TokenResponseError,
    TransportError,
    fetch_token,
)
from clientcreds.tenant import LocalTenant
from tests.faults import (
    FAST,
    SECRET,
    FaultServer,
    Reply,
    fetch,
    oauth_error,
    request_to,
    running_tenant,
    self_signed,
    token,
)


@pytest.fixture
def tenant() -> Iterator[LocalTenant]:
    with running_tenant() as running:
        yield running


# --- success -------------------------------------------------------------------------------


@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
@pytest.mark.parametrize("body", ["form", "json"])
def test_token_from_the_tenant(tenant: LocalTenant, auth_method: str, body: str) -> None:
    response = fetch_token(tenant.token_request(auth_method=auth_method, body=body))
    claims = jwt.decode(response.access_token, options={"verify_signature": False})
    assert claims["aud"] == tenant.audience
    assert claims["iss"] == tenant.issuer
    assert response.expires_in == 86400


def test_the_exact_wire_request_is_sent_and_nothing_from_the_session() -> None:
    with FaultServer([token()]) as server, requests.Session() as session:
        session.headers["Authorization"] = "Bearer leaked-session-token"
        session.headers["X-Session"] = "1"
        session.cookies.set("sid", "cookie-value")
        request = request_to(server)
        fetch_token(request, session=session)
        (got,) = server.received
    wire = request.wire_request()
    assert got.body == wire.body
    assert got.headers["Content-Type"] == dict(wire.headers)["Content-Type"]
    assert "Authorization" not in got.headers
    assert "X-Session" not in got.headers
    assert "Cookie" not in got.headers


def test_wrong_secret_is_an_oauth_error_not_retried(tenant: LocalTenant) -> None:
    request = tenant.token_request(client_secret="wrong")
    with pytest.raises(OAuthError) as info:
        fetch_token(request, retries=FAST)
    assert info.value.status == 401
    assert info.value.explanation is not None
    assert info.value.explanation.key == "auth0.wrong_secret"


@pytest.mark.parametrize("status", [400, 401, 403])
def test_client_errors_are_never_retried(status: int) -> None:
    with FaultServer([oauth_error(status, "access_denied", "no")]) as server:
        with pytest.raises(OAuthError) as info:
            fetch(server)
        assert len(server.received) == 1
    assert info.value.status == status


# --- redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_is_refused_and_the_target_gets_nothing(status: int) -> None:
    with FaultServer([token()]) as target:
        location = target.base_url + "/oauth/token"
        with FaultServer([Reply(status, {"Location": location})]) as server:
            with pytest.raises(TransportError) as info:
                fetch(server)
            assert len(server.received) == 1
        assert target.received == []
    error = info.value
    assert error.kind == "redirect"
    assert error.location == location
    assert target.host in str(error)
    assert SECRET not in str(error)
    assert SECRET not in repr(error)
    assert isinstance(error, TokenEndpointError)


# --- retries -------------------------------------------------------------------------------


def test_429_honours_retry_after_seconds() -> None:
    waits: list[float] = []
    limited = oauth_error(429, "too_many_requests", "Too many", **{"Retry-After": "2"})
    with FaultServer([limited, token("after-wait")]) as server:
        response = fetch(server, sleep=waits.append)
        assert len(server.received) == 2
    assert response.access_token == "after-wait"
    assert waits == [2.0]


def test_429_honours_retry_after_as_a_date() -> None:
    waits: list[float] = []
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=3), usegmt=True)
    limited = oauth_error(429, "too_many_requests", "Too many", **{"Retry-After": when})
    with FaultServer([limited, token()]) as server:
        fetch(server, sleep=waits.append)
    assert len(waits) == 1
    assert 1.0 <= waits[0] <= 3.0


def test_429_honours_x_ratelimit_reset() -> None:
    waits: list[float] = []
    reset = str(int(time.time()) + 3)
    limited = oauth_error(429, "too_many_requests", "Too many", **{"x-ratelimit-reset": reset})
    with FaultServer([limited, token()]) as server:
        fetch(server, sleep=waits.append)
    assert len(waits) == 1
    assert 1.0 <= waits[0] <= 3.0


def test_429_longer_than_the_deadline_is_reported_at_once() -> None:
    waits: list[float] = []
    limited = oauth_error(
        429, "too_many_requests", "Client quota exceeded", **{"Retry-After": "3540"}
    )
    with FaultServer([limited, token()]) as server:
        with pytest.raises(OAuthError) as info:
            fetch(server, sleep=waits.append)
        assert len(server.received) == 1
    assert waits == []
    assert info.value.retry_after == 3540


def test_503_then_200() -> None:
    unavailable = oauth_error(503, "temporarily_unavailable", "try later")
    with FaultServer([unavailable, token("second")]) as server:
        assert fetch(server).access_token == "second"
        assert len(server.received) == 2


def test_html_502_is_retried_then_explained() -> None:
    page = Reply(502, {}, b"<html><title>502 Bad Gateway</title></html>")
    with FaultServer([page]) as server:
        with pytest.raises(TokenResponseError, match="HTML page titled '502 Bad Gateway'"):
            fetch(server)
        assert len(server.received) == FAST.attempts


def test_attempts_bound_the_retries() -> None:
    with FaultServer([oauth_error(500, "server_error")]) as server:
        with pytest.raises(OAuthError):
            fetch(server, retries=1, sleep=lambda seconds: None)
        assert len(server.received) == 2


def test_deadline_bounds_the_retries() -> None:
    waits: list[float] = []
    policy = RetryPolicy(attempts=10, backoff=1.0, max_backoff=1.0, jitter=0, deadline=2.5)
    now = [0.0]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with FaultServer([oauth_error(503, "temporarily_unavailable")]) as server:
        with pytest.raises(OAuthError):
            fetch(server, retries=policy, sleep=sleep, clock=lambda: now[0])
        # After two waits of 1 s, a third would end at 3 s, past the 2.5 s deadline.
        assert len(server.received) == 3
    assert waits == [1.0, 1.0]


def test_backoff_is_capped_exponential_with_jitter() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=4.0, jitter=0.5)
    assert [policy.delay(n, lambda: 0.0) for n in range(4)] == [1.0, 2.0, 4.0, 4.0]
    assert policy.delay(1, lambda: 1.0) == 1.0
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=2)


# --- broken answers and connections --------------------------------------------------------


def test_truncated_json_is_explained() -> None:
    cut = Reply(200, {"Content-Type": "application/json"}, b'{"access_token": "abc')
    with FaultServer([cut]) as server, pytest.raises(TokenResponseError, match="truncated"):
        fetch(server)


def test_body_shorter_than_content_length_is_retried() -> None:
    short = Reply(200, {}, {"access_token": "x"}, fault="short")
    with FaultServer([short, token("whole")]) as server:
        assert fetch(server).access_token == "whole"
        assert len(server.received) == 2


def test_slow_answer_times_out_without_retry() -> None:
    with FaultServer([Reply(delay=5.0, body={"x": 1})]) as server:
        started = time.monotonic()
        with pytest.raises(TransportError) as info:
            fetch(server, timeout=0.2)
        assert time.monotonic() - started < 2
        assert len(server.received) == 1
    assert info.value.kind == "timeout"
    assert "did not answer in time" in str(info.value)


def test_reset_connection_is_retried_then_reported() -> None:
    with FaultServer([Reply(fault="reset")]) as server:
        with pytest.raises(TransportError) as info:
            fetch(server)
        assert len(server.received) == FAST.attempts
    assert info.value.kind == "connection"
    assert info.value.attempts == FAST.attempts
    assert "reset the connection" in str(info.value) or "closed the connection" in str(info.value)


def test_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = TokenRequest(
        domain=f"http://127.0.0.1:{port}", client_id="a", client_secret=SECRET, audience="x"
    )
    with pytest.raises(TransportError, match="refused") as info:
        fetch_token(request, retries=FAST)
    assert info.value.kind == "connection"
    assert info.value.attempts == 1  # nothing listens there: retrying cannot help
    assert f"127.0.0.1:{port}" in str(info.value)


# --- TLS -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def test_untrusted_certificate_is_a_clear_tls_error(certificate: tuple[Path, Path]) -> None:
    with FaultServer([token()], tls=certificate) as server:
        request = TokenRequest(
            token_url=server.base_url + "/oauth/token", client_id="a", client_secret=SECRET
        )
        with pytest.raises(TransportError) as info:
            fetch_token(request, retries=FAST)
        assert server.received == []
    assert info.value.kind == "tls"
    assert "TLS to 127.0.0.1" in str(info.value)
    assert "ca_bundle" in str(info.value)


def test_ca_bundle_trusts_the_certificate(certificate: tuple[Path, Path]) -> None:
    with FaultServer([token("over-tls")], tls=certificate) as server:
        request = TokenRequest(
            token_url=server.base_url + "/oauth/token", client_id="a", client_secret=SECRET
        )
        response = fetch_token(request, ca_bundle=certificate[0])
        assert len(server.received) == 1
    assert response.access_token == "over-tls"


def test_a_session_cannot_turn_verification_off(certificate: tuple[Path, Path]) -> None:
    with FaultServer([token()], tls=certificate) as server, requests.Session() as session:
        session.verify = False
        request = TokenRequest(
            token_url=server.base_url + "/oauth/token", client_id="a", client_secret=SECRET
        )
        with pytest.raises(TransportError, match="TLS"):
            fetch_token(request, session=session, retries=FAST)


# --- logging -------------------------------------------------------------------------------


def test_debug_log_has_no_secret_no_assertion_no_token(
    tenant: LocalTenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    request = tenant.token_request()
    assert request.client_secret is not None
    got = fetch_token(request)
    unavailable = oauth_error(503, "temporarily_unavailable")
    with FaultServer([unavailable, token("tok-" + "x" * 40)]) as server:
        retried = fetch(server)
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "token request 1/4" in text
    assert "retrying" in text
    assert "token received" in text
    for leak in (request.client_secret.reveal(), SECRET, got.access_token, retried.access_token):
        assert leak not in text
    assert got.access_token[:16] not in text
