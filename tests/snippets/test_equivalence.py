"""The equivalence property, proven by execution (docs/architecture.md).

For every target, secret mode, auth method and body format, the snippet rendered from a
hypothesis-generated token request is run by its real runtime against a capture server; so is
the API call with the token, in every secret mode, in the same batch. The request the server saw
must be equivalent to the wire request (`TokenRequest.wire_request()`, or the API call's
``Authorization: Bearer`` request without a body), the snippet must print the response, and it
must leave its (empty) working directory empty.
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

from clientcreds import ApiRequest, RenderError, TokenRequest, get_target, render
from clientcreds.core.protocol import PLACEHOLDER_TOKEN, TOKEN_ENV_VAR
from clientcreds.request.api_request import API_METHODS, ApiMethod
from clientcreds.request.token_request import AuthMethod
from clientcreds.request.wire import BodyFormat, WireRequest, build_wire_request
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES, SecretMode
from clientcreds.snippets.csharp.httpclient import uri_rewrites
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
from tests.strategies import API_PATHS, TOKEN_PATHS, api_query, request_text, token_text

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


@dataclass(frozen=True)
class ApiValues:
    """The generated part of an API call: where it goes, how, and the token."""

    path: str
    query: str | None
    method: ApiMethod
    token: str

    def request(self, base_url: str) -> ApiRequest:
        query = "" if self.query is None else ("&" if "?" in self.path else "?") + self.query
        return ApiRequest(base_url + self.path + query, self.method, access_token=self.token)


api_values_strategy = st.builds(
    ApiValues,
    path=st.sampled_from(API_PATHS),
    query=api_query,
    method=st.sampled_from(API_METHODS),
    token=token_text,
)


@dataclass(frozen=True)
class Case:
    """One rendered snippet, the environment it runs with, what the server must see, and where."""

    code: str
    env: dict[str, str]
    expected: WireRequest
    server: CaptureServer


@pytest.fixture(scope="module")
def servers() -> Iterator[list[CaptureServer]]:
    """One capture server per combination, so each snippet's request is told apart by port."""
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in COMBOS + list(SECRET_MODES)]


def refusal_is_justified(target: str, mode: SecretMode, request: TokenRequest | ApiRequest) -> bool:
    """The only requests a target may refuse (RenderError), and why."""
    if mode == "env" and target == "http":
        return True  # a literal message has no environment
    if target == "csharp-httpclient" and uri_rewrites(request.url):
        return True  # System.Uri would send another URL (proven by execution in test_csharp)
    if isinstance(request, ApiRequest):
        return False  # the drawn token is printable ASCII, which every header carries
    return mode == "env" and "\x00" in request.client_secret.reveal()  # no env var holds NUL


def assert_nothing_hidden(target: str, code: str) -> None:
    """A snippet never hides what it sends: no character but a line break that is not printable
    (bidi, zero-width, separators, controls) is shown raw; each target escapes them. Go is
    indented with tabs (gofmt) and its literals never hold a raw line break, so the tabs that
    start a line of Go are its indentation."""
    if get_target(target).language == "go":
        code = "\n".join(line.lstrip("\t") for line in code.split("\n"))
    raw = sorted({f"U+{ord(c):04X}" for c in code if not c.isprintable() and c != "\n"})
    assert raw == [], f"{target} snippet shows {raw} raw:\n{code}"


def rendered(
    target: str, request: TokenRequest | ApiRequest, mode: SecretMode, where: str
) -> str | None:
    """The snippet, or None if the target refused it for a justified reason."""
    try:
        code = render(request, target, secret=mode)
    except RenderError:
        assert refusal_is_justified(target, mode, request), (target, mode, where)
        return None
    assert not refusal_is_justified(target, mode, request) or target != "http"
    assert_nothing_hidden(target, code)
    return code


def token_cases(target: str, values: Values, servers: list[CaptureServer]) -> Iterator[Case]:
    """The token request in every combination, each to its own server."""
    for server, (mode, auth_method, body) in zip(servers, COMBOS, strict=False):
        request = values.request(server.base_url, auth_method, body)
        code = rendered(target, request, mode, f"{auth_method} {body}")
        if code is not None:
            sent = request.replace(client_secret=PLACEHOLDER_SECRET)
            env = {SECRET_ENV_VAR: values.client_secret} if mode == "env" else {}
            expected = (sent if mode == "placeholder" else request).wire_request()
            yield Case(code, env, expected, server)


def api_cases(target: str, api: ApiValues, servers: list[CaptureServer]) -> Iterator[Case]:
    """The API call in every secret mode, each to its own server."""
    for server, mode in zip(servers[len(COMBOS) :], SECRET_MODES, strict=True):
        request = api.request(server.base_url)
        code = rendered(target, request, mode, "API call")
        if code is not None:
            token = PLACEHOLDER_TOKEN if mode == "placeholder" else api.token
            expected = build_wire_request(request.url, None, (), method=api.method, bearer=token)
            env = {TOKEN_ENV_VAR: api.token} if mode == "env" else {}
            yield Case(code, env, expected, server)


def check(
    target: str,
    runner: Runner,
    drawn: tuple[Values, ApiValues],
    servers: list[CaptureServer],
    root: Path,
) -> None:
    """Run the batch of every case; each must send its expected request and print the answer."""
    values, api = drawn
    cases = [*token_cases(target, values, servers), *api_cases(target, api, servers)]
    jobs = [Job(case.code, root / f"job-{number}", case.env) for number, case in enumerate(cases)]
    for job in jobs:
        job.cwd.mkdir()

    outcomes = runner(jobs)

    for case, job, outcome in zip(cases, jobs, outcomes, strict=True):
        where = f"{target} snippet:\n{case.code}"
        captured = case.server.take()
        assert outcome.ok, f"{where}\nfailed: {outcome.error}"
        assert len(captured) == 1, f"{where}\nmade {len(captured)} requests"
        assert equivalence.of_captured(captured[0]) == equivalence.of_wire(case.expected), where
        assert "access_token" in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        left = list(job.cwd.iterdir())
        assert left == [], f"{where}\nleft files: {left}"


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
    @given(drawn=st.tuples(values_strategy, api_values_strategy))
    def prove(drawn: tuple[Values, ApiValues]) -> None:
        root = tmp_path_factory.mktemp(runtime)
        try:
            check(target, runner, drawn, servers, root)
        finally:
            for server in servers:
                server.take()
            shutil.rmtree(root, ignore_errors=True)

    prove()
