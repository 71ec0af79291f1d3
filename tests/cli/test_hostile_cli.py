"""The CLI against hostile servers, tokens and pipes, in its own terms (issue 11).

Every command ends in a documented exit code with one line per error on stderr, never a
traceback; a closed pipe ends it quietly; the library's field names reach the user as the
CLI's flags; pasted whitespace is refused at the field.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from clientcreds import __version__
from clientcreds.cli import main
from clientcreds.cli import token_command as token_module
from clientcreds.snippets import targets
from tests.faults import FaultServer, Reply, oauth_error
from tests.jwt_helpers import (
    KeyServer,
    b64,
    current_claims,
    running_server,
    sign,
    signing_key,
)

MIB = 1024 * 1024
SECRET = "s3cr+t/&=canary"
DOCUMENTED = {0, 1, 2, 3, 130, 141}  # the epilog's exit codes, 70 (a bug) left out


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", SECRET)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def strict_json(text: str) -> Any:
    """`text` parsed as JSON that holds no ``NaN`` or ``Infinity`` (which JSON does not allow)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# --- hostile token servers -----------------------------------------------------------------


def gzip_bomb(inflated: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"token_type": "Bearer", "access_token": "')]
    parts += [packer.compress(b"a" * MIB) for _ in range(inflated // MIB)]
    return b"".join([*parts, packer.compress(b'"}'), packer.flush()])


def token_body(expires_in: str) -> bytes:
    return f'{{"access_token": "t", "token_type": "Bearer", "expires_in": {expires_in}}}'.encode()


JSON = {"Content-Type": "application/json"}
NO_ANSWER = {
    "huge": Reply(200, JSON, b"x" * MIB, repeat=8),
    "gzip-bomb": Reply(200, {**JSON, "Content-Encoding": "gzip"}, gzip_bomb(16 * MIB)),
    "dripping": Reply(200, JSON, {"access_token": "x" * 200}, drip=0.05),
    "nan": Reply(200, JSON, token_body("NaN")),
    "infinity": Reply(200, JSON, token_body("Infinity")),
    "1e400": Reply(200, JSON, token_body("1e400")),
    "1e30": Reply(200, JSON, token_body("1e30")),
    "nested": Reply(200, JSON, b"[" * 100_000 + b"]" * 100_000),
    "quadratic-html": Reply(502, {"Content-Type": "text/html"}, b"<" + b"<title>" * 30_000),
    "escape-token": Reply(200, JSON, {"access_token": "a\x1b]0;pwned\x07", "token_type": "Bearer"}),
    "cr-token": Reply(200, JSON, {"access_token": "fake\rreal", "token_type": "Bearer"}),
    "nul-token": Reply(200, JSON, {"access_token": "a\x00b", "token_type": "Bearer"}),
    "bidi-token": Reply(200, JSON, {"access_token": "a\u202eb", "token_type": "Bearer"}),
}


def token_args(server: FaultServer, *extra: str) -> list[str]:
    return [
        "token",
        "--domain",
        server.base_url,
        "--client-id",
        "svc",
        "--audience",
        "https://api/",
        "--timeout",
        "0.5",
        "--retries",
        "0",
        *extra,
    ]


@pytest.mark.parametrize("shown", [[], ["--json"], ["--raw"]], ids=["text", "json", "raw"])
@pytest.mark.parametrize("reply", list(NO_ANSWER.values()), ids=list(NO_ANSWER))
def test_a_hostile_token_server_ends_in_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], reply: Reply, shown: list[str]
) -> None:
    with FaultServer([reply]) as server:
        code, out, err = run(capsys, *token_args(server, *shown))
    assert (code, out) == (3, "")
    assert err.startswith("clientcreds: error: ")
    assert err.count("\n") == 1
    assert SECRET not in err
    assert err[:-1].isprintable()


def test_raw_prints_exactly_the_token_and_a_newline(capsys: pytest.CaptureFixture[str]) -> None:
    token = "".join(map(chr, range(0x21, 0x7F)))  # every printing ASCII character
    body = {"access_token": token, "token_type": "Bearer"}
    with FaultServer([Reply(200, JSON, body)]) as server:
        code, out, err = run(capsys, *token_args(server, "--raw"))
    assert (code, out, err) == (0, token + "\n", "")


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-reset": "100000000000000000000"},
        {"x-ratelimit-reset": "-5"},
        {"Auth0-Client-Quota-Limit": "b=per_hour;q=100;r=99;t=1e20"},
    ],
)
def test_out_of_range_headers_on_a_token_still_show_it(
    capsys: pytest.CaptureFixture[str], headers: dict[str, str]
) -> None:
    with FaultServer([Reply(200, {**JSON, **headers}, token_body("86400"))]) as server:
        code, out, err = run(capsys, *token_args(server))
        assert (code, err) == (0, "")
        assert "Token response (HTTP 200)" in out
        code, out, err = run(capsys, *token_args(server, "--json"))
    assert (code, err) == (0, "")
    assert strict_json(out)["expires_in"] == 86400


