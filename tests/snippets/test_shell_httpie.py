"""``shell-httpie``: its hazards, each proven by running HTTPie under bash and dash.

The equivalence property and env mode without its variable run for every runtime in
test_equivalence.py and test_env_unset.py (rows ``shell-httpie-bash`` and ``shell-httpie-sh``;
the runners are in `tests/harness/shell_runner.py`); the shell words and run-time encodings it
shares with ``shell-wget`` are proven in test_shell_common.py. Here: every hazard of the issue
in one batch, in both shells; a value naming a file (``@/etc/hostname``, after ``=``, ``:=``,
``==``, ``:``) is sent as it is and no file is read, and a backslash before an item separator
is kept (the control: through a request item, the file is read and the backslash dropped); a
value starting with a dash stays a value; nothing is read from stdin (and the control:
without ``--ignore-stdin`` HTTPie sends it); what HTTPie adds to the request; UTF-8 values
under the C locale; the loopback hosts 127.0.0.1 and ::1. What it does on an HTTP error status
is proven with the other Shell targets', in test_shell_common.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from clientcreds import ApiRequest, TokenRequest, render
from clientcreds.request.wire import build_wire_request
from clientcreds.snippets.shell.httpie import TARGET
from tests.harness.capture import CaptureServer
from tests.harness.proof import (
    ApiValues,
    Case,
    Checks,
    Values,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.runtimes import Runner, job_env
from tests.harness.shell_runner import (
    httpie_command,
    httpie_env,
    httpie_runner,
    run_cases,
    run_hazard_batch,
    run_loopback_cases,
    stdin_runner,
)
from tests.harness.targets import same_content_type

NAME = TARGET.name
SHELLS = ("bash", "sh")
#: The Content-Type is the one given, without a charset: HTTPie adds none to an item's.
EXACT = Checks(sent=same_content_type)
#: A token hostile to HTTPie's items and to the shell; --auth takes it as it is.
TOKEN = "@/etc/hostname\\:=\\@'\"$x$(touch pwned)`x`%+&=#*~ -x"


def test_recipe_is_sh_request_sh() -> None:
    assert TARGET.recipe is not None
    assert (TARGET.recipe.filename, TARGET.recipe.command) == ("request.sh", "sh request.sh")


@pytest.mark.parametrize("nul", [True, False], ids=["nul", "no-nul"])
@pytest.mark.parametrize("shell", SHELLS)
def test_every_hazard_survives_every_combination(
    shell: str, nul: bool, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One batch with every hazard in every value. With a NUL, env mode is refused (no
    variable holds one); without, the shell's run-time encodings meet every hazard."""
    run_hazard_batch(
        NAME, httpie_runner(shell), TOKEN, nul, batch_servers, tmp_path / "batch", EXACT
    )


def run_values(
    values: Values, api: ApiValues, servers: list[CaptureServer], root: Path, runner: Runner
) -> None:
    """Every combination of `values`, and the API call, as one checked batch."""
    run_batch(NAME, runner, batch_cases(NAME, (values, api), servers), root, EXACT)


