"""`BearerAuth`: attach the cached token to `requests` calls, and renew it once on a 401.

An API rejects an expired or revoked token with ``401`` and
``WWW-Authenticate: Bearer error="invalid_token"`` (RFC 6750 §3.1). Then the cached token is
dropped, a new one fetched, and the call sent once more; any other 401 (or a second one) is
returned as it is.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import requests
from requests.auth import AuthBase

from clientcreds.client.cache import ClientCredentials
from clientcreds.request.token_request import TokenRequest

log = logging.getLogger("clientcreds")

_INVALID_TOKEN = re.compile(r'\berror\s*=\s*"?invalid_token"?', re.IGNORECASE)
_RETRIED = "_clientcreds_retried"


def is_invalid_token(status: int, www_authenticate: str | None) -> bool:
    """True for a 401 whose ``WWW-Authenticate`` says ``error="invalid_token"``."""
    return status == 401 and bool(_INVALID_TOKEN.search(www_authenticate or ""))


def credentials_of(source: ClientCredentials | TokenRequest) -> ClientCredentials:
    """A `ClientCredentials` for `source` (itself if it already is one)."""
    return source if isinstance(source, ClientCredentials) else ClientCredentials(source)


class BearerAuth(AuthBase):
    """``requests`` auth: ``Authorization: Bearer <token>`` from a `ClientCredentials`.

    Args:
        credentials: The token source, or a `TokenRequest` to make one from.

    Example:
        >>> auth = BearerAuth(ClientCredentials(request))        # doctest: +SKIP
        >>> requests.get("https://api.example.com/things", auth=auth, timeout=10)  # doctest: +SKIP
    """

    def __init__(self, credentials: ClientCredentials | TokenRequest) -> None:
        self.credentials = credentials_of(credentials)

    def __repr__(self) -> str:
        return f"BearerAuth({self.credentials!r})"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.credentials.get_token().access_token
        request.headers["Authorization"] = f"Bearer {token}"
        request.hooks["response"].append(self._on_response)
        return request

    def _on_response(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        sent = response.request
        if getattr(sent, _RETRIED, False) or not is_invalid_token(
            response.status_code, response.headers.get("WWW-Authenticate")
        ):
            return response
        rejected = str(sent.headers.get("Authorization", "")).removeprefix("Bearer ")
        self.credentials.invalidate(rejected)
        log.info("the API rejected the token as invalid_token: fetching a new one, retrying once")
        retry = sent.copy()
        retry.headers["Authorization"] = f"Bearer {self.credentials.get_token().access_token}"
        setattr(retry, _RETRIED, True)
        response.content  # noqa: B018 - read the body so the connection can be reused
        response.close()
        second: requests.Response = response.connection.send(retry, **kwargs)
        second.history.append(response)
        second.request = retry
        return second
