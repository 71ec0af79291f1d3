"""`ClientCredentials`: a cached, thread-safe token source for one token request.

The token is kept until shortly before it expires (the margin scales with its lifetime), and
refreshed by one thread while the others wait, or keep using the still-valid token. A refresh
that fails while the token is still valid is logged and retried later; the token is served
meanwhile. Tokens are shared by every `ClientCredentials` that uses the same `TokenCache` and
the same `CacheKey` (token URL, client, audience, scope, organisation).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from clientcreds.client.fetch import fetch_token, fingerprint
from clientcreds.exceptions import ClientCredsError
from clientcreds.request.token_request import TokenRequest
from clientcreds.response.token_response import TokenResponse

log = logging.getLogger("clientcreds")

#: The fraction of a token's lifetime left when it is refreshed.
DEFAULT_MARGIN = 0.1
#: The longest the refresh happens ahead of expiry, whatever the lifetime (seconds).
MAX_LEAD = 600.0
#: The lifetime assumed when the server sends no ``expires_in`` (seconds).
UNKNOWN_LIFETIME = 300.0
#: After a failed refresh of a valid token, the wait before trying again (seconds, at most).
RETRY_INTERVAL = 30.0

Fetch = Callable[[TokenRequest], TokenResponse]

#: What a failed fetch raises: every error of `fetch_token`, and `OSError` for the network
#: errors of a custom `Fetch` that talks to sockets or requests directly (requests'
#: exceptions are `OSError`s). Anything else is a bug, and is never hidden behind a stale token.
FETCH_FAILURES = (ClientCredsError, OSError)


@dataclass(frozen=True)
class CacheKey:
    """What makes two requests share a token.

    Attributes:
        token_url: The token endpoint.
        client_id: The Client ID.
        audience: The API identifier.
        scope: The requested scopes.
        organization: The organisation.
    """

    token_url: str
    client_id: str
    audience: str | None
    scope: str | None
    organization: str | None

    @classmethod
    def of(cls, request: TokenRequest) -> CacheKey:
        """The key of a request."""
        return cls(request.url, request.client_id, request.audience, request.scope,
                   request.organization)  # fmt: skip


@dataclass(frozen=True)
class _Cached:
    token: TokenResponse
    refresh_at: float
    expires_at: float


class _Slot:
    """One key's token, its refresh lock and the outcome of the last refresh."""

    __slots__ = ("cached", "failure", "generation", "lock", "retry_at")

    def __init__(self) -> None:
        self.cached: _Cached | None = None
        self.lock = threading.Lock()
        self.generation = 0
        self.failure: BaseException | None = None
        self.retry_at = 0.0


class TokenCache:
    """Tokens by `CacheKey`, shareable between `ClientCredentials` instances and threads.

    Example:
        >>> shared = TokenCache()
        >>> # ClientCredentials(request_a, cache=shared), ClientCredentials(request_b, cache=shared)
    """

    def __init__(self) -> None:
        self._slots: dict[CacheKey, _Slot] = {}
        self._lock = threading.Lock()

    def _slot(self, key: CacheKey) -> _Slot:
        with self._lock:
            return self._slots.setdefault(key, _Slot())

    def clear(self) -> None:
        """Forget every token (the next `get_token` of each key fetches a new one)."""
        with self._lock:
            for slot in self._slots.values():
                slot.cached = None

    def __len__(self) -> int:
        with self._lock:
            return sum(slot.cached is not None for slot in self._slots.values())

    def __repr__(self) -> str:
        return f"TokenCache({len(self)} tokens)"


