"""``c-libcurl``, proven by execution like every target, plus its C hazards.

The equivalence property of docs/architecture.md for both request kinds (the token request in
its twelve combinations, the API call in each secret mode), one example being one batch built
by a single strict ``gcc`` call (`tests/harness/c_runner.py`). A compiled runtime costs more
per example, so ``CLIENTCREDS_EXAMPLES`` defaults to 10 here. Env mode with the variable unset
or empty is run as the recipe says, one process per snippet. The render tests check each
hazard of issue 12 (greedy ``\\x``, trigraphs, NUL, non-ASCII and invisible characters) by
compiling the literals under ``-std=c99`` and comparing the bytes they hold.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest, render
from clientcreds.core.protocol import PLACEHOLDER_TOKEN, TOKEN_ENV_VAR
from clientcreds.request.api_request import API_METHODS, ApiMethod
from clientcreds.request.wire import WireRequest
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES, SecretMode
from clientcreds.snippets.c.libcurl import TARGET
from clientcreds.snippets.c.quoting import c_str
from clientcreds.snippets.plan import MISSING_ENV_REASON, make_plan
from clientcreds.snippets.target import Recipe
from tests.harness import c_runner as c_runner_module
from tests.harness import capture, equivalence
from tests.harness.c_runner import STRICT, c_process_runner, c_runner
from tests.harness.capture import Captured, CaptureServer
from tests.harness.runtimes import Job, Runner, require
from tests.request.test_assertion import key_request
from tests.snippets.test_equivalence import (
    AUTH_METHODS,
    BODIES,
    COMBOS,
    Values,
    assert_nothing_hidden,
    refusal_is_justified,
    values_strategy,
)
from tests.strategies import HOSTILE_PIECES, TOKEN_PATHS

EXAMPLES = int(os.environ.get("CLIENTCREDS_EXAMPLES", "10"))
NAME = TARGET.name
assert TARGET.recipe is not None
RECIPE: Recipe = TARGET.recipe
#: The methods the capture server answers (it records whatever it accepts).
METHODS = tuple(m for m in API_METHODS if hasattr(capture._Handler, f"do_{m}"))
API_PATHS = ("/", "/api/things", *(path for path in TOKEN_PATHS if path is not None))
#: A bearer token is visible ASCII: the hostile ASCII pieces, and any visible ASCII.
_ASCII_PIECES = [p for p in HOSTILE_PIECES if p.isascii() and p.isprintable() and " " not in p]
token_text = (
    st.lists(
        st.sampled_from(_ASCII_PIECES)
        | st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1),
        min_size=1,
        max_size=5,
    )
    .map("".join)
    .filter(bool)
)
#: Every C hazard at once: trigraphs, a hex-looking run after a control, NUL, a digit after
#: a byte that needs an escape, a bidi override, astral and combining characters.
HAZARDS = "a??=b??/c??' \x01" + "7BC\x00" + "0 é1 \u202e\u200b 🔑 e\u0301 \\x41BC \"'%+&="


@dataclass(frozen=True)
class ApiValues:
    """The generated part of an API call: method, path and token."""

    method: ApiMethod
    path: str
    token: str

    def request(self, base_url: str, mode: SecretMode) -> ApiRequest:
        """The call as rendered: only reveal mode knows the token."""
        token = self.token if mode == "reveal" else None
        return ApiRequest(base_url + self.path, method=self.method, access_token=token)

    def wire(self, base_url: str, mode: SecretMode) -> WireRequest:
        """What the snippet must send."""
        token = PLACEHOLDER_TOKEN if mode == "placeholder" else self.token
        sent = ApiRequest(base_url + self.path, method=self.method, access_token=token)
        return make_plan(sent, "reveal").wire_request(NAME)


api_strategy = st.builds(
    ApiValues, method=st.sampled_from(METHODS), path=st.sampled_from(API_PATHS), token=token_text
)


@dataclass
class Case:
    """One job of a batch, where it sends, and what it must send."""

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


def api_cases(values: ApiValues, servers: list[CaptureServer], root: Path) -> list[Case]:
    """The API call in each secret mode."""
    cases = []
    for server, mode in zip(servers, SECRET_MODES, strict=True):
        code = TARGET.render(make_plan(values.request(server.base_url, mode), mode))
        env = {TOKEN_ENV_VAR: values.token} if mode == "env" else {}
        cases.append(Case(_job(code, root, env), server, values.wire(server.base_url, mode)))
    return cases


def _job(code: str, root: Path, env: dict[str, str]) -> Job:
    assert_nothing_hidden(NAME, code)
    assert code.isascii(), f"a C snippet is ASCII (other bytes are octal escapes):\n{code}"
    cwd = root / f"job-{len(list(root.iterdir()))}"
    cwd.mkdir()
    return Job(code, cwd, env)


def check(runner: Runner, cases: list[Case]) -> None:
    """Run the batch; each snippet sent its request once and printed the answer."""
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
    """Equivalent as docs/architecture.md says. The shared comparator reads Basic credentials
    only, so the API call (no body, ``Authorization: Bearer``) is compared here, exactly."""
    expected = dict(wire.headers)
    if "Content-Type" in expected:
        assert equivalence.of_captured(captured) == equivalence.of_wire(wire), where
    else:
        assert (captured.method, captured.target) == (wire.method, wire.origin_form), where
        assert (captured.header("Host") or "").lower() == wire.authority.lower(), where
        assert captured.header("Content-Type") is None, where
        assert captured.body == b"", where
        assert captured.header("Authorization") == expected["Authorization"], where


def run_batch(cases: list[list[Case]], runner: Runner, servers: list[CaptureServer]) -> None:
    """Run the cases as one batch; the servers are emptied whatever happens."""
    try:
        check(runner, [case for group in cases for case in group])
    finally:
        for server in servers:
            server.take()


def test_recipe_is_cc_then_run() -> None:
    assert (RECIPE.filename, RECIPE.command) == (
        "main.c",
        "cc main.c -lcurl -o request && ./request",
    )


def test_snippets_are_equivalent_when_executed(
    token_servers: list[CaptureServer],
    api_servers: list[CaptureServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    runner = c_runner()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=values_strategy, api=api_strategy)
    def prove(values: Values, api: ApiValues) -> None:
        root = tmp_path_factory.mktemp("c")
        cases = [token_cases(values, token_servers, root), api_cases(api, api_servers, root)]
        try:
            run_batch(cases, runner, [*token_servers, *api_servers])
        finally:
            shutil.rmtree(root, ignore_errors=True)

    prove()


@pytest.mark.parametrize("text", [HAZARDS, HAZARDS.replace("\x00", "")], ids=["nul", "no-nul"])
def test_every_hazard_is_sent_exactly(
    text: str,
    token_servers: list[CaptureServer],
    api_servers: list[CaptureServer],
    tmp_path: Path,
) -> None:
    """One batch with every hazard in every value. With a NUL, env mode is refused (no
    variable holds one); without, the snippet's run-time encoders meet every hazard."""
    values = Values(text, text, text, text, None, TOKEN_PATHS[-1])
    api = ApiValues(METHODS[-1], TOKEN_PATHS[-1] or "/", 'a??=b??/c\\x41BC"%$')
    cases = [token_cases(values, token_servers, tmp_path), api_cases(api, api_servers, tmp_path)]
    assert len(cases[0]) == (8 if "\x00" in text else 12)
    run_batch(cases, c_runner(), [*token_servers, *api_servers])


