"""`BearerAuth` (requests) and `HttpxBearerAuth` (httpx): attach, and renew once on a 401."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
import requests

import clientcreds
from clientcreds import BearerAuth, ClientCredentials, TokenRequest, TokenResponse
from clientcreds.client.requests_auth import is_invalid_token
from tests.faults import FaultServer, Reply

REQUEST = TokenRequest(domain="tenant.auth0.com", client_id="a", client_secret="s", audience="x")
INVALID = Reply(401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {"message": "no"})
OTHER_401 = Reply(401, {"WWW-Authenticate": 'Bearer realm="api"'}, {"message": "no"})
OK = Reply(200, {}, {"ok": True})


class Numbered:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: TokenRequest) -> TokenResponse:
        self.calls += 1
        return TokenResponse(f"token-{self.calls}", "Bearer", 3600)


def sent_tokens(server: FaultServer) -> list[str]:
    return [r.headers.get("Authorization", "") for r in server.received]


def test_requests_auth_attaches_the_cached_token() -> None:
    fetch = Numbered()
    auth = BearerAuth(ClientCredentials(REQUEST, fetch=fetch))
    with FaultServer([OK]) as api, requests.Session() as session:
        for _ in range(3):
            assert session.get(api.base_url + "/things", auth=auth, timeout=5).status_code == 200
        assert sent_tokens(api) == ["Bearer token-1"] * 3
    assert fetch.calls == 1


def test_requests_auth_renews_once_on_invalid_token() -> None:
    fetch = Numbered()
    auth = BearerAuth(ClientCredentials(REQUEST, fetch=fetch))
    with FaultServer([INVALID, OK]) as api, requests.Session() as session:
        response = session.post(api.base_url + "/things", data=b"payload", auth=auth, timeout=5)
        assert response.status_code == 200
        assert [r.status_code for r in response.history] == [401]
        assert sent_tokens(api) == ["Bearer token-1", "Bearer token-2"]
        assert [r.body for r in api.received] == [b"payload", b"payload"]


def test_requests_auth_retries_only_once() -> None:
    auth = BearerAuth(ClientCredentials(REQUEST, fetch=Numbered()))
    with FaultServer([INVALID]) as api, requests.Session() as session:
        response = session.get(api.base_url + "/things", auth=auth, timeout=5)
        assert response.status_code == 401
        assert len(api.received) == 2


def test_requests_auth_leaves_other_401s_alone() -> None:
    fetch = Numbered()
    auth = BearerAuth(ClientCredentials(REQUEST, fetch=fetch))
    with FaultServer([OTHER_401]) as api, requests.Session() as session:
        assert session.get(api.base_url, auth=auth, timeout=5).status_code == 401
        assert len(api.received) == 1
    assert fetch.calls == 1


def test_httpx_auth_renews_once_on_invalid_token() -> None:
    fetch = Numbered()
    auth = clientcreds.HttpxBearerAuth(ClientCredentials(REQUEST, fetch=fetch))
    with FaultServer([INVALID, OK]) as api, httpx.Client(auth=auth, timeout=5) as client:
        assert client.get(api.base_url + "/things").status_code == 200
        assert client.get(api.base_url + "/things").status_code == 200
        assert sent_tokens(api) == ["Bearer token-1", "Bearer token-2", "Bearer token-2"]


def test_httpx_auth_async_retries_only_once() -> None:
    auth = clientcreds.HttpxBearerAuth(REQUEST.replace())  # a TokenRequest works too
    auth.credentials = ClientCredentials(REQUEST, fetch=Numbered())

    async def call(url: str) -> int:
        async with httpx.AsyncClient(auth=auth, timeout=5) as client:
            return (await client.get(url)).status_code

    statuses: list[int] = []
    with FaultServer([INVALID]) as api:
        # A thread of its own: another test's event loop may still be set on this one.
        runner = threading.Thread(target=lambda: statuses.append(asyncio.run(call(api.base_url))))
        runner.start()
        runner.join(10)
        assert statuses == [401]
        assert sent_tokens(api) == ["Bearer token-1", "Bearer token-2"]


@pytest.mark.parametrize(
    ("status", "header", "expected"),
    [
        (401, 'Bearer error="invalid_token", error_description="expired"', True),
        (401, "Bearer error=invalid_token", True),
        (401, 'Bearer realm="x", error="insufficient_scope"', False),
        (403, 'Bearer error="invalid_token"', False),
        (401, None, False),
    ],
)
def test_invalid_token_detection(status: int, header: str | None, expected: bool) -> None:
    assert is_invalid_token(status, header) is expected