def test_an_echoed_secret_and_terminal_escapes_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    description = f"\x1b]0;pwned\x07 bad client_secret={SECRET}"
    with FaultServer([oauth_error(401, "access_denied", description)]) as server:
        code, out, err = run(capsys, *token_args(server))
    assert (code, out) == (1, "")
    assert SECRET not in err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert "\\x1b]0;pwned\\x07" in err


def test_token_json_is_always_valid_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Impossible:
        def to_dict(self) -> dict[str, object]:
            return {"access_token": "t", "expires_in": float("nan")}

    monkeypatch.setattr(token_module, "fetch_token", lambda *args, **kwargs: Impossible())
    code, out, err = run(capsys, "token", "--json", "--domain", "tenant.auth0.com")
    assert "NaN" not in out
    assert code != 0
    assert err.count("\n") == 1


# --- hostile tokens ------------------------------------------------------------------------


def forged(header: bytes, payload: bytes) -> str:
    return f"{b64(header)}.{b64(payload)}.c2ln"


NESTED = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
HOSTILE_TOKENS = {
    "nested-header": forged(NESTED, b"{}"),
    "nested-payload": forged(b'{"alg": "RS256"}', NESTED),
    "5000-digit-exp": forged(b'{"alg": "RS256"}', b'{"exp": ' + b"9" * 5000 + b"}"),
    "nan-claim": forged(b'{"alg": "RS256"}', b'{"exp": 1, "x": NaN}'),
}


@pytest.mark.parametrize(
    "command",
    [
        ["decode"],
        ["decode", "--json"],
        ["verify", "--issuer", "https://t/", "--audience", "a", "--jwks", "https://t/jwks"],
    ],
    ids=["decode", "decode-json", "verify"],
)
@pytest.mark.parametrize("token", list(HOSTILE_TOKENS.values()), ids=list(HOSTILE_TOKENS))
def test_a_hostile_token_ends_in_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], command: list[str], token: str
) -> None:
    code, out, err = run(capsys, *command, token)
    assert (code, out) == (2, "")
    assert err.startswith("clientcreds: error: ")
    assert err.count("\n") == 1


# --- the last resort and broken pipes --------------------------------------------------------


def test_an_unexpected_error_is_one_line_with_its_own_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError(f"a bug\nthat saw {SECRET}")

    monkeypatch.setattr(token_module, "fetch_token", broken)
    code, out, err = run(capsys, "token", "--domain", "tenant.auth0.com")
    assert (code, out) == (70, "")
    assert err == (
        "clientcreds: internal error (TypeError): a bug that saw **********; please report it\n"
    )
    assert code not in DOCUMENTED


def test_the_help_documents_the_internal_error_and_broken_pipe_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert " 70  an internal error" in out
    assert "141  the reader of the output went away" in out


