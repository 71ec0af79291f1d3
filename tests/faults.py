"""A loopback HTTP(S) server that answers from a script of faults, and records what it got."""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import struct
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from clientcreds import RetryPolicy, TokenRequest, TokenResponse, fetch_token
from clientcreds.core.loopback import BackgroundService, LoopbackServer
from clientcreds.tenant import Limits, LocalTenant, TenantConfig

#: The client secret the fault-server tests send: hostile to quoting, and never to be shown.
SECRET = "s3cr+t/&=ü x"
#: Retries fast enough for tests.
FAST = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.02, deadline=5.0)


def request_to(server: FaultServer, **fields: Any) -> TokenRequest:
    """A token request for `server`, sending `SECRET` (any field can be replaced)."""
    values = {"client_id": "svc", "client_secret": SECRET, "audience": "https://api/"}
    return TokenRequest(domain=server.base_url, **{**values, **fields})


def fetch(server: FaultServer, **options: Any) -> TokenResponse:
    """`fetch_token` of `request_to(server)`, with `FAST` retries unless told otherwise."""
    return fetch_token(request_to(server), **{"retries": FAST, **options})


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, headers and body, or a fault instead.

    Attributes:
        status: The HTTP status.
        headers: Extra headers.
        body: The body (JSON-encoded when a dict).
        fault: ``reset`` (RST, no answer), ``close`` (close without answering),
            ``short`` (a Content-Length longer than the body, then close).
        delay: Seconds to wait before answering (ended early when the server stops).
        repeat: How many times the body is sent in a row: a large answer without the memory
            (sending stops when the client hangs up).
        drip: Seconds between bytes: the answer goes out one byte at a time, from the status
            line on (from the body on with `drip_body`).
        drip_body: Drip only the body, sending the status line and headers at once.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | dict[str, Any] = b""
    fault: str | None = None
    delay: float = 0.0
    repeat: int = 1
    drip: float = 0.0
    drip_body: bool = False


def token(access_token: str = "header.payload.sig", expires_in: int = 86400) -> Reply:
    """A successful token answer."""
    body = {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}
    return Reply(200, {}, body)


def oauth_error(status: int, error: str, description: str = "", **headers: str) -> Reply:
    """A JSON OAuth error answer."""
    return Reply(status, headers, {"error": error, "error_description": description})


@dataclass(frozen=True)
class Received:
    """A request the server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class FaultServer(BackgroundService["_Server"]):
    """Serve `script` in order on 127.0.0.1 (the last reply repeats); a context manager.

    Args:
        script: The replies, one per request.
        tls: A (certfile, keyfile) pair to serve HTTPS with.

    Attributes:
        host: ``127.0.0.1:PORT`` once started (kept after it stops).
    """

    service_name = "fault server"

    def __init__(self, script: Sequence[Reply], tls: tuple[Path, Path] | None = None) -> None:
        self.script = list(script)
        self.received: list[Received] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._tls = tls
        self.scheme = "https" if tls else "http"
        self.host = ""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (or ``https://``)."""
        return f"{self.scheme}://{self.host}"

    def next_reply(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            index = min(len(self.received), len(self.script)) - 1
            return self.script[index]

    def stop(self) -> None:
        """End the replies' delays early, then stop serving."""
        self.stopping.set()
        super().stop()

    def _create_server(self) -> _Server:
        server = _Server(self)
        if self._tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, self._tls))
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self.host = f"127.0.0.1:{server.port}"
        return server


class _Server(LoopbackServer):
    def __init__(self, owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(_Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # TLS handshakes the client aborts, resets: expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Filled by send_header; the base class has it but typeshed does not declare it.
    _headers_buffer: list[bytes]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        owner = self.server.owner
        reply = owner.next_reply(Received(self.command, self.path, dict(self.headers), body))
        if reply.delay:
            owner.stopping.wait(reply.delay)
        if reply.fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if reply.fault == "close":
            self.close_connection = True
            return
        data = (
            json.dumps(reply.body).encode() if isinstance(reply.body, dict) else bytes(reply.body)
        )
        self.send_response(reply.status)
        content_type = "application/json" if isinstance(reply.body, dict) else "text/html"
        headers = {"Content-Type": content_type, **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        extra = 50 if reply.fault == "short" else 0
        self.send_header("Content-Length", str(len(data) * reply.repeat + extra))
        if reply.fault == "short":
            self.send_header("Connection", "close")
            self.close_connection = True
        # What end_headers would send, sent (or dripped) by _send instead.
        self._headers_buffer.append(b"\r\n")
        head, self._headers_buffer = b"".join(self._headers_buffer), []
        if self._send(head, 0.0 if reply.drip_body else reply.drip):
            for _ in range(reply.repeat):
                if owner.stopping.is_set() or not self._send(data, reply.drip):
                    break

    def _send(self, data: bytes, drip: float) -> bool:
        """Send `data`, one byte per `drip` seconds if dripping; False once the client is gone."""
        owner = self.server.owner
        pieces = [data[i : i + 1] for i in range(len(data))] if drip else [data]
        try:
            for piece in pieces:
                if drip and owner.stopping.wait(drip):
                    return False
                self.wfile.write(piece)
        except OSError:  # the client hung up: what a client with a size limit does
            self.close_connection = True
            return False
        return True


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, written to `directory`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "clientcreds test")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TokenCounter:
    """Counts the token requests a `LocalTenant` handles (all tenants, while patched)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def install(self, monkeypatch: Any) -> TokenCounter:
        from clientcreds.tenant.endpoints import Endpoints

        original = Endpoints.token

        def counted(endpoints: Endpoints, request: Any) -> Any:
            with self._lock:
                self.count += 1
            return original(endpoints, request)

        monkeypatch.setattr(Endpoints, "token", counted)
        return self


@contextmanager
def running_tenant(**limits: Any) -> Iterator[LocalTenant]:
    """A tenant with the demo app and a rate limit tests do not hit."""
    config = TenantConfig(limits=Limits(burst=10_000, per_second=10_000.0, **limits))
    with LocalTenant(config) as tenant:
        yield tenant
    assert tenant.internal_errors == []
