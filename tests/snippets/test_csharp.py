"""``csharp-httpclient``, proven by execution on Mono like every target, plus its C# hazards.

The equivalence property of docs/architecture.md for both request kinds (the token request in
its twelve combinations, the API call in each secret mode), one example being one batch: one
``mcs`` and one ``mono`` (`tests/harness/csharp_runner.py`). A compiled runtime costs more per
example, so ``CLIENTCREDS_EXAMPLES`` defaults to 10 here. Env mode with the variable unset or
empty runs the recipe, ``mcs … Program.cs && mono Program.exe``, one process per snippet. The
hazard tests compile and run the literals and check the rendered source.
"""

from __future__ import annotations

import os
import re
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
from clientcreds.snippets.csharp.httpclient import TARGET, uri_rewrites
from clientcreds.snippets.csharp.quoting import csharp_str
from clientcreds.snippets.plan import MISSING_ENV_REASON, make_plan
from clientcreds.snippets.target import Recipe
from tests.harness import equivalence
from tests.harness.capture import Captured, CaptureServer
from tests.harness.csharp_runner import csharp_recipe_runner, csharp_runner
from tests.harness.runtimes import Job, Runner
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
    return csharp_runner()


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
        request = values.request(server.base_url)
        try:
            code = TARGET.render(make_plan(request, mode))
        except RenderError:
            assert refusal_is_justified(NAME, mode, request), (mode, request.url)
            continue
        env = {TOKEN_ENV_VAR: values.token} if mode == "env" else {}
        token = PLACEHOLDER_TOKEN if mode == "placeholder" else values.token
        wire = build_wire_request(request.url, None, (), method=values.method, bearer=token)
        cases.append(Case(_job(code, root, env), server, wire))
    return cases


def _job(code: str, root: Path, env: dict[str, str]) -> Job:
    assert_nothing_hidden(NAME, code)
    assert "\\x" not in code.replace("\\\\", ""), f"a C# \\x escape is greedy:\n{code}"
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
    """Equivalent as docs/architecture.md says, and with exactly the plan's Content-Type (the
    comparator ignores parameters; this snippet adds none)."""
    assert equivalence.of_captured(captured) == equivalence.of_wire(wire), where
    expected = dict(wire.headers)
    assert captured.header("Content-Type") == expected.get("Content-Type"), where


def test_recipe_compiles_with_mcs_and_runs_on_mono() -> None:
    assert TARGET.recipe == Recipe(
        "Program.cs",
        "mcs -r:System.Net.Http Program.cs && mono Program.exe",
        note=(
            "verified on Mono; on .NET 6+ put it in a console project (`dotnet new console`) "
            "and `dotnet run`"
        ),
    )


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
        root = tmp_path_factory.mktemp("csharp")
        try:
            cases = token_cases(values, token_servers, root)
            check(runner, cases + api_cases(api, api_servers, root))
        finally:
            for server in token_servers + api_servers:
                server.take()
            shutil.rmtree(root, ignore_errors=True)

    prove()


#: Each C# hazard of issue 12 as a value: they all travel in one hand-written batch.
HAZARDS = (
    "\\x41BC",  # as text; and a greedy \x escape would swallow the letters after it
    "\x01" + "BC",  # a control then hex digits: escaped with exactly four digits
    "\\u0022",
    "\\",
    '"',
    "a\r\nb",
    "\x00" + "0",
    "\x1b]0;t\x07\x7f",
    "🔑👩‍💻",  # astral: written as themselves, two UTF-16 code units each
    "\U000e0041",  # an astral character that is not printable: \U with eight digits
    "\u202e\u2066\u200b\ufeff\u2028\u2029\u0085\u00ad\u00a0",  # C# line breaks among them
    "!*'() ~+%&=",  # Uri.EscapeDataString and the wire form must agree on each
    '{0} {{ }} @"x" $"{y}"',  # format strings, verbatim and interpolated literal syntax
    "*/ /* //",
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
    api = ApiValues(API_PATHS[-1], "q=%22", "PATCH", "\\x41BC\"\\' *~%41`$")
    check(
        runner, token_cases(values, token_servers, tmp_path) + api_cases(api, api_servers, tmp_path)
    )


def test_csharp_str_evaluates_to_the_text(runner: Runner, tmp_path: Path) -> None:
    """Compiled and run, each literal holds exactly its text (UTF-16 code units compared)."""
    texts = [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS)]
    literals = "".join(f"            {csharp_str(text)},\n" for text in texts)
    code = (
        "using System;\n\n"
        "class Program\n{\n"
        "    static int Main()\n    {\n"
        f"        string[] texts =\n        {{\n{literals}        }};\n"
        "        foreach (string text in texts)\n        {\n"
        '            string hex = "";\n'
        "            foreach (char c in text)\n            {\n"
        '                hex += ((int)c).ToString("x4");\n'
        "            }\n"
        "            Console.WriteLine(hex);\n"
        "        }\n"
        "        return 0;\n"
        "    }\n}\n"
    )
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.ok, outcome.error
    assert outcome.stdout.splitlines() == [text.encode("utf-16-be").hex() for text in texts]


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ('"', '"\\""'),
        ("\\", '"\\\\"'),
        ("\n\r\t", '"\\n\\r\\t"'),
        ("\x00A", '"\\u0000A"'),
        ("\x01BC", '"\\u0001BC"'),
        ("\u202e\u200b\ufeff", '"\\u202e\\u200b\\ufeff"'),
        ("\u0085\u2028\u2029", '"\\u0085\\u2028\\u2029"'),
        ("\U000e0041", '"\\U000e0041"'),
        ("é🔑", '"é🔑"'),
    ],
)
def test_csharp_str_escapes_with_fixed_width_escapes_only(text: str, literal: str) -> None:
    assert csharp_str(text) == literal


