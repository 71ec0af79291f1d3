"""The equivalence property, proven by execution (docs/architecture.md).

For every target, secret mode, auth method and body format, the snippet rendered from a
hypothesis-generated request is run by its real runtime against a capture server; the
request the server saw must be equivalent to `TokenRequest.wire_request()`, the snippet must
print the response, and it must leave its (empty) working directory empty.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import RenderError, TokenRequest, render
from clientcreds.request.token_request import AuthMethod
from clientcreds.request.wire import BodyFormat
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES, SecretMode
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.runtimes import (
    Job,
    Runner,
    http_runner,
    node_runner,
    python_runner,
    shell_runner,
)
from tests.strategies import TOKEN_PATHS, request_text

AUTH_METHODS: tuple[AuthMethod, ...] = ("client_secret_post", "client_secret_basic")
BODIES: tuple[BodyFormat, ...] = ("form", "json")
COMBOS = list(itertools.product(SECRET_MODES, AUTH_METHODS, BODIES))
EXAMPLES = int(os.environ.get("CLIENTCREDS_EXAMPLES", "100"))

RUNNERS = {
    "http": ("http", http_runner),
    "curl-bash": ("curl", lambda: shell_runner("bash")),
    "curl-sh": ("curl", lambda: shell_runner("sh")),
    "python-requests": ("python-requests", python_runner),
    "javascript-fetch": ("javascript-fetch", node_runner),
}


@dataclass(frozen=True)
class Values:
    """The generated part of a request; everything else is the combination under test."""

    client_id: str
    client_secret: str
    audience: str | None
    scope: str | None
    organization: str | None
    token_path: str | None

    def request(self, base_url: str, auth_method: AuthMethod, body: BodyFormat) -> TokenRequest:
        where = (
            {"domain": base_url}
            if self.token_path is None
            else {"token_url": base_url + self.token_path}
        )
        return TokenRequest(
            **where,
            client_id=self.client_id,
            client_secret=self.client_secret,
            audience=self.audience,
            scope=self.scope,
            organization=self.organization,
            auth_method=auth_method,
            body=body,
        )


values_strategy = st.builds(
    Values,
    client_id=request_text,
    client_secret=request_text,
    audience=request_text,
    scope=st.none() | request_text,
    organization=st.none() | request_text,
    token_path=st.sampled_from(TOKEN_PATHS),
)


@pytest.fixture(scope="module")
def servers() -> Iterator[list[CaptureServer]]:
    """One capture server per combination, so each snippet's request is told apart by port."""
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in COMBOS]


def refusal_is_justified(target: str, mode: SecretMode, request: TokenRequest) -> bool:
    """The only requests a target may refuse (RenderError), and why."""
    if mode == "env" and target == "http":
        return True  # a literal message has no environment
    return mode == "env" and "\x00" in request.client_secret.reveal()  # no env var holds NUL


def assert_nothing_hidden(target: str, code: str) -> None:
    """A snippet never hides what it sends: no character but a line break that is not printable
    (bidi, zero-width, separators, controls) is shown raw; each target escapes them."""
    raw = sorted({f"U+{ord(c):04X}" for c in code if not c.isprintable() and c != "\n"})
    assert raw == [], f"{target} snippet shows {raw} raw:\n{code}"


def check(target: str, runner: Runner, values: Values, servers: list[CaptureServer], root: Path):
    jobs: list[tuple[Job, TokenRequest, CaptureServer]] = []
    for server, (mode, auth_method, body) in zip(servers, COMBOS, strict=True):
        request = values.request(server.base_url, auth_method, body)
        try:
            code = render(request, target, secret=mode)
        except RenderError:
            assert refusal_is_justified(target, mode, request), (target, mode, auth_method, body)
            continue
        assert not refusal_is_justified(target, mode, request) or target != "http"
        assert_nothing_hidden(target, code)
        sent = (
            request.replace(client_secret=PLACEHOLDER_SECRET) if mode == "placeholder" else request
        )
        env = {SECRET_ENV_VAR: values.client_secret} if mode == "env" else {}
        cwd = root / f"job-{len(jobs)}"
        cwd.mkdir()
        jobs.append((Job(code, cwd, env), sent, server))

    outcomes = runner([job for job, _, _ in jobs])

    for (job, sent, server), outcome in zip(jobs, outcomes, strict=True):
        where = f"{target} snippet:\n{job.code}"
        captured = server.take()
        assert outcome.ok, f"{where}\nfailed: {outcome.error}"
        assert len(captured) == 1, f"{where}\nmade {len(captured)} requests"
        assert equivalence.of_captured(captured[0]) == equivalence.of_wire(sent.wire_request()), (
            where
        )
        assert "access_token" in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(job.cwd.iterdir()) == [], f"{where}\nleft files: {list(job.cwd.iterdir())}"


@pytest.mark.parametrize("runtime", list(RUNNERS))
def test_snippets_are_equivalent_when_executed(
    runtime: str, servers: list[CaptureServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    target, make_runner = RUNNERS[runtime]
    runner = make_runner()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=values_strategy)
    def prove(values: Values) -> None:
        root = tmp_path_factory.mktemp(runtime)
        try:
            check(target, runner, values, servers, root)
        finally:
            for server in servers:
                server.take()
            shutil.rmtree(root, ignore_errors=True)

    prove()
