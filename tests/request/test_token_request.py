"""TokenRequest: the domain table, every refusal, and the exact wire request."""

from __future__ import annotations

import base64
import json
import re
from typing import TypedDict, cast

import pytest

from clientcreds import Secret, TokenRequest
from clientcreds.exceptions import RequestFieldError


class Credentials(TypedDict):
    client_id: str
    client_secret: str
    audience: str


class TextFields(Credentials, total=False):
    scope: str
    organization: str


BASE: Credentials = {
    "client_id": "abc",
    "client_secret": "s3cr3t-value",
    "audience": "https://api.example/",
}


@pytest.mark.parametrize(
    ("domain", "url"),
    [
        ("tenant.auth0.com", "https://tenant.auth0.com/oauth/token"),
        ("https://tenant.auth0.com", "https://tenant.auth0.com/oauth/token"),
        ("https://tenant.auth0.com/", "https://tenant.auth0.com/oauth/token"),
        ("tenant.eu.auth0.com", "https://tenant.eu.auth0.com/oauth/token"),
        ("login.example.com", "https://login.example.com/oauth/token"),
        ("https://login.example.com:8443", "https://login.example.com:8443/oauth/token"),
        ("https://tenant.auth0.com:443/", "https://tenant.auth0.com/oauth/token"),
        ("YOUR_DOMAIN", "https://YOUR_DOMAIN/oauth/token"),
        ("bücher.example", "https://xn--bcher-kva.example/oauth/token"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/oauth/token"),
        ("http://localhost:3000/", "http://localhost:3000/oauth/token"),
        ("http://[::1]:9000", "http://[::1]:9000/oauth/token"),
        ("http://LOCALHOST:1", "http://LOCALHOST:1/oauth/token"),
    ],
)
def test_domain_is_normalised(domain: str, url: str) -> None:
    assert TokenRequest(domain=domain, **BASE).url == url


@pytest.mark.parametrize(
    ("domain", "complaint"),
    [
        ("", "domain is empty"),
        ("http://tenant.auth0.com", "plain http://"),
        ("http://10.0.0.1:80", "plain http://"),
        ("ftp://tenant.auth0.com", "must use https://"),
        ("tenant.auth0.com/oauth/token", "must not contain a path"),
        ("https://tenant.auth0.com/api", "must not contain a path"),
        ("tenant.auth0.com?x=1", "must not contain a query"),
        ("tenant.auth0.com?", "must not contain a query"),
        ("tenant.auth0.com#top", "must not contain a fragment"),
        ("user:pw@tenant.auth0.com", "credentials before '@'"),
        ("tenant .auth0.com", "spaces"),
        (" tenant.auth0.com", "spaces"),
        ("tenant.auth0.com\n", "spaces"),
        ("tenant.auth0.com:99999", "not a valid URL"),
        ("tenant.auth0.com:abc", "not a valid URL"),
        ("https://tenant.auth0.com:0", "port 0"),
        ("tenant..auth0.com", "not a valid host name"),
        ("-tenant.auth0.com", "not a valid host name"),
        ("ten$ant.auth0.com", "not a valid host name"),
        ("http://[::g]:80", "does not appear to be an IPv4 or IPv6 address"),
        ("tenant\u200b.auth0.com", "invisible or control"),
    ],
)
def test_bad_domain_is_refused_with_the_reason(domain: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="domain") as info:
        TokenRequest(domain=domain, **BASE)
    assert complaint in str(info.value)


@pytest.mark.parametrize(
    ("token_url", "url"),
    [
        (
            "https://example.okta.com/oauth2/default/v1/token",
            "https://example.okta.com/oauth2/default/v1/token",
        ),
        (
            "https://login.microsoftonline.com/tid/oauth2/v2.0/token",
            "https://login.microsoftonline.com/tid/oauth2/v2.0/token",
        ),
        ("https://kc.example/realms/a%20b/token", "https://kc.example/realms/a%20b/token"),
        ("https://as.example/t?x=%41&y=%2b'", "https://as.example/t?x=A&y=%2B%27"),
        ("https://as.example", "https://as.example/"),
    ],
)
def test_token_url_is_checked_and_normalised(token_url: str, url: str) -> None:
    request = TokenRequest(token_url=token_url, client_id="abc", client_secret="x")
    assert request.url == url
    assert request.audience is None


@pytest.mark.parametrize(
    ("token_url", "complaint"),
    [
        ("example.okta.com/oauth2/v1/token", "not an absolute URL"),
        ("https://as.example/a b", "spaces"),
        ('https://as.example/a"b', "percent-encoded"),
        ("https://as.example/%zz", "percent-encoded"),
        ("https://as.example/caf\u00e9", "percent-encoded"),
        ("https://as.example/a/../token", "'..' segments"),
        ("http://as.example/token", "plain http://"),
        ("https://as.example/token#x", "fragment"),
    ],
)
def test_bad_token_url_is_refused(token_url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="token_url") as info:
        TokenRequest(token_url=token_url, client_id="abc", client_secret="x")
    assert complaint in str(info.value)


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"domain": None}, "exactly one of domain"),
        ({"token_url": "https://as.example/token"}, "exactly one of domain"),
        ({"client_id": ""}, "client_id is empty"),
        ({"client_secret": ""}, "client_secret is empty"),
        ({"audience": None}, "audience is required"),
        ({"audience": ""}, "audience is empty"),
        ({"scope": ""}, "scope is empty: give a value or leave it out"),
        ({"organization": ""}, "organization is empty"),
        ({"client_id": 42}, "client_id must be text"),
        ({"client_id": "a\ud800b"}, "client_id contains U+D800, a lone surrogate"),
        ({"auth_method": "basic"}, "auth_method must be one of"),
        ({"body": "xml"}, "body must be one of 'form', 'json'"),
    ],
)
def test_every_invalid_field_names_itself(changes: dict[str, object], complaint: str) -> None:
    fields: dict[str, object] = {"domain": "tenant.auth0.com", **BASE, **changes}
    with pytest.raises(ValueError, match=re.escape(complaint)):
        TokenRequest(**fields)  # type: ignore[arg-type]


