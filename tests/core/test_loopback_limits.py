"""`LoopbackServer`'s own bounds, for any handler: connections at once, and idle connections."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from clientcreds.core.loopback import LOOPBACK, BackgroundService, LoopbackServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Small(LoopbackServer):
    max_connections = 4
    idle_timeout = 1.0


class _Service(BackgroundService[_Small]):
    def _create_server(self) -> _Small:
        return _Small(_Handler)


@pytest.fixture
def server() -> Iterator[_Small]:
    before = set(threading.enumerate())
    with _Service() as running:
        yield running._running()
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []


def test_connections_beyond_the_bound_wait_and_are_then_served(server: _Small) -> None:
    silent = [socket.create_connection((LOOPBACK, server.port), timeout=10) for _ in range(12)]
    try:
        time.sleep(0.3)
        assert len(server._connections) <= server.max_connections
        connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=30)
        connection.request("GET", "/")
        assert connection.getresponse().status == 204  # served once silent ones time out
        connection.close()
    finally:
        for sock in silent:
            sock.close()


def test_a_silent_connection_is_closed_after_the_idle_timeout(server: _Small) -> None:
    with socket.create_connection((LOOPBACK, server.port), timeout=10) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""
        assert time.monotonic() - started < server.idle_timeout + 4.0


def test_stop_while_connections_wait_for_a_slot() -> None:
    service = _Service().start()
    port = service._running().port
    silent = [socket.create_connection((LOOPBACK, port), timeout=10) for _ in range(8)]
    try:
        time.sleep(0.2)
        started = time.monotonic()
        service.stop()
        assert time.monotonic() - started < 2.0
    finally:
        for sock in silent:
            sock.close()
