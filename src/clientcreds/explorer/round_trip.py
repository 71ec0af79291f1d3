"""One "Get token" round trip: send the request, keep what came back, verify the token.

`fetch_token` does the sending (its safety rules apply: no redirects, TLS always verified);
the raw status, headers and body come from the `HttpExchange` that the token response, or
the error, keeps.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from clientcreds.client.fetch import fetch_token
from clientcreds.core.protocol import issuer_for
from clientcreds.core.words import short_token
from clientcreds.exceptions import ClientCredsError, TokenEndpointError, TokenFormatError
from clientcreds.request.token_request import TokenRequest
from clientcreds.response.exchange import HttpExchange
from clientcreds.response.ratelimit import RATE_LIMIT_HEADERS
from clientcreds.response.token_response import TokenResponse
from clientcreds.tokens.decoding import DecodedToken, decode
from clientcreds.tokens.verification import VerificationReport, verify

_TOKEN_MEMBERS = ("access_token", "id_token", "refresh_token")
_REDACTED_HEADERS = ("set-cookie",)


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
    error: TokenEndpointError | None = None
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
    return issuer_for(f"{scheme}://{rest.split('/', 1)[0]}")


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
    started = time.perf_counter()
    try:
        response = fetch_token(request, timeout=timeout, retries=0)
    except TokenEndpointError as exc:
        return _answer(request, expected, exc.exchange, started, error=exc)
    report, why = _verify(response.access_token, expected, request.audience)
    return _answer(
        request, expected, response.exchange, started, response=response, report=report, why=why
    )


def _answer(
    request: TokenRequest,
    issuer: str,
    answer: HttpExchange | None,
    started: float,
    *,
    response: TokenResponse | None = None,
    error: TokenEndpointError | None = None,
    report: VerificationReport | None = None,
    why: str | None = None,
) -> Exchange:
    headers = () if answer is None else answer.headers
    return Exchange(
        request=request,
        issuer=issuer,
        status=None if answer is None else answer.status,
        headers=tuple(
            (name, "(redacted)" if name.lower() in _REDACTED_HEADERS else value)
            for name, value in headers
        ),
        body=b"" if answer is None else answer.body,
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
    except (ClientCredsError, ValueError) as exc:
        return None, f"The token could not be verified: {exc}."


def _shorten(value: object) -> object:
    return short_token(value) if isinstance(value, str) else value
