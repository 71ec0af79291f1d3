"""Hostile servers and hostile clients (issue 11): memory, wall time, parsing time.

In one run, against loopback servers:

- the peak of Python allocations (tracemalloc, every thread) of `fetch_token` against a
  normal answer, a 1 GiB answer and a gzip bomb (about 1 MB that inflates to 1 GiB);
  goal: within a few MB of the normal fetch;
- the wall time of `fetch_token(timeout=5)` against a server that sends one byte a second;
  goal: at most 6 s;
- the time `parse_token_response` takes on ``b"<" + b"<title>" * n`` of 112 KB, the input
  that made the old title regular expression quadratic; goal: under 10 ms;
- the embedded tenant's resident memory (its own process, ``clientcreds tenant``) before and
  after 10,000 token requests each claiming a unique 30 KB client id; goal: under +10 MB.

    .venv/bin/python benchmarks/hostile.py [--tenant-requests 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from clientcreds import TokenRequest, fetch_token
from clientcreds.core.loopback import BackgroundService, LoopbackServer
from clientcreds.exceptions import ClientCredsError
from clientcreds.response.token_response import html_title, parse_token_response

MIB = 1024 * 1024
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TOKEN = b'{"access_token": "header.payload.signature", "token_type": "Bearer"}'


def gzip_bomb(inflated: int) -> bytes:
    """A gzip token answer inflating to about `inflated` bytes, compressed 1 MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"token_type": "Bearer", "access_token": "')]
    chunk = b"a" * MIB
    parts += [packer.compress(chunk) for _ in range(inflated // MIB)]
    parts += [packer.compress(b'"}'), packer.flush()]
    return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    """``/normal``, ``/huge`` (1 GiB), ``/bomb`` (gzip) and ``/drip`` (one byte a second)."""

    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body, repeat, headers = TOKEN, 1, {"Content-Type": "application/json"}
        if self.path.startswith("/huge"):
            body, repeat = b"x" * MIB, 1024
        elif self.path.startswith("/bomb"):
            body, headers["Content-Encoding"] = self.server.bomb, "gzip"
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) * repeat))
        self.end_headers()
        try:
            if self.path.startswith("/drip"):
                for index in range(len(body)):
                    if self.server.stopping.wait(1.0):
                        return
                    self.wfile.write(body[index : index + 1])
            for _ in range(repeat):
                self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client stopped reading: the point


class Server(LoopbackServer):
    def __init__(self) -> None:
        self.bomb = gzip_bomb(1024 * MIB)
        self.stopping = threading.Event()
        super().__init__(Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class HostileServer(BackgroundService[Server]):
    service_name = "hostile server"

    def _create_server(self) -> Server:
        return Server()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stopping.set()
        super().stop()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._running().port}{path}"


def fetch(url: str, **options: Any) -> str:
    request = TokenRequest(token_url=url, client_id="bench", client_secret="s")
    try:
        return f"token of {len(fetch_token(request, retries=0, **options).access_token)} chars"
    except ClientCredsError as error:
        return f"{type(error).__name__}: {error}"


def peak_mib(action: Callable[[], str]) -> tuple[float, str]:
    tracemalloc.start()
    try:
        outcome = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / MIB, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tenant-requests", type=int, default=10_000)
    args = parser.parse_args()
    client_section()
    tenant_section(args.tenant_requests)


def client_section() -> None:
    with HostileServer() as server:
        print(f"gzip bomb: {len(server._running().bomb) / MIB:.2f} MiB inflating to 1 GiB")
        for case in ("normal", "huge", "bomb"):
            peak, outcome = peak_mib(functools.partial(fetch, server.url(f"/{case}")))
            print(f"peak memory, {case:6}: {peak:6.2f} MiB  ({outcome[:90]})")
        started = time.monotonic()
        outcome = fetch(server.url("/drip"), timeout=5)
        print(f"one byte a second, timeout=5: {time.monotonic() - started:.2f} s  ({outcome[:70]})")
    hostile = b"<" + b"<title>" * 16_000
    for name, search in (("title search", html_title), ("whole parse", parse)):
        times = []
        for _ in range(20):
            started = time.perf_counter()
            search(hostile)
            times.append(time.perf_counter() - started)
        print(f"{name} on {len(hostile) // 1000} KB of <title>: {min(times) * 1000:.2f} ms")


def tenant_section(requests: int) -> None:
    """RSS of a tenant process before and after `requests` unique 30 KB client ids."""
    command = [sys.executable, "-m", "clientcreds", "tenant", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as tenant:
        assert tenant.stdout is not None
        domain = tenant.stdout.readline().split(" listening on ", 1)[1].split()[0]
        host, port = domain.removeprefix("http://").split(":")
        before = rss_mib(tenant.pid)
        started = time.monotonic()
        statuses = flood(host, int(port), requests)
        after = rss_mib(tenant.pid)
        tenant.terminate()
    seconds = time.monotonic() - started
    print(
        f"tenant RSS, {requests} unique 30 KB client ids in {seconds:.1f} s: "
        f"{before:.1f} -> {after:.1f} MiB ({after - before:+.1f} MiB); answers {statuses}"
    )


def flood(host: str, port: int, requests: int) -> dict[int, int]:
    """Token requests on one keep-alive connection, each naming a new 30 KB client id."""
    statuses: dict[int, int] = {}
    connection = http.client.HTTPConnection(host, port, timeout=10)
    padding = "x" * 30_000
    for number in range(requests):
        body = f"grant_type=client_credentials&client_id={number}{padding}&client_secret=s"
        try:
            connection.request("POST", "/oauth/token", body, FORM)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=10)
            continue
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    return statuses


def rss_mib(pid: int) -> float:
    """A process's resident set size, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def parse(body: bytes) -> None:
    """`parse_token_response` on an HTML 502, which looks for the page's title."""
    with contextlib.suppress(ClientCredsError):
        parse_token_response(502, {}, body)


if __name__ == "__main__":
    main()
