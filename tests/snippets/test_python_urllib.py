"""``python-urllib``: its hazards, each proven by running the standard library's urllib (or, for
the source, parsing it), and `python_str`, the Python literals every Python target uses.

The equivalence property itself (with this target's checks: no string formatting in the
source, the Basic header and either body byte for byte) and env mode without its variable run
for every target in test_equivalence.py and test_env_unset.py; the runners are in
`tests/harness/httpx_urllib_runner.py`. Here: every hazard in one batch; literals evaluated by
python3; the body as UTF-8 bytes (``http.client`` would send a ``str`` as Latin-1) with a
``Content-Length``; an explicit ``Content-Type``; ``HTTPError`` printed with a non-zero exit;
no f-string; lone surrogates; no warnings; loopback hosts and odd URLs sent unchanged; clean
source.
"""

from __future__ import annotations

import ast
import http.client
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcreds import render
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.wire import BodyFormat
from clientcreds.snippets.python.quoting import python_str
from clientcreds.snippets.python.urllib_request import TARGET
from clientcreds.snippets.target import Recipe
from tests.harness.capture import CaptureServer
from tests.harness.httpx_urllib_runner import (
    URLLIB_CHECKS,
    formats_no_string,
    urllib_process_runner,
    urllib_runner,
)
from tests.harness.runtimes import Job, Runner
from tests.snippets.python_clients import (
    COMBOS,
    ERROR_BODY,
    HAZARDS,
    assert_a_lone_surrogate_is_not_sent,
    assert_golden_snippets_are_ruff_clean,
    assert_no_warning,
    error_status_outcomes,
    literal_code_points,
    run_hazard_batch,
    run_url_cases,
    token_request,
)
from tests.strategies import HOSTILE_PIECES

NAME = TARGET.name


@pytest.fixture(scope="module")
def runner() -> Runner:
    return urllib_runner()


@pytest.fixture(scope="module")
def process_runner() -> Runner:
    return urllib_process_runner()


def test_recipe_is_python3_main_py_with_nothing_to_install() -> None:
    assert TARGET.recipe == Recipe(
        "main.py", "python3 main.py", note="The standard library only: nothing to install."
    )


def test_hazardous_values_survive_every_combination(
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination, and the API call."""
    run_hazard_batch(NAME, runner, batch_servers, tmp_path / "batch", URLLIB_CHECKS)


def test_python_str_evaluates_to_the_text_in_python3(tmp_path: Path) -> None:
    """Saved in a file and run by python3, each literal holds exactly its code points."""
    texts = [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS), "\ud800\udfff"]
    assert literal_code_points(texts, tmp_path) == [[ord(c) for c in text] for text in texts]


@given(st.text(st.characters(exclude_categories=())))
def test_python_str_of_any_text_is_that_text(text: str) -> None:
    """CPython's own parser (this interpreter) reads each literal back, lone surrogates too;
    nothing in it is a character that is not printable."""
    literal = python_str(text)
    assert ast.literal_eval(literal) == text
    assert literal.isprintable()


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("\\N{DASH}", '"\\\\N{DASH}"'),  # a named escape, were the backslash not doubled
        ('"""', '"\\"\\"\\""'),
        ("'", '"\'"'),
        ("{x} {{x}}", '"{x} {{x}}"'),  # braces mean nothing outside an f-string
        ("\x00" + "0", '"\\x000"'),  # \x takes exactly two digits: the 0 stays a 0
        ("\r\n\u2028", '"\\r\\n\\u2028"'),
        ("🔑\u200d\u202e", '"🔑\\u200d\\u202e"'),
        ("é", '"é"'),
    ],
)
def test_python_str_escapes_each_hazard(text: str, literal: str) -> None:
    assert python_str(text) == literal


def test_a_str_body_would_go_as_latin_1(tmp_path: Path) -> None:
    """The hazard: ``http.client`` encodes a ``str`` body as Latin-1, so ``é`` would arrive
    as the byte E9, not as UTF-8 (urllib itself refuses a ``str`` body)."""
    with CaptureServer() as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("POST", "/", body="é", headers={"Content-Type": "text/plain"})
        connection.getresponse().read()
        connection.close()
        [captured] = server.take()
    assert captured.body == b"\xe9"


@pytest.mark.parametrize("body", ["form", "json"])
def test_the_body_is_utf8_bytes_with_an_explicit_type_and_length(
    runner: Runner, body: BodyFormat, tmp_path: Path
) -> None:
    """Each body is the wire's bytes (UTF-8), sent with a ``Content-Length`` (never chunked)
    and with its own ``Content-Type``, once (urllib would otherwise assume a form)."""
    with CaptureServer() as server:
        request = token_request(server.base_url, "client_secret_basic", body, audience="é🔑")
        code = render(request, NAME, secret="reveal")
        [outcome] = runner([Job(code, tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    expected = request.wire_request()
    assert captured.body == expected.body
    assert captured.header("Content-Length") == str(len(expected.body))
    assert captured.header("Transfer-Encoding") is None
    assert captured.header("Content-Type") == dict(expected.headers)["Content-Type"]


@pytest.mark.parametrize("status", [401, 503])
def test_an_http_error_prints_the_body_and_exits_non_zero(
    process_runner: Runner, status: int, tmp_path: Path
) -> None:
    """urllib raises ``HTTPError`` on a 4xx or 5xx status: the snippet prints its body to
    stdout, then exits with status 1 (no traceback)."""
    for outcome in error_status_outcomes(NAME, process_runner, status, tmp_path):
        assert outcome.exit_status == 1, outcome
        assert ERROR_BODY in outcome.stdout, outcome
        assert "Traceback" not in outcome.stderr, outcome


def test_braces_and_named_escapes_stay_plain_literals() -> None:
    """``{x}``, ``{{x}}`` and ``\\N{DASH}`` are written inside plain literals, unchanged, and
    nothing is formatted (`formats_no_string`, which every run of the proof checks too)."""
    for combo in COMBOS:
        request = token_request("https://t.example.com", *combo, client_id="{x} {{x}} \\N{DASH}")
        code = render(request, NAME, secret="env")
        formats_no_string(code)
        assert '"{x} {{x}} \\\\N{DASH}"' in code


def test_lone_surrogates_cannot_be_sent(process_runner: Runner, tmp_path: Path) -> None:
    """A request refuses a lone surrogate; the only way one reaches a snippet is a variable
    that is not UTF-8 (Python reads it as one). Strict UTF-8 then refuses it (``json.dumps``
    keeps it as text, then ``.encode()`` fails, where its ASCII output would have sent
    ``\\udcff``): nothing is sent, and the snippet fails."""
    with pytest.raises(RequestFieldError, match="lone surrogate"):
        token_request("https://t.example.com", "client_secret_post", "json", audience="\udfff")
    assert_a_lone_surrogate_is_not_sent(NAME, process_runner, tmp_path)


def test_no_warning_is_raised(process_runner: Runner, tmp_path: Path) -> None:
    """Every env-mode snippet runs under ``PYTHONWARNINGS=error``: no deprecated use."""
    assert_no_warning(NAME, process_runner, tmp_path)


def test_loopback_hosts_and_odd_urls_are_sent_unchanged(runner: Runner, tmp_path: Path) -> None:
    """urllib re-quotes nothing: ``[::1]`` and every path and query arrive as the URL has them."""
    run_url_cases(NAME, runner, tmp_path)


def test_golden_snippets_are_ruff_clean(tmp_path: Path) -> None:
    """What users copy passes ruff's default lint and import order, and is ruff-formatted."""
    assert_golden_snippets_are_ruff_clean(NAME, tmp_path)
