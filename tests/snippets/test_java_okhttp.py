"""``java-okhttp``: its hazards, each proven by compiling and running with OkHttp 4 on JDK 17.

The equivalence property itself (with this target's own checks: an ASCII source, HTTP/1.1
without an upgrade, ``Authorization`` and ``Content-Type`` byte for byte, see
`tests/harness/okhttp_runner.py`) and env mode without its variable (message on stderr, exit
non-zero, nothing sent) run for every target in test_equivalence.py and test_env_unset.py.
Here: the recipe and its jars; every hazard in one batch (Java's ``\\uXXXX`` replaced before
lexing, octal controls, surrogate pairs, bidi and separators, comment markers); `java_str` run
on hostile texts; ``FormBody`` keeps the order and encodes to the same values;
``Credentials.basic`` does not form-encode, so the snippet does; OkHttp's refusal of a POST
without a body; HTTP/1.1 and a JVM that ends promptly although the server keeps the connection
open; an error status; the loopback hosts.
"""

from __future__ import annotations

import base64
import time
from contextlib import ExitStack
from pathlib import Path
from typing import get_args
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, TokenRequest, render
from clientcreds.request.api_request import API_METHODS, ApiMethod
from clientcreds.request.wire import basic_authorization
from clientcreds.snippets import SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.java.okhttp import TARGET
from clientcreds.snippets.java.quoting import java_str
from tests.harness.capture import CaptureServer
from tests.harness.literals import JAVA, assert_literals_hold
from tests.harness.okhttp_runner import JARS, okhttp_recipe_runner, okhttp_runner
from tests.harness.proof import ApiValues, api_cases, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Outcome, Runner
from tests.harness.targets import RUNTIMES
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]
#: A JVM compiles the snippet in memory (2 to 5 s on 2 busy cores); OkHttp's idle connection
#: would keep a JVM with a non-daemon pool thread alive for minutes.
PROMPT_EXIT_SECONDS = 25


@pytest.fixture(scope="module")
def runner() -> Runner:
    return okhttp_runner()


@pytest.fixture(scope="module")
def process_runner() -> Runner:
    return okhttp_recipe_runner()


def test_recipe_runs_the_single_file_with_the_jars_in_lib() -> None:
    """The recipe the process runner follows, and the very jars its note names."""
    assert TARGET.recipe is not None
    assert (TARGET.recipe.filename, TARGET.recipe.command) == (
        "Main.java",
        "java -cp 'lib/*' Main.java",
    )
    for jar in JARS:
        assert jar in TARGET.recipe.note


#: Each hazard of the issue for OkHttp, as a value: they all travel in one hand-written batch.
HAZARDS = (
    "\\u0022",  # as text: must not become an escape that ends the string
    "\\u000a",  # as text: must not become a line break in the source
    "\\\\u000a",  # an even run of backslashes before u
    "\\\\\\u000a",  # an odd run: Java starts no escape there, the text stays
    "\\u0022); new java.io.File(\\u0022pwned\\u0022).createNewFile(); (\\u0022",  # injection
    "\\",
    '"',
    "\x00" + "0",  # NUL then a digit: the octal escape must not swallow it
    "\x01" + "7",
    "a\r\nb\t\x0b\x0c\x1b\x7f",  # controls: short escapes or octal
    "🔑👩‍💻",  # astral: surrogate pairs in source, one code point each in UTF-8
    "\u202e\u2066\u200b\ufeff\u00ad",  # bidi and zero-width: escaped, never raw
    "\u2028\u2029",  # separators: escaped, and raw in a JSON string
    "é日本",
    "*~ +%&=!'()",  # FormBody encodes all but *, the wire form all but ~: same values
    "*/ /* //",  # comment markers inside a literal stay text
)
#: The API call of the batch: an encoded path and query, a PATCH (OkHttp needs a body for it),
#: a token hostile to Java's quoting.
HAZARD_API = ApiValues(API_PATHS[-1], "q=%22%5Cu0022&r=*~", "PATCH", "\\u0022\"\\'*~%41`$")


