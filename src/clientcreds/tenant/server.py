"""The HTTP server: a `LoopbackServer` on 127.0.0.1, HTTP/1.1 with keep-alive.

It owns only the wire: framing, size limits, methods, and turning `Endpoints` responses into
bytes. Whatever a client sends, it answers with a JSON body and a 4xx status, never a traceback
or a dropped connection; a request not read within `Limits.request_timeout` gets a JSON 408.
Bounding connections, closing idle ones, starting, stopping and closing open keep-alive
connections are `LoopbackServer`'s and `BackgroundService`'s (see `LocalTenant`).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from clientcreds.core.loopback import LoopbackHandler, LoopbackServer
from clientcreds.tenant import refusals
from clientcreds.tenant.config import Limits
from clientcreds.tenant.endpoints import Endpoints, Request, Response

log = logging.getLogger("clientcreds.tenant")

MAX_REQUEST_LINE = 8192
#: How much of an oversized or unframed body is read and thrown away before closing, so the
#: client sees the error response instead of a connection reset.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 5.0
#: How long the reply to a request not read in time waits for the client's last bytes.
TIMEOUT_LINGER = 0.5
_SINGLE_HEADERS = ("Content-Length", "Content-Type", "Authorization", "Transfer-Encoding")


class TenantServer(LoopbackServer):
    """The tenant's `LoopbackServer`: `TenantHandler` answering from `Endpoints`.

    Args:
        make_endpoints: Builds what answers the requests from the issuer URL, which is known
            once the port is bound.
        port: The port; 0 (the default) picks a free one.
        limits: The body size, connection and time limits (`Limits()` by default).
    """

    logger = log

    def __init__(
        self,
        make_endpoints: Callable[[str], Endpoints],
        port: int = 0,
        limits: Limits | None = None,
    ) -> None:
        limits = limits or Limits()
        self.max_body = limits.max_body
        self.max_connections = limits.max_connections
        self.idle_timeout = limits.idle_timeout
        self.request_timeout = limits.request_timeout
        super().__init__(TenantHandler, port)
        try:
            self.endpoints = make_endpoints(self.url + "/")
        except BaseException:
            self.server_close()
            raise


class TenantHandler(LoopbackHandler):
    """One connection: reads requests, frames bodies, writes JSON responses."""

    protocol_version = "HTTP/1.1"
    server_version = "clientcreds-tenant"
    sys_version = ""
    disable_nagle_algorithm = True
    server: TenantServer

    def handle_request_in_time(self) -> None:
        """Read one request and answer it (replaces the stdlib's ``do_METHOD`` dispatch)."""
        self.requestline, self.request_version, self.command = "", "HTTP/1.1", ""
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self.requestline, self.request_version, self.command = "", "HTTP/1.1", ""
                self._send_error_json(414, "Request line too long", linger=True)
                return
            if not self.parse_request():
                return
            self._respond()
        except ConnectionError:
            self.close_connection = True

    def request_timed_out(self) -> None:
        """Answer a request not read within the deadline with a JSON 408, then close."""
        error = refusals.request_timeout(self.server.request_timeout)
        with contextlib.suppress(OSError):  # the client is gone: nobody to answer
            self._send(Response.error(error), drain=DRAIN_BYTES, seconds=TIMEOUT_LINGER)

    def handle_expect_100(self) -> bool:
        """Defer ``100 Continue`` until the body's size has been checked."""
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer the stdlib's own refusals (bad request line, headers) with a JSON error.

        Its 505 for an unknown HTTP version becomes a 400: the client's fault is a 4xx here.
        """
        status = 400 if code >= 500 else code
        self._send_error_json(status, message or "Malformed request", linger=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Log to ``clientcreds.tenant`` at debug level, never to stderr."""
        log.debug("%s %s", self.address_string(), format % args)

    def _respond(self) -> None:
        for name in _SINGLE_HEADERS:
            if len(self.headers.get_all(name, [])) > 1:
                self._send_error_json(400, f"Duplicate header: {name}", linger=True)
                return
        if self.headers.get("Transfer-Encoding") is not None:
            self._send_error_json(
                411, "Transfer-Encoding is not supported: send Content-Length", linger=True
            )
            return
        body = self._read_body()
        if body is None:
            return
        path, _, query = self.path.partition("?")
        wanted = ("Content-Type", "Authorization")
        headers = {name: self.headers[name] for name in wanted if name in self.headers}
        request = Request(self.command, path, query, headers, body, self.client_address[0])
        self._send(self._answer(request))

    def _answer(self, request: Request) -> Response:
        try:
            return self.server.endpoints.handle(request)
        except Exception:
            # A bug, not a client error: record it so tests fail, and still answer in JSON.
            log.exception("tenant: internal error on %r", request)
            self.server.internal_errors.append(repr(request))
            return Response.json(500, {"error": "server_error", "error_description": "Internal"})

    def _read_body(self) -> bytes | None:
        raw = self.headers.get("Content-Length")
        if raw is None:
            self._continue_if_expected()
            return b""
        if not raw.strip().isdigit() or not raw.strip().isascii():
            self._send_error_json(400, "Malformed Content-Length", linger=True)
            return None
        length = int(raw)
        if length > self.server.max_body:
            self._send(Response.error(refusals.body_too_large(self.server.max_body)), drain=length)
            return None
        self._continue_if_expected()
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _continue_if_expected(self) -> None:
        if self.headers.get("Expect", "").lower() == "100-continue":
            self.send_response_only(100)
            self.end_headers()

    def _send_error_json(self, status: int, description: str, *, linger: bool) -> None:
        error = refusals.invalid_request(description, status=status, close=True)
        self._send(Response.error(error), drain=DRAIN_BYTES if linger else 0)

    def _send(self, response: Response, drain: int = 0, seconds: float = DRAIN_SECONDS) -> None:
        head = [f"{self.protocol_version} {response.status} {_reason(response.status)}"]
        head.append(f"Date: {self.date_time_string()}")
        head.append("Content-Type: application/json; charset=utf-8")
        head.append(f"Content-Length: {len(response.body)}")
        head += [f"{name}: {value}" for name, value in response.headers.items()]
        close = response.close or self.close_connection
        if close:
            head.append("Connection: close")
            self.close_connection = True
        payload = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if self.command != "HEAD":
            payload += response.body
        self.wfile.write(payload)
        self.log_request(response.status, len(response.body))
        if drain:
            self._linger(drain, seconds)

    def _linger(self, limit: int, seconds: float) -> None:
        """Half-close, then read and drop what the client still sends, so it gets our reply.

        Reads the socket itself, past the request deadline: at most `limit` bytes, for at most
        `seconds`, stopping once the client is quiet for half a second.
        """
        connection: socket.socket = self.connection
        try:
            connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + seconds
            while limit > 0 and (left := deadline - time.monotonic()) > 0:
                connection.settimeout(min(0.5, left))
                chunk = connection.recv(min(limit, 65536))
                if not chunk:
                    break
                limit -= len(chunk)
        except OSError:
            pass  # the client went away first: nothing left to protect
        self.close_connection = True


def _reason(status: int) -> str:
    return BaseHTTPRequestHandler.responses.get(status, ("Error",))[0]
