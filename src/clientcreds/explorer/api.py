""" "Call API": send the access token to an API and keep its answer."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from clientcreds.core.secure_url import insecure_reason
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.api_request import ApiRequest

_EXCERPT = 4000

#: The label of the API URL field.
API_URL_LABEL = "API URL"
#: The URL the "Call your API" snippets show while the API URL field is empty.
EXAMPLE_API_URL = "https://api.example.com/things"


@dataclass(frozen=True)
class ApiResponse:
    """What the API answered (or why nothing was sent).

    Attributes:
        url: The URL called.
        status: The HTTP status, or None when there was no answer.
        headers: The response headers.
        body: The body as text (cut at 4000 characters).
        error: Why there is no answer (one sentence), or None.
        elapsed: Seconds the call took.
    """

    url: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    error: str | None = None
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def body_text(self) -> str:
        """The body for people: indented when it is JSON."""
        try:
            return json.dumps(json.loads(self.body), indent=2, ensure_ascii=False)
        except ValueError:
            return self.body

    def __repr__(self) -> str:
        if self.status is None:
            return f"ApiResponse({self.url}: {self.error})"
        return f"ApiResponse({self.url}: HTTP {self.status})"

    def _repr_html_(self) -> str:
        from clientcreds.explorer import panels

        return panels.api_html(self)


def call_api(url: str, token: str, *, method: str = "GET", timeout: float = 5.0) -> ApiResponse:
    """Send ``Authorization: Bearer <token>`` to `url` and return the answer.

    The token goes only to ``https://`` URLs, or ``http://`` on loopback; redirects are not
    followed (they would carry the token elsewhere).

    Args:
        url: The API endpoint.
        token: The access token.
        method: The HTTP method.
        timeout: Seconds for connecting and for reading.

    Returns:
        The answer; a refused URL or a failed connection is an `ApiResponse` with `error`.
    """
    problem = _url_problem(url)
    if problem is not None:
        return ApiResponse(url, None, error=problem)
    started = time.perf_counter()
    try:
        answer = requests.request(
            method,
            url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return ApiResponse(url, None, error=_failure(url, exc), elapsed=_since(started))
    with answer:
        return ApiResponse(
            url,
            answer.status_code,
            tuple(answer.headers.items()),
            answer.text[:_EXCERPT],
            elapsed=_since(started),
        )


def api_snippet_request(url: str) -> tuple[ApiRequest | None, str | None]:
    """The call the "Call your API" snippets show for the API URL field's text.

    While the field is empty they show `EXAMPLE_API_URL`.

    Returns:
        The `ApiRequest` and None, or None and why the URL cannot be used, in the form's
        terms (the field named by its label).

    Example:
        >>> api_snippet_request("ftp://api.example.com/")[1]
        'API URL must use https:// (got ftp://)'
    """
    try:
        return ApiRequest(url.strip() or EXAMPLE_API_URL), None
    except RequestFieldError as exc:
        return None, API_URL_LABEL + str(exc.problems[0]).removeprefix("url")


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Give the API's full URL, e.g. https://api.example.com/things."
    insecure = insecure_reason(url.strip(), "the token")
    return None if insecure is None else f"Use https:// for the API: {insecure}."


def _failure(url: str, exc: Any) -> str:
    host = urlsplit(url).netloc
    if isinstance(exc, requests.Timeout):
        return f"{host} did not answer in time: check the URL and that the API is running."
    if isinstance(exc, requests.ConnectionError):
        return f"Could not connect to {host}: check the URL and that the API is running."
    return f"The call to {host} failed: {type(exc).__name__}."


def _since(started: float) -> float:
    return time.perf_counter() - started
