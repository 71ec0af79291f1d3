"""Keys, signed tokens and a loopback key server for the token tests.

`KeyServer` is a real `ThreadingHTTPServer` on 127.0.0.1 that serves an issuer's discovery
document and JWKS, records every request, and can be told to go down, stall, or send garbage.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

HMAC_SECRET = "a-signing-secret-long-enough-for-hs256-0123456789"
NOW = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class SigningKey:
    """A private key with its public JWK."""

    kid: str
    alg: str
    private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    public_jwk: dict[str, Any]

    @property
    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@cache
def _rsa(seed: str) -> rsa.RSAPrivateKey:
    del seed  # one key per name, generated once per test run
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def _ec(seed: str) -> ec.EllipticCurvePrivateKey:
    del seed
    return ec.generate_private_key(ec.SECP256R1())


def signing_key(kid: str, alg: str = "RS256") -> SigningKey:
    """A key for `alg` (RS*, PS* or ES256), the same object for the same kid."""
    private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
        _ec(kid) if alg.startswith("ES") else _rsa(kid)
    )
    algorithm = jwt.get_algorithm_by_name(alg)
    jwk = json.loads(algorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": alg})
    return SigningKey(kid, alg, private, jwk)


def claims(issuer: str, **changes: Any) -> dict[str, Any]:
    """An Auth0 client-credentials payload issued at `NOW`, valid for a day."""
    iat = int(NOW.timestamp())
    payload: dict[str, Any] = {
        "iss": issuer,
        "sub": "abc123@clients",
        "aud": "https://api.example.com/",
        "iat": iat,
        "exp": iat + 86400,
        "azp": "abc123",
        "gty": "client-credentials",
        "scope": "read:things write:things",
    }
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


def current_claims(issuer: str, **changes: Any) -> dict[str, Any]:
    """Like `claims`, issued a minute ago by the real clock (for code that reads the time)."""
    iat = int(time.time()) - 60
    return claims(issuer, **{"iat": iat, "exp": iat + 86400, **changes})


def sign(payload: Mapping[str, Any], key: SigningKey, **headers: Any) -> str:
    """Sign with a key, putting its kid in the header unless ``kid=None`` is passed."""
    header = {"kid": key.kid, **headers}
    header = {k: v for k, v in header.items() if v is not None}
    return jwt.encode(dict(payload), key.private, algorithm=key.alg, headers=header)


def sign_hs(payload: Mapping[str, Any], secret: str | bytes = HMAC_SECRET, **headers: Any) -> str:
    """Sign with HS256."""
    return jwt.encode(dict(payload), secret, algorithm="HS256", headers=headers or None)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: Mapping[str, Any], payload: Mapping[str, Any], signature: bytes) -> str:
    """A token assembled by hand (for alg none and key confusion, which PyJWT refuses)."""
    parts = [json.dumps(header).encode(), json.dumps(payload).encode()]
    return ".".join([*(b64(p) for p in parts), b64(signature)])


def hs256_with_key(header: Mapping[str, Any], payload: Mapping[str, Any], key: bytes) -> str:
    """HS256 over any bytes, even a PEM public key (PyJWT refuses to do this on purpose)."""
    import hashlib
    import hmac

    signing_input = ".".join(b64(json.dumps(p).encode()) for p in (header, payload))
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


@dataclass
class Behaviour:
    """What the key server does; tests change it between requests."""

    keys: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "ok"  # ok | down | garbage | html | slow | 500 | redirect
    discovery: bool = True
    issuer_override: str | None = None
    delay: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: KeyServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.server.answer(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class KeyServer(ThreadingHTTPServer):
    """An issuer on loopback: ``/.well-known/openid-configuration`` and ``/jwks``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = Behaviour()
        self.requests: list[str] = []
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def issuer(self) -> str:
        return self.base + "/"

    @property
    def jwks_url(self) -> str:
        return self.base + "/jwks"

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that timed out and hung up, as the slow-server test intends
        super().handle_error(request, client_address)

    def start(self) -> KeyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def answer(self, handler: _Handler) -> None:
        b = self.behaviour
        if b.mode == "down":
            handler.send_response(503)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if b.mode == "slow":
            time.sleep(b.delay)
        if b.mode == "redirect":
            handler.send_response(302)
            handler.send_header("Location", "http://127.0.0.1:9/elsewhere")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if handler.path == "/.well-known/openid-configuration":
            if not b.discovery:
                self._send(handler, 404, b"not found", "text/plain")
                return
            doc = {"issuer": b.issuer_override or self.issuer, "jwks_uri": self.jwks_url}
            self._send(handler, 200, json.dumps(doc).encode(), "application/json")
        elif handler.path in ("/jwks", "/.well-known/jwks.json"):
            body = {
                "garbage": b"{not json at all",
                "html": b"<html><title>Login</title></html>",
                "500": b"",
            }.get(b.mode, json.dumps({"keys": b.keys}).encode())
            self._send(handler, 500 if b.mode == "500" else 200, body, "application/json")
        else:
            self._send(handler, 404, b"not found", "text/plain")

    @staticmethod
    def _send(handler: _Handler, status: int, body: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def running_server() -> Iterator[KeyServer]:
    """A started `KeyServer`, stopped afterwards (use as a fixture body)."""
    server = KeyServer().start()
    try:
        yield server
    finally:
        server.stop()


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)
