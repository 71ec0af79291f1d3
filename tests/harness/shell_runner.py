"""HTTPie and Wget snippets, each run as its recipe says (``sh request.sh``) under bash or dash.

A shell starts in a millisecond, so every snippet is its own process, batch or not, with its
real exit status and stderr. The snippets call ``http`` or ``wget`` by name: the runner puts
the directory of the one it found first on the job's ``PATH`` (HTTPie is a Python package, so
it may live in the project's virtual environment, which is not on ``PATH`` unless activated).

HTTPie checks for a newer release after every run: a detached process fetches
packages.httpie.io and writes ``version_info.json`` to HTTPie's config directory, by default
``~/.config/httpie`` in the job's (empty) HOME. The jobs get a config directory of their own
outside the job's directory, with that check turned off, and with no ``default_options`` from
the machine's config.

What test_shell_httpie.py and test_shell_wget.py share is here too: the hazards, and their
runs of the hazard batch, of the loopback hosts and of an error status.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from clientcreds import ApiRequest, TokenRequest, render
from clientcreds.request.wire import WireRequest, build_wire_request
from tests.harness.capture import Captured, CaptureServer
from tests.harness.proof import ApiValues, Case, Checks, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import (
    Job,
    Outcome,
    Runner,
    job_env,
    missing,
    recipe_command,
    recipe_of,
    recipe_runner,
    remove_files,
    require,
    run_each,
    save_recipe_files,
)
from tests.strategies import API_PATHS

MIN_HTTPIE = (3, 0)
MIN_WGET = (1, 17)  # --no-hsts (and 1.15's --method and --body-data)
HTTPIE_HINT = ".venv/bin/pip install httpie (3.0 or newer), or apt-get install httpie"
WGET_HINT = "apt-get install wget (GNU Wget 1.17 or newer)"
#: What env mode's run-time encodings use: POSIX tools, in every Debian base system.
ENCODING_TOOLS = {"od": "coreutils", "tr": "coreutils", "sed": "sed", "awk": "mawk"}
HTTPIE_CONFIG = Path(tempfile.gettempdir()) / "clientcreds-httpie"
#: HTTPie loads the CA store as it starts, a fifth of its start-up; the jobs send plain HTTP
#: to a loopback server, so it loads an empty one.
_NO_CA_STORE = {"SSL_CERT_FILE": os.devnull, "SSL_CERT_DIR": os.devnull}


def httpie_runner(shell: str) -> Runner:
    """Run each ``shell-httpie`` snippet as its recipe says, with `shell` as ``sh``."""
    return _with_env(recipe_runner(recipe_of("shell-httpie"), {"sh": _shell(shell)}), httpie_env())


def wget_runner(shell: str) -> Runner:
    """Run each ``shell-wget`` snippet as its recipe says, with `shell` as ``sh``."""
    return _with_env(recipe_runner(recipe_of("shell-wget"), {"sh": _shell(shell)}), wget_env())


def httpie(shell: str) -> Callable[[], Runner]:
    """The `httpie_runner` for `shell`, made when a test needs it (a row of the RUNTIMES table)."""
    return lambda: httpie_runner(shell)


def wget(shell: str) -> Callable[[], Runner]:
    """The `wget_runner` for `shell`, made when a test needs it (a row of the RUNTIMES table)."""
    return lambda: wget_runner(shell)


def stdin_runner(target: str, shell: str, stdin: bytes) -> Runner:
    """Like the runners above, with `stdin` on the snippet's standard input (a pipe)."""
    env = httpie_env() if target == "shell-httpie" else wget_env()
    recipe = recipe_of(target)
    command = ["/bin/sh", "-c", recipe_command(recipe, {"sh": _shell(shell)})]

    def run_one(job: Job) -> Outcome:
        saved = save_recipe_files(job, recipe)
        try:
            done = subprocess.run(
                command,
                cwd=job.cwd,
                env=job_env({**env, **job.env}, job.cwd),
                input=stdin,
                capture_output=True,
                timeout=30,
                check=False,
            )
        finally:
            remove_files(saved)
        stderr = done.stderr.decode("utf-8", "replace")
        error = None if done.returncode == 0 else f"exit {done.returncode}: {stderr!r}"
        return Outcome(done.stdout.decode("utf-8", "replace"), error, stderr, done.returncode)

    return lambda jobs: run_each(run_one, jobs)