def test_csharp_str_never_writes_a_greedy_hex_escape() -> None:
    every_control = "".join(map(chr, range(0x20))) + "\x7f\x85\xad"
    assert "\\x" not in csharp_str(every_control)


def _token_request(**fields: str) -> TokenRequest:
    base = TokenRequest(
        domain="tenant.auth0.com",
        client_id="abc",
        client_secret="s",
        audience="https://api.example.com/",
    )
    return base.replace(**fields)


def test_the_snippet_is_a_class_with_a_synchronous_main_for_mcs() -> None:
    """Mono's ``mcs`` has no top-level statements and no ``async Main``."""
    code = TARGET.render(make_plan(_token_request(), "env"))
    assert re.search(r"^class Program$", code, re.MULTILINE), code
    assert "    static int Main()\n" in code, code
    for newer in ("async", "await", "using var", "string?"):
        assert newer not in code, code


@pytest.mark.parametrize("body", ["form", "json"])
def test_the_content_type_is_exactly_the_media_type(body: str) -> None:
    code = TARGET.render(make_plan(_token_request(body=body), "placeholder"))
    media_type = "application/json" if body == "json" else "application/x-www-form-urlencoded"
    assert f"new MediaTypeHeaderValue({csharp_str(media_type)})" in code, code
    assert "new StringContent(" not in code, code
    assert "FormUrlEncodedContent" not in code, code


def test_basic_credentials_are_form_encoded_before_base64() -> None:
    code = TARGET.render(make_plan(_token_request(auth_method="client_secret_basic"), "env"))
    assert 'string credentials = Form("abc") + ":" + Form(clientSecret);' in code, code
    assert "Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))" in code, code


def test_the_helpers_appear_only_where_used() -> None:
    api = TARGET.render(make_plan(ApiRequest("https://api.example.com/"), "env"))
    assert "static string Form(" not in api, api
    assert "static string Json(" not in api, api
    assert "using System.Text;" not in api, api
    json_post = TARGET.render(make_plan(_token_request(body="json"), "env"))
    assert "static string Json(" in json_post, json_post
    assert "static string Form(" not in json_post, json_post


def test_patch_uses_a_method_mono_has() -> None:
    code = TARGET.render(make_plan(ApiRequest("https://api.example.com/", "PATCH"), "env"))
    assert 'new HttpMethod("PATCH")' in code, code


#: Pieces of URLs around what ``System.Uri`` rewrites: the escapes it may unescape, others it
#: keeps, and well-formed, ill-formed and bidi UTF-8 escapes.
URL_PIECES = ("%21", "%27", "%28%29", "%2A", "%3A", "%2F", "%25", "%22", "%3F", "%5B", "%7B")
UTF8_PIECES = (
    "",
    "%FF",
    "%C3",
    "%ED%A0%80",
    "%C0%AF",
    "%F4%90%80%80",
    "%25C3%A9",
    "%C3%A9",
    "%EF%BF%BF",
    "%F3%A0%80%81",
    "%E2%81%A6",
    "%E2%80%8D",
    *(f"%E2%80%{code}" for code in ("8E", "8F", "AA", "AB", "AC", "AD", "AE")),
)


