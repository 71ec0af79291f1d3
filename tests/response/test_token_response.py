"""parse_token_response: successes, OAuth errors, rate limits, and bodies that are neither."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from clientcreds import OAuthError, TokenResponse, TokenResponseError, parse_token_response
from clientcreds.response.ratelimit import parse_quota, parse_rate_limit, parse_retry_after

RECEIVED = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmNAY2xpZW50cyJ9.c2ln"


def _ok(body: dict[str, object], headers: dict[str, str] | None = None) -> TokenResponse:
    return parse_token_response(200, headers or {}, json.dumps(body).encode(), received_at=RECEIVED)


def _error(status: int, body: bytes, headers: dict[str, str] | None = None) -> OAuthError:
    with pytest.raises(OAuthError) as caught:
        parse_token_response(status, headers or {}, body, received_at=RECEIVED)
    return caught.value


def _bad(status: int, body: bytes | str, headers: dict[str, str] | None = None) -> str:
    with pytest.raises(TokenResponseError) as caught:
        parse_token_response(status, headers or {}, body, received_at=RECEIVED)
    assert caught.value.status == status
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


def test_success_is_parsed_with_expiry_date_and_extras() -> None:
    response = _ok(
        {
            "access_token": TOKEN,
            "token_type": "Bearer",
            "expires_in": 86400,
            "scope": "read:things write:things",
            "id_token": "x",
        },
        {"Date": "Tue, 01 Dec 2026 08:59:58 GMT", "Content-Type": "application/json"},
    )
    assert response.access_token == TOKEN
    assert response.token_type == "Bearer"
    assert response.expires_in == 86400
    assert response.expires_at == RECEIVED + timedelta(days=1)
    assert response.scopes == ("read:things", "write:things")
    assert response.server_date == datetime(2026, 12, 1, 8, 59, 58, tzinfo=timezone.utc)
    assert response.clock_skew == timedelta(seconds=2)
    assert response.extra == {"id_token": "x"}
    assert response.rate_limit is None
    assert response.to_dict()["expires_at"] == "2026-12-02T09:00:00+00:00"


def test_minimal_success_and_lenient_fields() -> None:
    response = _ok({"access_token": TOKEN, "token_type": "bearer", "expires_in": "3599"})
    assert response.expires_in == 3599
    assert response.scope is None
    assert response.scopes == ()
    bare = _ok({"access_token": TOKEN, "token_type": "Bearer"})
    assert bare.expires_in is None
    assert bare.expires_at is None
    assert bare.clock_skew is None
    assert (
        parse_token_response(
            200, [("X", "y")], json.dumps({"access_token": TOKEN, "token_type": "Bearer"})
        ).access_token
        == TOKEN
    )


def test_repr_does_not_show_the_access_token() -> None:
    response = _ok({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 60})
    assert TOKEN not in repr(response)
    assert TOKEN not in str(response)
    assert f"{len(TOKEN)} chars" in repr(response)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "body is empty"),
        (b"  \r\n", "body is empty"),
        (b"<!DOCTYPE html><html><head><title>502 Bad\n Gateway</title>", "'502 Bad Gateway'"),
        (b"<html><body>blocked</body></html>", "an HTML page came back"),
        (b'{"access_token": "eyJhbGciOi', "truncated"),
        (b'{"access_token": "x", "token_type": "Bea', "truncated"),
        (b"Service Unavailable", "not JSON"),
        (b"[1, 2]", "a list, not an object"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_bodies_that_are_not_json_objects_say_what_came_back(body: bytes, words: str) -> None:
    assert words in _bad(200, body)


def test_a_proxy_error_page_keeps_its_status() -> None:
    message = _bad(502, b"<html><title>Bad Gateway</title></html>", {"Content-Type": "text/html"})
    assert message.startswith("HTTP 502: an HTML page titled 'Bad Gateway'")


def test_success_without_access_token_names_members_not_values() -> None:
    message = _bad(200, json.dumps({"token": "SENSITIVE-VALUE", "expires_in": 1}))
    assert "no access_token" in message
    assert "'token'" in message
    assert "'expires_in'" in message
    assert "SENSITIVE-VALUE" not in message


@pytest.mark.parametrize("token_type", ["mac", "DPoP", None, 7])
def test_unexpected_token_type(token_type: object) -> None:
    message = _bad(200, json.dumps({"access_token": TOKEN, "token_type": token_type}))
    assert f"token_type is {token_type!r}" in message


def test_token_types_can_be_widened() -> None:
    body = json.dumps({"access_token": TOKEN, "token_type": "DPoP"}).encode()
    response = parse_token_response(200, {}, body, token_types=("Bearer", "DPoP"))
    assert response.token_type == "DPoP"


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("abc\x1b]0;pwned\x07def", "U+001B at position 4"),
        ("abc\x07", "U+0007 at position 4"),
        ("abc\rdef", "U+000D at position 4"),
        ("abc\ndef", "U+000A at position 4"),
        ("\x00abc", "U+0000 at position 1"),
        ("abc\tdef", "U+0009 at position 4"),
        ("abc\x7f", "U+007F at position 4"),
        ("abc\x9bdef", "U+009B at position 4"),
        ("abc\u202edef", "U+202E at position 4"),
        ("t\u00f6ken", "U+00F6 at position 2"),
    ],
)
def test_a_token_outside_visible_ascii_is_refused_without_showing_it(
    token: str, shown: str
) -> None:
    message = _bad(200, json.dumps({"access_token": token, "token_type": "Bearer"}))
    assert message.startswith(f"HTTP 200: the access_token has {shown}, ")
    assert "RFC 6749" in message
    assert "abc" not in message
    assert message.count("\n") == 0


def test_every_visible_ascii_character_is_a_token_character() -> None:
    # RFC 6749 §A.12: access-token = 1*VSCHAR (Salesforce's tokens hold '!', for one).
    token = "".join(map(chr, range(0x20, 0x7F)))
    assert _ok({"access_token": token, "token_type": "Bearer"}).access_token == token


@pytest.mark.parametrize("expires_in", ["soon", -5, True, [1]])
def test_bad_expires_in(expires_in: object) -> None:
    body = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": expires_in}
    assert "expires_in is" in _bad(200, json.dumps(body))


def test_oauth_error_fields() -> None:
    body = {
        "error": "unauthorized_client",
        "error_description": "Grant type 'client_credentials' not allowed for the client.",
        "error_uri": "https://auth0.com/docs/clients/client-grant-types",
    }
    error = _error(403, json.dumps(body).encode())
    assert (error.status, error.error) == (403, "unauthorized_client")
    assert error.error_description == body["error_description"]
    assert error.error_uri == body["error_uri"]
    assert error.retry_after is None
    assert str(error) == f"HTTP 403 unauthorized_client: {body['error_description']}"
    assert "403" in repr(error)
    assert error.explanation is not None
    assert error.explanation.key == "auth0.grant_type_not_allowed"
    assert error.to_dict()["explanation"]["key"] == "auth0.grant_type_not_allowed"


def test_error_in_a_2xx_body_is_still_an_error() -> None:
    assert _error(200, b'{"error": "server_error"}').error == "server_error"


def test_error_json_without_error_code() -> None:
    assert "no 'error' code" in _bad(500, b'{"message": "boom"}')


def test_rate_limit_and_quota_headers() -> None:
    headers = {
        "X-RateLimit-Limit": "30",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "1796115630",
        "Retry-After": "30",
        "Auth0-Client-Quota-Limit": "b=per_hour;q=10;r=0;t=3540,b=per_day;q=50;r=47;t=43200",
        "Auth0-Organization-Quota-Limit": "b=per_day;q=100;r=99;t=60",
        "Date": "Tue, 01 Dec 2026 09:00:00 GMT",
    }
    body = b'{"error":"too_many_requests","error_description":"Client quota exceeded"}'
    error = _error(429, body, headers)
    assert error.retry_after == 30
    limit = error.rate_limit
    assert limit is not None
    assert (limit.limit, limit.remaining) == (30, 0)
    assert limit.reset_at == datetime(2026, 12, 1, 9, 0, 30, tzinfo=timezone.utc)
    hour, day = limit.client_quota
    assert (hour.name, hour.quota, hour.remaining, hour.resets_in) == (
        "per_hour",
        10,
        0,
        timedelta(seconds=3540),
    )
    assert (day.name, day.quota, day.remaining) == ("per_day", 50, 47)
    assert limit.organization_quota[0].quota == 100
    assert limit.exhausted
    assert error.explanation is not None
    assert error.explanation.retry


def test_retry_after_as_http_date_and_junk() -> None:
    now = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Tue, 01 Dec 2026 09:01:00 GMT", now) == 60
    assert parse_retry_after("Tue, 01 Dec 2026 08:00:00 GMT", now) == 0
    assert parse_retry_after("-3", now) == 0
    assert parse_retry_after("whenever", now) is None
    assert parse_retry_after(" ", now) is None


def test_quota_parsing_tolerates_odd_values() -> None:
    assert parse_quota("") == ()
    (bucket,) = parse_quota("b=per_hour;q=ten;r=;t=5;x=1")
    assert (bucket.quota, bucket.remaining, bucket.resets_in) == (None, None, timedelta(seconds=5))
    assert parse_rate_limit({"Content-Type": "application/json"}) is None
    partial = parse_rate_limit([("x-ratelimit-remaining", "4")])
    assert partial is not None
    assert partial.remaining == 4
    assert not partial.exhausted