@cache
def httpie_command() -> str:
    """The ``http`` command (on ``PATH``, else in this interpreter's environment), 3.0 or newer,
    or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), str(Path(sys.executable).parent)])
    path = shutil.which("http", path=search) or require("http", HTTPIE_HINT)
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    found = _version(r"^(\d+)\.(\d+)", version.stdout)
    if found < MIN_HTTPIE:
        missing(f"HTTPie {version.stdout.strip()} is older than 3.0: {HTTPIE_HINT}")
    return path


@cache
def wget_command() -> str:
    """The ``wget`` command, GNU Wget 1.17 or newer, or skip (fail under REQUIRE_ALL)."""
    path = require("wget", WGET_HINT)
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    found = _version(r"GNU Wget (\d+)\.(\d+)", version.stdout)
    if found < MIN_WGET:
        missing(f"{version.stdout.splitlines()[0]} is older than 1.17: {WGET_HINT}")
    return path


def httpie_env() -> dict[str, str]:
    """``PATH`` with ``http`` first, a config directory of HTTPie's own (see above), no CA
    store."""
    config = json.dumps({"default_options": [], "disable_update_warnings": True})
    path = HTTPIE_CONFIG / "config.json"
    if not path.exists() or path.read_text(encoding="utf-8") != config:
        HTTPIE_CONFIG.mkdir(exist_ok=True)
        # Written whole, then renamed: a test run beside this one never reads half a file.
        scratch = path.with_name(f"config.{os.getpid()}.json")
        scratch.write_text(config, encoding="utf-8")
        scratch.replace(path)
    return {**_path_with(httpie_command()), "HTTPIE_CONFIG_DIR": str(HTTPIE_CONFIG), **_NO_CA_STORE}


def wget_env() -> dict[str, str]:
    """``PATH`` with ``wget`` first."""
    return _path_with(wget_command())


def _path_with(program: str) -> dict[str, str]:
    for tool, package in ENCODING_TOOLS.items():
        require(tool, f"apt-get install {package}")
    return {"PATH": os.pathsep.join([str(Path(program).parent), os.environ.get("PATH", "")])}


def _shell(shell: str) -> str:
    return require(shell, "apt-get install bash dash")


def _version(pattern: str, text: str) -> tuple[int, ...]:
    found = re.search(pattern, text, re.MULTILINE)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def _with_env(run: Runner, env: dict[str, str]) -> Runner:
    """`run`, with `env` added to every job's environment."""
    return lambda jobs: run([_job_with(job, env) for job in jobs])


def _job_with(job: Job, env: dict[str, str]) -> Job:
    return Job(job.code, job.cwd, {**env, **job.env})


#: The hazards the issue names for both shell targets, as values: each one travels in every field
#: of one hand-written batch (`proof.hazard_values`), and in the API call's token where a
#: header can carry it. "-x" comes first, so the client id starts with a dash
#: (and "*~ " is inside: no value may end with a space).
HAZARDS = (
    "-x",  # a value starting with a dash must not become an option
    "'",  # ends a single-quoted shell word
    '"',  # ends a double-quoted shell word, and a JSON string
    "\\",  # escapes in double quotes, in JSON, and before HTTPie's separators
    "$x",  # parameter expansion in double quotes
    "$(touch pwned)",  # command substitution
    "`touch pwned`",  # the old command substitution
    "@/etc/hostname",  # HTTPie reads the file named after an @ (=@, :=@, :@, ==@)
    "=",  # HTTPie's data item separator
    ":=",  # HTTPie's raw JSON item separator
    "==",  # HTTPie's query item separator
    ":",  # HTTPie's header item separator, and Basic's between id and secret
    "%+&=",  # form syntax: must be encoded, never passed through
    "#",  # a shell comment after a space
    "\x00",  # no argument or environment variable can hold NUL
    "\r\n",  # a line break in a header or a word
    "*~ ",  # a glob, a home directory, a space
    "🔑",  # astral: four bytes of UTF-8
    "\u202e",  # a bidi override: must be escaped, never shown raw
    "é",  # two bytes of UTF-8
)


