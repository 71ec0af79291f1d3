"""A TLS front on loopback: HTTPS in, the plain-HTTP capture server behind it.

The ``http`` target's recipe sends the message with ``openssl s_client``, which speaks TLS; the
capture server speaks plain HTTP. A `TlsFront` accepts one TLS connection, relays the request
to the server, relays the answer back until the server closes (the message says
``Connection: close``), then closes with a TLS close_notify so the client ends too.
"""

from __future__ import annotations

import re
import socket
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType

_TIMEOUT = 10
_CERT_OPTIONS: tuple[str, ...] = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
_CERT_OPTIONS += ("-nodes", "-days", "1", "-subj", "/CN=127.0.0.1")
_LENGTH = re.compile(rb"(?im)^content-length: *(\d+)\r?$")


def self_signed_context(openssl: str) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="tls-front-") as scratch:
        key, cert = Path(scratch) / "key.pem", Path(scratch) / "cert.pem"
        subprocess.run(
            [openssl, "req", "-x509", *_CERT_OPTIONS, "-keyout", str(key), "-out", str(cert)],
            capture_output=True,
            check=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    return context


class TlsFront:
    """Accept one TLS connection on 127.0.0.1 and relay it to `upstream`, in a thread."""

    def __init__(self, context: ssl.SSLContext, upstream: tuple[str, int]) -> None:
        self._context = context
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_TIMEOUT)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._relay_one, daemon=True)

    def __enter__(self) -> TlsFront:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._thread.join(_TIMEOUT * 2)
        self._listener.close()

    def _relay_one(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return  # nobody came: the test sees no request
        conn.settimeout(_TIMEOUT)
        try:
            with self._context.wrap_socket(conn, server_side=True) as tls:
                with socket.create_connection(self._upstream, timeout=_TIMEOUT) as upstream:
                    upstream.sendall(_read_request(tls))
                    while chunk := upstream.recv(65536):
                        tls.sendall(chunk)
                tls.unwrap()  # close_notify: the client stops reading
        except OSError:
            pass  # a client that hangs up early: the test sees what reached the server


def _read_request(conn: ssl.SSLSocket) -> bytes:
    """One request: the head up to the blank line, then ``Content-Length`` bytes of body."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(conn)
    head, _, body = data.partition(b"\r\n\r\n")
    length = _LENGTH.search(head)
    while length and len(body) < int(length[1]):
        body += _recv(conn)
    return head + b"\r\n\r\n" + body


def _recv(conn: ssl.SSLSocket) -> bytes:
    chunk = conn.recv(65536)
    if not chunk:
        raise ConnectionError("the client closed before the request was complete")
    return chunk
