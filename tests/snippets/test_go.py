"""``go-native``: its Go hazards (issue 12), each proven by a run or a check of the source.

The equivalence property itself, and env mode without its variable, run for every target in
test_equivalence.py and test_env_unset.py (the runners: `tests/harness/go_runner.py`). Here:
``\\xNN`` is a byte, a BOM or NUL in source does not compile, ``url.Values.Encode`` sorts keys,
nothing invisible is shown raw, an HTTP error status prints the answer and exits 1, and the
snippets are gofmt-clean.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest
from clientcreds.request.wire import form_encode
from clientcreds.snippets.go.native import TARGET
from clientcreds.snippets.go.quoting import go_str
from clientcreds.snippets.plan import SecretMode, make_plan
from clientcreds.snippets.target import Recipe
from tests.harness.capture import REFUSAL_BODY, CaptureServer
from tests.harness.go_runner import go_runner
from tests.harness.proof import ApiValues, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Runner, require
from tests.strategies import API_PATHS

NAME = TARGET.name


@pytest.fixture(scope="module")
def runner() -> Runner:
    return go_runner()


def test_recipe_is_go_run_main_go() -> None:
    assert TARGET.recipe == Recipe("main.go", "go run main.go")


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
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination."""
    api = ApiValues(API_PATHS[-1], "q=%F0%9F%94%91", "DELETE", "\\u0022\"\\'*~%41`$")
    drawn = hazard_values("".join(HAZARDS), api)
    run_batch(NAME, runner, batch_cases(NAME, drawn, batch_servers), tmp_path / "batch")


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


def seed_token_request(**fields: Any) -> TokenRequest:
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


@pytest.mark.parametrize("status", [200, 401, 500])
def test_the_answer_is_printed_and_an_error_status_exits_1(
    status: int, runner: Runner, tmp_path: Path
) -> None:
    """net/http does not fail on a 4xx by itself: a token request and an API call print the
    answer, then exit 1 on 400 or more (and 0 below)."""
    with CaptureServer(status=status, body=REFUSAL_BODY) as server:
        requests: list[TokenRequest | ApiRequest] = [
            seed_token_request(domain=server.base_url),
            ApiRequest(server.base_url + "/api", access_token="t"),
        ]
        jobs = [
            Job(TARGET.render(make_plan(request, "reveal")), tmp_path / str(index))
            for index, request in enumerate(requests)
        ]
        for job in jobs:
            job.cwd.mkdir()
        outcomes = runner(jobs)
        assert len(server.take()) == len(jobs)
    for outcome in outcomes:
        assert outcome.stdout == REFUSAL_BODY.decode() + "\n", outcome
        assert outcome.exit_status == (1 if status >= 400 else 0), outcome


def test_snippets_are_gofmt_clean(tmp_path: Path) -> None:
    """What users copy is formatted as ``gofmt`` would: tabs, no stray spaces."""
    gofmt = require("gofmt", "install Go 1.21 or newer (gofmt comes with it)")
    requests = [
        seed_token_request(auth_method="client_secret_basic", body=body)
        for body in ("form", "json")
    ]
    subjects: list[TokenRequest | ApiRequest] = [*requests, ApiRequest("https://api.example.com/")]
    modes: tuple[SecretMode, ...] = ("placeholder", "env")
    for index, (request, mode) in enumerate([(r, m) for r in subjects for m in modes]):
        (tmp_path / f"s{index}.go").write_text(
            TARGET.render(make_plan(request, mode)), encoding="utf-8"
        )
    done = subprocess.run([gofmt, "-l", str(tmp_path)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
