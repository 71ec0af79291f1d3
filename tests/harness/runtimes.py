"""One executor per runtime: each runs standalone snippets for real and reports what happened.

Snippets run in batches (one interpreter per batch for Python and Node, one shell process per
snippet, which is cheap) to keep the suite fast without making any snippet less standalone.
Every job gets an empty working directory (also its ``HOME``) so a test can check it stays
empty, and an environment with no ``AUTH0_*`` variable except those the job sets. Each runner
follows the target's `Recipe`: the snippet is saved there under ``recipe.filename``, run the way
``recipe.command`` says, and removed after, so what users are told is what the tests run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clientcreds import get_target
from clientcreds.snippets.target import Recipe
from tests.harness.tls_front import TlsFront, self_signed_context

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


def recipe_of(target: str) -> Recipe:
    """The run recipe a target tells users; every runner follows it."""
    recipe = get_target(target).recipe
    assert recipe is not None, f"{target} has no Recipe: say how users run its snippets"
    return recipe


def save_recipe_files(job: Job, recipe: Recipe) -> list[Path]:
    """Save the snippet as ``recipe.filename`` (and ``recipe.files``) in the job's directory.

    Returns:
        The paths written, for `remove_files` once the job has run: the test then checks the
        snippet itself left the directory empty.
    """
    written = []
    for name, content in ((recipe.filename, job.code), *recipe.files):
        path = job.cwd / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def remove_files(paths: Sequence[Path]) -> None:
    """Remove what `save_recipe_files` wrote."""
    for path in paths:
        path.unlink(missing_ok=True)


def recipe_command(recipe: Recipe, words: dict[str, str]) -> str:
    """``recipe.command`` with whole words replaced, e.g. ``python3`` by this interpreter.

    Raises:
        AssertionError: if a word to replace is not in the command (the recipe changed).
    """
    command = shlex.split(recipe.command, posix=False)
    missing_words = set(words) - set(command)
    assert not missing_words, f"{recipe.command!r} has no {missing_words}"
    return " ".join(shlex.quote(words[w]) if w in words else w for w in command)


def recipe_runner(recipe: Recipe, words: dict[str, str]) -> Runner:
    """Run each job as users would: save it under the recipe's file name, run its command.

    The command (with `words` replaced, see `recipe_command`) runs under ``/bin/sh -c`` in the
    job's directory, one process per job, so exits and stderr are the runtime's own.
    """
    return _process_runner(["/bin/sh", "-c", recipe_command(recipe, words)], recipe)


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
    """Run each curl snippet as its recipe says, with `shell` as ``sh``.

    curl needs 8.3 or newer for ``--variable``.
    """
    path = require(shell, "apt-get install bash dash")
    curl = require("curl", "apt-get install curl (8.3 or newer)")
    version = subprocess.run([curl, "--version"], capture_output=True, text=True, check=True)
    found = tuple(int(n) for n in re.findall(r"curl (\d+)\.(\d+)", version.stdout)[0])
    if found < MIN_CURL:
        missing(f"curl {'.'.join(map(str, found))} is older than 8.3: install a newer curl")
    return recipe_runner(recipe_of("curl"), {"sh": path})


def run_process(command: Sequence[str], job: Job, timeout: float = 30) -> Outcome:
    """Run `command` in the job's directory with the job's environment: its own exit status,
    stdout and stderr."""
    done = subprocess.run(
        command,
        cwd=job.cwd,
        env=job_env(job.env, job.cwd),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    error = None if done.returncode == 0 else f"exit {done.returncode}: {stderr!r}"
    return Outcome(done.stdout.decode("utf-8", "replace"), error, stderr, done.returncode)


def run_each(run_one: Callable[[Job], Outcome], jobs: Sequence[Job]) -> list[Outcome]:
    """`run_one` for every job, four at a time (the jobs wait on the network, not the CPU)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(run_one, jobs))


def _process_runner(command: Sequence[str], recipe: Recipe | None = None) -> Runner:
    """Run each job as its own process: `command`, then the snippet's code unless `recipe`
    says which file to save it in (`command` then runs that file)."""

    def run_one(job: Job) -> Outcome:
        saved = save_recipe_files(job, recipe) if recipe else []
        try:
            return run_process([*command] if recipe else [*command, job.code], job)
        finally:
            remove_files(saved)

    return lambda jobs: run_each(run_one, jobs)


