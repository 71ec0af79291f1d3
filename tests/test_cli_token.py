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


def test_redirect_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", "s3cr3t-cli")
    with FaultServer([Reply(302, {"Location": "https://evil.example/collect"})]) as server:
        code = main(["token", "--domain", server.base_url, "--client-id", "a", "--audience", "x"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("clientcreds: error: ")
    assert "evil.example" in err
    assert "s3cr3t-cli" not in err
    assert err.count("\n") == 1


def test_bad_timeout_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "--timeout", "0"]) == 2
    assert "--timeout" in capsys.readouterr().err