def run_cases(
    runner: Runner, cases: Sequence[Case], root: Path
) -> list[tuple[Outcome, list[Captured]]]:
    """Run `cases` under `root` without checking them: each outcome, with what its server got
    (for the tests that show what a snippet would do without one of its options)."""
    jobs = [Job(case.code, root / f"job-{n}", case.env) for n, case in enumerate(cases)]
    for job in jobs:
        job.cwd.mkdir(parents=True)
    outcomes = runner(jobs)
    return [(outcome, case.server.take()) for outcome, case in zip(outcomes, cases, strict=True)]


def run_hazard_batch(
    target: str,
    runner: Runner,
    token: str,
    nul: bool,
    servers: list[CaptureServer],
    root: Path,
    checks: Checks,
) -> None:
    """One batch with every hazard in every value (with NUL or without), and `token` in the
    API call. With a NUL, env mode is refused (no variable holds one): 8 token snippets, not
    12, and 3 API calls."""
    text = "".join(hazard for hazard in HAZARDS if nul or hazard != "\x00")
    api = ApiValues(API_PATHS[-2], "q=%40%2Fetc%2Fhostname", "PATCH", token)
    cases = batch_cases(target, hazard_values(text, api), servers)
    assert len(cases) == (8 if nul else 12) + 3
    run_batch(target, runner, cases, root, checks)


def _token_request(base_url: str) -> TokenRequest:
    return TokenRequest(domain=base_url, client_id="i", client_secret="s", audience="a")


def run_loopback_cases(target: str, runner: Runner, host: str, root: Path, checks: Checks) -> None:
    """A token request and an API call to a capture server on `host` (``127.0.0.1`` or
    ``::1``), each proven by its own batch."""
    with CaptureServer(host) as server:
        token = _token_request(server.base_url)
        api = ApiRequest(server.base_url + "/api", "DELETE", access_token="t")
        api_wire = build_wire_request(api.url, None, (), method="DELETE", bearer="t")
        pairs: list[tuple[TokenRequest | ApiRequest, WireRequest]] = [
            (token, token.wire_request()),
            (api, api_wire),
        ]
        for index, (request, wire) in enumerate(pairs):
            case = Case(render(request, target, "reveal"), {}, wire, server)
            run_batch(target, runner, [case], root / str(index), checks)


#: An error answer (UTF-8, not ASCII), to be printed as it came.
ERROR_BODY = b'{"error":"access_denied","error_description":"Unauthorized \xc3\xa9"}'


def error_status_outcomes(target: str, runner: Runner, status: int, root: Path) -> list[Outcome]:
    """A token request and an API call, each run by `runner` against a server answering
    `status` with `ERROR_BODY`; each must have sent exactly one request (no retry)."""
    with CaptureServer(status=status, body=ERROR_BODY) as server:
        requests: list[TokenRequest | ApiRequest] = [
            _token_request(server.base_url),
            ApiRequest(server.base_url + "/api", access_token="t"),
        ]
        jobs = []
        for index, request in enumerate(requests):
            (root / str(index)).mkdir()
            jobs.append(Job(render(request, target, secret="reveal"), root / str(index)))
        outcomes = runner(jobs)
        assert len(server.take()) == 2
    return outcomes
