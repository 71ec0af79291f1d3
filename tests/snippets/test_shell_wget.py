"""``shell-wget``: its hazards, each proven by running GNU Wget under bash and dash.

The equivalence property and env mode without its variable run for every runtime in
test_equivalence.py and test_env_unset.py (rows ``shell-wget-bash`` and ``shell-wget-sh``; the
runners are in `tests/harness/shell_runner.py`); the shell words and run-time encodings it
shares with ``shell-httpie`` are proven in test_shell_common.py. Here: every hazard of the
issue in one batch, in both shells; the answer goes to stdout, not to a file named ``token``
(and the control: without ``--output-document=-`` Wget writes that file); each method, with
and without a body; one ``Content-Type``, the one given; Basic sent before any challenge (and
the control: without ``--auth-no-challenge`` it is not); a secret read from the environment
percent-encoded byte by byte; no ``~/.wget-hsts`` after an answer with HSTS (and the control:
without ``--no-hsts`` Wget writes it); the loopback hosts 127.0.0.1 and ::1. What it does on an
HTTP error status is proven with the other Shell targets', in test_shell_common.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clientcreds import ApiRequest, TokenRequest, render
from clientcreds.request.api_request import API_METHODS
from clientcreds.request.wire import form_quote
from clientcreds.snippets import SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.shell.wget import TARGET
from tests.harness.capture import TOKEN_BODY, CaptureServer
from tests.harness.proof import (
    COMBOS,
    ApiValues,
    Case,
    Checks,
    api_cases,
    run_batch,
)
from tests.harness.runtimes import Job, require
from tests.harness.shell_runner import (
    HAZARDS,
    run_cases,
    run_hazard_batch,
    run_loopback_cases,
    wget_runner,
)
from tests.harness.targets import same_content_type
from tests.harness.tls_front import self_signed_context

NAME = TARGET.name
SHELLS = ("bash", "sh")
#: One Content-Type, the one given: Wget would call any --post-data a form, and adds no other.
EXACT = Checks(sent=same_content_type)
#: A token hostile to the shell, Wget's options and headers; --header takes it as it is.
TOKEN = "-x'\"\\$x$(touch pwned)`x`@/etc/hostname=:=:==%+&=#*~ :"


def token_request(base_url: str, **fields: str) -> TokenRequest:
    values = {"client_id": "id", "client_secret": "s", "audience": "a", **fields}
    return TokenRequest(domain=base_url, **values)  # type: ignore[arg-type]


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
    run_hazard_batch(NAME, wget_runner(shell), TOKEN, nul, batch_servers, tmp_path / "batch", EXACT)


def test_without_output_document_wget_writes_a_file(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """The control: ``--output-document=-`` is what keeps the answer out of a file named
    after the URL (the proof checks every snippet leaves its directory empty)."""
    server = batch_servers[0]
    request = token_request(server.base_url)
    code = render(request, NAME, secret="reveal")
    assert " --output-document=- " in code
    case = Case(code.replace(" --output-document=- ", " "), {}, request.wire_request(), server)
    [(outcome, captured)] = run_cases(wget_runner("sh"), [case], tmp_path)
    assert outcome.ok, outcome.error
    assert len(captured) == 1
    assert (tmp_path / "job-0" / "token").read_bytes().startswith(b'{"access_token"')


@pytest.mark.parametrize("shell", SHELLS)
def test_every_method_is_sent_as_it_is(
    shell: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """GET alone, ``--method`` for every other method (without a body: no Content-Type)."""
    cases: list[Case] = []
    for index, method in enumerate(API_METHODS):
        api = ApiValues("/api/things", "q=1", method, "t")
        servers = batch_servers[3 * index : 3 * index + 3]
        cases += api_cases(NAME, api, servers)
    assert len(cases) == 3 * len(API_METHODS) <= len(batch_servers)
    run_batch(NAME, wget_runner(shell), cases, tmp_path / "batch", EXACT)


def test_json_goes_with_its_own_content_type_only(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """``--post-data`` would say ``application/x-www-form-urlencoded``; the header given
    replaces it, so exactly one Content-Type is sent."""
    server = batch_servers[0]
    request = token_request(server.base_url, body="json")
    case = Case(render(request, NAME, "reveal"), {}, request.wire_request(), server)
    [(outcome, [captured])] = run_cases(wget_runner("sh"), [case], tmp_path)
    assert outcome.ok, outcome.error
    types = [value for name, value in captured.headers if name.lower() == "content-type"]
    assert types == ["application/json"]


def test_without_auth_no_challenge_wget_sends_no_basic(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """The control: Wget waits for a 401 challenge before sending Basic credentials, so
    ``--auth-no-challenge`` is what sends them (an authorization server never challenges)."""
    server = batch_servers[0]
    request = token_request(server.base_url, auth_method="client_secret_basic")
    code = render(request, NAME, secret="reveal")
    assert "--auth-no-challenge " in code
    case = Case(code.replace("--auth-no-challenge ", ""), {}, request.wire_request(), server)
    [(outcome, [captured])] = run_cases(wget_runner("sh"), [case], tmp_path)
    assert outcome.ok, outcome.error
    assert captured.header("Authorization") is None


@pytest.mark.parametrize("shell", SHELLS)
def test_env_mode_percent_encodes_every_byte_of_the_secret(
    shell: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """Wget cannot encode a variable: the shell sends each byte as ``%xx``, exactly."""
    secret = "".join(hazard for hazard in HAZARDS if hazard != "\x00")
    server = batch_servers[0]
    request = token_request(server.base_url, client_secret=secret)
    code = render(request, NAME, secret="env")
    case = Case(code, {SECRET_ENV_VAR: secret}, request.wire_request(), server)
    [(outcome, [captured])] = run_cases(wget_runner(shell), [case], tmp_path)
    assert outcome.ok, outcome.error
    every_byte = "".join(f"%{byte:02x}" for byte in secret.encode())
    expected = "&".join(
        f"{form_quote(name)}={every_byte if name == 'client_secret' else form_quote(value)}"
        for name, value in request.body_params(secret)
    )
    assert captured.body == expected.encode()


def test_every_snippet_turns_hsts_off() -> None:
    """``--no-hsts`` in every kind of snippet: each secret mode, client authentication and
    body, and the API call in each secret mode."""
    tokens = [
        render(token_request("https://tenant.auth0.com", auth_method=auth, body=body), NAME, mode)
        for mode, auth, body in COMBOS
    ]
    api = ApiRequest("https://api.example.com/things", access_token="t")
    for code in tokens + [render(api, NAME, secret=mode) for mode in SECRET_MODES]:
        wget_line = next(line for line in code.splitlines() if line.startswith("wget "))
        assert "--no-hsts" in wget_line.split(), code


class _HstsHandler(BaseHTTPRequestHandler):
    """Answer any request with a token and ``Strict-Transport-Security``, as Auth0 does."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(TOKEN_BODY)))
        self.end_headers()
        self.wfile.write(TOKEN_BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads what the snippet did, not the server's log."""


@contextmanager
def hsts_server() -> Iterator[str]:
    """An HTTPS server answering with HSTS, and its base URL. The URL names ``localhost``:
    Wget ignores HSTS from an IP address (RFC 6797 §8.1.1)."""
    context = self_signed_context(require("openssl", "apt-get install openssl"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HstsHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_hsts_answer_leaves_no_file_behind(tmp_path: Path) -> None:
    """After an HTTPS answer with ``Strict-Transport-Security``, Wget writes ``~/.wget-hsts``
    unless told ``--no-hsts`` (the control): the snippet's HOME stays empty. The server's
    certificate is self-signed, so only here Wget is told not to check it (``WGETRC``)."""
    wgetrc = tmp_path / "wgetrc"
    wgetrc.write_text("check_certificate = off\n", encoding="utf-8")
    with hsts_server() as base_url:
        code = render(token_request(base_url), NAME, secret="reveal")
        jobs = [
            Job(code, tmp_path / "snippet", {"WGETRC": str(wgetrc)}),
            Job(code.replace(" --no-hsts", ""), tmp_path / "control", {"WGETRC": str(wgetrc)}),
        ]
        for job in jobs:
            job.cwd.mkdir()
        snippet, control = wget_runner("sh")(jobs)
    assert snippet.ok, snippet
    assert control.ok, control
    assert '"access_token"' in snippet.stdout
    assert list((tmp_path / "snippet").iterdir()) == []
    assert [path.name for path in (tmp_path / "control").iterdir()] == [".wget-hsts"]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_loopback_hosts_reach_the_server(host: str, tmp_path: Path) -> None:
    """``http://127.0.0.1:PORT`` and ``http://[::1]:PORT``: a token request, an API call."""
    run_loopback_cases(NAME, wget_runner("sh"), host, tmp_path, EXACT)
