"""`fetch_token`, the response parser and the key-set fetch against hostile servers.

Each test is one way a server can attack the client (issue 11): a huge or inflating answer, a
server dripping bytes, HTML made to make a regular expression quadratic, numbers and headers
out of range, failures retried in vain, the request's secret echoed back.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcreds import (
    OAuthError,
    RetryPolicy,
    TokenRequest,
    TokenResponseError,
    TransportError,
    fetch_token,
)
from clientcreds.client.fetch import MAX_RESPONSE_BYTES
from clientcreds.core.secret import REDACTED, scrub
from clientcreds.exceptions import JwksError
from clientcreds.response.token_response import parse_token_response
from clientcreds.tokens.keyset import JwksCache
from tests.faults import FAST, SECRET, FaultServer, Reply, fetch, oauth_error, request_to, token

MIB = 1024 * 1024


# --- unbounded answers ---------------------------------------------------------------------


def peak_memory_of(action: Any) -> int:
    """The peak of Python allocations, in bytes, while `action` runs (every thread counts)."""
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_huge_answer_is_refused_without_being_read_whole() -> None:
    # 32 MiB sent (standing for 1 GiB: the server stops when the client hangs up).
    huge = Reply(200, {"Content-Type": "application/json"}, b"x" * MIB, repeat=32)
    with FaultServer([huge]) as server:

        def fetch_huge() -> None:
            with pytest.raises(TokenResponseError, match="larger than 1024 KiB") as info:
                fetch(server)
            assert info.value.status == 200

        peak = peak_memory_of(fetch_huge)
    assert peak < 4 * MAX_RESPONSE_BYTES


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body, a few KB, that inflates to a token answer of `inflated` bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"token_type": "Bearer", "access_token": "')]
    parts += [packer.compress(b"a" * MIB) for _ in range(inflated // MIB)]
    parts += [packer.compress(b'"}'), packer.flush()]
    return b"".join(parts)


def test_a_gzip_bomb_is_refused_after_decompression() -> None:
    bomb = gzip_bomb(64 * MIB)
    assert len(bomb) < 100_000
    reply = Reply(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, bomb)
    with FaultServer([reply]) as server:

        def fetch_bomb() -> None:
            with pytest.raises(TokenResponseError, match="larger than"):
                fetch(server)

        peak = peak_memory_of(fetch_bomb)
    assert peak < 4 * MAX_RESPONSE_BYTES


def test_an_answer_under_the_limit_is_read_whole() -> None:
    with FaultServer([token("t" * (MAX_RESPONSE_BYTES // 2))]) as server:
        assert len(fetch(server).access_token) == MAX_RESPONSE_BYTES // 2


# --- wall-clock deadlines ------------------------------------------------------------------


@pytest.mark.parametrize("drip_body", [False, True], ids=["headers", "body"])
def test_a_dripping_server_cannot_stall_an_attempt(drip_body: bool) -> None:
    # Each byte comes well within the read timeout; the whole answer would take minutes.
    dripping = Reply(200, {}, {"access_token": "x" * 200}, drip=0.05, drip_body=drip_body)
    with FaultServer([dripping]) as server:
        started = time.monotonic()
        with pytest.raises(TransportError) as info:
            fetch(server, timeout=(0.5, 0.5))
        elapsed = time.monotonic() - started
        assert len(server.received) == 1
    assert info.value.kind == "timeout"
    assert elapsed < 2.0


def test_a_hanging_name_lookup_cannot_stall_an_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    # getaddrinfo takes no timeout: only the worker thread of bounded_read bounds it.
    release = threading.Event()

    def hanging_lookup(*args: object, **kwargs: object) -> list[Any]:
        release.wait(10)
        raise socket.gaierror("released by the test")

    with FaultServer([token()]) as server:
        monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
        started = time.monotonic()
        try:
            with pytest.raises(TransportError) as info:
                fetch(server, timeout=(0.3, 0.3), retries=0)
            elapsed = time.monotonic() - started
        finally:
            release.set()
    assert info.value.kind == "timeout"
    assert elapsed < 2.0


def test_the_policy_deadline_also_bounds_an_attempt() -> None:
    dripping = Reply(200, {}, {"access_token": "x" * 200}, drip=0.05)
    policy = RetryPolicy(attempts=3, deadline=0.8)
    with FaultServer([dripping]) as server:
        started = time.monotonic()
        with pytest.raises(TransportError, match="did not answer in time"):
            fetch(server, timeout=30, retries=policy)
        assert time.monotonic() - started < 2.0


def test_the_key_set_fetch_is_bounded_in_total() -> None:
    keys = Reply(200, {"Content-Type": "application/json"}, {"keys": [{"kty": "RSA"}] * 5})
    dripping = Reply(keys.status, keys.headers, keys.body, drip=0.05)
    with FaultServer([dripping]) as server:
        cache = JwksCache(server.base_url + "/", jwks=server.base_url + "/jwks", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(JwksError, match=r"did not answer within 0\.5 s"):
            cache.refresh()
        assert time.monotonic() - started < 2.0


def test_the_key_set_fetch_refuses_a_gzip_bomb() -> None:
    reply = Reply(200, {"Content-Encoding": "gzip"}, gzip_bomb(16 * MIB))
    with FaultServer([reply]) as server:
        cache = JwksCache(server.base_url + "/", jwks=server.base_url + "/jwks")
        with pytest.raises(JwksError, match="sent more than"):
            cache.refresh()


# --- linear parsing ------------------------------------------------------------------------


def test_hostile_html_is_parsed_in_linear_time() -> None:
    hostile = b"<" + b"<title>" * 30_000  # 210 KB: 26 s with the old regular expression
    started = time.monotonic()
    with pytest.raises(TokenResponseError, match="an HTML page came back") as info:
        parse_token_response(502, {"Content-Type": "text/html"}, hostile)
    assert time.monotonic() - started < 2.0
    assert "titled" not in str(info.value)


def test_an_html_title_is_still_shown() -> None:
    page = b"<!doctype html><html><head><TITLE lang=en>502  Bad\nGateway</title></head>"
    with pytest.raises(TokenResponseError, match="titled '502 Bad Gateway'"):
        parse_token_response(502, {}, page)


# --- typed errors for every answer ---------------------------------------------------------


def token_body(expires_in: str) -> str:
    """A token answer whose ``expires_in`` is the JSON text `expires_in`, as sent."""
    return f'{{"access_token": "t", "token_type": "Bearer", "expires_in": {expires_in}}}'


@pytest.mark.parametrize(
    "expires_in", ["NaN", "Infinity", "-Infinity", "1e400", "1e30", "315360001", '"1e30"']
)
def test_an_impossible_lifetime_is_a_token_response_error(expires_in: str) -> None:
    with pytest.raises(TokenResponseError, match=r"expires_in|NaN|Infinity|range"):
        parse_token_response(200, {}, token_body(expires_in))


def test_a_long_lifetime_within_ten_years_still_prints() -> None:
    body = {"access_token": "t", "token_type": "Bearer", "expires_in": 315_360_000}
    response = parse_token_response(200, {}, json.dumps(body))
    assert "expires_in" in str(response)


def test_deeply_nested_json_is_a_token_response_error() -> None:
    with pytest.raises(TokenResponseError, match="nests"):
        parse_token_response(200, {}, "[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-reset": "100000000000000000000"},
        {"x-ratelimit-reset": "-100000000000000000000"},
        {"x-ratelimit-reset": "-5"},
        {"x-ratelimit-reset": "9" * 5000},
        {"Auth0-Client-Quota-Limit": "b=per_hour;q=1;r=0;t=1e20"},
        {"Auth0-Client-Quota-Limit": "b=per_hour;q=1;r=0;t=100000000000000000000"},
        {"Retry-After": "1" + "0" * 400},
        {"Date": "Mon, 01 Jan 99999 00:00:00 GMT"},
    ],
)
def test_unreadable_rate_limit_headers_are_ignored(headers: dict[str, str]) -> None:
    body = {"access_token": "t", "token_type": "Bearer", "expires_in": 60}
    response = parse_token_response(200, headers, json.dumps(body))
    assert response.rate_limit is None or response.rate_limit.reset_at is None
    assert "Token response" in str(response)
    with pytest.raises(OAuthError) as info:
        parse_token_response(429, headers, json.dumps({"error": "too_many_requests"}))
    assert info.value.retry_after is None or info.value.retry_after <= 10 * 365 * 86400


def test_the_largest_readable_values_still_print() -> None:
    headers = {
        "x-ratelimit-reset": "253402300799",  # the last second of year 9999
        "Auth0-Client-Quota-Limit": "b=per_hour;q=1;r=0;t=315360000",
        "Date": "Fri, 31 Dec 9999 23:59:59 GMT",
    }
    response = parse_token_response(200, headers, token_body("315360000"))
    assert response.rate_limit is not None
    assert response.rate_limit.reset_at is not None
    assert response.rate_limit.reset_at.year == 9999
    assert "3650 d" in str(response)


def test_a_429_with_an_endless_reset_is_an_oauth_error() -> None:
    limited = oauth_error(429, "too_many_requests", **{"x-ratelimit-reset": "1" + "0" * 20})
    waits: list[float] = []
    with FaultServer([limited]) as server, pytest.raises(OAuthError):
        fetch(server, sleep=waits.append)
    assert all(wait < 1 for wait in waits)  # the policy's backoff: the header is ignored


RATE_HEADERS = st.sampled_from(
    [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "retry-after",
        "date",
        "auth0-client-quota-limit",
        "auth0-organization-quota-limit",
    ]
)
HEADER_TEXT = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-1, max_value=2 * 253_402_300_799).map(str),  # around year 9999
    st.floats().map(repr),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    st.builds(
        "b={};q={};r={};t={}".format,
        st.text(max_size=5),
        st.integers().map(str),
        st.integers().map(str),
        st.one_of(st.integers(), st.floats()).map(str),
    ),
)
JSON_NUMBER = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(lambda f: "NaN" if math.isnan(f) else json.dumps(f)),
    st.sampled_from(["1e400", "-1e400", "1e-400", "0.5", '"3600"', '"nan"', "true", "null"]),
)


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from([200, 400, 429, 503]),
    headers=st.dictionaries(RATE_HEADERS, HEADER_TEXT, max_size=4),
    expires_in=JSON_NUMBER,
)
def test_every_answer_is_a_token_or_a_typed_error(
    status: int, headers: dict[str, str], expires_in: str
) -> None:
    body = token_body(expires_in) if status == 200 else '{"error": "e"}'
    try:
        response = parse_token_response(status, headers, body)
    except OAuthError as error:
        shown = str(error) + json.dumps(error.to_dict())
    except TokenResponseError as error:
        shown = str(error)
    else:
        shown = str(response) + repr(response) + json.dumps(response.to_dict())
    assert shown


# --- retrying what cannot change -----------------------------------------------------------


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy")
def test_a_name_that_does_not_resolve_is_not_retried() -> None:
    request = TokenRequest(
        domain="nothing.invalid", client_id="a", client_secret=SECRET, audience="https://api/"
    )
    waits: list[float] = []
    with pytest.raises(TransportError, match="could not be resolved") as info:
        fetch_token(request, retries=FAST, sleep=waits.append)
    assert info.value.kind == "connection"
    assert info.value.attempts == 1
    assert waits == []


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]  # bound, not listening: connections are refused


def test_a_refused_connection_is_not_retried(closed_port: int) -> None:
    request = TokenRequest(
        domain=f"http://127.0.0.1:{closed_port}", client_id="a", client_secret=SECRET, audience="x"
    )
    waits: list[float] = []
    with pytest.raises(TransportError, match="refused") as info:
        fetch_token(request, retries=FAST, sleep=waits.append)
    assert info.value.attempts == 1
    assert waits == []


def test_a_reset_connection_is_still_retried() -> None:
    with FaultServer([Reply(fault="reset"), token("after-reset")]) as server:
        assert fetch(server).access_token == "after-reset"
        assert len(server.received) == 2


# --- secrets echoed back -------------------------------------------------------------------


def echoed_forms(request: TokenRequest) -> list[str]:
    """The secret as the server got it: raw, in the form body, in the Basic header."""
    wire = request.wire_request()
    headers = dict(wire.headers)
    return [SECRET, wire.body.decode(), headers.get("Authorization", "")]


def assert_hidden(text: str) -> None:
    assert REDACTED in text
    for leak in (SECRET, "s3cr%2Bt", "s3cr+t", "czNjcit0"):  # raw, encoded, Basic value
        assert leak not in text


@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
def test_a_secret_echoed_in_an_oauth_error_is_hidden(auth_method: str) -> None:
    with FaultServer([]) as server:
        echo = " | ".join(echoed_forms(request_to(server, auth_method=auth_method)))
        server.script.append(oauth_error(401, "access_denied", f"you sent {echo}"))
        with pytest.raises(OAuthError) as info:
            fetch_token(request_to(server, auth_method=auth_method), retries=FAST)
    error = info.value
    assert error.exchange is not None
    shown = (str(error), error.summary, repr(error), error.error_description or "")
    for text in (*shown, error.exchange.body.decode()):
        assert_hidden(text)
    assert_hidden(json.dumps(error.to_dict(), ensure_ascii=False))


def test_a_secret_echoed_in_an_unreadable_answer_is_hidden() -> None:
    with FaultServer([]) as server:
        echo = " ".join(echoed_forms(request_to(server, auth_method="client_secret_basic")))
        server.script.append(Reply(400, {}, f"<html><title>{echo}</title>".encode()))
        with pytest.raises(TokenResponseError) as info:
            fetch_token(request_to(server, auth_method="client_secret_basic"), retries=FAST)
    assert_hidden(str(info.value))
    assert info.value.exchange is not None
    assert_hidden(info.value.exchange.body.decode())


def test_a_token_body_is_never_rewritten() -> None:
    # A one-letter secret occurs in any token; the answer that carries one is kept as sent.
    body = b'{"access_token": "abc", "token_type": "Bearer"}'
    response = parse_token_response(200, {}, body, secrets=["a"])
    assert response.access_token == "abc"
    assert response.exchange is not None
    assert response.exchange.body == body


def test_scrub_hides_every_encoding_of_a_secret() -> None:
    text = scrub(f'raw {SECRET} form s3cr%2Bt%2F%26%3D%C3%BC+x json "s3cr+t/&=\\u00fc x"', [SECRET])
    assert text.count(REDACTED) == 3
    assert scrub("nothing to hide", ["", "absent"]) == "nothing to hide"
