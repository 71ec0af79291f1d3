"""``clientcreds token``: summary, --json, --raw, explained failures, exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import jwt
import pytest

from clientcreds.cli import main
from clientcreds.tenant import LocalTenant
from tests.faults import FaultServer, Reply, running_tenant


@pytest.fixture
def tenant(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalTenant]:
    with running_tenant() as running:
        monkeypatch.setenv("AUTH0_DOMAIN", running.domain)
        monkeypatch.setenv("AUTH0_CLIENT_ID", running.client_id)
        monkeypatch.setenv("AUTH0_CLIENT_SECRET", running.client_secret.reveal())
        monkeypatch.setenv("AUTH0_AUDIENCE", running.audience)
        yield running


def test_summary_shortens_the_token_and_hides_the_secret(
    tenant: LocalTenant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token"]) == 0
    out = capsys.readouterr().out
    assert "Token response (HTTP 200)" in out
    assert "access_token" in out
    assert "86400 s" in out
    assert tenant.client_secret.reveal() not in out
    token = next(word for word in out.split() if word.startswith("eyJ"))
    assert token.endswith("…")


def test_raw_prints_only_the_token(tenant: LocalTenant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "--raw"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    claims = jwt.decode(out.strip(), options={"verify_signature": False})
    assert claims["aud"] == tenant.audience


def test_json_flags_override_the_environment(
    tenant: LocalTenant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_ID", "not-this-one")
    args = ["token", "--json", "--client-id", tenant.client_id, "--body", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 86400
    claims = jwt.decode(data["access_token"], options={"verify_signature": False})
    assert claims["azp"] == tenant.client_id


def test_oauth_error_is_explained_with_exit_1(
    tenant: LocalTenant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", "wrong-secret")
    assert main(["token"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "HTTP 401 access_denied: Unauthorized" in captured.err
    assert "fix: Copy Client ID and Client Secret again" in captured.err
    assert "wrong-secret" not in captured.err
    assert "Traceback" not in captured.err


def test_oauth_error_as_json(
    tenant: LocalTenant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "--json", "--audience", "https://nope/"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["error"]["explanation"]["key"] == "auth0.service_not_enabled"


def test_no_secret_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AUTH0_CLIENT_SECRET", raising=False)
    assert main(["token", "--domain", "http://127.0.0.1:9"]) == 2
    assert "no client secret" in capsys.readouterr().err


def _no_answer(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``token`` with a secret in the environment; assert exit 3 and return stderr."""
    assert main(["token", "--client-id", "a", "--audience", "x", *argv]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("clientcreds: error: ")
    assert captured.err.count("\n") == 1
    assert "s3cr3t-cli" not in captured.err
    return captured.err


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", "s3cr3t-cli")


# A redirect used to exit 2, as if the input were bad: the server gave no usable answer (3).
@pytest.mark.usefixtures("secret_env")
def test_redirect_is_one_line_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([Reply(302, {"Location": "https://evil.example/collect"})]) as server:
        err = _no_answer(capsys, "--domain", server.base_url)
    assert "evil.example" in err


@pytest.mark.usefixtures("secret_env")
@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(200, {}, b"<html><body>Proxy login</body></html>"), "an HTML page"),
        (Reply(502, {}, b"<html><body>Bad gateway</body></html>"), "502"),
        (Reply(200, {"Content-Type": "application/json"}, b"{not json"), "JSON"),
    ],
)
def test_an_answer_that_is_no_token_is_exit_3(
    capsys: pytest.CaptureFixture[str], reply: Reply, words: str
) -> None:
    with FaultServer([reply]) as server:
        err = _no_answer(capsys, "--domain", server.base_url, "--retries", "0", "--json")
    assert words in err


@pytest.mark.usefixtures("secret_env")
def test_no_connection_is_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([Reply(fault="reset")]) as server:
        host = server.host
        err = _no_answer(capsys, "--domain", server.base_url, "--retries", "0")
    assert host in err


@pytest.mark.parametrize("flag", [["--timeout", "0"], ["--retries", "-1"]])
def test_bad_timeout_or_retries_is_bad_input(
    capsys: pytest.CaptureFixture[str], flag: list[str]
) -> None:
    assert main(["token", *flag]) == 2
    assert flag[0] in capsys.readouterr().err
