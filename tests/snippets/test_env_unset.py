"""Env-mode snippets when ``AUTH0_CLIENT_SECRET`` (or, for the API call, ``ACCESS_TOKEN``) is
unset or empty, proven by execution.

Every target that reads the environment must fail the same clear way: it sends nothing,
writes a message naming the variable on stderr and exits non-zero. An empty variable counts as
unset (no client has an empty secret). Each snippet runs as its own process, as a user would run
it, so the exit status and stderr are the runtime's own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientcreds import ApiRequest, TokenRequest, render, targets
from clientcreds.core.protocol import TOKEN_ENV_VAR
from clientcreds.request.token_request import AuthMethod
from clientcreds.request.wire import BodyFormat
from clientcreds.snippets import SECRET_ENV_VAR
from clientcreds.snippets.plan import MISSING_ENV_REASON
from tests.harness.capture import CaptureServer
from tests.harness.runtimes import Job, Runner
from tests.harness.targets import RUNTIMES

AUTH_METHODS: tuple[AuthMethod, ...] = ("client_secret_post", "client_secret_basic")
BODIES: tuple[BodyFormat, ...] = ("form", "json")
COMBOS = list(itertools.product(AUTH_METHODS, BODIES))
#: Unset (the job's environment lacks it) or set but empty: the variable's value, or None.
MISSING = {"unset": None, "empty": ""}

#: Every runtime of a target that can read the environment (a literal HTTP message cannot).
RUNNERS = {name: runtime for name, runtime in RUNTIMES.items() if runtime.target != "http"}
#: Code that would run if a value were not kept a literal: shell, Python, JavaScript, Java's
#: Unicode escapes (replaced before lexing), C#'s greedy ``\x``, Go, C.
INJECTIONS = (
    "'; touch pwned; '$(touch pwned)",
    '")+open("pwned","w").close()+("`touch pwned`',
    "${import('node:fs').then((f) => f.writeFileSync('pwned', ''))}",
    "\\u0022); new java.io.File(\\u0022pwned\\u0022).createNewFile(); (\\u0022",
    '"); System.IO.File.Create("pwned"); ("\\x22',
    '"); os.Create("pwned"); ("',
    '"); system("touch pwned"); ("??/',
    '#{`touch pwned`} #{File.write("pwned", "")} <?php touch("pwned"); ?> {$x}',
)


@pytest.fixture(scope="module")
def server() -> Iterator[CaptureServer]:
    with CaptureServer() as capture:
        yield capture


def hostile_request(base_url: str, auth_method: AuthMethod, body: BodyFormat) -> TokenRequest:
    """A request whose literal values try to run something, should a snippet run them."""
    return TokenRequest(
        domain=base_url,
        client_id=INJECTIONS[0],
        client_secret="the-real-secret",
        audience=" ".join(INJECTIONS[1::2]),
        scope=" ".join(INJECTIONS[2::2]),
        auth_method=auth_method,
        body=body,
    )


def env_jobs(target: str, base_url: str, root: Path, value: str | None) -> list[tuple[Job, str]]:
    """One env-mode job per auth method and body format, and one API call, each in its own
    empty directory, with the variable it reads set to `value` (None: unset)."""
    snippets = [
        (
            f"{auth_method}-{body}",
            render(hostile_request(base_url, auth_method, body), target, secret="env"),
            SECRET_ENV_VAR,
        )
        for auth_method, body in COMBOS
    ]
    api_call = ApiRequest(base_url + "/a;b=c/it's/$(touch%20pwned)?q='&r=*")
    snippets.append(("api-call", render(api_call, target, secret="env"), TOKEN_ENV_VAR))
    jobs = []
    for name, code, variable in snippets:
        cwd = root / name
        cwd.mkdir()
        jobs.append((Job(code, cwd, {} if value is None else {variable: value}), variable))
    return jobs


def test_every_target_reading_the_environment_is_covered() -> None:
    """Only `http` has no env mode (a literal message cannot read a variable)."""
    assert {runtime.target for runtime in RUNNERS.values()} == set(targets()) - {"http"}


@pytest.mark.parametrize("missing", list(MISSING))
@pytest.mark.parametrize("runtime", list(RUNNERS))
def test_env_snippet_without_the_secret_sends_nothing_and_says_why(
    runtime: str, missing: str, server: CaptureServer, tmp_path: Path
) -> None:
    target = RUNNERS[runtime].target
    runner: Runner = RUNNERS[runtime].process()
    jobs = env_jobs(target, server.base_url, tmp_path, MISSING[missing])

    outcomes = runner([job for job, _ in jobs])

    assert server.take() == [], f"a {target} snippet sent a request with its variable {missing}"
    for (job, variable), outcome in zip(jobs, outcomes, strict=True):
        where = f"{target} snippet, {variable} {missing}:\n{job.code}"
        assert outcome.exit_status not in (0, None), f"{where}\nexited {outcome.exit_status}"
        assert variable in outcome.stderr, f"{where}\nstderr {outcome.stderr!r}"
        assert MISSING_ENV_REASON in outcome.stderr, f"{where}\nstderr {outcome.stderr!r}"
        assert "access_token" not in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(job.cwd.iterdir()) == [], f"{where}\nleft files: {list(job.cwd.iterdir())}"


@pytest.mark.parametrize("runtime", list(RUNNERS))
def test_env_snippet_with_the_secret_sends_one_request(
    runtime: str, server: CaptureServer, tmp_path: Path
) -> None:
    """The control: the same snippets, run the same way, do send once the variable is set."""
    target = RUNNERS[runtime].target
    runner: Runner = RUNNERS[runtime].process()
    jobs = env_jobs(target, server.base_url, tmp_path, "the-real-secret")

    outcomes = runner([job for job, _ in jobs])

    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    assert len(server.take()) == len(jobs)
    assert all("access_token" in outcome.stdout for outcome in outcomes)
