"""A loopback HTTP server that records every request it receives, exactly as it arrived."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

TOKEN_BODY = json.dumps(
    {"access_token": "eyJz93a...k4laUWw", "token_type": "Bearer", "expires_in": 86400}
).encode()
#: Auth0's refusal of a wrong secret (401), as a token endpoint answers it.
REFUSAL_BODY = b'{"error":"access_denied","error_description":"Unauthorized"}'


@dataclass(frozen=True)
class Captured:
    """One request as the server saw it."""

    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of the only header called `name` (case-insensitive); error if repeated."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        if len(values) > 1:
            raise AssertionError(f"header {name} sent {len(values)} times: {values}")
        return values[0] if values else None


@dataclass(frozen=True)
class _Answer:
    """What the server answers every request with."""

    status: int
    body: bytes
    close: bool


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        self._capture()

    def do_GET(self) -> None:
        self._capture()

    def do_PUT(self) -> None:  # an API call may use any method
        self._capture()

    def do_PATCH(self) -> None:
        self._capture()

    def do_DELETE(self) -> None:
        self._capture()

    def _capture(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            body = b"<chunked bodies are not expected from any snippet>"
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.record(
            Captured(
                self.command,
                self.path,
                self.request_version,
                tuple(self.headers.items()),
                body,
            )
        )
        answer = self.server.answer
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer.body)))
        if answer.close:
            self.send_header("Connection", "close")  # and so this handler closes after it
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], family: socket.AddressFamily, answer: _Answer
    ) -> None:
        self.address_family = family
        self.answer = answer
        super().__init__(address, _Handler)
        self._lock = threading.Lock()
        self.captured: list[Captured] = []

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up after its response is not an error here."""

    def record(self, request: Captured) -> None:
        with self._lock:
            self.captured.append(request)


class CaptureServer:
    """Record requests on 127.0.0.1 (or ``::1``), port chosen by the OS.

    Every request is answered with `status` and `body` as ``application/json`` (by default a
    token, 200 OK), over HTTP/1.1 with the connection kept open; with `close`, the answer says
    ``Connection: close`` and the server closes after it (for a relay that reads until the
    server closes, such as `tests.harness.tls_front.TlsFront`).

    Example:
        with CaptureServer() as server:
            ...  # send to server.base_url
            [request] = server.take()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        status: int = 200,
        body: bytes = TOKEN_BODY,
        close: bool = False,
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = _Server((host, 0), family, _Answer(status, body, close))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        port = self._server.server_address[1]
        self.base_url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        self.host, self.port = host, port

    def __enter__(self) -> CaptureServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def take(self) -> list[Captured]:
        """Return and forget everything captured so far."""
        with self._server._lock:
            taken, self._server.captured = self._server.captured, []
        return taken
