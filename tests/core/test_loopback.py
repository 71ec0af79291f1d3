"""`LoopbackServer` and `BackgroundService`: stop is final and idempotent, nothing blocks exit."""

from __future__ import annotations

import atexit
import http.client
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from clientcreds.core.loopback import LOOPBACK, BackgroundService, LoopbackServer

#: Seconds a script that never closes its servers may take to exit (imports included).
EXIT_WITHIN = 20.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connections stay open between requests

    def do_GET(self) -> None:
        if self.path == "/fail":
            raise RuntimeError("a bug in the handler")
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Service(BackgroundService[LoopbackServer]):
    service_name = "test service"

    def _create_server(self) -> LoopbackServer:
        return LoopbackServer(_Handler)


@pytest.fixture
def service() -> Iterator[_Service]:
    """A running service, stopped afterwards; no thread of it may be left."""
    before = set(threading.enumerate())
    with _Service() as running:
        yield running
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []


def get(port: int, path: str = "/") -> http.client.HTTPConnection:
    """A connection to 127.0.0.1:`port` after one ``GET`` on it, left open."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    connection.request("GET", path)
    assert connection.getresponse().status == 204
    return connection


def test_serves_on_loopback_until_stopped_then_refuses_connections(service: _Service) -> None:
    port = service._running().port
    assert service._running().server_address[0] == LOOPBACK
    get(port).close()
    service.stop()
    assert not service.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((LOOPBACK, port), timeout=5)


def test_stop_and_close_are_idempotent(service: _Service) -> None:
    service.stop()
    service.stop()
    service.close()
    assert not service.running
    with pytest.raises(RuntimeError, match="test service is not running"):
        service._running()


def test_starting_twice_is_an_error_and_a_stopped_service_restarts(service: _Service) -> None:
    with pytest.raises(RuntimeError, match="test service is already running"):
        service.start()
    service.stop()
    assert service.start() is service
    get(service._running().port).close()


def test_stop_closes_open_keep_alive_connections_and_joins_their_threads() -> None:
    before = set(threading.enumerate())
    service = _Service().start()
    connection = get(service._running().port)
    started = time.monotonic()
    service.stop()
    assert time.monotonic() - started < 3
    assert [t for t in threading.enumerate() if t not in before] == []
    connection.close()


def test_start_registers_for_exit_and_stop_unregisters(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[Callable[[], None]] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(atexit, "unregister", registered.remove)
    service = _Service().start()
    (at_exit,) = registered
    at_exit()  # what the interpreter does at exit
    assert not service.running
    assert registered == []
    at_exit()  # a service gone or stopped is left alone


def test_an_error_escaping_a_handler_is_recorded_and_logged(
    service: _Service, caplog: pytest.LogCaptureFixture
) -> None:
    connection = http.client.HTTPConnection(LOOPBACK, service._running().port, timeout=10)
    connection.request("GET", "/fail")
    with pytest.raises(ConnectionResetError):  # RemoteDisconnected is one
        connection.getresponse()
    connection.close()
    server = service._running()
    service.stop()  # joins the handler's thread: its error is recorded by now
    assert server.internal_errors == ["unhandled error in connection handler"]
    assert "a bug in the handler" in caplog.text


def run_script(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh Python, with no ``AUTH0_*`` variables; fail if it does not exit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            env=env,
            timeout=EXIT_WITHIN,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the script did not exit within {EXIT_WITHIN} s")


def test_a_tenant_never_stopped_is_stopped_at_exit() -> None:
    done = run_script(
        """
        import atexit, http.client
        from clientcreds import LocalTenant

        tenant = LocalTenant()
        atexit.register(lambda: print("running at exit:", tenant.running))  # runs last
        tenant.start()
        connection = http.client.HTTPConnection("127.0.0.1", tenant.port, timeout=10)
        connection.request("GET", "/.well-known/jwks.json")
        print(connection.getresponse().status)  # and the keep-alive connection stays open
        """
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split("\n") == ["200", "running at exit: False", ""]


def test_an_explorer_never_closed_lets_the_script_exit() -> None:
    done = run_script(
        """
        import urllib.request
        from clientcreds.explorer import Explorer

        app = Explorer()
        with urllib.request.urlopen(app.defaults.domain + "/.well-known/jwks.json") as answer:
            print(answer.status, app.defaults.api_url.startswith("http://127.0.0.1:"))
        """
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "200 True\n"