def run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m clientcreds`` with stdout a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    try:
        return subprocess.run(
            [sys.executable, "-m", "clientcreds", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "argv",
    [
        ["snippet", "--all"],
        ["decode", "--json", sign(current_claims("https://t/"), signing_key("rs1"))],
    ],
    ids=["snippet", "decode-json"],
)
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    done = run_into_closed_pipe(*argv)
    assert (done.returncode, done.stderr) == (141, b"")


# --- messages in the CLI's terms -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["snippet", "http", "--secret", "env"],
            "the http target is a literal message and cannot read AUTH0_CLIENT_SECRET from the "
            "environment: use --secret placeholder or --secret reveal",
        ),
        (["snippet", "curl", "--client-id", ""], "--client-id is empty: give a value"),
        (["snippet", "curl", "--token-url", "nope"], "--token-url 'nope' is not an absolute URL"),
        (["snippet", "curl", "--domain", "t.auth0.com/x"], "--domain must not contain a path"),
        (["snippet", "curl", "--audience", "a\n"], "--audience has a leading or trailing space"),
    ],
)
def test_errors_name_the_flags(
    capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"clientcreds: error: {line}")
    for library_term in ("client_id", "token_url", "secret='", "auth_method="):
        assert library_term not in err


def test_a_field_from_the_environment_is_named_by_its_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_ID", "abc123\n")
    code, _, err = run(capsys, "snippet", "curl")
    assert code == 2
    assert err == (
        "clientcreds: error: $AUTH0_CLIENT_ID has a leading or trailing space or line break: "
        "remove it\n"
    )


def test_a_pasted_secret_is_refused_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", f"{SECRET}\n")
    with FaultServer([Reply(200, JSON, token_body("86400"))]) as server:
        code, out, err = run(capsys, *token_args(server))
        assert server.received == []
    assert (code, out) == (2, "")
    assert "$AUTH0_CLIENT_SECRET has a leading or trailing space or line break" in err
    assert SECRET not in err


def test_every_field_in_error_gets_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["snippet", "curl", "--client-id", "", "--audience", " api", "--scope", ""]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "clientcreds: error: --client-id is empty: give a value",
        "clientcreds: error: --audience has a leading or trailing space or line break: remove it",
        "clientcreds: error: --scope is empty: give a value or leave it out",
    ]


# --- verify's defaults, --version, snippet --help ------------------------------------------


@pytest.fixture
def issuer() -> Iterator[KeyServer]:
    for server in running_server():
        server.behaviour.keys = [signing_key("rs1").public_jwk]
        yield server


def test_verify_takes_issuer_and_audience_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, issuer: KeyServer
) -> None:
    claims = current_claims(issuer.issuer, aud="https://api.example.com/")
    token = sign(claims, signing_key("rs1"))
    monkeypatch.setenv("AUTH0_DOMAIN", issuer.base)
    monkeypatch.setenv("AUTH0_AUDIENCE", "https://api.example.com/")
    code, out, err = run(capsys, "verify", token)
    assert (code, err) == (0, ""), out
    monkeypatch.setenv("AUTH0_AUDIENCE", "https://other.example.com/")
    assert run(capsys, "verify", token)[0] == 1
    code, out, err = run(capsys, "verify", token, "--audience", "https://api.example.com/")
    assert (code, err) == (0, ""), out


def test_verify_names_the_missing_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_DOMAIN", "tenant.auth0.com")
    code, out, err = run(capsys, "verify", "abc")
    assert (code, out) == (2, "")
    assert err == "clientcreds: error: no --audience: pass --audience, or set AUTH0_AUDIENCE\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"clientcreds {__version__}\n"


def test_snippet_help_lists_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["snippet", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert f"one of: {', '.join(targets())}" in out


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--retries", "-1"]])
def test_a_bad_timeout_or_retry_count_says_what_to_give(
    capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    code, out, err = run(capsys, "token", "--domain", "tenant.auth0.com", *option)
    assert (code, out) == (2, "")
    assert err == (
        "clientcreds: error: --timeout must be more than 0 seconds and --retries 0 or more: "
        "give e.g. --timeout 10 --retries 3\n"
    )