def test_hazardous_values_survive_every_combination(
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One deterministic batch: every hazard in every field of every combination, with the
    target's checks (HTTP/1.1, headers byte for byte); the working directories stay empty."""
    cases = batch_cases(NAME, hazard_values("".join(HAZARDS), HAZARD_API), batch_servers)
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


def run_java(runner: Runner, code: str, cwd: Path) -> str:
    """Compile and run one program (OkHttp on its classpath); its stdout."""
    cwd.mkdir(exist_ok=True)
    [outcome] = runner([Job(code, cwd)])
    assert outcome.ok, outcome.error
    return outcome.stdout


def test_java_str_evaluates_to_the_text(runner: Runner, tmp_path: Path) -> None:
    """Compiled and run, each literal holds exactly its text (UTF-16 code units compared)."""
    assert_literals_hold(runner, JAVA, [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS)], tmp_path)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(st.text(), min_size=1, max_size=40))
def test_java_str_evaluates_to_any_text(runner: Runner, texts: list[str], tmp_path: Path) -> None:
    """Any Unicode text (no lone surrogates: Python's text has none), a batch per example."""
    assert_literals_hold(runner, JAVA, texts, tmp_path / "job")


def test_java_str_never_writes_a_unicode_escape_for_what_ends_a_literal() -> None:
    """``\\u0022`` would end the literal and ``\\u000a`` the line, before Java lexes it."""
    assert java_str('"\\\n\r\x00') == '"\\"\\\\\\n\\r\\000"'
    assert java_str("\\u0022") == '"\\\\u0022"'


#: Form fields in an order no sorting gives, a repeated name, and the hazards as values.
FORM_PAIRS = [
    ("z", "1"),
    ("a", "2"),
    ("z", "3"),
    *((f"k{i}{text}", text) for i, text in enumerate(HAZARDS)),
    ("", ""),
]


def test_form_body_keeps_the_order_and_decodes_to_the_same_values(
    runner: Runner, tmp_path: Path
) -> None:
    """``FormBody.Builder().add(name, value)`` keeps every field in order and encodes each so
    that strict form-decoding gives it back; its Content-Type has no parameter. It encodes more
    than the wire form (a space as ``%20``, ``~ ! ' ( )``): other bytes, the same values."""
    adds = "\n".join(f"            .add({java_str(k)}, {java_str(v)})" for k, v in FORM_PAIRS)
    code = (
        "import okhttp3.FormBody;\n"
        "import okio.Buffer;\n\n"
        "public class Main {\n"
        "    public static void main(String[] args) throws Exception {\n"
        "        FormBody body = new FormBody.Builder()\n"
        f"{adds}\n"
        "            .build();\n"
        "        Buffer bytes = new Buffer();\n"
        "        body.writeTo(bytes);\n"
        "        System.out.println(body.contentType());\n"
        "        System.out.println(bytes.readUtf8());\n"
        "    }\n"
        "}\n"
    )
    content_type, sent = run_java(runner, code, tmp_path).splitlines()
    assert content_type == "application/x-www-form-urlencoded"
    decoded = parse_qsl(sent, keep_blank_values=True, strict_parsing=True, errors="strict")
    assert decoded == FORM_PAIRS
    assert "=*%7E%20%2B%25%26%3D%21%27%28%29&" in sent  # the value of "*~ +%&=!'()"


