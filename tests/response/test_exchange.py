"""Results keep the HTTP exchange they came from, and never print its body."""

from __future__ import annotations

import pytest

from clientcreds import (
    HttpExchange,
    OAuthError,
    TokenResponseError,
    TransportError,
    parse_token_response,
)
from tests.faults import FaultServer, Reply, fetch, oauth_error, token


def test_a_token_keeps_its_answer() -> None:
    with FaultServer([token("opaque-token-value")]) as server:
        response = fetch(server, retries=0)
        url = server.base_url + "/oauth/token"
    exchange = response.exchange
    assert exchange is not None
    assert exchange.status == 200
    assert exchange.url == url
    assert b"opaque-token-value" in exchange.body
    assert exchange.content_type is not None
    assert "opaque-token-value" not in repr(exchange)
    assert "opaque-token-value" not in repr(response)


def test_an_oauth_error_keeps_its_answer() -> None:
    with (
        FaultServer([oauth_error(403, "access_denied", "nope", **{"X-Trace": "t1"})]) as server,
        pytest.raises(OAuthError) as info,
    ):
        fetch(server, retries=0)
    exchange = info.value.exchange
    assert exchange is not None
    assert exchange.status == 403
    assert exchange.header("x-trace") == "t1"
    assert b'"nope"' in exchange.body


def test_an_unreadable_answer_keeps_it() -> None:
    page = b"<html><title>Proxy</title></html>"
    with (
        FaultServer([Reply(502, {"Content-Type": "text/html"}, page)] * 4) as server,
        pytest.raises(TokenResponseError) as info,
    ):
        fetch(server, retries=0)
    assert info.value.exchange is not None
    assert info.value.exchange.body == page
    assert info.value.exchange.content_type == "text/html"


def test_a_refused_redirect_keeps_the_redirect_answer() -> None:
    with (
        FaultServer([Reply(302, {"Location": "https://elsewhere.example/"})]) as server,
        pytest.raises(TransportError) as info,
    ):
        fetch(server, retries=0)
    assert info.value.exchange is not None
    assert info.value.exchange.status == 302
    assert info.value.exchange.header("location") == "https://elsewhere.example/"


def test_parsing_keeps_what_it_was_given() -> None:
    response = parse_token_response(
        200,
        [("Content-Type", "application/json"), ("X-Id", "1"), ("X-Id", "2")],
        '{"access_token": "tok", "token_type": "Bearer"}',
    )
    exchange = response.exchange
    assert exchange is not None
    assert exchange == HttpExchange(
        200,
        (("Content-Type", "application/json"), ("X-Id", "1"), ("X-Id", "2")),
        b'{"access_token": "tok", "token_type": "Bearer"}',
    )
    assert exchange.header("x-id") == "2"
    assert repr(exchange) == "HttpExchange(status=200, 3 headers, 47 body bytes)"
