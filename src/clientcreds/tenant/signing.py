"""Signing keys and access tokens: RS256 (default), PS256, or HS256 with the API's secret.

Each asymmetric algorithm has its own RSA key, published in the JWKS with its ``alg`` and a
``kid`` (the RFC 7638 thumbprint). `KeyRing.rotate` makes a new key current; the old ones stay
in the JWKS for a grace period so tokens they signed still verify, as on Auth0.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from clientcreds.core.secret import Secret

ASYMMETRIC_ALGS = ("RS256", "PS256")
KEY_SIZE = 2048
#: How long a rotated-out key stays published by default, in seconds.
DEFAULT_GRACE = 600.0


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class SigningKey:
    """One RSA signing key and its public JWK.

    Attributes:
        alg: The algorithm it signs with (``RS256`` or ``PS256``).
        kid: Its key id: the RFC 7638 JWK thumbprint.
        private_key: The private key (never leaves the process).
        jwk: The public JWK as published, with ``x5c`` and ``x5t``.
    """

    alg: str
    kid: str
    private_key: rsa.RSAPrivateKey
    jwk: Mapping[str, Any]

    def __repr__(self) -> str:
        return f"SigningKey({self.alg}, kid={self.kid!r})"

    @classmethod
    def generate(cls, alg: str, issuer: str) -> SigningKey:
        """A fresh 2048-bit RSA key with a self-signed certificate naming `issuer`."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
        numbers = key.public_key().public_numbers()
        core = {"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)}
        kid = _b64url(hashlib.sha256(json.dumps(core, separators=(",", ":")).encode()).digest())
        cert = _self_signed(key, issuer).public_bytes(serialization.Encoding.DER)
        jwk = {
            "kty": "RSA",
            "use": "sig",
            "alg": alg,
            "n": core["n"],
            "e": core["e"],
            "kid": kid,
            "x5t": _b64url(hashlib.sha1(cert).digest()),  # noqa: S324 - x5t is SHA-1 by definition
            "x5c": [base64.b64encode(cert).decode("ascii")],
        }
        return cls(alg, kid, key, jwk)


def _self_signed(key: rsa.RSAPrivateKey, issuer: str) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer[:64])])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )


class KeyRing:
    """The tenant's signing keys: one current key per algorithm, plus recently rotated ones.

    Args:
        issuer: Named in the keys' certificates.
        clock: The time source (seconds since the epoch), replaceable in tests.
    """

    def __init__(self, issuer: str, clock: Callable[[], float] = time.time) -> None:
        self._issuer = issuer
        self._clock = clock
        self._current: dict[str, SigningKey] = {}
        self._retiring: list[tuple[float, SigningKey]] = []
        self._lock = threading.Lock()

    def current(self, alg: str) -> SigningKey:
        """The key that signs new `alg` tokens (created on first use)."""
        key = self._current.get(alg)
        if key is not None:
            return key
        with self._lock:
            if alg not in self._current:
                self._current[alg] = SigningKey.generate(alg, self._issuer)
            return self._current[alg]

    def rotate(self, grace: float | None = DEFAULT_GRACE) -> list[SigningKey]:
        """Replace every current key with a new one; the old ones stay published for `grace` s.

        Args:
            grace: Seconds the old keys remain in the JWKS; `None` keeps them until
                `retire` is called.

        Returns:
            The new current keys.
        """
        with self._lock:
            until = float("inf") if grace is None else self._clock() + grace
            self._retiring += [(until, key) for key in self._current.values()]
            algs = list(self._current) or ["RS256"]
            self._current = {alg: SigningKey.generate(alg, self._issuer) for alg in algs}
            return list(self._current.values())

    def retire(self) -> None:
        """Stop publishing every rotated-out key now (like revoking it on Auth0)."""
        with self._lock:
            self._retiring = []

    def published(self) -> list[SigningKey]:
        """The keys in the JWKS: the current ones first, then those still in their grace."""
        now = self._clock()
        with self._lock:
            self._retiring = [(until, key) for until, key in self._retiring if until > now]
            return list(self._current.values()) + [key for _, key in self._retiring]

    def jwks(self) -> dict[str, Any]:
        """The JWKS document: ``{"keys": [...]}``."""
        return {"keys": [dict(key.jwk) for key in self.published()]}


def sign(claims: Mapping[str, Any], *, alg: str, keys: KeyRing, secret: Secret, typ: str) -> str:
    """Sign `claims` as a compact JWS.

    Args:
        claims: The token's claims.
        alg: ``RS256``, ``PS256`` (with the key ring's current key and its ``kid``) or
            ``HS256`` (with `secret`, no ``kid``).
        keys: The tenant's key ring.
        secret: The API's signing secret, used for HS256 only.
        typ: The ``typ`` header: ``JWT`` or ``at+jwt``.
    """
    if alg == "HS256":
        return jwt.encode(dict(claims), secret.reveal(), algorithm=alg, headers={"typ": typ})
    key = keys.current(alg)
    memo_key = (key.kid, typ, json.dumps(claims, separators=(",", ":")))
    if alg == "RS256":
        # RS256 (PKCS#1 v1.5) is deterministic: the same header and claims always give the same
        # token, so a token signed a moment ago for identical claims (same client, audience and
        # second) is reused byte for byte. PS256 signatures are randomised and never reused.
        cached = _MEMO.get(memo_key)
        if cached is not None:
            return cached
    token = jwt.encode(
        dict(claims), key.private_key, algorithm=alg, headers={"typ": typ, "kid": key.kid}
    )
    if alg == "RS256":
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[memo_key] = token
    return token


_MEMO_SIZE = 256
_MEMO: dict[tuple[str, str, str], str] = {}
