"""``python-httpx``: its hazards, each proven by running httpx (or, for the source, parsing it).

The equivalence property itself (with this target's checks: no string formatting in the
source, the Basic header and a form body byte for byte) and env mode without its variable run
for every target in test_equivalence.py and test_env_unset.py; the runners are in
`tests/harness/httpx_urllib_runner.py`. Here: every hazard in one batch; ``data=`` keeps the
order and encodes as the wire does; ``auth=`` alone does not form-encode; the JSON body; the
answer printed as it came and an error status failing (for ``python-requests`` too, which
ends as httpx does); a synchronous call with a timeout; no f-string; lone surrogates; no
warnings; loopback hosts and odd URLs; clean source. `python_str` itself is proven in
test_python_urllib.py (both targets share it).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from clientcreds import ApiRequest, RenderError, TokenRequest, render
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.wire import basic_authorization, form_encode
from clientcreds.snippets.python.httpx_client import TARGET
from clientcreds.snippets.python.quoting import python_str
from clientcreds.snippets.target import Recipe
from tests.harness.capture import CaptureServer
from tests.harness.httpx_urllib_runner import (
    HTTPX_CHECKS,
    formats_no_string,
    httpx_process_runner,
    httpx_runner,
)
from tests.harness.runtimes import Job, Runner
from tests.harness.targets import RUNTIMES
from tests.snippets.python_clients import (
    COMBOS,
    ERROR_BODY,
    HAZARDS,
    assert_a_lone_surrogate_is_not_sent,
    assert_golden_snippets_are_ruff_clean,
    assert_no_warning,
    error_status_outcomes,
    run_hazard_batch,
    run_url_cases,
    token_request,
)

NAME = TARGET.name


@pytest.fixture(scope="module")
def runner() -> Runner:
    return httpx_runner()


@pytest.fixture(scope="module")
def process_runner() -> Runner:
    return httpx_process_runner()


def test_recipe_is_pip_install_httpx_then_python3_main_py() -> None:
    assert TARGET.recipe == Recipe(
        "main.py", "python3 main.py", note="Install httpx first: pip install httpx"
    )


def test_hazardous_values_survive_every_combination(
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination, and the API call."""
    run_hazard_batch(NAME, runner, batch_servers, tmp_path / "batch", HTTPX_CHECKS)


def run_script(runner: Runner, code: str, cwd: Path) -> str:
    """Run `code` with the target's runtime; its stdout."""
    [outcome] = runner([Job(code, cwd)])
    assert outcome.ok, outcome.error
    return outcome.stdout


def test_data_keeps_the_dict_order_and_encodes_as_the_wire(runner: Runner, tmp_path: Path) -> None:
    """httpx's ``data=`` dict, unsorted names and every character up to U+00FF and beyond as
    values, is exactly `form_encode` of the pairs in order."""
    values = ["".join(map(chr, range(1, 0x100))), "日本🔑\u202e\u2028", *HAZARDS]
    pairs = [(f"{name}{n}", value) for n, value in enumerate(values) for name in ("z", "a")]
    fields = "".join(f"    {python_str(name)}: {python_str(value)},\n" for name, value in pairs)
    code = (
        "import httpx\n\n"
        'request = httpx.Request("POST", "http://127.0.0.1/", data={\n'
        f"{fields}"
        "})\n"
        "print(request.read().decode())\n"
    )
    assert run_script(runner, code, tmp_path).rstrip("\n") == form_encode(pairs).decode()


def test_basic_auth_alone_does_not_form_encode(runner: Runner, tmp_path: Path) -> None:
    """``auth=(id, secret)`` joins the two as they are (so ``a:b`` and ``%2B`` would mean other
    credentials); with ``quote_plus`` first, as the snippet does, it is RFC 6749's header."""
    client_id, secret = "a:b é", "%2B+ &="
    code = (
        "from urllib.parse import quote_plus\n\nimport httpx\n\n"
        "def header(auth):\n"
        '    request = httpx.Request("GET", "http://127.0.0.1/")\n'
        '    return next(httpx.BasicAuth(*auth).auth_flow(request)).headers["Authorization"]\n\n'
        f"client_id, secret = {python_str(client_id)}, {python_str(secret)}\n"
        "print(header((client_id, secret)))\n"
        "print(header((quote_plus(client_id), quote_plus(secret))))\n"
    )
    raw, encoded = run_script(runner, code, tmp_path).splitlines()
    assert encoded == basic_authorization(client_id, secret)
    assert raw != encoded


