"""One loopback HTTP server and one way to run it in the background.

`LoopbackServer` is a stdlib `ThreadingHTTPServer` bound to 127.0.0.1 that remembers its open
connections, so closing it also closes the keep-alive connections clients left open and joins
every request thread. `BackgroundService` gives a class that owns such a server `start`,
`stop` (alias `close`) and the context-manager protocol; the server is served from a daemon
thread, and every running service is stopped at interpreter exit, so one that is never closed
neither leaks its port until the end nor keeps the process alive.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import socket
import threading
import weakref
from collections.abc import Callable
from http.server import ThreadingHTTPServer
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

    def __init__(self, handler: type[BaseRequestHandler], port: int = 0) -> None:
        self.internal_errors: list[str] = []
        self._connections: set[socket.socket] = set()
        self._request_threads: list[threading.Thread] = []
        self._lock = threading.Lock()
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
        """Handle the connection in a thread; track both so `server_close` can end them."""
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

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

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
