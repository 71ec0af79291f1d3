"""``go-native``, proven by execution like every target, plus its Go hazards (issue 12).

The equivalence property of docs/architecture.md for both request kinds (the token request in
its twelve combinations, the API call in each secret mode): one hypothesis example is one batch,
compiled by one ``go build`` (`tests/harness/go_runner.py`), each snippet then run as its own
process. A compiled runtime costs more per example, so ``CLIENTCREDS_EXAMPLES`` defaults to 10
here. Env mode with its variable unset or empty, and the recipe itself (``go run main.go``), run
one process per snippet. The render tests pin each Go hazard: ``\\xNN`` is a byte, a BOM or NUL
in source does not compile, ``url.Values.Encode`` sorts keys, and nothing invisible is shown raw.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest
from clientcreds.core.protocol import TOKEN_ENV_VAR
from clientcreds.request.wire import form_encode
from clientcreds.snippets import SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.go.native import TARGET
from clientcreds.snippets.go.quoting import go_str
from clientcreds.snippets.plan import MISSING_ENV_REASON, make_plan
from clientcreds.snippets.target import Recipe
from tests.harness.capture import CaptureServer
from tests.harness.go_runner import go_recipe_runner, go_runner
from tests.harness.runtimes import Job, Runner, require
from tests.snippets.test_equivalence import (
    COMBOS,
    ApiValues,
    Values,
    api_values_strategy,
    check,
    values_strategy,
)
from tests.strategies import API_PATHS

EXAMPLES = int(os.environ.get("CLIENTCREDS_EXAMPLES", "10"))
NAME = TARGET.name


@pytest.fixture(scope="module")
def runner() -> Runner:
    return go_runner()


@pytest.fixture(scope="module")
def servers() -> Iterator[list[CaptureServer]]:
    """One capture server per job of a batch: the token combinations, then the API calls."""
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in [*COMBOS, *SECRET_MODES]]


def prove_batch(
    runner: Runner, drawn: tuple[Values, ApiValues], servers: list[CaptureServer], root: Path
) -> None:
    """Build, run and check one batch with the shared `check`, leaving servers and `root` clean."""
    root.mkdir()
    try:
        check(NAME, runner, drawn, servers, root)
    finally:
        for server in servers:
            server.take()
        shutil.rmtree(root, ignore_errors=True)


def test_recipe_is_go_run_main_go() -> None:
    assert TARGET.recipe == Recipe("main.go", "go run main.go")


def test_snippets_are_equivalent_when_executed(
    runner: Runner, servers: list[CaptureServer], tmp_path: Path
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(drawn=st.tuples(values_strategy, api_values_strategy))
    def prove(drawn: tuple[Values, ApiValues]) -> None:
        prove_batch(runner, drawn, servers, tmp_path / "batch")

    prove()


#: Each Go hazard of issue 12 as a value: all of them travel in one hand-written batch.
HAZARDS = (
    "\ufeff",  # a BOM in a Go file is a compile error
    "\x00" + "0",  # NUL is refused in source
    "\x85\xa0\xff",  # above 0x7F, \xNN would be a byte of broken UTF-8
    "é日本",
    "🔑👩‍💻",
    "\u202e\u2066\u200b\u2028\u2029\u00ad\U000e0001",  # bidi, zero-width, separators, tags
    "%+&=",  # encoded by url.QueryEscape when the snippet runs
    "*~ -._!'()",  # form encoding keeps only -._~ and writes a space as +
    '\\"`$\r\n\t\x1b\x7f',
)


def test_hazardous_values_survive_every_combination(
    runner: Runner, servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination."""
    joined = "".join(HAZARDS)
    values = Values(joined, joined[::-1], "x" + joined, joined + "y", "z" + joined, None)
    api = ApiValues(API_PATHS[-1], "q=%F0%9F%94%91", "DELETE", "\\u0022\"\\'*~%41`$")
    prove_batch(runner, (values, api), servers, tmp_path / "batch")


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("\ufeff", r'"\ufeff"'),
        ("\x00", r'"\x00"'),
        ("é", '"é"'),
        ("🔑", '"🔑"'),
        ("\u202e", r'"\u202e"'),
        ("\x85", r'"\u0085"'),  # not \x85: that is a byte, and alone not UTF-8
        ("\U000e0001", r'"\U000e0001"'),
        ("%+&=", '"%+&="'),
        ('"\\\n\r\t', r'"\"\\\n\r\t"'),
    ],
)
def test_go_str_escapes_each_hazard(text: str, literal: str) -> None:
    assert go_str(text) == literal


@given(st.text())
def test_go_str_evaluates_to_the_text(text: str) -> None:
    """Go's escapes used here (``\\xNN`` below 0x80, ``\\u``, ``\\U``, the short ones) mean the
    same in Python, so Python can read each literal back."""
    literal = go_str(text)
    assert ast.literal_eval(literal) == text
    assert "\ufeff" not in literal
    assert "\x00" not in literal


def test_go_str_refuses_a_lone_surrogate() -> None:
    with pytest.raises(RenderError, match="surrogate"):
        go_str("a\ud800")


