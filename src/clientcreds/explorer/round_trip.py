"""One "Get token" round trip: send the request, keep what came back, verify the token.

`fetch_token` does the sending (its safety rules apply: no redirects, TLS always verified).
The explorer also wants the raw status, headers and body, which `TokenResponse` and
`OAuthError` do not keep, so the session gets an adapter that records every answer.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from clientcreds.client.fetch import fetch_token
from clientcreds.core.words import short_token
from clientcreds.exceptions import (
    OAuthError,
    TokenEndpointError,
    TokenFormatError,
    TokenResponseError,
)
from clientcreds.request.token_request import TokenRequest
from clientcreds.response.token_response import TokenResponse
from clientcreds.tokens.decoding import DecodedToken, decode
from clientcreds.tokens.verification import VerificationReport, verify

#: The response headers that say how close the client is to a limit.
RATE_LIMIT_HEADERS: tuple[str, ...] = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "auth0-client-quota-limit",
    "auth0-organization-quota-limit",
)
_TOKEN_MEMBERS = ("access_token", "id_token", "refresh_token")
_REDACTED_HEADERS = ("set-cookie",)

FetchError = OAuthError | TokenEndpointError | TokenResponseError


@dataclass(frozen=True)
class Exchange:
    """What one token request got back, and what the token means.

    Attributes:
        request: The request sent.
        issuer: The issuer the token was verified against.
        status: The HTTP status, or None when no answer came (a transport error).
        headers: The response headers as sent (``Set-Cookie`` values redacted).
        body: The raw response body (it holds the token: show `body_text` instead).
        response: The token response, on success.
        error: The `OAuthError`, transport error or malformed-response error, on failure.
        report: The verification report of the access token, on success.
        verify_error: Why the token could not be verified at all, when it could not.
        elapsed: Seconds from sending to the parsed answer.
    """

    request: TokenRequest
    issuer: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = field(default=b"", repr=False)
    response: TokenResponse | None = None
    error: FetchError | None = None
    report: VerificationReport | None = None
    verify_error: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True when a token came back (whether or not it verified)."""
        return self.response is not None

    @property
    def decoded(self) -> DecodedToken | None:
        """The access token, decoded (from the report when there is one)."""
        if self.report is not None:
            return self.report.decoded
        if self.response is None:
            return None
        try:
            return decode(self.response.access_token)
        except TokenFormatError:
            return None

    @property
    def rate_limit_headers(self) -> tuple[tuple[str, str], ...]:
        """The rate-limit and quota headers among `headers`."""
        return tuple((n, v) for n, v in self.headers if n.lower() in RATE_LIMIT_HEADERS)

    @property
    def body_data(self) -> Any:
        """The body as JSON data with tokens shortened, or its text (shortened) if not JSON."""
        text = self.body.decode("utf-8", errors="replace")
        try:
            data = json.loads(text)
        except ValueError:
            return text if len(text) <= 2000 else text[:2000] + "…"
        if isinstance(data, dict):
            return {k: _shorten(v) if k in _TOKEN_MEMBERS else v for k, v in data.items()}
        return data

    @property
    def body_text(self) -> str:
        """The body for people: indented JSON with every token shortened."""
        data = self.body_data
        return data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)

    def __repr__(self) -> str:
        if self.status is None:
            return f"Exchange(no answer: {self.error})"
        if self.report is not None:
            verdict = "token valid" if self.report.ok else "token INVALID"
        elif self.response is not None:
            verdict = "token not verified"
        else:
            verdict = str(self.error)
        return f"Exchange(HTTP {self.status}, {verdict})"

    def _repr_html_(self) -> str:
        from clientcreds.explorer import panels

        return panels.exchange_html(self)


def issuer_of(request: TokenRequest) -> str:
    """The issuer tokens from this request carry: Auth0's ``https://{domain}/``.

    For a `token_url` request, the token endpoint's origin with a slash (a guess: check the
    server's discovery document).
    """
    if request.issuer is not None:
        return request.issuer
    scheme, rest = request.url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/"


def exchange(
    request: TokenRequest,
    *,
    issuer: str | None = None,
    timeout: float | tuple[float, float] = (5.0, 10.0),
) -> Exchange:
    """Send `request` once (no retries: a 429 is shown, not waited out) and verify the token.

    Args:
        request: The token request.
        issuer: The expected ``iss`` (default: `issuer_of` the request); its keys verify.
        timeout: Seconds for connecting and reading.

    Returns:
        The exchange; it never raises for what the server answers.
    """
    expected = issuer or issuer_of(request)
    recorder = _Recorder()
    session = requests.Session()
    session.mount("http://", recorder)
    session.mount("https://", recorder)
    started = time.perf_counter()
    try:
        response = fetch_token(request, timeout=timeout, retries=0, session=session)
    except (OAuthError, TokenEndpointError, TokenResponseError) as exc:
        return _answer(request, expected, recorder, started, error=exc)
    finally:
        session.close()
    report, why = _verify(response.access_token, expected, request.audience)
    return _answer(request, expected, recorder, started, response=response, report=report, why=why)


def _answer(
    request: TokenRequest,
    issuer: str,
    recorder: _Recorder,
    started: float,
    *,
    response: TokenResponse | None = None,
    error: FetchError | None = None,
    report: VerificationReport | None = None,
    why: str | None = None,
) -> Exchange:
    status, headers, body = recorder.last or (None, (), b"")
    return Exchange(
        request=request,
        issuer=issuer,
        status=status,
        headers=headers,
        body=body,
        response=response,
        error=error,
        report=report,
        verify_error=why,
        elapsed=time.perf_counter() - started,
    )


def _verify(
    token: str, issuer: str, audience: str | None
) -> tuple[VerificationReport | None, str | None]:
    if audience is None:
        return None, "The request has no audience, so there is no audience to verify against."
    try:
        return verify(token, issuer=issuer, audience=audience), None
    except ValueError as exc:
        return None, f"The token could not be verified: {exc}."


def _shorten(value: object) -> object:
    return short_token(value) if isinstance(value, str) else value


class _Recorder(HTTPAdapter):
    """An adapter that keeps the status, headers and body of every answer it passes on."""

    def __init__(self) -> None:
        super().__init__()
        self.last: tuple[int, tuple[tuple[str, str], ...], bytes] | None = None

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().send(request, *args, **kwargs)
        headers = tuple(
            (name, "(redacted)" if name.lower() in _REDACTED_HEADERS else value)
            for name, value in response.headers.items()
        )
        self.last = (response.status_code, headers, response.content)
        return response