def test_a_missing_libcurl_header_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without curl/curl.h the runners skip with the install hint (fail under REQUIRE_ALL)."""
    monkeypatch.setattr(c_runner_module, "_has_libcurl_header", lambda gcc: False)
    outcomes = (pytest.skip.Exception, pytest.fail.Exception)
    with pytest.raises(outcomes, match=r"curl/curl\.h is not installed"):
        c_runner()


@pytest.mark.parametrize("missing", ["unset", "empty"])
def test_env_snippet_without_the_variable_sends_nothing_and_says_why(
    missing: str,
    token_servers: list[CaptureServer],
    api_servers: list[CaptureServer],
    tmp_path: Path,
) -> None:
    """Run as the recipe says, one process each: nothing sent, the message, a non-zero exit."""
    values = Values("'; touch pwned; '", "secret", "$(touch pwned)", None, None, None)
    api = ApiValues("GET", "/", "token")
    cases = [
        *token_cases(values, token_servers, tmp_path),
        *api_cases(api, api_servers, tmp_path),
    ]
    env_cases = [case for case in cases if case.job.env]
    for case in env_cases:
        (name,) = case.job.env
        case.job.env = {name: ""} if missing == "empty" else {}
    assert len(env_cases) == 5

    outcomes = c_process_runner(RECIPE)([case.job for case in env_cases])

    for case, outcome in zip(env_cases, outcomes, strict=True):
        where = f"{NAME} snippet, variable {missing}:\n{case.job.code}"
        assert case.server.take() == [], f"{where}\nsent a request"
        assert outcome.exit_status not in (0, None), f"{where}\nexited {outcome.exit_status}"
        assert MISSING_ENV_REASON in outcome.stderr, f"{where}\nstderr {outcome.stderr!r}"
        assert "access_token" not in outcome.stdout, where
        assert list(case.job.cwd.iterdir()) == [], where


def test_recipe_runs_a_snippet_with_its_variable(
    token_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """The control: built as users are told, an env snippet sends once the variable is set."""
    values = Values("id", "s e??=cret\nx", "https://api/", None, None, None)
    cases = [case for case in token_cases(values, token_servers, tmp_path) if case.job.env]
    outcomes = c_process_runner(RECIPE)([case.job for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        assert outcome.ok, outcome.error
        captured = case.server.take()
        assert len(captured) == 1
        assert_equivalent(captured[0], case.wire, case.job.code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("??=", r'"\?\?="'),
        ("\x01" + "7", r'"\0017"'),
        ("\x00" + "0", r'"\0000"'),
        ("é1", r'"\303\2511"'),
        ("\u202e", r'"\342\200\256"'),
        ('"\\', r'"\"\\"'),
        ("\\x41BC", r'"\\x41BC"'),
        ("a\nb\tc\r", r'"a\nb\tc\r"'),
    ],
)
def test_c_str_escapes_each_hazard(text: str, expected: str) -> None:
    assert c_str(text) == expected


def test_c_literals_hold_exactly_their_bytes_under_c99(tmp_path: Path) -> None:
    """Compiled under -std=c99 (trigraphs honoured), each literal's bytes are the text's UTF-8,
    NUL included, counted with sizeof."""
    gcc = require("gcc", "apt-get install gcc")
    texts = [HAZARDS, *HOSTILE_PIECES, "\x00", "??=??(??)??<??>??!??-??'??/"]
    prints = "".join(
        f"    {{ static const char t[] = {c_str(text)}; dump(t, sizeof t - 1); }}\n"
        for text in texts
    )
    source = tmp_path / "literals.c"
    source.write_text(
        "#include <stdio.h>\n"
        "static void dump(const char *t, size_t n)\n{\n"
        "    for (size_t i = 0; i < n; i++)\n"
        '        printf("%02x", (unsigned char)t[i]);\n'
        '    printf("\\n");\n}\n'
        f"int main(void)\n{{\n{prints}    return 0;\n}}\n"
    )
    program = tmp_path / "literals"
    subprocess.run([gcc, *STRICT, "-o", str(program), str(source)], check=True)
    printed = subprocess.run([str(program)], capture_output=True, text=True, check=True)
    assert printed.stdout.split("\n")[:-1] == [text.encode().hex() for text in texts]


def test_secret_modes_show_the_secret_only_when_revealed() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com", client_id="id", client_secret="real-secret-123", audience="a"
    )
    assert "real-secret-123" in render(request, NAME, secret="reveal")
    for auth_method, body in itertools.product(AUTH_METHODS, BODIES):
        changed = request.replace(auth_method=auth_method, body=body)
        assert PLACEHOLDER_SECRET in render(changed, NAME), "a plain literal users can edit"
        assert "real-secret-123" not in render(changed, NAME)
        shown = render(changed, NAME, secret="env")
        assert "real-secret-123" not in shown
        assert f"getenv({c_str(SECRET_ENV_VAR)})" in shown


def test_refusals_are_only_the_justified_ones() -> None:
    """A NUL secret in env mode (no variable holds one) and private_key_jwt, as every target."""
    request = TokenRequest(
        domain="tenant.auth0.com", client_id="id", client_secret="nul\x00inside", audience="a"
    )
    with pytest.raises(RenderError, match="NUL character, which no environment variable"):
        render(request, NAME, secret="env")
    assert "nul%00inside" in render(request, NAME, secret="reveal")
    with pytest.raises(RenderError, match="snippets for private_key_jwt are not supported yet"):
        render(key_request(), NAME, secret="reveal")


def test_ipv6_loopback_reaches_the_server(tmp_path: Path) -> None:
    with CaptureServer("::1") as server:
        request = TokenRequest(
            domain=server.base_url, client_id="i", client_secret="s", audience="a"
        )
        [outcome] = c_runner()([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())
