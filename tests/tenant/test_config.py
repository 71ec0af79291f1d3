"""Configuring a tenant from Python and from TOML or JSON files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import requests

from clientcreds.tenant import Client, LocalTenant, TenantConfig
from tests.tenant.conftest import demo_form, post_token, verify_rs

TOML = """
demo = false
default_audience = "https://api.example.com/"

[limits]
burst = 50
per_second = 10

[[apis]]
identifier = "https://api.example.com/"
signing_alg = "PS256"
token_lifetime = 3600
scopes = ["read:things", "write:things"]

[[clients]]
client_id = "svc"
client_secret = "file-secret"

[[organizations]]
name = "acme"
id = "org_0123456789abcdef"

[[grants]]
client_id = "svc"
audience = "https://api.example.com/"
scopes = ["read:things"]
organization_usage = "allow"
organizations = ["acme"]
"""


def test_from_toml_file(tmp_path: Path, http: requests.Session) -> None:
    if sys.version_info < (3, 11):
        pytest.skip("TOML needs Python 3.11")
    path = tmp_path / "tenant.toml"
    path.write_text(TOML, encoding="utf-8")
    with LocalTenant.from_file(path) as tenant:
        assert tenant.config.limits.burst == 50
        form = {"grant_type": "client_credentials", "client_id": "svc"}
        form |= {"client_secret": "file-secret", "organization": "acme"}
        response = post_token(http, tenant, data=form)
        assert response.status_code == 200, response.text
        assert response.json()["expires_in"] == 3600
        claims = verify_rs(
            http, tenant, response.json()["access_token"], "https://api.example.com/"
        )
        assert claims["org_id"] == "org_0123456789abcdef"
        with pytest.raises(RuntimeError, match="no demo"):
            tenant.token_request()


def test_from_json_file(tmp_path: Path) -> None:
    path = tmp_path / "tenant.json"
    data = {"apis": [{"identifier": "urn:a", "scopes": ["x"]}], "clients": [{"client_id": "c"}]}
    data["grants"] = [{"client_id": "c", "audience": "urn:a", "scopes": ["x"]}]
    path.write_text(json.dumps(data), encoding="utf-8")
    config = TenantConfig.from_file(path)
    assert set(config.clients) == {"c", "demo-m2m-app"}
    client = config.clients["c"]
    assert client.client_secret is not None
    assert client.client_secret.reveal() not in repr(client)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.json", "{", "not valid JSON"),
        ("t.json", "[]", "must hold a table"),
        ("t.json", '{"clients": [{"client_id": "c", "colour": 1}]}', "unknown keys"),
        ("t.json", '{"grants": [{"client_id": "x", "audience": "y"}]}', "no application"),
        ("t.json", '{"apis": [{"identifier": "a", "signing_alg": "none"}]}', "signing_alg"),
        ("t.json", '{"apis": [{"identifier": "a", "token_lifetime": 9999999}]}', "lifetime"),
        ("t.yaml", "", "must be a .toml or .json"),
        ("t.toml", "x = [", "not valid TOML"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        TenantConfig.from_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        TenantConfig.from_file(tmp_path / "none.toml")


def test_python_configuration(tenant: LocalTenant, http: requests.Session) -> None:
    api = tenant.add_api("urn:py", scopes=("a",))
    client = tenant.add_client("py-app", client_secret="pw", name="Py")
    assert isinstance(client, Client)
    with pytest.raises(ValueError, match="defines no scopes"):
        tenant.grant(client, api, ["b"])
    tenant.grant(client, api, "a")
    form = demo_form(tenant, client_id="py-app", client_secret="pw", audience="urn:py")
    assert post_token(http, tenant, data=form).status_code == 200


def test_token_request_for_another_client(tenant: LocalTenant) -> None:
    tenant.add_client("other", client_secret="pw")
    request = tenant.token_request("other", scope="read:demo")
    assert request.client_id == "other"
    assert request.domain == tenant.domain
    with pytest.raises(ValueError, match="no application"):
        tenant.token_request("ghost")