def test_credentials_basic_does_not_form_encode_so_the_snippet_does(
    runner: Runner, tmp_path: Path
) -> None:
    """``Credentials.basic(id, secret)`` joins the raw values (a ``:`` in the id would move the
    split); RFC 6749 §2.3.1 wants each form-encoded first, so the snippet passes ``form(id)``
    and ``form(secret)``: the batch checks its header byte for byte."""
    client_id, secret = "id:with%colon", "s+cret &*~"
    code = (
        "import okhttp3.Credentials;\n\n"
        "public class Main {\n"
        "    public static void main(String[] args) {\n"
        f"        System.out.println(Credentials.basic({java_str(client_id)}, "
        f"{java_str(secret)}));\n"
        "    }\n"
        "}\n"
    )
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    assert run_java(runner, code, tmp_path).strip() == f"Basic {raw}"
    assert raw != basic_authorization(client_id, secret).removeprefix("Basic ")
    request = TokenRequest(
        domain="tenant.auth0.com",
        audience="https://api.example.com/",
        client_id=client_id,
        client_secret=secret,
        auth_method="client_secret_basic",
    )
    snippet = render(request, NAME, secret="reveal")
    assert "Credentials.basic(form(" in snippet
    assert f"form({java_str(secret)}));" in snippet


def test_every_api_method_sends_no_body(
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """OkHttp refuses a POST, PUT or PATCH without a body: the snippet gives an empty one,
    without a Content-Type (as ``.delete()`` does); ``.get()`` sends none. Every method, every
    secret mode."""
    modes = len(SECRET_MODES)
    cases = [
        case
        for index, method in enumerate(get_args(ApiMethod))
        for case in api_cases(
            NAME,
            ApiValues("/api/things", "q=1", method, "t0k3n"),
            batch_servers[index * modes : (index + 1) * modes],
        )
    ]
    assert len(cases) == len(API_METHODS) * modes
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


def env_job(code: str, cwd: Path) -> Job:
    cwd.mkdir()
    return Job(code, cwd, {SECRET_ENV_VAR: "s3cr3t"})


def test_http11_and_the_jvm_ends_promptly_after_the_response(
    process_runner: Runner, tmp_path: Path
) -> None:
    """As users run it (``java -cp 'lib/*' Main.java``): HTTP/1.1 without an upgrade, and the
    process ends right after printing although the server keeps the connection open (OkHttp's
    pool and task threads are daemons; an async call's dispatcher thread would not be)."""
    with CaptureServer() as server:
        request = TokenRequest(
            domain=server.base_url, audience="api", client_id="abc", client_secret="s", body="json"
        )
        job = env_job(render(request, NAME, secret="env"), tmp_path / "job")
        started = time.monotonic()
        [outcome] = process_runner([job])
        elapsed = time.monotonic() - started
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert "access_token" in outcome.stdout
    assert elapsed < PROMPT_EXIT_SECONDS, f"the JVM took {elapsed:.1f} s to end"
    assert captured.version == "HTTP/1.1"
    assert captured.header("Upgrade") is None
    assert captured.header("Connection") == "Keep-Alive", "the test needs a kept connection"
    assert list(job.cwd.iterdir()) == []


def test_an_error_status_prints_the_body_and_fails(
    process_runner: Runner, refusing_server: CaptureServer, tmp_path: Path
) -> None:
    """A 401 is no exception to OkHttp: the snippet prints the answer and exits with 1."""
    base = refusing_server.base_url
    token = TokenRequest(domain=base, audience="api", client_id="abc", client_secret="s")
    codes = [render(token, NAME), render(ApiRequest(base + "/api"), NAME)]
    jobs = [env_job(code, tmp_path / f"job-{n}") for n, code in enumerate(codes)]
    outcomes: list[Outcome] = process_runner(jobs)
    for outcome in outcomes:
        assert outcome.exit_status == 1, outcome
        assert "access_denied" in outcome.stdout


@pytest.mark.parametrize(("listen", "host"), [("::1", None), ("127.0.0.1", "localhost")])
def test_loopback_hosts(runner: Runner, listen: str, host: str | None, tmp_path: Path) -> None:
    """``[::1]`` and ``localhost`` URLs reach the server with the Host the wire request has."""
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer(listen)) for _ in SECRET_MODES]
        cases = list(api_cases(NAME, ApiValues("/api", None, "GET", "token"), servers, host))
        run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)
