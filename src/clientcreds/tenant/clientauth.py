"""Client authentication at the token endpoint: secret (post or Basic) or ``private_key_jwt``.

A request must use exactly one method (RFC 6749 §2.3). Every failure to authenticate is the same
401 ``access_denied`` / ``Unauthorized``, so a caller learns nothing about which client ids exist;
the reason is logged on the ``clientcreds.tenant`` logger instead (never a secret).
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from clientcreds.core.protocol import ASSERTION_ALGS, JWT_BEARER
from clientcreds.tenant.config import Client, TenantConfig
from clientcreds.tenant.params import BasicCredentials
from clientcreds.tenant.refusals import (
    TenantError,
    invalid_request,
    missing_parameter,
    wrong_credentials,
)

log = logging.getLogger("clientcreds.tenant")

#: The algorithms Auth0 accepts for client assertions (its discovery document).
MAX_ASSERTION_BYTES = 2048
MAX_ASSERTION_LIFETIME = 300
CLOCK_SKEW = 5


@dataclass(frozen=True)
class Authenticated:
    """Who the request authenticated as.

    Attributes:
        client: The application.
        method: ``client_secret_post``, ``client_secret_basic`` or ``private_key_jwt``.
    """

    client: Client
    method: str


class ReplayCache:
    """The ``jti`` values of accepted assertions, kept until each assertion expires.

    Args:
        clock: Time source in seconds since the epoch.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def first_use(self, client_id: str, jti: str, expires: float) -> bool:
        """Record `jti` for `client_id`; `False` if it was already used and has not expired."""
        now = self._clock()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            key = (client_id, jti)
            if self._seen.get(key, 0.0) > now:
                return False
            self._seen[key] = expires + CLOCK_SKEW
            return True


def authenticate(
    params: Mapping[str, str],
    basic: BasicCredentials | None,
    *,
    config: TenantConfig,
    issuer: str,
    replays: ReplayCache,
    clock: Callable[[], float] = time.time,
) -> Authenticated:
    """Authenticate the client of a token request.

    Raises:
        TenantError: 400 for a missing or conflicting credential, 401 for a wrong one.
    """
    client_id = claimed_client_id(params, basic)
    assertion = params.get("client_assertion") or None
    if assertion is not None:
        client = _client(config, client_id)
        _check_assertion(assertion, params, client, issuer, replays, clock)
        return Authenticated(client, "private_key_jwt")
    if basic is not None:
        return Authenticated(
            _by_secret(config, client_id, basic.client_secret), "client_secret_basic"
        )
    secret = params.get("client_secret") or None
    if secret is None:
        raise missing_parameter("client_secret")
    return Authenticated(_by_secret(config, client_id, secret), "client_secret_post")


def claimed_client_id(params: Mapping[str, str], basic: BasicCredentials | None) -> str:
    """The client id the request claims, from Basic, the body or the assertion's ``iss``.

    Raises:
        TenantError: 400 when it is missing, or when more than one method is used.
    """
    methods = [
        basic is not None,
        bool(params.get("client_secret")),
        bool(params.get("client_assertion")),
    ]
    if sum(methods) > 1:
        raise invalid_request("Multiple client authentication methods are not allowed")
    body_id = params.get("client_id") or None
    if basic is not None:
        if body_id is not None and body_id != basic.client_id:
            raise invalid_request("Multiple client authentication methods are not allowed")
        body_id = basic.client_id or None
    if body_id is None and params.get("client_assertion"):
        body_id = _assertion_issuer(params["client_assertion"])
    if body_id is None:
        raise missing_parameter("client_id")
    return body_id


def _assertion_issuer(assertion: str) -> str | None:
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    iss = claims.get("iss")
    return iss if isinstance(iss, str) and iss else None


def _client(config: TenantConfig, client_id: str) -> Client:
    client = config.clients.get(client_id)
    if client is None:
        log.info("token request for unknown client %r", client_id[:100])
        raise wrong_credentials()
    return client


