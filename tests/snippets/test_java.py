"""``java-httpclient``, proven by execution like every target, plus its Java hazards.

The equivalence property of docs/architecture.md for both request kinds (the token request in
its twelve combinations, the API call in each secret mode), one example being one batch: one
``javac`` and a JVM per environment (`tests/harness/java_runner.py`). A compiled runtime costs
more per example, so ``CLIENTCREDS_EXAMPLES`` defaults to 10 here. Env mode with the variable
unset or empty runs the recipe, ``java Main.java``, one process per snippet. The render tests
check each hazard of issue 12 by compiling and running the literals.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from clientcreds import ApiRequest, RenderError, TokenRequest
from clientcreds.core.protocol import PLACEHOLDER_TOKEN, TOKEN_ENV_VAR
from clientcreds.request.wire import WireRequest, build_wire_request
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.java.httpclient import TARGET
from clientcreds.snippets.java.quoting import java_str
from clientcreds.snippets.plan import MISSING_ENV_REASON, make_plan
from tests.harness import equivalence
from tests.harness.capture import Captured, CaptureServer
from tests.harness.java_runner import java_recipe_runner, java_runner
from tests.harness.runtimes import Job, Outcome, Runner
from tests.snippets.test_equivalence import (
    COMBOS,
    ApiValues,
    Values,
    api_values_strategy,
    assert_nothing_hidden,
    refusal_is_justified,
    values_strategy,
)
from tests.strategies import API_PATHS, HOSTILE_PIECES

EXAMPLES = int(os.environ.get("CLIENTCREDS_EXAMPLES", "10"))
NAME = TARGET.name


@dataclass
class Case:
    """One job of a batch, what it must send, and where."""

    job: Job
    server: CaptureServer
    wire: WireRequest


@pytest.fixture(scope="module")
def token_servers() -> Iterator[list[CaptureServer]]:
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in COMBOS]


@pytest.fixture(scope="module")
def api_servers() -> Iterator[list[CaptureServer]]:
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in SECRET_MODES]


@pytest.fixture(scope="module")
def runner() -> Runner:
    return java_runner()


def token_cases(values: Values, servers: list[CaptureServer], root: Path) -> list[Case]:
    """The twelve token-request combinations (those not refused with reason)."""
    cases = []
    for server, (mode, auth_method, body) in zip(servers, COMBOS, strict=True):
        request = values.request(server.base_url, auth_method, body)
        try:
            code = TARGET.render(make_plan(request, mode))
        except RenderError:
            assert refusal_is_justified(NAME, mode, request), (mode, auth_method, body)
            continue
        sent = (
            request.replace(client_secret=PLACEHOLDER_SECRET) if mode == "placeholder" else request
        )
        env = {SECRET_ENV_VAR: values.client_secret} if mode == "env" else {}
        cases.append(Case(_job(code, root, env), server, sent.wire_request()))
    return cases


def api_cases(
    api: ApiValues, servers: list[CaptureServer], root: Path, host: str | None = None
) -> list[Case]:
    """The API call in each secret mode (to `host`, the server's by default)."""
    cases = []
    for server, mode in zip(servers, SECRET_MODES, strict=True):
        base = server.base_url if host is None else f"http://{host}:{server.port}"
        request = api.request(base)
        code = TARGET.render(make_plan(request, mode))
        token = PLACEHOLDER_TOKEN if mode == "placeholder" else api.token
        wire = build_wire_request(request.url, None, (), method=api.method, bearer=token)
        env = {TOKEN_ENV_VAR: api.token} if mode == "env" else {}
        cases.append(Case(_job(code, root, env), server, wire))
    return cases


def _job(code: str, root: Path, env: dict[str, str]) -> Job:
    assert_nothing_hidden(NAME, code)
    assert code.isascii(), (
        f"a Java snippet is ASCII (JDK 17 reads it in the platform encoding):\n{code}"
    )
    cwd = root / f"job-{len(list(root.iterdir()))}"
    cwd.mkdir()
    return Job(code, cwd, env)


def check(runner: Runner, cases: list[Case]) -> None:
    """Run the batch; each snippet sent its request once, over HTTP/1.1, printed the answer."""
    outcomes = runner([case.job for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        where = f"{NAME} snippet:\n{case.job.code}"
        captured = case.server.take()
        assert outcome.ok, f"{where}\nfailed: {outcome.error}"
        assert len(captured) == 1, f"{where}\nmade {len(captured)} requests"
        assert_equivalent(captured[0], case.wire, where)
        assert "access_token" in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(case.job.cwd.iterdir()) == [], f"{where}\nleft {list(case.job.cwd.iterdir())}"


def assert_equivalent(captured: Captured, wire: WireRequest, where: str) -> None:
    """Equivalent as docs/architecture.md says, over HTTP/1.1; a form body and the
    ``Authorization`` header byte for byte (``URLEncoder`` alone differs on ``*`` and ``~``)."""
    assert captured.version == "HTTP/1.1", f"{where}\nsent {captured.version}"
    assert captured.header("Upgrade") is None, f"{where}\nasked to upgrade"
    assert equivalence.of_captured(captured) == equivalence.of_wire(wire), where
    expected = dict(wire.headers)
    if expected.get("Content-Type") == "application/x-www-form-urlencoded":
        assert captured.body == wire.body, where
    assert captured.header("Authorization") == expected.get("Authorization"), where


def test_recipe_is_the_single_file_launcher() -> None:
    assert TARGET.recipe is not None
    assert (TARGET.recipe.filename, TARGET.recipe.command) == ("Main.java", "java Main.java")


def test_snippets_are_equivalent_when_executed(
    runner: Runner,
    token_servers: list[CaptureServer],
    api_servers: list[CaptureServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=values_strategy, api=api_values_strategy)
    def prove(values: Values, api: ApiValues) -> None:
        root = tmp_path_factory.mktemp("java")
        try:
            cases = token_cases(values, token_servers, root)
            check(runner, cases + api_cases(api, api_servers, root))
        finally:
            for server in token_servers + api_servers:
                server.take()
            shutil.rmtree(root, ignore_errors=True)

    prove()


#: Each hazard of issue 12 for Java, as a value: they all travel in one hand-written batch.
HAZARDS = (
    "\\u0022",  # as text: must not become an escape that ends the string
    "\\\\u0022",
    "\\\\\\u000a",
    "\\",
    '"',
    "a\r\nb",
    "\x00" + "0",  # NUL then a digit: octal must not swallow it
    "\x01" + "7",
    "\x1b]0;t\x07\x7f",
    "🔑👩‍💻",  # astral: surrogate pairs
    "\u202e\u2066\u200b\ufeff\u2028\u2029\u00ad\u00a0",
    "*~ +%&=",  # URLEncoder keeps * and encodes ~; the wire form does the opposite
    "*/ /* // \\n",
)


def test_hazardous_values_survive_every_combination(
    runner: Runner,
    token_servers: list[CaptureServer],
    api_servers: list[CaptureServer],
    tmp_path: Path,
) -> None:
    """One deterministic batch: every hazard in every field of every token combination."""
    joined = "".join(HAZARDS)
    values = Values(joined, joined[::-1], "x" + joined, joined + "y", "z" + joined, None)
    api = ApiValues(API_PATHS[-1], "q=%22%5Cu0022&r=*~", "PATCH", "\\u0022\"\\'*~%41`$")
    check(
        runner, token_cases(values, token_servers, tmp_path) + api_cases(api, api_servers, tmp_path)
    )


def test_java_str_evaluates_to_the_text(runner: Runner, tmp_path: Path) -> None:
    """Compiled and run, each literal holds exactly its text (UTF-16 code units compared)."""
    texts = [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS)]
    literals = ",\n            ".join(java_str(text) for text in texts)
    code = (
        "public class Main {\n"
        "    public static void main(String[] args) {\n"
        f"        String[] texts = {{\n            {literals}\n        }};\n"
        "        for (String text : texts) {\n"
        "            StringBuilder hex = new StringBuilder();\n"
        "            for (char c : text.toCharArray()) {\n"
        '                hex.append(String.format("%04x", (int) c));\n'
        "            }\n"
        "            System.out.println(hex);\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.ok, outcome.error
    assert outcome.stdout.splitlines() == [text.encode("utf-16-be").hex() for text in texts]


@pytest.mark.parametrize(
    ("char", "escape"),
    [('"', '\\"'), ("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\x00", "\\000")],
)
def test_java_str_never_writes_a_unicode_escape_for_what_ends_a_literal(
    char: str, escape: str
) -> None:
    assert java_str(char) == f'"{escape}"'


def test_java_str_pads_octal_so_a_digit_after_it_stays_a_digit() -> None:
    assert java_str("\x017") == '"\\0017"'


def test_java_str_writes_astral_characters_as_surrogate_pairs() -> None:
    assert java_str("🔑") == '"\\ud83d\\udd11"'


def test_java_str_escapes_invisible_and_bidi_characters() -> None:
    assert java_str("\u202e\u200b\u00a0é") == '"\\u202e\\u200b\\u00a0\\u00e9"'


def test_the_json_helper_appears_only_when_a_json_body_reads_the_environment() -> None:
    basic_json = TokenRequest(
        domain="tenant.auth0.com",
        client_id="abc",
        client_secret="s",
        audience="https://api.example.com/",
        auth_method="client_secret_basic",
        body="json",
    )
    assert "static String json(" not in TARGET.render(make_plan(basic_json, "env"))
    post_json = basic_json.replace(auth_method="client_secret_post")
    assert "static String json(" in TARGET.render(make_plan(post_json, "env"))


#: Unset (the job's environment has no such variable) and set but empty.
MISSING = ("unset", "empty")


def env_jobs(base_url: str, root: Path, missing: str | None) -> list[Job]:
    """Every env-mode snippet (four token combinations and the API call) as its own job."""
    jobs = []
    for mode, auth_method, body in COMBOS:
        if mode != "env":
            continue
        request = TokenRequest(
            domain=base_url,
            client_id="'; touch pwned; '$(touch pwned)",
            client_secret="the-real-secret",
            audience="\\u0022); new java.io.File(\\u0022pwned\\u0022).createNewFile(); (\\u0022",
            auth_method=auth_method,
            body=body,
        )
        jobs.append((TARGET.render(make_plan(request, "env")), SECRET_ENV_VAR))
    jobs.append((TARGET.render(make_plan(ApiRequest(base_url + "/api"), "env")), TOKEN_ENV_VAR))
    made = []
    for index, (code, variable) in enumerate(jobs):
        cwd = root / f"job-{index}"
        cwd.mkdir()
        env = {} if missing == "unset" else {variable: "" if missing else "the-real-secret"}
        made.append(Job(code, cwd, env))
    return made


@pytest.fixture(scope="module")
def env_server() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server


@pytest.mark.parametrize("missing", MISSING)
def test_env_snippet_without_its_variable_sends_nothing_and_says_why(
    missing: str, env_server: CaptureServer, tmp_path: Path
) -> None:
    jobs = env_jobs(env_server.base_url, tmp_path, missing)

    outcomes: list[Outcome] = java_recipe_runner()(jobs)

    assert env_server.take() == [], f"a Java snippet sent a request with its variable {missing}"
    for job, outcome in zip(jobs, outcomes, strict=True):
        where = f"{NAME} snippet, variable {missing}:\n{job.code}"
        assert outcome.exit_status not in (0, None), f"{where}\nexited {outcome.exit_status}"
        assert MISSING_ENV_REASON in outcome.stderr, f"{where}\nstderr {outcome.stderr!r}"
        assert "access_token" not in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(job.cwd.iterdir()) == [], f"{where}\nleft {list(job.cwd.iterdir())}"


def test_env_snippet_run_by_its_recipe_sends_one_request(
    env_server: CaptureServer, tmp_path: Path
) -> None:
    """The control: the same snippets, run by ``java Main.java``, send once it is set."""
    jobs = env_jobs(env_server.base_url, tmp_path, None)

    outcomes = java_recipe_runner()(jobs)

    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    assert len(env_server.take()) == len(jobs)
    assert all("access_token" in outcome.stdout for outcome in outcomes)
    assert all(list(job.cwd.iterdir()) == [] for job in jobs)


@pytest.mark.parametrize(("listen", "host"), [("::1", None), ("127.0.0.1", "localhost")])
def test_loopback_hosts(runner: Runner, listen: str, host: str | None, tmp_path: Path) -> None:
    """``[::1]`` and ``localhost`` URLs reach the server with the Host the wire request has."""
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer(listen)) for _ in SECRET_MODES]
        check(runner, api_cases(ApiValues("/api", None, "GET", "token"), servers, tmp_path, host))
