"""One loopback HTTP server and one way to run it in the background.

`LoopbackServer` is a stdlib `ThreadingHTTPServer` bound to 127.0.0.1 that remembers its open
connections, so closing it also closes the keep-alive connections clients left open and joins
every request thread. It serves at most `max_connections` connections at once (one thread
each): when all are taken, the longest-idle keep-alive connection is closed to make room, and
otherwise new connections wait in the listen backlog. A connection silent for `idle_timeout`
seconds is closed. `LoopbackHandler` adds, per request, a wait of at most `idle_timeout` for it
to start and a total deadline of `request_timeout` seconds to read it.

`BackgroundService` gives a class that owns such a server `start`, `stop` (alias `close`) and
the context-manager protocol; the server is served from a daemon thread, and every running
service is stopped at interpreter exit, so one that is never closed neither leaks its port until
the end nor keeps the process alive.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import logging
import math
import socket
import threading
import time
import weakref
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import BaseRequestHandler
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

LOOPBACK = "127.0.0.1"
#: How often the serve loop checks for `shutdown`, in seconds: the longest `stop` waits for it.
POLL_INTERVAL = 0.05

_log = logging.getLogger(__name__)


class LoopbackServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1 that closes without leaving threads or connections.

    Request threads are daemon threads, and `server_close` (what `BackgroundService.stop`
    ends with) shuts down every open connection, then joins them: the stdlib joins only
    non-daemon threads.

    Args:
        handler: The request handler class.
        port: The port; 0 (the default) picks a free one.

    Attributes:
        internal_errors: One entry per exception that escaped a handler (tests assert there
            are none).
    """

    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when many clients start at once.
    request_queue_size = 128
    #: Where `handle_error` logs.
    logger: ClassVar[logging.Logger] = _log
    #: Connections (and request threads) served at once; more wait in the listen backlog.
    max_connections: int = 128
    #: Seconds a connection may stay silent (between requests, or mid-read) before it is closed.
    idle_timeout: float = 30.0
    #: Seconds a `LoopbackHandler` may take to read one request, from its first byte.
    request_timeout: float = 30.0

    def __init__(self, handler: type[BaseRequestHandler], port: int = 0) -> None:
        self.internal_errors: list[str] = []
        self._connections: set[socket.socket] = set()
        self._idle: dict[socket.socket, float] = {}
        self._request_threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._slot_freed = threading.Condition(self._lock)
        self._closing = False
        super().__init__((LOOPBACK, port), handler)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{LOOPBACK}:{self.port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Handle the connection in a thread; track both so `server_close` can end them.

        When `max_connections` are open, the longest-idle one is closed to make room; if none is
        idle, this waits (and the listen backlog holds new connections) until one ends.
        """
        if not self._wait_for_slot():
            super().shutdown_request(request)
            return
        request.settimeout(self.idle_timeout)
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            daemon=self.daemon_threads,
        )
        with self._lock:
            self._connections.add(request)
            self._request_threads = [t for t in self._request_threads if t.is_alive()]
            self._request_threads.append(thread)
        thread.start()

    def _wait_for_slot(self) -> bool:
        """Wait until fewer than `max_connections` are open; False if the server is closing."""
        with self._lock:
            while len(self._connections) >= self.max_connections and not self._closing:
                if self._idle:
                    oldest = min(self._idle, key=self._idle.__getitem__)
                    del self._idle[oldest]
                    with contextlib.suppress(OSError):  # its handler sees EOF and ends
                        oldest.shutdown(socket.SHUT_RDWR)
                self._slot_freed.wait(POLL_INTERVAL)
            return not self._closing

    def set_idle(self, connection: socket.socket, idle: bool) -> None:
        """Mark `connection` idle (waiting for a request: closable to make room) or busy."""
        with self._lock:
            if idle and connection in self._connections:
                self._idle[connection] = time.monotonic()
            else:
                self._idle.pop(connection, None)

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._lock:
            self._connections.discard(request)
            self._idle.pop(request, None)
            self._slot_freed.notify_all()
        super().shutdown_request(request)

    def shutdown(self) -> None:
        """Stop the serve loop, also while it waits for a free connection slot."""
        with self._lock:
            self._closing = True
            self._slot_freed.notify_all()
        super().shutdown()

    def server_close(self) -> None:
        """Close the listening socket and every open connection, and join the request threads."""
        with self._lock:
            connections, threads = list(self._connections), list(self._request_threads)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)
        super().server_close()
        for thread in threads:
            thread.join()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log an exception that escaped a handler and record it in `internal_errors`."""
        self.logger.exception("unhandled error serving %s", client_address)
        self.internal_errors.append("unhandled error in connection handler")


class LoopbackHandler(BaseHTTPRequestHandler):
    """A request handler for `LoopbackServer` that bounds each request in time.

    Between requests the connection is idle: it waits at most the server's `idle_timeout`
    for the next request to start, and may be closed meanwhile to make room for a new
    connection. From a request's first byte, reading it (request line, headers and body)
    must finish within the server's `request_timeout`, however slowly the bytes drip in; past
    that, `request_timed_out` is called (by default the connection is closed without an answer).
    """

    server: LoopbackServer
    #: When the current read must be done (`time.monotonic`); infinite while answering.
    read_deadline: float = math.inf

    def setup(self) -> None:
        """Read through a deadline: every read fails with `TimeoutError` once it has passed."""
        super().setup()
        self.rfile.close()  # the stdlib's reader, replaced (the socket stays open)
        self._reader = io.BufferedReader(_DeadlineReader(self))
        self.rfile = self._reader

    def handle_one_request(self) -> None:
        """Wait for the next request, then read and answer it within the request deadline."""
        if not self.wait_for_request():
            self.close_connection = True
            return
        self.read_deadline = time.monotonic() + self.server.request_timeout
        try:
            self.handle_request_in_time()
        except TimeoutError:
            self.close_connection = True
            self.request_timed_out()
        finally:
            self.read_deadline = math.inf

    def handle_request_in_time(self) -> None:
        """Read and answer one request (the stdlib's; a subclass may replace it)."""
        super().handle_one_request()

    def wait_for_request(self) -> bool:
        """Wait up to `idle_timeout` for a request's first byte; False on silence or EOF."""
        self.server.set_idle(self.connection, True)
        self.read_deadline = time.monotonic() + self.server.idle_timeout
        try:
            return bool(self._reader.peek(1))
        except OSError:  # TimeoutError, or the connection was closed to make room
            return False
        finally:
            self.server.set_idle(self.connection, False)

    def request_timed_out(self) -> None:
        """Called when a request was not read in time; the connection is closed after it."""


class _DeadlineReader(io.RawIOBase):
    """The connection's reads, each failing with `TimeoutError` past the handler's deadline."""

    def __init__(self, handler: LoopbackHandler) -> None:
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        handler = self._handler
        remaining = handler.read_deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request not read in time")
        connection: socket.socket = handler.connection
        connection.settimeout(min(remaining, handler.server.idle_timeout))
        try:
            return connection.recv_into(buffer)
        finally:
            with contextlib.suppress(OSError):  # closed meanwhile
                connection.settimeout(handler.server.idle_timeout)


ServerT = TypeVar("ServerT", bound=LoopbackServer)
ServiceT = TypeVar("ServiceT", bound="BackgroundService[Any]")


class BackgroundService(Generic[ServerT]):
    """Start and stop for a class that owns a `LoopbackServer`: `start`/`stop`, or ``with``.

    A subclass implements `_create_server` and names itself in `service_name` (for errors).
    `start` serves from a daemon thread and registers the service to be stopped at
    interpreter exit (through a weak reference, removed again by `stop`), so a service that is
    never stopped neither blocks the exit nor is cut off mid-answer.
    """

    service_name: ClassVar[str] = "server"
    _server: ServerT | None = None
    _serve_thread: threading.Thread | None = None
    _at_exit: Callable[[], None] | None = None

    def _create_server(self) -> ServerT:
        """Create and bind the server `start` serves (it binds on creation)."""
        raise NotImplementedError

    def start(self: ServiceT) -> ServiceT:
        """Bind 127.0.0.1 and serve in a background thread.

        Returns:
            The service itself, for chaining.

        Raises:
            RuntimeError: if it is already running.
            OSError: if the port cannot be bound.
        """
        if self._server is not None:
            raise RuntimeError(f"the {self.service_name} is already running")
        server = self._create_server()
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name=f"clientcreds-{self.service_name}",
            daemon=True,
        )
        thread.start()
        self._server, self._serve_thread = server, thread
        self._at_exit = functools.partial(_stop_if_alive, weakref.ref(self))
        atexit.register(self._at_exit)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and join every thread (idempotent)."""
        server, thread, at_exit = self._server, self._serve_thread, self._at_exit
        self._server = self._serve_thread = self._at_exit = None
        if at_exit is not None:
            atexit.unregister(at_exit)
        if server is None:
            return
        server.shutdown()
        if thread is not None:
            thread.join()
        server.server_close()

    def close(self) -> None:
        """The same as `stop`."""
        self.stop()

    def __enter__(self: ServiceT) -> ServiceT:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    def _running(self) -> ServerT:
        """The running server.

        Raises:
            RuntimeError: if it is not running.
        """
        if self._server is None:
            raise RuntimeError(
                f"the {self.service_name} is not running: call start() or use it in a with block"
            )
        return self._server


def _stop_if_alive(service: weakref.ref[BackgroundService[Any]]) -> None:
    """Stop `service` at interpreter exit, unless it is already gone."""
    alive = service()
    if alive is not None:
        alive.stop()