def _by_secret(config: TenantConfig, client_id: str, secret: str) -> Client:
    client = _client(config, client_id)
    expected = client.client_secret
    given = secret.encode("utf-8")
    if expected is None or not hmac.compare_digest(expected.reveal().encode("utf-8"), given):
        log.info("wrong client secret for %r", client_id[:100])
        raise wrong_credentials()
    return client


def _check_assertion(
    assertion: str,
    params: Mapping[str, str],
    client: Client,
    issuer: str,
    replays: ReplayCache,
    clock: Callable[[], float],
) -> None:
    if params.get("client_assertion_type") != JWT_BEARER:
        raise invalid_request(f"Invalid client_assertion_type: use {JWT_BEARER}")
    try:
        claims = _verified_claims(assertion, client, issuer, clock)
    except TenantError:
        raise
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        _refuse(client, f"assertion rejected: {exc}")
    if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
        _refuse(client, "assertion iss and sub must both be the client id")
    exp, iat = claims["exp"], claims.get("iat")
    start = iat if isinstance(iat, (int, float)) else clock()
    if exp - start > MAX_ASSERTION_LIFETIME:
        _refuse(client, f"assertion lifetime over {MAX_ASSERTION_LIFETIME} s")
    jti = claims["jti"]
    if not isinstance(jti, str) or not jti or not replays.first_use(client.client_id, jti, exp):
        _refuse(client, "assertion jti missing or already used")


def _verified_claims(
    assertion: str, client: Client, issuer: str, clock: Callable[[], float]
) -> dict[str, Any]:
    if len(assertion.encode("utf-8")) > MAX_ASSERTION_BYTES:
        _refuse(client, f"assertion over {MAX_ASSERTION_BYTES} bytes")
    header = jwt.get_unverified_header(assertion)
    alg = header.get("alg")
    if alg not in ASSERTION_ALGS:
        _refuse(client, f"assertion algorithm {str(alg)[:20]!r} not allowed")
    keys = [key for key in _public_keys(client, header.get("kid")) if _fits(key, str(alg))]
    if not keys:
        _refuse(client, "no registered public key matches the assertion")
    last: Exception | None = None
    for key in keys:
        try:
            claims: dict[str, Any] = jwt.decode(
                assertion,
                key,
                algorithms=[str(alg)],
                audience=issuer,
                leeway=CLOCK_SKEW,
                options={"require": ["exp", "iss", "sub", "aud", "jti"]},
            )
            _check_times(claims, client)
            _check_not_future(claims, clock)
            return claims
        except (jwt.InvalidSignatureError, jwt.InvalidKeyError) as exc:
            last = exc
    _refuse(client, f"assertion signature matches no registered key ({last})")


def _check_times(claims: Mapping[str, Any], client: Client) -> None:
    # PyJWT accepts a string such as "9999999999" for exp and iat (it calls int() on them);
    # RFC 7519 §2 says NumericDate is a JSON number.
    for name in ("exp", "iat", "nbf"):
        value = claims.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _refuse(client, f"assertion {name} is not a number")


def _check_not_future(claims: Mapping[str, Any], clock: Callable[[], float]) -> None:
    # PyJWT checks exp and nbf against its own clock; iat in the future is our extra check.
    iat = claims.get("iat")
    if isinstance(iat, (int, float)) and iat > clock() + CLOCK_SKEW:
        raise jwt.ImmatureSignatureError("iat is in the future")


def _fits(key: Any, alg: str) -> bool:
    if alg.startswith(("RS", "PS")):
        return isinstance(key, rsa.RSAPublicKey)
    curve = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1}[alg]
    return isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, curve)


def _public_keys(client: Client, kid: object) -> list[Any]:
    keys = []
    for entry in client.public_keys:
        if isinstance(entry, dict):
            if kid is not None and entry.get("kid") not in (None, kid):
                continue
            keys.append(jwt.PyJWK(entry).key)
        else:
            keys.append(serialization.load_pem_public_key(entry.encode("utf-8")))
    return keys


def _refuse(client: Client, reason: str) -> NoReturn:
    log.info("client %r: %s", client.client_id[:100], reason)
    raise wrong_credentials()
