"""``private_key_jwt``: the signing key that never prints itself, and the client assertion.

Auth0 (and RFC 7523 §3) want a JWT signed with the application's private key: ``iss`` and
``sub`` the client id, ``aud`` the tenant's issuer (``https://{domain}/``, with the slash),
``exp`` and a fresh ``jti``, at most 5 minutes long. `client_assertion` builds one per call.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, NoReturn

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from clientcreds.core.protocol import ASSERTION_ALGS, AssertionAlg

#: How long an assertion is valid; Auth0 refuses more than 300 s.
ASSERTION_LIFETIME = 60
_CURVES: dict[str, type[ec.EllipticCurve]] = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1}

KeyInput = str | bytes | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class PrivateKey:
    """An RSA or EC private key that hides itself from `repr`, `str`, logs and pickles.

    Args:
        key: PEM text or bytes (PKCS#8 or traditional, unencrypted), or a `cryptography`
            RSA or EC private key object.

    Raises:
        ValueError: for anything that is not an unencrypted RSA or EC private key.

    Example:
        >>> from cryptography.hazmat.primitives.asymmetric import ec
        >>> PrivateKey(ec.generate_private_key(ec.SECP256R1()))
        PrivateKey(EC P-256, hidden)
    """

    __slots__ = ("_key",)
    _key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    def __init__(self, key: KeyInput | PrivateKey) -> None:
        loaded: object = key._key if isinstance(key, PrivateKey) else key
        if isinstance(loaded, str | bytes):
            loaded = _load_pem(loaded)
        if not isinstance(loaded, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValueError(
                f"private_key must be PEM text or an RSA or EC private key, "
                f"not {type(loaded).__name__}"
            )
        self._key = loaded

    @property
    def kind(self) -> str:
        """``RSA 2048``, ``EC P-256`` and the like: what the key is, without the key."""
        if isinstance(self._key, rsa.RSAPrivateKey):
            return f"RSA {self._key.key_size}"
        return f"EC P-{self._key.curve.key_size}"

    def default_algorithm(self) -> AssertionAlg:
        """RS256 for an RSA key, ES256 or ES384 for a P-256 or P-384 key."""
        if isinstance(self._key, rsa.RSAPrivateKey):
            return "RS256"
        for alg, curve in _CURVES.items():
            if isinstance(self._key.curve, curve):
                return alg  # type: ignore[return-value]
        raise ValueError(f"a {self.kind} key cannot sign assertions: use P-256 or P-384")

    def check_algorithm(self, alg: str) -> None:
        """Raise ValueError unless this key can sign with `alg`."""
        if alg not in ASSERTION_ALGS:
            raise ValueError(
                f"assertion_alg must be one of {', '.join(ASSERTION_ALGS)} (what Auth0 accepts), "
                f"not {alg!r}"
            )
        is_rsa = isinstance(self._key, rsa.RSAPrivateKey)
        if alg.startswith(("RS", "PS")) != is_rsa or (
            not is_rsa and not isinstance(self._key.curve, _CURVES[alg])  # type: ignore[union-attr]
        ):
            raise ValueError(f"a {self.kind} key cannot sign {alg}: {self._fitting()}")

    def sign(self, claims: dict[str, Any], alg: str, headers: dict[str, Any]) -> str:
        """Sign `claims` as a compact JWT (only for the wire)."""
        return jwt.encode(claims, self._key, algorithm=alg, headers=headers)

    def _fitting(self) -> str:
        if isinstance(self._key, rsa.RSAPrivateKey):
            return "use RS256, RS384, PS256 or PS384"
        return f"use {self.default_algorithm()}"

    def _public_der(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def __repr__(self) -> str:
        return f"PrivateKey({self.kind}, hidden)"

    def __str__(self) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PrivateKey):
            return self._public_der() == other._public_der()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("PrivateKey", self._public_der()))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a PrivateKey cannot be pickled; it would write the key in clear")


def client_assertion(
    key: PrivateKey,
    *,
    client_id: str,
    audience: str,
    alg: str,
    key_id: str | None,
    lifetime: int = ASSERTION_LIFETIME,
    clock: Callable[[], float] = time.time,
) -> str:
    """A fresh client assertion: ``iss`` = ``sub`` = `client_id`, ``aud``, ``exp``, ``jti``.

    Args:
        key: The application's private key.
        client_id: The Client ID.
        audience: The ``aud``: Auth0's issuer, ``https://{domain}/``.
        alg: The signing algorithm.
        key_id: The ``kid`` header (the key's id as registered), or None to leave it out.
        lifetime: Seconds until ``exp`` (at most 300).
        clock: Time source in seconds since the epoch.

    Returns:
        The compact JWT: a credential, to be sent only in the token request's body.
    """
    now = int(clock())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + min(lifetime, 300),
        "jti": secrets.token_urlsafe(24),
    }
    headers: dict[str, Any] = {"typ": "JWT"}
    if key_id is not None:
        headers["kid"] = key_id
    return key.sign(claims, alg, headers)


def _load_pem(data: str | bytes) -> Any:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return serialization.load_pem_private_key(raw, password=None)
    except TypeError:
        raise ValueError(
            "private_key is encrypted: decrypt it first, or load it with cryptography's "
            "load_pem_private_key(data, password) and pass the key object"
        ) from None
    except (ValueError, jwt.exceptions.PyJWTError):
        raise ValueError(
            "private_key is not a PEM private key ('-----BEGIN PRIVATE KEY-----'): check the file"
        ) from None