def test_form_wire_request_in_the_seeds_order() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com", scope="read:a b", organization="org_1", **BASE
    )
    wire = request.wire_request()
    assert (wire.method, wire.url) == ("POST", "https://tenant.auth0.com/oauth/token")
    assert wire.headers == (("Content-Type", "application/x-www-form-urlencoded"),)
    assert wire.body == (
        b"audience=https%3A%2F%2Fapi.example%2F&grant_type=client_credentials"
        b"&client_id=abc&client_secret=s3cr3t-value&scope=read%3Aa+b&organization=org_1"
    )
    assert wire.origin_form == "/oauth/token"
    assert wire.authority == "tenant.auth0.com"


def test_json_wire_request() -> None:
    wire = TokenRequest(domain="tenant.auth0.com", body="json", **BASE).wire_request()
    assert dict(wire.headers)["Content-Type"] == "application/json"
    assert list(json.loads(wire.body).items()) == [
        ("audience", "https://api.example/"),
        ("grant_type", "client_credentials"),
        ("client_id", "abc"),
        ("client_secret", "s3cr3t-value"),
    ]


def test_basic_auth_form_encodes_before_base64_per_rfc6749() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com",
        client_id="id:with+plus",
        client_secret="p%ss w:rd",
        audience="a",
        auth_method="client_secret_basic",
    )
    wire = request.wire_request()
    scheme, encoded = dict(wire.headers)["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded) == b"id%3Awith%2Bplus:p%25ss+w%3Ard"
    assert wire.body == b"audience=a&grant_type=client_credentials"


def test_secret_never_prints() -> None:
    secret = "hunter2-very-secret"
    request = TokenRequest(domain="tenant.auth0.com", **(BASE | {"client_secret": secret}))
    shown = [repr(request), str(request), f"{request}", repr(request.wire_request())]
    shown += [repr(request.client_secret), str(request.client_secret), f"{request.client_secret}"]
    assert all(secret not in text for text in shown)
    assert isinstance(request.client_secret, Secret)
    assert request.client_secret.reveal() == secret


def test_secret_is_not_in_errors() -> None:
    with pytest.raises(ValueError, match="audience is required") as info:
        TokenRequest(domain="tenant.auth0.com", client_id="a", client_secret="hunter2-xyz")
    assert "hunter2-xyz" not in str(info.value)


def test_secret_cannot_be_pickled() -> None:
    import pickle

    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret("hunter2"))


def test_replace_checks_again() -> None:
    request = TokenRequest(domain="tenant.auth0.com", **BASE)
    assert request.replace(scope="read").scope == "read"
    with pytest.raises(ValueError, match="scope is empty"):
        request.replace(scope="")


def test_issuer_is_auth0s_with_the_slash_and_unknown_for_a_token_url() -> None:
    assert TokenRequest(domain="tenant.auth0.com", **BASE).issuer == "https://tenant.auth0.com/"
    assert TokenRequest(domain="http://127.0.0.1:8080", **BASE).issuer == "http://127.0.0.1:8080/"
    other = TokenRequest(token_url="https://as.example/token", client_id="a", client_secret="b")
    assert other.issuer is None


@pytest.mark.parametrize(
    "field", ["client_id", "client_secret", "audience", "scope", "organization"]
)
@pytest.mark.parametrize("pasted", [" {}", "{} ", "{}\n", "\t{}", "{}\r\n", "\u00a0{}", "{}\u2028"])
def test_pasted_whitespace_around_a_field_is_refused(field: str, pasted: str) -> None:
    value = pasted.format("hunter2-xyz")
    complaint = f"^{field} has a leading or trailing space or line break: remove it$"
    # mypy cannot follow a key chosen at run time; every parametrized field is a text field.
    fields = cast(TextFields, {**BASE, field: value})
    with pytest.raises(RequestFieldError, match=complaint) as info:
        TokenRequest(domain="tenant.auth0.com", **fields)
    assert info.value.field == field
    assert "hunter2-xyz" not in str(info.value)


def test_whitespace_inside_a_field_is_kept() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com", **(BASE | {"client_secret": "a b\nc"}), scope="read:a  write:b"
    )
    assert request.scope == "read:a  write:b"
    assert request.client_secret.reveal() == "a b\nc"  # type: ignore[union-attr]


def test_every_pasted_field_is_reported_at_once() -> None:
    with pytest.raises(RequestFieldError) as info:
        TokenRequest(
            domain="tenant.auth0.com",
            client_id="abc\n",
            client_secret=" s",
            audience="https://api.example/ ",
        )
    problems = info.value.problems
    assert [p.field for p in problems] == ["client_id", "audience", "client_secret"]
