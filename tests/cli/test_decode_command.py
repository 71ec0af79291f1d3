"""``clientcreds decode`` and ``clientcreds verify``: output, --json, stdin, exit codes."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientcreds.cli import main
from tests.jwt_helpers import (
    HMAC_SECRET,
    KeyServer,
    current_claims,
    running_server,
    sign,
    sign_hs,
    signing_key,
)

AUDIENCE = "https://api.example.com/"


class _Stdin(io.StringIO):
    def __init__(self, text: str, *, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def issuer() -> Iterator[KeyServer]:
    for server in running_server():
        server.behaviour.keys = [signing_key("rs1").public_jwk]
        yield server


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_decode_prints_current_claims(capsys: pytest.CaptureFixture[str]) -> None:
    token = sign(current_claims("https://tenant.auth0.com/"), signing_key("rs1"))
    code, out, err = _run(capsys, "decode", f"Bearer {token}")
    assert (code, err) == (0, "")
    assert "signed JWT (JWS) — decoded, NOT verified" in out
    assert "iss: https://tenant.auth0.com/" in out


def test_decode_json_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign(current_claims("https://tenant.auth0.com/"), signing_key("rs1"))
    monkeypatch.setattr("sys.stdin", _Stdin(f'"{token}"\n'))
    code, out, _ = _run(capsys, "decode", "-", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "jws"
    assert data["claims"]["gty"] == "client-credentials"


@pytest.mark.parametrize(
    ("argv", "stdin", "words"),
    [
        (["decode", "abc.def"], None, "2 segments"),
        (["decode"], _Stdin("", tty=True), "no token"),
        (["decode", "-"], _Stdin("  \n"), "no token on stdin"),
    ],
)
def test_decode_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: _Stdin | None,
    words: str,
) -> None:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("clientcreds: error: ")
    assert words in err
    assert err.count("\n") == 1


def test_verify_valid_exits_0(capsys: pytest.CaptureFixture[str], issuer: KeyServer) -> None:
    token = sign(current_claims(issuer.issuer), signing_key("rs1"))
    code, out, _ = _run(capsys, "verify", token, "--issuer", issuer.issuer, "--audience", AUDIENCE)
    assert code == 0, out
    assert out.startswith("Token is VALID")
    assert issuer.requests == ["/.well-known/openid-configuration", "/jwks"]


def test_verify_invalid_exits_1_with_json(
    capsys: pytest.CaptureFixture[str], issuer: KeyServer
) -> None:
    token = sign(current_claims(issuer.issuer, aud="https://other/"), signing_key("rs1"))
    code, out, _ = _run(
        capsys,
        "verify",
        token,
        "--issuer",
        issuer.issuer,
        "--audience",
        AUDIENCE,
        "--jwks",
        issuer.jwks_url,
        "--json",
    )
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert [c["name"] for c in data["checks"] if not c["passed"]] == ["audience"]
    assert issuer.requests == ["/jwks"]


def test_verify_with_jwks_file_scope_and_leeway(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [signing_key("rs1").public_jwk]}), encoding="utf-8")
    token = sign(current_claims("https://tenant.example/"), signing_key("rs1"))
    base = ["verify", token, "--issuer", "https://tenant.example/", "--audience", AUDIENCE]
    code, out, _ = _run(capsys, *base, "--jwks", str(path), "--scope", "read:things")
    assert code == 0, out
    code, out, _ = _run(capsys, *base, "--jwks", str(path), "--scope", "admin")
    assert code == 1
    assert "[FAIL] scope" in out
    expired = sign(
        current_claims("https://tenant.example/", exp=int(time.time()) - 30), signing_key("rs1")
    )
    late = ["verify", expired, *base[2:], "--jwks", str(path)]
    assert _run(capsys, *late)[0] == 1
    assert _run(capsys, *late, "--leeway", "120")[0] == 0


def test_verify_hs256_with_secret_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(HMAC_SECRET + "\n", encoding="utf-8")
    token = sign_hs(current_claims("https://t/"))
    base = ["verify", token, "--issuer", "https://t/", "--audience", AUDIENCE]
    code, out, err = _run(capsys, *base, "--secret-file", str(secret_file), "--json")
    assert code == 0, out
    assert HMAC_SECRET not in out + err
    code, out, _ = _run(capsys, *base)
    assert code == 1
    assert "key-confusion" in out


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--algorithm", "none"], "'none' cannot be allowed"),
        (["--algorithm", "HS256"], "signing secret"),
        (["--secret-file", "/nonexistent/secret"], "no such file"),
        (["--issuer", "http://tenant.example/"], "plain http://"),
    ],
)
def test_verify_bad_usage_exits_2(
    capsys: pytest.CaptureFixture[str], extra: list[str], words: str
) -> None:
    token = sign(current_claims("https://t/"), signing_key("rs1"))
    argv = ["verify", token, "--issuer", "https://t/", "--audience", AUDIENCE, *extra]
    code, out, err = _run(capsys, *argv)
    assert code == 2, out
    assert words in err


def test_verify_requires_issuer_and_audience(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTH0_DOMAIN", raising=False)
    monkeypatch.delenv("AUTH0_AUDIENCE", raising=False)
    assert main(["verify", "abc"]) == 2
    assert capsys.readouterr().err == (
        "clientcreds: error: no --issuer and --audience: pass --issuer and --audience, "
        "or set AUTH0_DOMAIN and AUTH0_AUDIENCE\n"
    )


@pytest.mark.parametrize(
    ("mode", "jwks", "words"),
    [
        ("html", "url", "did not return JSON"),
        ("down", None, "returned HTTP 503"),
        ("redirect", "url", "/jwks"),
    ],
)
def test_verify_without_keys_from_the_server_exits_3(
    capsys: pytest.CaptureFixture[str], issuer: KeyServer, mode: str, jwks: str | None, words: str
) -> None:
    issuer.behaviour.mode = mode
    token = sign(current_claims(issuer.issuer), signing_key("rs1"))
    argv = ["verify", token, "--issuer", issuer.issuer, "--audience", AUDIENCE, "--json"]
    code, out, err = _run(capsys, *argv, *(["--jwks", issuer.jwks_url] if jwks else []))
    assert (code, out) == (3, "")
    assert err.startswith("clientcreds: error: ")
    assert err.count("\n") == 1
    assert words in err


def test_verify_with_an_unknown_kid_is_a_negative_answer(
    capsys: pytest.CaptureFixture[str], issuer: KeyServer
) -> None:
    token = sign(current_claims(issuer.issuer), signing_key("rs2"))
    code, out, _ = _run(capsys, "verify", token, "--issuer", issuer.issuer, "--audience", AUDIENCE)
    assert code == 1
    assert "no RS256 key with kid 'rs2'" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "no such JWKS file"), ('{"keys": "none"}', "is not a JWKS")],
)
def test_verify_with_an_unreadable_jwks_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None, words: str
) -> None:
    path = tmp_path / "jwks.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    token = sign(current_claims("https://t/"), signing_key("rs1"))
    argv = ["verify", token, "--issuer", "https://t/", "--audience", AUDIENCE, "--jwks", str(path)]
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("clientcreds: error: --jwks: ")
    assert words in err
