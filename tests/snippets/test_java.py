"""``java-httpclient``: its Java hazards (issue 12), each proven by compiling and running.

The equivalence property itself (with this target's own checks: ASCII source, HTTP/1.1, a form
body and ``Authorization`` byte for byte, see `tests/harness/targets.py`) and env mode without
its variable run for every target in test_equivalence.py and test_env_unset.py; the runners are
in `tests/harness/java_runner.py`. Here: Unicode escapes replaced before lexing, octal controls,
surrogate pairs, every hazard in one batch, and the loopback hosts.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from clientcreds import TokenRequest
from clientcreds.snippets import SECRET_MODES
from clientcreds.snippets.java.httpclient import TARGET
from clientcreds.snippets.java.quoting import java_str
from clientcreds.snippets.plan import make_plan
from tests.harness.capture import CaptureServer
from tests.harness.java_runner import java_runner
from tests.harness.proof import ApiValues, api_cases, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Runner
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


@pytest.mark.parametrize(("listen", "host"), [("::1", None), ("127.0.0.1", "localhost")])
def test_loopback_hosts(runner: Runner, listen: str, host: str | None, tmp_path: Path) -> None:
    """``[::1]`` and ``localhost`` URLs reach the server with the Host the wire request has."""
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer(listen)) for _ in SECRET_MODES]
        cases = list(api_cases(NAME, ApiValues("/api", None, "GET", "token"), servers, host))
        run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)