class ClientCredentials:
    """A token source for one request: cached, refreshed ahead of expiry, thread-safe.

    Args:
        request: The token request.
        clock: A monotonic clock in seconds (replaceable in tests).
        margin: The fraction of the lifetime left when the token is refreshed (0.1: a 24 h
            token is refreshed 10 minutes before it expires, the lead being capped at
            `MAX_LEAD`; a 60 s token 6 s before).
        fetch: How to get a token, `fetch_token` by default; for other options, pass e.g.
            ``functools.partial(fetch_token, ca_bundle="ca.pem")``.
        cache: A `TokenCache` to share tokens with other instances; a private one by default.

    Example:
        >>> creds = ClientCredentials(request)            # doctest: +SKIP
        >>> creds.get_token().access_token                # doctest: +SKIP
        'eyJhbGciOi...'
    """

    def __init__(
        self,
        request: TokenRequest,
        *,
        clock: Callable[[], float] = time.monotonic,
        margin: float = DEFAULT_MARGIN,
        fetch: Fetch = fetch_token,
        cache: TokenCache | None = None,
    ) -> None:
        if not 0 <= margin < 1:
            raise ValueError(f"margin must be a fraction of the lifetime (0 to 1), not {margin}")
        self.request = request
        self.key = CacheKey.of(request)
        self._clock = clock
        self._margin = margin
        self._fetch = fetch
        self._slot = (cache if cache is not None else TokenCache())._slot(self.key)

    def __repr__(self) -> str:
        cached = self._slot.cached
        state = "empty" if cached is None else fingerprint(cached.token.access_token)
        return f"ClientCredentials({self.key.client_id} → {self.key.audience}, {state})"

    def get_token(self) -> TokenResponse:
        """The cached token, or a new one when it is missing or about to expire.

        Returns:
            A token that is valid now.

        Raises:
            OAuthError, TokenResponseError, TransportError: when there is no valid token and
                fetching one failed (threads that waited for that fetch get the same error).
        """
        cached = self._slot.cached
        if cached is not None and self._clock() < cached.refresh_at:
            return cached.token
        return self._refresh()

    def fresh_token(self) -> TokenResponse | None:
        """The cached token if it needs no refresh, else None (never fetches)."""
        cached = self._slot.cached
        if cached is not None and self._clock() < cached.refresh_at:
            return cached.token
        return None

    def invalidate(self, token: TokenResponse | str | None = None) -> None:
        """Drop the cached token, so the next `get_token` fetches a new one.

        Args:
            token: Drop it only if it is still this token (or access token): when many
                threads see the same token rejected, only one new token is fetched.
        """
        slot = self._slot
        with slot.lock:
            cached = slot.cached
            if cached is None:
                return
            current = cached.token.access_token
            given = token.access_token if isinstance(token, TokenResponse) else token
            if given is None or given == current:
                log.info("cached token %s dropped", fingerprint(current))
                slot.cached = None
                slot.retry_at = 0.0

    def _refresh(self) -> TokenResponse:
        slot = self._slot
        cached = slot.cached
        seen: int | None = None
        if cached is not None and self._clock() < cached.expires_at:
            # Still valid: if another thread is refreshing, do not wait for it.
            if not slot.lock.acquire(blocking=False):
                return cached.token
        else:
            seen = slot.generation
            slot.lock.acquire()
        try:
            return self._refresh_locked(slot, seen)
        finally:
            slot.lock.release()

    def _refresh_locked(self, slot: _Slot, seen: int | None = None) -> TokenResponse:
        now = self._clock()
        cached = slot.cached
        if cached is not None and now < cached.refresh_at:
            return cached.token  # another thread refreshed it meanwhile
        valid = cached is not None and now < cached.expires_at
        failure = slot.failure
        if seen is not None and slot.generation != seen and failure is not None and not valid:
            raise failure  # the fetch this thread waited for failed: do not try again at once
        if cached is not None and valid and now < slot.retry_at:
            return cached.token  # the last refresh failed; wait before the next one
        try:
            token = self._fetch(self.request)
        except FETCH_FAILURES as exc:
            slot.generation += 1
            slot.failure = exc
            if cached is None or not valid:
                raise
            return self._serve_stale(slot, cached, now, exc)
        slot.generation += 1
        slot.failure = None
        slot.cached = self._entry(token, now)
        log.debug(
            "token %s cached for %s; refresh in %.0f s",
            fingerprint(token.access_token),
            self.key.audience or self.key.token_url,
            slot.cached.refresh_at - now,
        )
        return token

    def _serve_stale(
        self, slot: _Slot, cached: _Cached, now: float, exc: ClientCredsError | OSError
    ) -> TokenResponse:
        left = cached.expires_at - now
        slot.retry_at = now + min(RETRY_INTERVAL, left / 4)
        log.warning(
            "token refresh failed (%s); serving the cached token, valid %.0f s more, "
            "and trying again in %.0f s",
            exc,
            left,
            slot.retry_at - now,
        )
        return cached.token

    def _entry(self, token: TokenResponse, fetched_at: float) -> _Cached:
        # `fetched_at` is taken before the request went out, so latency only shortens the life.
        lifetime = float(token.expires_in) if token.expires_in is not None else UNKNOWN_LIFETIME
        lead = min(lifetime * self._margin, MAX_LEAD)
        return _Cached(token, fetched_at + lifetime - lead, fetched_at + lifetime)
