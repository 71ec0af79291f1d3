"""The equivalence property as one batch: every case of one drawn request, run and checked.

One hypothesis example draws a token request's values (`Values`) and an API call's
(`ApiValues`). `batch_cases` renders the token request in all twelve combinations (secret mode
× client auth method × body format) and the API call in every secret mode, each aimed at its
own capture server; `run_batch` hands the whole batch to one runner (a runtime pays its
compiler or VM once per batch) and checks each case: it sent its expected request once,
equivalent to the wire request as docs/architecture.md defines it, printed the answer, and left
its empty working directory empty. `prove` is the property; `hazard_values` puts one
hand-written hazard string in every field, for each target's own hazard tests.

What a target may refuse (`RenderError`) is in `refusal_is_justified`: what every target
refuses, and what the target's own row of tests/harness/targets.py says it refuses
(`Checks.refuses`); no target is named here.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest, get_target, render
from clientcreds.core.protocol import PLACEHOLDER_TOKEN, TOKEN_ENV_VAR
from clientcreds.request.api_request import API_METHODS, ApiMethod
from clientcreds.request.token_request import AuthMethod
from clientcreds.request.wire import BodyFormat, WireRequest, build_wire_request
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES, SecretMode
from tests.harness import equivalence
from tests.harness.capture import Captured, CaptureServer
from tests.harness.runtimes import Job, Runner
from tests.strategies import API_PATHS, TOKEN_PATHS, api_query, request_text, token_text

AUTH_METHODS: tuple[AuthMethod, ...] = ("client_secret_post", "client_secret_basic")
BODIES: tuple[BodyFormat, ...] = ("form", "json")
COMBOS = list(itertools.product(SECRET_MODES, AUTH_METHODS, BODIES))
#: One capture server per case of a batch: the token combinations, then the API calls.
SERVERS_PER_BATCH = len(COMBOS) + len(SECRET_MODES)


@dataclass(frozen=True)
class Values:
    """The generated part of a token request; everything else is the combination under test."""

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

#: One example of the property: a token request's values and an API call's.
Drawn = tuple[Values, ApiValues]
drawn_strategy = st.tuples(values_strategy, api_values_strategy)


def hazard_values(text: str, api: ApiValues) -> Drawn:
    """`text` (a target's hazards joined) in every field of the token request, each a little
    different so that no two fields are equal by accident."""
    return Values(text, text[::-1], "x" + text, text + "y", "z" + text, None), api


@dataclass(frozen=True)
class Case:
    """One rendered snippet, the environment it runs with, what the server must see, and where."""

    code: str
    env: dict[str, str]
    expected: WireRequest
    server: CaptureServer


@dataclass(frozen=True)
class Checks:
    """What a target checks beyond equivalence: on its source, and on what it sent (each
    raises AssertionError with the reason); and the requests it refuses (`RenderError`) beyond
    those every target refuses, exactly: it must refuse them and render the rest."""

    source: Callable[[str], None] = lambda code: None
    sent: Callable[[Captured, WireRequest], None] = lambda captured, expected: None
    refuses: Callable[[SecretMode, TokenRequest | ApiRequest], bool] = lambda mode, request: False


def refusal_is_justified(
    mode: SecretMode, request: TokenRequest | ApiRequest, checks: Checks
) -> bool:
    """The only requests a target may refuse (RenderError): its own (`checks.refuses`), and
    a secret no environment variable can hold in env mode."""
    if checks.refuses(mode, request):
        return True
    if isinstance(request, ApiRequest):
        return False  # the drawn token is printable ASCII, which every header carries
    secret = request.client_secret
    # No environment variable can hold NUL.
    return mode == "env" and secret is not None and "\x00" in secret.reveal()


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
    target: str,
    request: TokenRequest | ApiRequest,
    mode: SecretMode,
    where: str,
    checks: Checks = Checks(),
) -> str | None:
    """The snippet, or None if the target refused it for a justified reason."""
    try:
        code = render(request, target, secret=mode)
    except RenderError:
        assert refusal_is_justified(mode, request, checks), (target, mode, where)
        return None
    assert not checks.refuses(mode, request), f"{target} must refuse this ({mode}, {where})"
    assert_nothing_hidden(target, code)
    return code


def token_cases(
    target: str, values: Values, servers: Sequence[CaptureServer], checks: Checks = Checks()
) -> Iterator[Case]:
    """The token request in every combination, each to its own server."""
    for server, (mode, auth_method, body) in zip(servers, COMBOS, strict=True):
        request = values.request(server.base_url, auth_method, body)
        code = rendered(target, request, mode, f"{auth_method} {body}", checks)
        if code is not None:
            sent = request.replace(client_secret=PLACEHOLDER_SECRET)
            env = {SECRET_ENV_VAR: values.client_secret} if mode == "env" else {}
            expected = (sent if mode == "placeholder" else request).wire_request()
            yield Case(code, env, expected, server)


def api_cases(
    target: str,
    api: ApiValues,
    servers: Sequence[CaptureServer],
    host: str | None = None,
    checks: Checks = Checks(),
) -> Iterator[Case]:
    """The API call in every secret mode, each to its own server (named `host`, if given:
    ``localhost`` for a server on 127.0.0.1, say)."""
    for server, mode in zip(servers, SECRET_MODES, strict=True):
        base_url = server.base_url if host is None else f"http://{host}:{server.port}"
        request = api.request(base_url)
        code = rendered(target, request, mode, "API call", checks)
        if code is not None:
            token = PLACEHOLDER_TOKEN if mode == "placeholder" else api.token
            expected = build_wire_request(request.url, None, (), method=api.method, bearer=token)
            env = {TOKEN_ENV_VAR: api.token} if mode == "env" else {}
            yield Case(code, env, expected, server)


def batch_cases(
    target: str, drawn: Drawn, servers: Sequence[CaptureServer], checks: Checks = Checks()
) -> list[Case]:
    """Every case of one example: the token combinations, then the API calls (`checks` says
    what the target refuses)."""
    values, api = drawn
    token_servers, api_servers = servers[: len(COMBOS)], servers[len(COMBOS) :]
    return [
        *token_cases(target, values, token_servers, checks),
        *api_cases(target, api, api_servers, checks=checks),
    ]


def run_batch(
    target: str,
    runner: Runner,
    cases: Sequence[Case],
    root: Path,
    checks: Checks = Checks(),
) -> None:
    """Run `cases` as one batch under `root`; each must send its expected request once and
    print the answer. The servers and `root` are left empty whatever happens."""
    try:
        jobs = [Job(case.code, root / f"job-{n}", case.env) for n, case in enumerate(cases)]
        for job in jobs:
            job.cwd.mkdir(parents=True)
        for case in cases:
            checks.source(case.code)

        outcomes = runner(jobs)

        for case, job, outcome in zip(cases, jobs, outcomes, strict=True):
            where = f"{target} snippet:\n{case.code}"
            captured = case.server.take()
            assert outcome.ok, f"{where}\nfailed: {outcome.error}"
            assert len(captured) == 1, f"{where}\nmade {len(captured)} requests"
            expected = equivalence.of_wire(case.expected)
            assert equivalence.of_captured(captured[0]) == expected, where
            checks.sent(captured[0], case.expected)
            assert "access_token" in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
            left = list(job.cwd.iterdir())
            assert left == [], f"{where}\nleft files: {left}"
    finally:
        for case in cases:
            case.server.take()
        shutil.rmtree(root, ignore_errors=True)


def prove(
    target: str,
    runner: Runner,
    servers: Sequence[CaptureServer],
    root: Path,
    examples: int,
    checks: Checks = Checks(),
) -> None:
    """The property: for `examples` drawn examples, the whole batch is equivalent."""

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(drawn=drawn_strategy)
    def property_holds(drawn: Drawn) -> None:
        run_batch(target, runner, batch_cases(target, drawn, servers, checks), root, checks)

    property_holds()
