"""`ApiRequest`: the call to your API with the token, the second request a snippet shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from clientcreds.core.secret import Secret
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.endpoint import checked_url

ApiMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
API_METHODS: tuple[ApiMethod, ...] = get_args(ApiMethod)


@dataclass(frozen=True, init=False)
class ApiRequest:
    """A call to an API with ``Authorization: Bearer <access token>``, checked on creation.

    The reference page's "Call API using the Client Credentials Flow": a request without a body
    to the API's URL. In snippets the token is ``YOUR_ACCESS_TOKEN`` (placeholder mode), read
    from ``ACCESS_TOKEN`` (env mode), or the token itself (reveal mode).

    Args:
        url: The API's URL: ``https://``, or ``http://`` only to this machine.
        method: ``GET`` (the default), ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
        access_token: The token, when there is one to reveal; kept as a `Secret`.

    Raises:
        RequestFieldError: naming the invalid field (`url`, `method` or `access_token`).

    Example:
        >>> ApiRequest("https://api.example.com/things")
        ApiRequest(GET https://api.example.com/things)
    """

    url: str
    method: ApiMethod
    access_token: Secret | None

    def __init__(
        self, url: str, method: ApiMethod = "GET", access_token: str | Secret | None = None
    ) -> None:
        object.__setattr__(self, "url", _checked_url(url))
        if method not in API_METHODS:
            raise RequestFieldError(
                f"method must be one of {', '.join(API_METHODS)}, not {method!r}", field="method"
            )
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "access_token", _checked_token(access_token))

    def __repr__(self) -> str:
        return f"ApiRequest({self.method} {self.url})"


def _checked_url(url: object) -> str:
    if not isinstance(url, str) or not url:
        raise RequestFieldError(
            "url is required: give your API's URL, e.g. 'https://api.example.com/things'",
            field="url",
        )
    return checked_url(url, "url", "the access token")


def _checked_token(token: str | Secret | None) -> Secret | None:
    if token is None:
        return None
    secret = token if isinstance(token, Secret) else Secret(token)
    value = secret.reveal()
    if not value or value != value.strip() or not value.isprintable():
        raise RequestFieldError(
            "access_token is empty or has spaces or invisible characters: paste the token alone",
            field="access_token",
        )
    return secret
