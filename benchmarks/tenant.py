"""Tokens per second: the embedded tenant against panva's oidc-provider, side by side.

Both servers run in their own process on 127.0.0.1 and get the same load: `--clients`
processes, each with one keep-alive connection, posting client-credentials requests
(``client_secret_post``, form body, RS256 JWT access tokens with a 24 h lifetime) for
`--seconds` after a warm-up. Every response must be a 200 with a JWT; anything else is counted
as an error. oidc-provider is skipped, with a message, when node or its npm install is missing::

    (cd benchmarks/node && npm ci)     # once
    .venv/bin/python benchmarks/tenant.py [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

NODE_DIR = Path(__file__).parent / "node"
AUDIENCE = "https://demo-api.clientcreds.local/"
SCOPE = "read:demo write:demo"


@dataclass(frozen=True)
class Target:
    """A server under test: where to post and what to send."""

    name: str
    port: int
    path: str
    body: bytes


@dataclass(frozen=True)
class Result:
    """One run's outcome."""

    name: str
    tokens: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.tokens / self.seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[str], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


#: Ours, run twice: the default Auth0 profile (a token signed a moment ago for identical claims is
#: reused, see `clientcreds.tenant.signing.sign`), and the RFC 9068 profile, whose unique ``jti``
#: means every token is signed, as oidc-provider does.
BENCH_CONFIG = {
    "limits": {"burst": 10**9, "per_second": 10**9},
    "apis": [{"identifier": "https://bench-9068.clientcreds.local/", "profile": "rfc9068"}],
    "grants": [
        {
            "client_id": "demo-m2m-app",
            "audience": "https://bench-9068.clientcreds.local/",
        }
    ],
}


@contextlib.contextmanager
def ours(audience: str, name: str) -> Iterator[Target]:
    """``clientcreds tenant`` in its own process, rate limits raised out of the way."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "bench.json"
        config.write_text(json.dumps(BENCH_CONFIG))
        cmd = [sys.executable, "-m", "clientcreds", "tenant", "--port", str(port)]
        proc = subprocess.Popen(
            [*cmd, "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            exports: dict[str, str] = {}
            while len(exports) < 4:
                line = proc.stdout.readline()
                if not line:
                    raise RuntimeError("clientcreds tenant exited early")
                if line.startswith("export "):
                    var, _, value = line.removeprefix("export ").strip().partition("=")
                    exports[var] = value.strip("'")
            wait_ready(port, proc)
            form = {
                "grant_type": "client_credentials",
                "client_id": exports["AUTH0_CLIENT_ID"],
                "client_secret": exports["AUTH0_CLIENT_SECRET"],
                "audience": audience,
            }
            if audience == exports["AUTH0_AUDIENCE"]:
                form["scope"] = SCOPE
            yield Target(name, port, "/oauth/token", urlencode(form).encode())
        finally:
            stop(proc)


@contextlib.contextmanager
def oidc_provider() -> Iterator[Target | str]:
    """panva's oidc-provider under node, or a message saying why it cannot run."""
    node = shutil.which("node")
    if node is None:
        yield "node is not installed"
        return
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        yield f"oidc-provider is not installed: run 'npm ci' in {NODE_DIR}"
        return
    port, secret = free_port(), os.urandom(24).hex()
    script = str(NODE_DIR / "oidc_provider_server.mjs")
    proc = subprocess.Popen(
        [node, script, str(port), "bench-client", secret, AUDIENCE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_ready(port, proc)
        form = {
            "grant_type": "client_credentials",
            "client_id": "bench-client",
            "client_secret": secret,
            "resource": AUDIENCE,
            "scope": SCOPE,
        }
        yield Target("oidc-provider", port, "/token", urlencode(form).encode())
    finally:
        stop(proc)


def load(target: Target, until: float, start: float) -> tuple[int, int]:
    """One client: a keep-alive connection posting until `until`; counts from `start`."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
    tokens = errors = 0
    try:
        while (now := time.monotonic()) < until:
            conn.request("POST", target.path, target.body, headers)
            response = conn.getresponse()
            data = response.read()
            if now < start:
                continue
            if response.status == 200 and json.loads(data)["access_token"].count(".") == 2:
                tokens += 1
            else:
                errors += 1
    finally:
        conn.close()
    return tokens, errors


def run(target: Target, clients: int, seconds: float, warmup: float) -> Result:
    start = time.monotonic() + warmup
    until = start + seconds
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        # Pool start-up time eats into the warm-up, not the measured window.
        outcomes = pool.starmap(load, [(target, until, start)] * clients)
    return Result(
        target.name,
        sum(t for t, _ in outcomes),
        sum(e for _, e in outcomes),
        seconds,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per server")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured time first")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {args.clients} keep-alive clients, {args.seconds:g} s each")
    results: list[Result] = []
    for audience, name in (
        (AUDIENCE, "clientcreds (auth0)"),
        (BENCH_CONFIG["apis"][0]["identifier"], "clientcreds (9068)"),  # type: ignore[index]
    ):
        with ours(str(audience), name) as target:
            results.append(run(target, args.clients, args.seconds, args.warmup))
    with oidc_provider() as peer:
        if isinstance(peer, str):
            print(f"oidc-provider skipped: {peer}")
        else:
            results.append(run(peer, args.clients, args.seconds, args.warmup))
    for result in results:
        print(
            f"{result.name:<20} {result.per_second:>9.0f} tokens/s "
            f"({result.tokens} tokens, {result.errors} errors)"
        )
    last = results[-1]
    if last.name == "oidc-provider" and last.per_second:
        for result in results[:-1]:
            print(
                f"ratio {result.name} / oidc-provider: {result.per_second / last.per_second:.2f}x"
            )
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