def seed_token_request(**fields: str) -> TokenRequest:
    return TokenRequest(
        **{
            "domain": "tenant.auth0.com",
            "client_id": "abc",
            "client_secret": "s",
            "audience": "https://api.example.com/",
            **fields,
        }
    )


@pytest.mark.parametrize("body", ["form", "json"])
def test_body_pairs_keep_their_order_without_sorting_maps(body: str) -> None:
    request = seed_token_request(body=body, scope="read:things", organization="org_1")
    plan = make_plan(request, "env")
    code = TARGET.render(plan)
    positions = [code.index(f"\t\t{go_str(name)}, ") for name, _ in plan.params]
    assert positions == sorted(positions)
    assert ".Encode()" not in code
    assert "map[string]" not in code


def test_url_query_escape_is_the_wire_form_encoding(runner: Runner, tmp_path: Path) -> None:
    """``url.QueryEscape`` of every character up to U+00FF and some beyond, run in Go, is
    exactly `form_quote` (RFC 6749's form encoding: ``-._~`` kept, space as ``+``)."""
    text = "".join(map(chr, range(1, 0x100))) + "日本🔑\u202e"
    code = (
        'package main\n\nimport (\n\t"fmt"\n\t"net/url"\n)\n\n'
        f"func main() {{\n\tfmt.Print(url.QueryEscape({go_str(text)}))\n}}\n"
    )
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.ok, outcome.error
    assert outcome.stdout == form_encode([("", text)]).decode()[1:]


def test_snippets_are_gofmt_clean(tmp_path: Path) -> None:
    """What users copy is formatted as ``gofmt`` would: tabs, no stray spaces."""
    gofmt = require("gofmt", "install Go 1.21 or newer (gofmt comes with it)")
    requests = [
        seed_token_request(auth_method="client_secret_basic", body=body)
        for body in ("form", "json")
    ]
    for index, (request, mode) in enumerate(
        [
            (r, m)
            for r in [*requests, ApiRequest("https://api.example.com/")]
            for m in ("placeholder", "env")
        ]
    ):
        (tmp_path / f"s{index}.go").write_text(
            TARGET.render(make_plan(request, mode)), encoding="utf-8"
        )
    done = subprocess.run([gofmt, "-l", str(tmp_path)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def env_jobs(base_url: str, root: Path, missing: str | None) -> list[Job]:
    """Every env-mode snippet (four token combinations and the API call) as its own job."""
    rendered = []
    for mode, auth_method, body in COMBOS:
        if mode == "env":
            request = seed_token_request(
                domain=base_url,
                client_id="'; touch pwned; '$(touch pwned)",
                audience='"); os.Create("pwned"); ("',
                auth_method=auth_method,
                body=body,
            )
            rendered.append((TARGET.render(make_plan(request, "env")), SECRET_ENV_VAR))
    api = ApiRequest(base_url + "/api")
    rendered.append((TARGET.render(make_plan(api, "env")), TOKEN_ENV_VAR))
    jobs = []
    for index, (code, variable) in enumerate(rendered):
        cwd = root / f"job-{index}"
        cwd.mkdir()
        env = {} if missing == "unset" else {variable: "" if missing else "the-real-secret"}
        jobs.append(Job(code, cwd, env))
    return jobs


@pytest.fixture(scope="module")
def env_server() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server


@pytest.mark.parametrize("missing", ["unset", "empty"])
def test_env_snippet_without_its_variable_sends_nothing_and_says_why(
    runner: Runner, missing: str, env_server: CaptureServer, tmp_path: Path
) -> None:
    jobs = env_jobs(env_server.base_url, tmp_path, missing)

    outcomes = runner(jobs)

    assert env_server.take() == [], f"a Go snippet sent a request with its variable {missing}"
    for job, outcome in zip(jobs, outcomes, strict=True):
        where = f"{NAME} snippet, variable {missing}:\n{job.code}"
        assert outcome.exit_status not in (0, None), f"{where}\nexited {outcome.exit_status}"
        variable = TOKEN_ENV_VAR if TOKEN_ENV_VAR in job.code else SECRET_ENV_VAR
        assert f"{variable} {MISSING_ENV_REASON}" in outcome.stderr, f"{where}\n{outcome.stderr!r}"
        assert "access_token" not in outcome.stdout, f"{where}\nprinted {outcome.stdout!r}"
        assert list(job.cwd.iterdir()) == [], f"{where}\nleft {list(job.cwd.iterdir())}"


def test_env_snippets_run_by_their_recipe_send_one_request(
    env_server: CaptureServer, tmp_path: Path
) -> None:
    """The control, and the recipe itself: ``go run main.go`` in the snippet's folder sends
    once the variable is set, and leaves nothing but the saved file (removed after)."""
    assert TARGET.recipe is not None
    jobs = env_jobs(env_server.base_url, tmp_path, None)

    outcomes = go_recipe_runner(TARGET.recipe)(jobs)

    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    assert len(env_server.take()) == len(jobs)
    assert all("access_token" in outcome.stdout for outcome in outcomes)
    assert all(list(job.cwd.iterdir()) == [] for job in jobs)
