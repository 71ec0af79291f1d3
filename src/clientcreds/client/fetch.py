"""`fetch_token`: send one token request safely, with bounded retries and clear errors.

Safe means: exactly the request `TokenRequest.wire_request` describes (no session headers,
cookies or ``.netrc`` credentials mixed in), never a redirect followed (the secret would go
to the redirect target), TLS verification always on, a timeout on every attempt, and retries
only for answers that can change: 429, 500, 502, 503, 504 and reset or dropped connections
(not a refused connection or a name that does not resolve). Every attempt is bounded in wall
time (headers and body) and its answer in size (`MAX_RESPONSE_BYTES`, after decompression),
so a hostile or broken server can neither stall the caller nor fill its memory.

Why not urllib3's `Retry`: it would do the backoff arithmetic, but it cannot wait for
``x-ratelimit-reset``, cannot bound the total time spent, logs on urllib3's logger rather than
ours, and raises ``MaxRetryError`` instead of handing back the last response for the OAuth
error parser; mounting it would also mean changing the adapters of the caller's session. The
loop below is small, and its policy is `RetryPolicy`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests

from clientcreds.core.bounded_read import Answer, read_answer
from clientcreds.exceptions import TokenResponseError, TransportError
from clientcreds.request.token_request import TokenRequest
from clientcreds.request.wire import WireRequest
from clientcreds.response.exchange import HttpExchange
from clientcreds.response.ratelimit import parse_rate_limit, parse_retry_after
from clientcreds.response.token_response import TokenResponse, parse_token_response

log = logging.getLogger("clientcreds")

#: The statuses worth another attempt: rate limited, or a server or gateway failure.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Connect and read timeouts, in seconds, for every attempt.
DEFAULT_TIMEOUT = (5.0, 10.0)
#: The largest token-endpoint answer read, in bytes after decompression (tokens are a few KB).
MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = "clientcreds"

Timeout = float | tuple[float, float]


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long `fetch_token` waits before trying again.

    The n-th retry waits ``min(backoff * 2**n, max_backoff)`` seconds, of which a random
    part (`jitter`) is taken off so many clients do not retry in step; a ``Retry-After`` or
    ``x-ratelimit-reset`` header replaces that wait. No wait goes past `deadline` seconds
    after the first attempt: the last answer is reported instead.

    Attributes:
        attempts: The most attempts in all (1 means no retry).
        backoff: The first wait, in seconds.
        max_backoff: The longest computed wait, in seconds.
        jitter: The fraction of each computed wait that is random (0 to 1).
        deadline: The most seconds spent waiting and trying, in all: an attempt still
            running at the deadline ends there, as a timeout.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.5
    deadline: float = 30.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.backoff < 0 or self.max_backoff < 0 or self.deadline < 0:
            raise ValueError("retries: attempts >= 1 and non-negative times required")
        if not 0 <= self.jitter <= 1:
            raise ValueError("retries: jitter must be between 0 and 1")

    def delay(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        """The computed wait before retry number `retry` (0 for the first retry)."""
        full = min(self.backoff * 2.0**retry, self.max_backoff)
        return full * (1 - self.jitter * rand())


@dataclass
class _Call:
    """One `fetch_token` call's fixed settings."""

    request: TokenRequest
    session: requests.Session
    timeout: Timeout
    verify: str | bool
    policy: RetryPolicy
    sleep: Callable[[float], None]
    clock: Callable[[], float]