def test_a_value_naming_a_file_is_sent_not_read(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """After ``=``, ``:=``, ``==`` or ``:``, an ``@`` makes a request item read a file; every
    value here arrives as written (equivalence), so no file was read."""
    canary = tmp_path / "canary"
    canary.write_text("the canary file's contents", encoding="utf-8")
    values = Values(
        client_id="@/etc/hostname",
        client_secret=f"=@{canary}",
        audience=f":=@{canary}",
        scope=f"==@{canary}",
        organization=f":@{canary}",
        token_path=None,
    )
    api = ApiValues("/", None, "GET", "@/etc/hostname")
    run_values(values, api, batch_servers, tmp_path / "batch", httpie_runner("sh"))


def test_request_items_would_read_a_file_and_drop_a_backslash(tmp_path: Path) -> None:
    """The control, why no value goes through a request item: ``name=@path`` sends the file's
    contents, and ``a\\=b`` arrives as ``a=b`` (``--offline`` prints the body unsent)."""
    canary = tmp_path / "canary"
    canary.write_text("the canary file's contents", encoding="utf-8")
    items = [f"client_secret=@{canary}", "client_id=a\\=b"]
    done = subprocess.run(
        [httpie_command(), "--ignore-stdin", "--offline", "--print=B", "POST", "http://x/", *items],
        env=job_env(httpie_env(), tmp_path),
        capture_output=True,
        timeout=30,
        check=True,
    )
    sent = {"client_secret": "the canary file's contents", "client_id": "a=b"}
    assert json.loads(done.stdout) == sent


def test_a_backslash_before_a_separator_is_kept(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """A request item drops a backslash before any of ``:;=@``; no value goes through one."""
    values = Values(
        client_id="a\\:b",
        client_secret="\\=\\@\\;\\:\\\\",
        audience="\\",
        scope="x\\=y",
        organization="\\@org",
        token_path=None,
    )
    api = ApiValues("/", None, "DELETE", "\\:\\=\\@\\;\\\\")
    run_values(values, api, batch_servers, tmp_path / "batch", httpie_runner("sh"))


def test_a_value_starting_with_a_dash_stays_a_value(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    values = Values("-x", "--data", "-", "--raw=x", "-Aa", None)
    api = ApiValues("/", None, "PUT", "--auth=x")
    run_values(values, api, batch_servers, tmp_path / "batch", httpie_runner("sh"))


def test_stdin_is_never_read(batch_servers: list[CaptureServer], tmp_path: Path) -> None:
    """With data piped in, every snippet still sends exactly its own request."""
    runner = stdin_runner(NAME, "sh", b"client_secret=stolen&grant_type=password")
    api = ApiValues("/", None, "GET", "t")
    run_values(*hazard_values("plain", api), batch_servers, tmp_path / "batch", runner)


def test_without_ignore_stdin_httpie_sends_stdin(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """The control: the same API call without ``--ignore-stdin`` sends its stdin as the body."""
    server = batch_servers[0]
    request = ApiRequest(server.base_url + "/", "GET", access_token="t")
    code = render(request, NAME, secret="reveal")
    assert "--ignore-stdin " in code
    expected = build_wire_request(request.url, None, (), method="GET", bearer="t")
    case = Case(code.replace("--ignore-stdin ", ""), {}, expected, server)
    [(outcome, captured)] = run_cases(stdin_runner(NAME, "sh", b"stolen"), [case], tmp_path)
    assert outcome.ok, outcome.error
    assert [request.body for request in captured] == [b"stolen"]


@pytest.mark.parametrize("body", ["form", "json"])
def test_httpie_adds_only_accept_and_user_agent(
    body: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """Besides what the snippet says: Accept, User-Agent and the framing headers; the
    Content-Type exactly as given (``--raw`` adds none, so JSON needs its own)."""
    server = batch_servers[0]
    request = TokenRequest(
        domain=server.base_url,
        client_id="id",
        client_secret="s",
        audience="a",
        auth_method="client_secret_basic",
        body=body,  # type: ignore[arg-type]
    )
    case = Case(render(request, NAME, "reveal"), {}, request.wire_request(), server)
    [(outcome, [captured])] = run_cases(httpie_runner("sh"), [case], tmp_path)
    assert outcome.ok, outcome.error
    names = {name.lower() for name, _ in captured.headers}
    assert names == {
        "host",
        "content-type",
        "content-length",
        "authorization",
        "accept",
        "accept-encoding",
        "connection",
        "user-agent",
    }
    assert captured.header("Content-Type") == dict(request.wire_request().headers)["Content-Type"]
    assert (captured.header("User-Agent") or "").startswith("HTTPie/")


def test_utf8_values_are_sent_as_utf8_under_the_c_locale(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """``--raw`` is re-encoded by Python from its arguments: under ``LC_ALL=C`` too, Python
    reads them as UTF-8 (PEP 538, 540), so é and 🔑 are sent as the same bytes."""
    api = ApiValues("/", None, "GET", "t")
    cases = batch_cases(NAME, hazard_values("é🔑\u202e日本", api), batch_servers)
    c_locale = [
        Case(case.code, {**case.env, "LC_ALL": "C", "LANG": "C"}, case.expected, case.server)
        for case in cases
    ]
    run_batch(NAME, httpie_runner("sh"), c_locale, tmp_path / "batch", EXACT)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_loopback_hosts_reach_the_server(host: str, tmp_path: Path) -> None:
    """``http://127.0.0.1:PORT`` and ``http://[::1]:PORT``: a token request, an API call."""
    run_loopback_cases(NAME, httpie_runner("sh"), host, tmp_path, EXACT)
