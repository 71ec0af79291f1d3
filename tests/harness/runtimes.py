"""One executor per runtime: each runs standalone snippets for real and reports what happened.

Snippets run in batches (one interpreter per batch for Python and Node, one shell process per
snippet, which is cheap) to keep the suite fast without making any snippet less standalone.
Every job gets an empty working directory (also its ``HOME``) so a test can check it stays
empty, and an environment with no ``AUTH0_*`` variable except those the job sets.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DRIVERS = Path(__file__).parent / "drivers"
REQUIRE_ALL = os.environ.get("CLIENTCREDS_REQUIRE_ALL") == "1"
MIN_CURL = (8, 3)


@dataclass
class Job:
    """One snippet to run, with what its environment should add."""

    code: str
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What running a job gave: its output, or the error that stopped it.

    Jobs run as their own process also report their stderr and exit status; jobs run by a
    batch driver leave them empty and None.
    """

    stdout: str
    error: str | None
    stderr: str = ""
    exit_status: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Runner = Callable[[Sequence[Job]], list[Outcome]]


def require(command: str, install_hint: str) -> str:
    """The path of `command`, or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) if missing."""
    path = shutil.which(command)
    if path is None:
        missing(f"{command} is not installed: {install_hint}")
    assert path is not None
    return path


def missing(message: str) -> None:
    """Skip locally, fail in CI: a runtime-dependent test may never silently not run there."""
    if REQUIRE_ALL:
        pytest.fail(f"{message} (CLIENTCREDS_REQUIRE_ALL=1 forbids skipping)")
    pytest.skip(message)


def job_env(extra: dict[str, str], home: Path) -> dict[str, str]:
    """The inherited environment without ``AUTH0_*``, plus `extra`, with HOME set to `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    env.update(HOME=str(home), LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def shell_runner(shell: str) -> Runner:
    """Run each snippet with ``SHELL -c`` (curl needs >= 8.3 for ``--variable``)."""
    path = require(shell, "apt-get install bash dash")
    curl = require("curl", "apt-get install curl (8.3 or newer)")
    version = subprocess.run([curl, "--version"], capture_output=True, text=True, check=True)
    found = tuple(int(n) for n in re.findall(r"curl (\d+)\.(\d+)", version.stdout)[0])
    if found < MIN_CURL:
        missing(f"curl {'.'.join(map(str, found))} is older than 8.3: install a newer curl")
    return _process_runner([path, "-c"])


def _process_runner(command: Sequence[str]) -> Runner:
    """Run each job as its own process: `command` followed by the snippet's code."""

    def run_one(job: Job) -> Outcome:
        done = subprocess.run(
            [*command, job.code],
            cwd=job.cwd,
            env=job_env(job.env, job.cwd),
            capture_output=True,
            timeout=30,
            check=False,
        )
        stderr = done.stderr.decode("utf-8", "replace")
        error = None if done.returncode == 0 else f"exit {done.returncode}: {stderr!r}"
        return Outcome(done.stdout.decode("utf-8", "replace"), error, stderr, done.returncode)

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(run_one, jobs))

    return run


def _batch_runner(command: Sequence[str]) -> Runner:
    """Hand a batch of jobs to a driver program that runs them one by one, in one process."""

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="driver-") as scratch:
            results_path = Path(scratch) / "results.json"
            payload = [
                {"code": job.code, "cwd": str(job.cwd), "env": {"HOME": str(job.cwd), **job.env}}
                for job in jobs
            ]
            done = subprocess.run(
                [*command, str(results_path)],
                input=json.dumps(payload).encode(),
                cwd=scratch,
                env=job_env({}, Path(scratch)),
                capture_output=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, f"driver failed: {done.stderr.decode(errors='replace')}"
            results = json.loads(results_path.read_text(encoding="utf-8"))
        return [Outcome(r["stdout"], r["error"]) for r in results]

    return run


def python_runner() -> Runner:
    """CPython with requests, the interpreter running the tests."""
    return _batch_runner([sys.executable, str(DRIVERS / "run_python.py")])


def python_process_runner() -> Runner:
    """CPython with requests, one ``python -c`` process per snippet: real exits and stderr."""
    return _process_runner([sys.executable, "-c"])


def node_runner() -> Runner:
    """Node 18+ with its built-in fetch."""
    return _batch_runner([_node(), "--no-warnings", str(DRIVERS / "run_node.mjs")])


def node_process_runner() -> Runner:
    """Node 18+, one process per snippet run as an ES module: real exits and stderr."""
    return _process_runner([_node(), "--no-warnings", "--input-type=module", "--eval"])


def _node() -> str:
    node = require("node", "apt-get install nodejs (18 or newer)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 18:
        missing(f"node {version.stdout.strip()} has no fetch: install Node 18 or newer")
    return node


_REQUEST_LINE = re.compile(r"^POST (/[!-~]*) HTTP/1\.1$")
_HEADER = re.compile(r"^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)$")


def http_runner() -> Runner:
    """Send the raw message over a socket, after checking it is valid HTTP/1.1.

    The snippet shows LF line ends; on the wire the head's lines end in CRLF.
    """

    def run_one(job: Job) -> Outcome:
        try:
            message = wire_bytes(job.code)
        except ValueError as exc:
            return Outcome("", f"invalid HTTP/1.1 message: {exc}")
        host, port = _host_port(job.code)
        with socket.create_connection((host, port), timeout=10) as conn:
            conn.sendall(message)
            response = b""
            while True:
                head, _, body = response.partition(b"\r\n\r\n")
                length = re.search(rb"(?i)content-length: *(\d+)", head)
                if length and len(body) >= int(length[1]):
                    break
                chunk = conn.recv(65536)
                if not chunk:
                    break
                response += chunk
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        error = None if " 200 " in status else f"status {status!r}"
        return Outcome(body.decode("utf-8", "replace"), error)

    return lambda jobs: [run_one(job) for job in jobs]


def wire_bytes(message: str) -> bytes:
    """Check a displayed HTTP/1.1 request and return its bytes on the wire."""
    head, sep, body = message.partition("\n\n")
    if not sep:
        raise ValueError("no blank line between head and body")
    request_line, *header_lines = head.split("\n")
    if not _REQUEST_LINE.match(request_line):
        raise ValueError(f"bad request line {request_line!r}")
    headers = []
    for line in header_lines:
        matched = _HEADER.match(line)
        if not matched:
            raise ValueError(f"bad header line {line!r}")
        headers.append((matched[1].lower(), matched[2]))
    names = [name for name, _ in headers]
    if names.count("host") != 1 or names.count("content-length") != 1:
        raise ValueError("needs exactly one Host and one Content-Length")
    encoded = body.encode("utf-8")
    if int(dict(headers)["content-length"]) != len(encoded):
        raise ValueError(f"Content-Length is not the body's {len(encoded)} bytes")
    return head.replace("\n", "\r\n").encode("ascii") + b"\r\n\r\n" + encoded


def _host_port(message: str) -> tuple[str, int]:
    host = next(line[6:] for line in message.split("\n") if line.lower().startswith("host: "))
    name, _, port = host.rpartition(":")
    return name.strip("[]"), int(port)
