"""``java-httpclient``: its Java hazards (issue 12), each proven by compiling and running.

The equivalence property itself (with this target's own checks: ASCII source, HTTP/1.1, a form
body and ``Authorization`` byte for byte, see `tests/harness/targets.py`) and env mode without
its variable run for every target in test_equivalence.py and test_env_unset.py; the runners are
in `tests/harness/java_runner.py`. Here: Unicode escapes replaced before lexing, octal controls,
surrogate pairs, every hazard in one batch, the loopback hosts, and the size limit of a string
constant (both Java targets refuse a value over it: the rule is in `java/quoting.py`).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from clientcreds import RenderError, TokenRequest, render
from clientcreds.snippets import SECRET_MODES, SecretMode
from clientcreds.snippets.java.httpclient import TARGET
from clientcreds.snippets.java.okhttp import TARGET as OKHTTP
from clientcreds.snippets.java.quoting import (
    java_str,
    modified_utf8_length,
    refuse_oversized_constant,
    utf16_length,
)
from clientcreds.snippets.plan import make_plan
from tests.harness.capture import CaptureServer
from tests.harness.java_runner import java_runner
from tests.harness.literals import JAVA, assert_literals_hold
from tests.harness.proof import (
    ApiValues,
    Case,
    api_cases,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.runtimes import Runner
from tests.harness.targets import RUNTIMES
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]


@pytest.fixture(scope="module")
def runner() -> Runner:
    return java_runner()


def test_recipe_is_the_single_file_launcher() -> None:
    assert TARGET.recipe is not None
    assert (TARGET.recipe.filename, TARGET.recipe.command) == ("Main.java", "java Main.java")


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
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One deterministic batch: every hazard in every field of every combination."""
    api = ApiValues(API_PATHS[-1], "q=%22%5Cu0022&r=*~", "PATCH", "\\u0022\"\\'*~%41`$")
    cases = batch_cases(NAME, hazard_values("".join(HAZARDS), api), batch_servers)
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


def test_java_str_evaluates_to_the_text(runner: Runner, tmp_path: Path) -> None:
    """Compiled and run, each literal holds exactly its text (UTF-16 code units compared)."""
    assert_literals_hold(runner, JAVA, [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS)], tmp_path)


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


@pytest.mark.parametrize(("listen", "host"), [("::1", None), ("127.0.0.1", "localhost")])
def test_loopback_hosts(runner: Runner, listen: str, host: str | None, tmp_path: Path) -> None:
    """``[::1]`` and ``localhost`` URLs reach the server with the Host the wire request has."""
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer(listen)) for _ in SECRET_MODES]
        cases = list(api_cases(NAME, ApiValues("/api", None, "GET", "token"), servers, host))
        run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("", 0),
        ("a", 1),
        ("\x7f", 1),
        ("\x00", 2),  # NUL is two bytes, so no constant holds a zero byte
        ("\x80", 2),
        ("\u07ff", 2),
        ("\u0800", 3),
        ("\uffff", 3),
        ("\U00010000", 6),  # above U+FFFF: two surrogates, three bytes each
        ("\U0010ffff", 6),
        ("\ud800", 3),  # a lone surrogate, as java_str writes it
        ("a\x00é€🔑", 14),
    ],
)
def test_modified_utf8_length(text: str, size: int) -> None:
    assert modified_utf8_length(text) == size


def test_utf16_length_counts_surrogates() -> None:
    assert [utf16_length(text) for text in ("", "aé", "🔑", "\x00🔑")] == [0, 2, 2, 3]


#: Texts at javac's limits on one string constant: 65,535 bytes of modified UTF-8 and 65,534
#: UTF-16 code units (javac refuses 65,535 ASCII characters although they are 65,535 bytes).
AT_THE_LIMIT = {
    "characters": "a" * 65_534,
    "bytes": "é" + "a" * 65_533,
    "bytes with NUL": "\x00" * 32_767 + "a",
    "bytes with an astral character": "🔑" + "a" * 65_529,
    "bytes of every width": "\x00🔑é€" + "a" * 65_522,
}
OVER_THE_LIMIT = {
    "characters": "a" * 65_535,
    "bytes": "é" + "a" * 65_534,
    "bytes with NUL": "\x00" * 32_768,
    "bytes with an astral character": "🔑" + "a" * 65_530,
}


@pytest.mark.parametrize("text", AT_THE_LIMIT.values(), ids=AT_THE_LIMIT)
def test_a_constant_at_the_limit_is_kept(text: str) -> None:
    refuse_oversized_constant(text)


@pytest.mark.parametrize("text", OVER_THE_LIMIT.values(), ids=OVER_THE_LIMIT)
def test_a_constant_over_the_limit_is_refused(text: str) -> None:
    with pytest.raises(RenderError, match="as a Java string constant"):
        refuse_oversized_constant(text)


def _request_with(**fields: str) -> TokenRequest:
    """A small token request with `fields` changed."""
    base = TokenRequest(
        domain="tenant.auth0.com", client_id="abc", client_secret="s", audience="api"
    )
    return base.replace(**fields)


@pytest.mark.parametrize("name", [TARGET.name, OKHTTP.name])
@pytest.mark.parametrize("text", OVER_THE_LIMIT.values(), ids=OVER_THE_LIMIT)
def test_a_value_over_the_limit_is_refused_with_the_reason(name: str, text: str) -> None:
    with pytest.raises(RenderError) as refused:
        render(_request_with(audience=text), name)
    reason = str(refused.value)
    assert reason.startswith("a value needs "), reason
    assert "as a Java string constant, which holds at most 65,535 bytes" in reason
    assert reason.count(". ") == 0, "one sentence"


@pytest.mark.parametrize("name", [TARGET.name, OKHTTP.name])
@pytest.mark.parametrize("mode", ["reveal", "env"])
def test_a_json_body_over_the_limit_is_refused(name: str, mode: SecretMode) -> None:
    """javac joins a JSON body's literals into one constant (with a value read at run time,
    into one recipe), so values that fit one by one may not fit together."""
    request = _request_with(client_id="a" * 40_000, audience="b" * 40_000)
    render(request, name, secret=mode)  # a form body: one literal each
    with pytest.raises(RenderError, match="the JSON body's literal text needs 80,"):
        render(request.replace(body="json"), name, secret=mode)


def test_values_at_the_limit_compile_and_are_sent(runner: Runner, tmp_path: Path) -> None:
    """One compile: a literal at each of javac's limits, sent as it is."""
    with CaptureServer() as server:
        request = TokenRequest(
            domain=server.base_url,
            client_id=AT_THE_LIMIT["characters"],
            client_secret="s",
            audience=AT_THE_LIMIT["bytes of every width"],
        )
        code = render(request, NAME, secret="reveal")
        case = Case(code, {}, request.wire_request(), server)
        run_batch(NAME, runner, [case], tmp_path / "batch", RUNTIME.checks)