def fetch_token(
    request: TokenRequest,
    *,
    timeout: Timeout = DEFAULT_TIMEOUT,
    retries: int | RetryPolicy = RetryPolicy(),
    ca_bundle: str | os.PathLike[str] | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> TokenResponse:
    """Send the token request and return the token, retrying what can succeed.

    Args:
        request: The token request; with ``private_key_jwt`` each attempt signs a new
            assertion.
        timeout: Seconds for every attempt: one number, or (connect, read). Each attempt,
            from connecting to the last byte of the answer, also ends after that number (or
            connect plus read) of seconds in wall time, and never past the policy's deadline.
        retries: A `RetryPolicy`, or the most retries (``0``: a single attempt).
        ca_bundle: A PEM file of CA certificates to trust instead of the default ones
            (verification itself cannot be turned off).
        session: A `requests.Session` to reuse connections from; only its connection pool
            and proxy settings are used, never its headers, cookies or auth.
        sleep: How to wait between attempts (replaceable in tests).
        clock: A monotonic clock in seconds, for the policy's deadline.

    Returns:
        The parsed token response.

    Raises:
        OAuthError: for an OAuth error answer (after retries, for 429 and 5xx).
        TokenResponseError: for an answer that is neither a token nor an OAuth error (an
            HTML error page, a truncated body, more than `MAX_RESPONSE_BYTES`).
        TransportError: for a refused or reset connection, a name that does not resolve, a
            TLS failure, a timeout or a redirect.
    """
    policy = retries if isinstance(retries, RetryPolicy) else RetryPolicy(attempts=retries + 1)
    verify: str | bool = os.fspath(ca_bundle) if ca_bundle is not None else True
    own = session is None
    call = _Call(request, session or requests.Session(), timeout, verify, policy, sleep, clock)
    try:
        return _attempts(call)
    finally:
        if own:
            call.session.close()


def _attempts(call: _Call) -> TokenResponse:
    started = call.clock()
    attempt = 0
    while True:
        attempt += 1
        wire = call.request.wire_request()
        _log_request(call.request, wire, attempt, call.policy.attempts)
        try:
            answer = _send(call, wire, _attempt_seconds(call, started))
        except (requests.RequestException, TimeoutError) as exc:
            error = _transport_error(exc, wire.url)
            error.attempts = attempt
            if not _may_change(exc, error) or not _wait(call, attempt, started, None, error):
                raise error from None
            continue
        wait = _status_wait(answer, attempt - 1, call.policy)
        if wait is not None and _wait(call, attempt, started, wait, answer):
            continue
        return _parse(call.request, wire, answer)


def _attempt_seconds(call: _Call, started: float) -> float:
    """The wall time the next attempt may take: its timeout, within the policy's deadline."""
    timeout = call.timeout
    budget = sum(timeout) if isinstance(timeout, tuple) else timeout
    return min(budget, call.policy.deadline - (call.clock() - started))


def _send(call: _Call, wire: WireRequest, seconds: float) -> Answer:
    """One attempt within `seconds`; a redirect is refused before its body is read."""
    prepared = requests.Request(
        wire.method,
        wire.url,
        headers={**dict(wire.headers), "User-Agent": USER_AGENT},
        data=wire.body,
    ).prepare()
    # Proxies and CA bundle from the environment still apply; verify stays on regardless.
    settings = call.session.merge_environment_settings(wire.url, {}, False, call.verify, None)
    verify = settings["verify"] if settings["verify"] is not False else True

    def send() -> requests.Response:
        return call.session.send(
            prepared,
            timeout=call.timeout,
            verify=verify,
            proxies=settings["proxies"],
            allow_redirects=False,
            stream=True,
        )

    def refuse_redirect(response: requests.Response) -> None:
        if response.is_redirect or 300 <= response.status_code < 400:
            raise _redirect_error(response, wire.url)

    return read_answer(
        send,
        seconds=seconds,
        limit=MAX_RESPONSE_BYTES,
        too_large=_too_large,
        check=refuse_redirect,
    )


def _too_large(response: requests.Response, limit: int) -> TokenResponseError:
    return TokenResponseError(
        f"HTTP {response.status_code}: the answer is larger than {limit // 1024} KiB, which "
        "is not a token endpoint's answer: check the URL is the token endpoint",
        status=response.status_code,
        content_type=response.headers.get("Content-Type"),
        exchange=HttpExchange.of(response.status_code, response.headers.items(), b"", response.url),
    )


def _parse(request: TokenRequest, wire: WireRequest, answer: Answer) -> TokenResponse:
    token = parse_token_response(
        answer.status,
        answer.headers.items(),
        answer.body,
        url=request.url,
        secrets=_credentials(request, wire),
    )
    log.info(
        "token received for %s (client %s): %s, expires in %s s, token %s",
        request.audience or request.url,
        request.client_id,
        token.token_type,
        token.expires_in,
        fingerprint(token.access_token),
    )
    return token


def _credentials(request: TokenRequest, wire: WireRequest) -> tuple[str, ...]:
    """What the request sent that an echoing server must not get shown: secret, Basic value."""
    secret = request.client_secret.reveal() if request.client_secret else ""
    basic = [
        value.partition(" ")[2] for name, value in wire.headers if name.lower() == "authorization"
    ]
    return (secret, *basic)


def fingerprint(token: str) -> str:
    """A short, one-way name for a token, for logs: ``sha256:`` and 8 hex digits."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:8]


def _log_request(request: TokenRequest, wire: WireRequest, attempt: int, attempts: int) -> None:
    log.debug(
        "token request %d/%d: %s %s client=%s audience=%s scope=%s organization=%s "
        "auth=%s body=%s (%d bytes, credentials hidden)",
        attempt,
        attempts,
        wire.method,
        wire.url,
        request.client_id,
        request.audience,
        request.scope,
        request.organization,
        request.auth_method,
        request.body,
        len(wire.body),
    )


def _status_wait(answer: Answer, retry: int, policy: RetryPolicy) -> float | None:
    """How long to wait before retrying this answer, or None when retrying cannot help."""
    if answer.status not in RETRY_STATUSES:
        return None
    told = _server_wait(answer)
    return told if told is not None else policy.delay(retry)


def _server_wait(answer: Answer) -> float | None:
    """The wait the server asked for: ``Retry-After`` (seconds or date), else the reset time."""
    now = datetime.now(timezone.utc)
    after = parse_retry_after(answer.headers.get("Retry-After"), now)
    if after is not None:
        return after
    limit = parse_rate_limit(answer.headers.items())
    if answer.status == 429 and limit is not None and limit.reset_at is not None:
        return max((limit.reset_at - now).total_seconds(), 0.0)
    return None


def _may_change(exc: Exception, error: TransportError) -> bool:
    """Whether another attempt may succeed: a reset or dropped connection may.

    A refused connection or a name that does not resolve will not (nothing listens there),
    nor a TLS failure, a timeout (the server may have issued the token already) or a redirect.
    """
    return error.kind == "connection" and _connection_failure(exc) in ("reset", "closed")


def _wait(
    call: _Call,
    attempt: int,
    started: float,
    wait: float | None,
    what: Answer | TransportError,
) -> bool:
    """Sleep before the next attempt and return True, or False when the policy says stop."""
    policy = call.policy
    if attempt >= policy.attempts:
        return False
    seconds = policy.delay(attempt - 1) if wait is None else wait
    left = policy.deadline - (call.clock() - started)
    reason = f"HTTP {what.status}" if isinstance(what, Answer) else str(what)
    if seconds > left:
        log.warning(
            "token endpoint: %s; not retrying: the wait of %.3g s would pass the %.3g s deadline",
            reason,
            seconds,
            policy.deadline,
        )
        return False
    log.warning(
        "token endpoint: %s; retrying in %.3g s (attempt %d of %d)",
        reason,
        seconds,
        attempt + 1,
        policy.attempts,
    )
    call.sleep(seconds)
    return True


def _redirect_error(response: requests.Response, url: str) -> TransportError:
    location = response.headers.get("Location")
    target = urljoin(url, location) if location else None
    host = urlsplit(target).netloc if target else "nowhere (no Location header)"
    return TransportError(
        f"the token endpoint {_host(url)} answered HTTP {response.status_code}, a redirect to "
        f"{host}, which is not followed so the credentials stay here: use the final token "
        "URL (check the domain, and http:// versus https://)",
        kind="redirect",
        url=url,
        location=target,
        exchange=HttpExchange.of(response.status_code, response.headers.items(), b"", url),
    )


def _transport_error(exc: Exception, url: str) -> TransportError:
    host = _host(url)
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportError(
            f"TLS to {host} failed ({_tls_reason(exc)}): the server's certificate is not "
            "trusted here; if it is signed by your own CA, pass ca_bundle='path/to/ca.pem'",
            kind="tls",
            url=url,
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransportError(
            f"connecting to {host} timed out: check the domain, and any firewall or proxy",
            kind="connection",
            url=url,
        )
    if isinstance(exc, requests.exceptions.Timeout | TimeoutError):
        return TransportError(
            f"{host} accepted the token request but did not answer in time: try again, or "
            "give a longer timeout",
            kind="timeout",
            url=url,
        )
    return TransportError(_connection_reason(exc, host), kind="connection", url=url)


_Failure = Literal["refused", "unresolved", "reset", "closed"]

_CONNECTION_REASONS: dict[_Failure, str] = {
    "refused": "the connection to {host} was refused: nothing listens there; check the domain",
    "unresolved": "the host name {host} could not be resolved: check the domain for typos",
    "reset": "{host} reset the connection before answering: try again later",
    "closed": "{host} closed the connection before answering: try again later",
}


def _connection_reason(exc: BaseException, host: str) -> str:
    return _CONNECTION_REASONS[_connection_failure(exc)].format(host=host)


def _connection_failure(exc: BaseException) -> _Failure:
    """What happened to a connection that gave no answer."""
    causes = _causes(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "refused"
    if any(isinstance(c, socket.gaierror) for c in causes) or "resolve" in str(exc).lower():
        return "unresolved"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "reset"
    return "closed"


def _tls_reason(exc: BaseException) -> str:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return str(cause.verify_message or "certificate verify failed")
        if isinstance(cause, ssl.SSLError):
            return str(cause.reason or "handshake failed")
    return "certificate verify failed"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps: requests and urllib3 nest several deep."""
    seen: list[BaseException] = []
    stack: list[BaseException] = [exc]
    while stack and len(seen) < 20:
        current = stack.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        stack += [e for e in (current.__cause__, current.__context__) if e is not None]
        stack += [a for a in current.args if isinstance(a, BaseException)]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return seen


def _host(url: str) -> str:
    return urlsplit(url).netloc