def test_json_body_is_the_same_object_as_utf8(runner: Runner, tmp_path: Path) -> None:
    """``json=`` sends the object in strict UTF-8, as ``application/json``, in order."""
    with CaptureServer() as server:
        request = token_request(
            server.base_url, "client_secret_post", "json", audience="".join(HAZARDS)
        )
        [outcome] = runner([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert captured.header("Content-Type") == "application/json"
    sent = json.loads(captured.body.decode("utf-8"), object_pairs_hook=list)
    assert sent == json.loads(request.wire_request().body, object_pairs_hook=list)


@pytest.mark.parametrize("status", [200, 401, 503])
@pytest.mark.parametrize("target", ["python-requests", NAME])
def test_the_answer_is_printed_as_it_came_and_an_error_status_exits_1(
    target: str, status: int, tmp_path: Path
) -> None:
    """requests and httpx share the ending (`common.PRINT_THEN_CHECK_STATUS`): each token
    request and the API call print the body as it came, then ``raise_for_status()`` exits 1
    on 400 or more (and 0 below), naming the status."""
    runner = RUNTIMES[target].process()
    for outcome in error_status_outcomes(target, runner, status, tmp_path):
        assert outcome.stdout == ERROR_BODY + "\n", outcome
        assert outcome.exit_status == (1 if status >= 400 else 0), outcome
        assert (f"{status} " in outcome.stderr) == (status >= 400), outcome


def test_the_call_is_synchronous_with_an_explicit_timeout() -> None:
    """Each snippet makes one ``httpx.<method>(..., timeout=10)`` call, and awaits nothing."""
    cases: list[tuple[TokenRequest | ApiRequest, str]] = [
        (token_request("https://tenant.auth0.com", *combo), "post") for combo in COMBOS
    ]
    cases.append((ApiRequest("https://api.example.com/", "DELETE"), "delete"))
    for request, method in cases:
        tree = ast.parse(render(request, NAME, secret="env"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value) == "httpx"
        ]
        assert [ast.unparse(call.func) for call in calls] == [f"httpx.{method}"]
        timeouts = [ast.unparse(k.value) for k in calls[0].keywords if k.arg == "timeout"]
        assert timeouts == ["10"]
        assert not any(isinstance(node, (ast.Await, ast.AsyncWith)) for node in ast.walk(tree))


@pytest.mark.parametrize(
    "template", ['f"{client_secret}"', '"{}".format(client_secret)', '"%s" % client_secret']
)
def test_a_formatted_string_would_be_caught(template: str) -> None:
    """The source check of every run (`formats_no_string`) fails on each kind of template."""
    with pytest.raises(AssertionError):
        formats_no_string(f"x = {template}\n")


def test_braces_and_named_escapes_stay_plain_literals() -> None:
    """``{x}``, ``{{x}}`` and ``\\N{DASH}`` are written inside plain literals, unchanged."""
    code = render(
        token_request(
            "https://t.example.com", "client_secret_post", "form", client_id="{x} {{x}} \\N{DASH}"
        ),
        NAME,
    )
    formats_no_string(code)
    assert '"{x} {{x}} \\\\N{DASH}"' in code


def test_lone_surrogates_cannot_be_sent(process_runner: Runner, tmp_path: Path) -> None:
    """A request refuses a lone surrogate; the only way one reaches a snippet is a variable
    that is not UTF-8 (Python reads it as one), and then httpx refuses to encode it: nothing
    is sent, and the snippet fails."""
    with pytest.raises(RequestFieldError, match="lone surrogate"):
        token_request("https://t.example.com", "client_secret_post", "form", client_secret="\ud800")
    assert_a_lone_surrogate_is_not_sent(NAME, process_runner, tmp_path)


def test_no_warning_is_raised(process_runner: Runner, tmp_path: Path) -> None:
    """Every env-mode snippet runs under ``PYTHONWARNINGS=error``: no deprecated use."""
    assert_no_warning(NAME, process_runner, tmp_path)


def test_loopback_hosts_and_odd_urls_are_sent_unchanged(runner: Runner, tmp_path: Path) -> None:
    run_url_cases(NAME, runner, tmp_path)


def test_golden_snippets_are_ruff_clean(tmp_path: Path) -> None:
    """What users copy passes ruff's default lint and import order, and is ruff-formatted."""
    assert_golden_snippets_are_ruff_clean(NAME, tmp_path)


def test_a_nul_secret_is_refused_only_in_env_mode() -> None:
    """No environment variable can hold NUL; revealed, the literal holds it as ``\\x00``."""
    request = token_request(
        "https://t.example.com", "client_secret_basic", "json", client_secret="a\x00b"
    )
    with pytest.raises(RenderError, match="NUL"):
        render(request, NAME, secret="env")
    assert "a\\x00b" in render(request, NAME, secret="reveal")
