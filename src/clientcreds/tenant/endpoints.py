"""The tenant's endpoints, independent of the HTTP server: a request in, a response out.

``POST /oauth/token``, ``GET /.well-known/jwks.json`` and ``GET /.well-known/openid-configuration``.
Every refusal is a `TenantError` turned into its JSON body here; nothing in this module writes to
a socket.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clientcreds.core.protocol import (
    ASSERTION_ALGS,
    DISCOVERY_PATH,
    GRANT_TYPE,
    JWKS_PATH,
    TOKEN_PATH,
)
from clientcreds.tenant import grant, refusals
from clientcreds.tenant.clientauth import (
    Authenticated,
    ReplayCache,
    authenticate,
    claimed_client_id,
)
from clientcreds.tenant.config import TenantConfig
from clientcreds.tenant.params import BasicCredentials, parse_basic, parse_body
from clientcreds.tenant.ratelimit import QuotaTracker, RateLimiter
from clientcreds.tenant.refusals import TenantError
from clientcreds.tenant.signing import KeyRing, sign

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PUBLIC_CACHE = {"Cache-Control": "public, max-age=15"}
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")


@dataclass(frozen=True)
class Request:
    """One HTTP request, as the server read it.

    Attributes:
        method: The method (``POST``).
        path: The path, without the query.
        query: The query string (empty when none).
        headers: Header lookup, case-insensitive (the server's message object).
        body: The body bytes (already size-checked).
        peer: The client's address, for rate limiting requests with no client id.
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes = b""
    peer: str = ""

    def __repr__(self) -> str:
        return f"Request({self.method} {self.path}, {len(self.body)} body bytes)"


@dataclass
class Response:
    """One HTTP response: status, headers and a JSON body.

    Attributes:
        status: The status code.
        headers: Response headers besides Content-Type and Content-Length.
        body: The encoded JSON body.
        close: Whether to close the connection after sending.
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    close: bool = False

    @classmethod
    def json(cls, status: int, data: Any, headers: Mapping[str, str] | None = None) -> Response:
        """A response with `data` encoded as compact JSON."""
        body = json.dumps(data, separators=(",", ":")).encode("utf-8")
        return cls(status, dict(headers or {}), body)

    @classmethod
    def error(cls, exc: TenantError, headers: Mapping[str, str] | None = None) -> Response:
        """The JSON response for a refusal, with its own headers after `headers`."""
        response = cls.json(exc.status, exc.body(), {**(headers or {}), **exc.headers})
        response.close = exc.close
        return response


#: The methods each path serves.
ROUTES: dict[str, tuple[str, ...]] = {
    TOKEN_PATH: ("POST",),
    JWKS_PATH: ("GET", "HEAD"),
    DISCOVERY_PATH: ("GET", "HEAD"),
}


class Endpoints:
    """The tenant's request handling: routing, the token endpoint, keys and discovery.

    Args:
        config: The tenant's applications, APIs and grants.
        issuer: The issuer URL with its trailing slash.
        keys: The signing keys.
        clock: Time source in seconds since the epoch.
    """

    def __init__(
        self,
        config: TenantConfig,
        issuer: str,
        keys: KeyRing,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.issuer = issuer
        self.keys = keys
        self.clock = clock
        limits = config.limits
        self.limiter = RateLimiter(limits.burst, limits.per_second, clock)
        self.quotas = QuotaTracker(clock)
        self.replays = ReplayCache(clock)

    def handle(self, request: Request) -> Response:
        """Route `request` and answer it; a refusal is a JSON error response."""
        allowed = ROUTES.get(request.path)
        if allowed is None:
            return Response.error(refusals.not_found(request.path))
        if request.method not in allowed:
            return Response.error(refusals.method_not_allowed(allowed))
        if request.path == TOKEN_PATH:
            return self.token(request)
        if request.path == JWKS_PATH:
            return Response.json(200, self.keys.jwks(), PUBLIC_CACHE)
        return Response.json(200, self.discovery(), PUBLIC_CACHE)

    def token(self, request: Request) -> Response:
        """``POST /oauth/token``: authenticate, rate limit, then issue a token or refuse.

        A request that fails before the client is authenticated is counted in the bucket of its
        source address and claimed client id (`_failure_key`), never in the client's own, and
        once that bucket is empty the address is refused for that client, right secret or not.
        An authenticated request spends the client's bucket.
        """
        params: dict[str, str] = {}
        basic: BasicCredentials | None = None
        failure: TenantError | None = None
        try:
            params = parse_body(request.headers.get("Content-Type"), request.body)
            basic = parse_basic(request.headers.get("Authorization"))
        except TenantError as exc:
            failure = exc
        failure_key = self._failure_key(request.peer, params, basic)
        gate = self.limiter.peek(failure_key)
        if not gate.allowed:
            headers = {**NO_STORE, **gate.headers}
            return Response.error(refusals.too_many_attempts(gate.headers), headers)
        try:
            who = self._authenticate(request, params, basic, failure)
        except TenantError as exc:
            return Response.error(exc, {**NO_STORE, **self.limiter.take(failure_key).headers})
        decision = self.limiter.take("client:" + who.client.client_id)
        headers = {**NO_STORE, **decision.headers}
        if not decision.allowed:
            return Response.error(refusals.too_many_requests(decision.headers), headers)
        try:
            return self._issue(params, who, headers)
        except TenantError as exc:
            return Response.error(exc, headers)

    def _failure_key(
        self, peer: str, params: Mapping[str, str], basic: BasicCredentials | None
    ) -> str:
        """The failure bucket: source address and claimed client id, or ``*`` for any other."""
        try:
            claimed = claimed_client_id(params, basic)
        except TenantError:
            claimed = None
        known = claimed if claimed is not None and claimed in self.config.clients else "*"
        return f"failed:{peer}:{known}"

    def _authenticate(
        self,
        request: Request,
        params: dict[str, str],
        basic: BasicCredentials | None,
        failure: TenantError | None,
    ) -> Authenticated:
        """Everything up to client authentication, in Auth0's order."""
        if failure is not None:
            raise failure
        if request.query:
            raise refusals.invalid_request(
                "Parameters must be sent in the request body, not in the query string"
            )
        grant.check_grant_type(params)
        return authenticate(
            params,
            basic,
            config=self.config,
            issuer=self.issuer,
            replays=self.replays,
            clock=self.clock,
        )

    def _issue(
        self, params: dict[str, str], who: Authenticated, headers: dict[str, str]
    ) -> Response:
        issue = grant.resolve(params, who, self.config)
        quota = self.quotas.check(who.client.client_id, _quotas(who.client))
        headers.update(quota.headers)
        if not quota.allowed:
            raise refusals.quota_exceeded(quota.headers)
        api = issue.api
        access_token = sign(
            grant.claims(issue, self.issuer, self.clock),
            alg=api.signing_alg,
            keys=self.keys,
            secret=api.signing_secret,
            typ="at+jwt" if api.profile == "rfc9068" else "JWT",
        )
        return Response.json(200, grant.token_response(access_token, issue), headers)

    def discovery(self) -> dict[str, Any]:
        """The discovery document: issuer, endpoints and what the token endpoint supports."""
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "token_endpoint": base + TOKEN_PATH,
            "jwks_uri": base + JWKS_PATH,
            "grant_types_supported": [GRANT_TYPE],
            "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGS),
            "response_types_supported": [],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "PS256"],
            "scopes_supported": sorted({s for a in self.config.apis.values() for s in a.scopes}),
            "claims_supported": ["iss", "sub", "aud", "iat", "exp", "azp", "gty", "scope"],
        }


def _quotas(client: Any) -> dict[str, int]:
    quotas = {"per_hour": client.quota_per_hour, "per_day": client.quota_per_day}
    return {name: value for name, value in quotas.items() if value is not None}
