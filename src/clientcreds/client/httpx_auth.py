"""`HttpxBearerAuth`: the same as `BearerAuth`, for ``httpx`` (an optional extra).

This module imports httpx; ``import clientcreds`` does not, and loads it only when
``clientcreds.HttpxBearerAuth`` is first used.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Generator

import anyio.to_thread
import httpx

from clientcreds.client.cache import ClientCredentials
from clientcreds.client.requests_auth import credentials_of, is_invalid_token
from clientcreds.request.token_request import TokenRequest
from clientcreds.response.token_response import TokenResponse

log = logging.getLogger("clientcreds")


class HttpxBearerAuth(httpx.Auth):
    """``httpx`` auth: ``Authorization: Bearer <token>``, renewed once on ``invalid_token``.

    Works with `httpx.Client` and `httpx.AsyncClient`; with the latter a token fetch runs
    in a worker thread, so it never blocks the event loop.

    Args:
        credentials: The token source, or a `TokenRequest` to make one from.

    Example:
        >>> auth = HttpxBearerAuth(ClientCredentials(request))     # doctest: +SKIP
        >>> httpx.get("https://api.example.com/things", auth=auth)  # doctest: +SKIP
    """

    requires_response_body = False

    def __init__(self, credentials: ClientCredentials | TokenRequest) -> None:
        self.credentials = credentials_of(credentials)

    def __repr__(self) -> str:
        return f"HttpxBearerAuth({self.credentials!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """Send with the token; on ``invalid_token``, once more with a new one."""
        token = self.credentials.get_token()
        response = yield _with(request, token)
        if self._renew(response, token):
            yield _with(request, self.credentials.get_token())

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The async version: token fetches run in a worker thread."""
        token = await self._token()
        response = yield _with(request, token)
        if self._renew(response, token):
            yield _with(request, await self._token())

    async def _token(self) -> TokenResponse:
        token = self.credentials.fresh_token()
        if token is not None:
            return token
        return await anyio.to_thread.run_sync(self.credentials.get_token)

    def _renew(self, response: httpx.Response, token: TokenResponse) -> bool:
        if not is_invalid_token(response.status_code, response.headers.get("WWW-Authenticate")):
            return False
        log.info("the API rejected the token as invalid_token: fetching a new one, retrying once")
        self.credentials.invalidate(token)
        return True


def _with(request: httpx.Request, token: TokenResponse) -> httpx.Request:
    request.headers["Authorization"] = f"Bearer {token.access_token}"
    return request