def driver_runner(command: Sequence[str], filename: str | None = None) -> Runner:
    """Hand a batch of jobs to a driver program that runs them one by one, in one process.

    With `filename`, the driver saves each snippet under that name in the job's directory and
    runs the file (removing it after), as the target's recipe tells users to.
    """

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="driver-") as scratch:
            results_path = Path(scratch) / "results.json"
            payload = [
                {
                    "code": job.code,
                    "cwd": str(job.cwd),
                    "env": {"HOME": str(job.cwd), **job.env},
                    "file": filename,
                }
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
    """CPython with requests, the interpreter running the tests, running each saved file."""
    filename = recipe_of("python-requests").filename
    return driver_runner([sys.executable, str(DRIVERS / "run_python.py")], filename)


def python_process_runner() -> Runner:
    """CPython with requests, one process per snippet as its recipe says: real exits, stderr."""
    return recipe_runner(recipe_of("python-requests"), {"python3": sys.executable})


def node_runner() -> Runner:
    """Node 18+ with its built-in fetch, importing each saved file as an ES module."""
    filename = recipe_of("javascript-fetch").filename
    return driver_runner([node(), "--no-warnings", str(DRIVERS / "run_node.mjs")], filename)


def node_process_runner() -> Runner:
    """Node 18+, one process per snippet as its recipe says: real exits and stderr."""
    return recipe_runner(recipe_of("javascript-fetch"), {"node": node()})


def node() -> str:
    """The ``node`` command, 18 or newer, or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``)."""
    node = require("node", "apt-get install nodejs (18 or newer)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 18:
        missing(f"node {version.stdout.strip()} has no fetch: install Node 18 or newer")
    return node


#: The front's certificate is a throwaway, so openssl need not load the CA store (130 ms a run);
#: it warns that it cannot verify the certificate and goes on, as it would anyway.
_NO_CA_STORE = {"SSL_CERT_FILE": os.devnull, "SSL_CERT_DIR": os.devnull}
_REQUEST_LINE = re.compile(r"^[A-Z]+ (/[!-~]*) HTTP/1\.1$")
_HEADER = re.compile(r"^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)$")


def http_runner() -> Runner:
    """Run each message as the ``http`` recipe says: ``openssl s_client -quiet -crlf``.

    The message is first checked to be valid HTTP/1.1 (`wire_bytes`). openssl connects over TLS
    to a `TlsFront` standing in for the Host line's server (HOST:PORT in the recipe), which
    relays to the plain-HTTP capture server. The outcome's stdout is the answer's body.
    """
    openssl = require("openssl", "apt-get install openssl")
    context = self_signed_context(openssl)
    recipe = recipe_of("http")

    def run_one(job: Job) -> Outcome:
        try:
            wire_bytes(job.code)
        except ValueError as exc:
            return Outcome("", f"invalid HTTP/1.1 message: {exc}")
        with TlsFront(context, _host_port(job.code)) as front:
            words = {"openssl": openssl, "HOST:PORT": f"127.0.0.1:{front.port}"}
            quick = Job(job.code, job.cwd, {**job.env, **_NO_CA_STORE})
            [outcome] = recipe_runner(recipe, words)([quick])
        head, _, body = outcome.stdout.partition("\r\n\r\n")
        status = head.split("\r\n", 1)[0]
        error = outcome.error or (None if " 200 " in status else f"status {status!r}")
        return Outcome(body, error, outcome.stderr, outcome.exit_status)

    return lambda jobs: run_each(run_one, jobs)


def wire_bytes(message: str) -> bytes:
    """Check a displayed HTTP/1.1 request and return its bytes on the wire.

    Those are the bytes ``openssl s_client -crlf`` sends: every LF becomes CRLF, so the body
    may hold none. A body needs exactly one ``Content-Length``, its length in UTF-8 bytes; a
    message without one has no body.
    """
    head, sep, body = message.partition("\n\n")
    if not sep:
        raise ValueError("no blank line between head and body")
    if "\n" in body:
        raise ValueError("a line break in the body: openssl -crlf would send it as CRLF")
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
    if names.count("host") != 1 or names.count("content-length") > 1:
        raise ValueError("needs exactly one Host and at most one Content-Length")
    encoded = body.encode("utf-8")
    if int(dict(headers).get("content-length", "0")) != len(encoded):
        raise ValueError(f"Content-Length is not the body's {len(encoded)} bytes")
    return head.replace("\n", "\r\n").encode("ascii") + b"\r\n\r\n" + encoded


def _host_port(message: str) -> tuple[str, int]:
    host = next(line[6:] for line in message.split("\n") if line.lower().startswith("host: "))
    name, _, port = host.rpartition(":")
    return name.strip("[]"), int(port)