def test_uri_rewrites_says_exactly_what_system_uri_changes(runner: Runner, tmp_path: Path) -> None:
    """Run on Mono: ``new Uri(url).PathAndQuery`` differs from the URL's exactly when
    `uri_rewrites` says so, the reason the target refuses those URLs."""
    tails = [
        f"/p{piece}{utf8}?q={utf8}"
        for piece in ("", *URL_PIECES)
        for utf8 in UTF8_PIECES
        if piece or utf8
    ]
    tails += [f"/p{utf8}?q={piece}" for piece in URL_PIECES for utf8 in UTF8_PIECES if utf8]
    literals = "".join(f"            {csharp_str(tail)},\n" for tail in tails)
    code = (
        "using System;\n\n"
        "class Program\n{\n"
        "    static int Main()\n    {\n"
        f"        string[] tails =\n        {{\n{literals}        }};\n"
        "        foreach (string tail in tails)\n        {\n"
        '            Uri uri = new Uri("http://127.0.0.1:9" + tail);\n'
        '            Console.WriteLine(uri.PathAndQuery == tail ? "same" : "changed");\n'
        "        }\n"
        "        return 0;\n"
        "    }\n}\n"
    )
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.ok, outcome.error
    changed = [line == "changed" for line in outcome.stdout.splitlines()]
    assert changed == [uri_rewrites(tail) for tail in tails]
    assert any(changed), "the samples must include URLs System.Uri rewrites"


@pytest.mark.parametrize("escape", ["%E2%80%8E", "%e2%80%8f", "%E2%80%AE", "%C3%A9%27"])
def test_a_url_system_uri_would_change_is_refused(escape: str) -> None:
    request = ApiRequest(f"https://api.example.com/a?q={escape}")
    with pytest.raises(RenderError, match="Uri would send"):
        TARGET.render(make_plan(request, "placeholder"))


def test_escapes_system_uri_keeps_are_rendered() -> None:
    kept = ApiRequest("https://api.example.com/a%2F?q=%E2%80%8D%E2%80%AF%E2%81%A6%22")
    assert "%E2%81%A6" in TARGET.render(make_plan(kept, "placeholder"))


def test_a_bearer_token_outside_visible_ascii_is_refused() -> None:
    request = ApiRequest("https://api.example.com/", access_token="t\u00f6ken")
    with pytest.raises(RenderError, match="ASCII"):
        TARGET.render(make_plan(request, "reveal"))


#: Unset (the job's environment has no such variable) and set but empty.
MISSING = ("unset", "empty")


def env_jobs(base_url: str, root: Path, missing: str | None) -> list[Job]:
    """Every env-mode snippet (four token combinations and the API call) as its own job."""
    codes = []
    for mode, auth_method, body in COMBOS:
        if mode != "env":
            continue
        request = TokenRequest(
            domain=base_url,
            client_id="'; touch pwned; '$(touch pwned)",
            client_secret="the-real-secret",
            audience='"); System.IO.File.Create("pwned"); ("\\x22',
            auth_method=auth_method,
            body=body,
        )
        codes.append((TARGET.render(make_plan(request, "env")), SECRET_ENV_VAR))
    api = ApiRequest(base_url + "/api")
    codes.append((TARGET.render(make_plan(api, "env")), TOKEN_ENV_VAR))
    jobs = []
    for index, (code, variable) in enumerate(codes):
        cwd = root / f"job-{index}"
        cwd.mkdir()
        env = {} if missing == "unset" else {variable: "" if missing else "the-real-secret"}
        jobs.append(Job(code, cwd, env))
    return jobs


@pytest.fixture(scope="module")
def env_server() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server


@pytest.fixture(scope="module")
def recipe_runner() -> Runner:
    assert TARGET.recipe is not None
    return csharp_recipe_runner(TARGET.recipe)


@pytest.mark.parametrize("missing", MISSING)
def test_env_snippet_without_its_variable_sends_nothing_and_says_why(
    missing: str, recipe_runner: Runner, env_server: CaptureServer, tmp_path: Path
) -> None:
    jobs = env_jobs(env_server.base_url, tmp_path, missing)

    outcomes = recipe_runner(jobs)

    assert env_server.take() == [], f"a C# snippet sent a request with its variable {missing}"
    for job, outcome in zip(jobs, outcomes, strict=True):
        where = f"{NAME} snippet, variable {missing}:\n{job.code}"
        assert outcome.exit_status not in (0, None), f"{where}\nexited {outcome.exit_status}"
        assert MISSING_ENV_REASON in outcome.stderr, f"{where}\nstderr {outcome.stderr!r}"
        assert "access_token" not in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(job.cwd.iterdir()) == [], f"{where}\nleft {list(job.cwd.iterdir())}"


def test_env_snippet_run_by_its_recipe_sends_one_request(
    recipe_runner: Runner, env_server: CaptureServer, tmp_path: Path
) -> None:
    """The control: the same snippets, run by the recipe, send once the variable is set."""
    jobs = env_jobs(env_server.base_url, tmp_path, None)

    outcomes = recipe_runner(jobs)

    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    assert len(env_server.take()) == len(jobs)
    assert all("access_token" in outcome.stdout for outcome in outcomes)
    assert all(list(job.cwd.iterdir()) == [] for job in jobs)
