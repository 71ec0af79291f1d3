"""The error catalogue: every AUTH0-FACTS case and RFC 6749 §5.2 code, found by explain()."""

from __future__ import annotations

import dataclasses
import re

import pytest

from clientcreds import CATALOGUE, CatalogueEntry, OAuthError, explain
from clientcreds.response.catalogue import SAMPLE_VALUES, by_key, lookup

#: Auth0's known error answers: (status, error, description) -> catalogue key.
AUTH0_FACTS = [
    (401, "access_denied", "Unauthorized", "auth0.wrong_secret"),
    (
        403,
        "unauthorized_client",
        "Grant type 'client_credentials' not allowed for the client.",
        "auth0.grant_type_not_allowed",
    ),
    (
        403,
        "access_denied",
        "Service not enabled within domain: https://api.example.com/",
        "auth0.service_not_enabled",
    ),
    (
        403,
        "access_denied",
        'Client is not authorized to access "https://api.example.com/". You need to create a '
        '"client-grant" associated to this API. See: '
        "https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants",
        "auth0.no_client_grant",
    ),
    (
        403,
        "access_denied",
        "Client has not been granted scopes: write:things",
        "auth0.scope_not_granted",
    ),
    (400, "invalid_request", "Missing required parameter: audience", "auth0.missing_parameter"),
    (400, "unsupported_grant_type", None, "rfc6749.unsupported_grant_type"),
    (429, "too_many_requests", "Global limit has been reached", "auth0.rate_limited"),
    (429, "too_many_requests", "Client quota exceeded", "auth0.client_quota_exceeded"),
    (
        403,
        "access_denied",
        "Non-global clients are not allowed access to APIv1",
        "auth0.non_global_apiv1",
    ),
]

RFC6749_CODES = [
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
]


@pytest.mark.parametrize(("status", "error", "description", "key"), AUTH0_FACTS)
def test_every_auth0_fact_is_explained(
    status: int, error: str, description: str | None, key: str
) -> None:
    entry = explain(OAuthError(status, error, description))
    assert entry is not None
    assert entry.key == key


@pytest.mark.parametrize("code", RFC6749_CODES)
def test_every_rfc6749_code_has_a_generic_entry(code: str) -> None:
    entry = lookup(418, code, "some text nobody documented")
    assert entry is not None
    assert entry.key == f"rfc6749.{code}"
    assert entry.status is None


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.key)
def test_each_entry_explains_its_own_example(entry: CatalogueEntry) -> None:
    status = entry.status if entry.status is not None else 400
    assert explain(OAuthError(status, entry.error, entry.example)) is entry
    assert entry.title
    assert entry.cause
    assert entry.fix
    assert entry.source
    if entry.description is not None:
        re.compile(entry.description)
        assert entry.example is not None
        assert re.search(entry.description, entry.example)


def test_keys_are_unique_and_entries_frozen() -> None:
    keys = [e.key for e in CATALOGUE]
    assert len(keys) == len(set(keys))
    assert isinstance(CATALOGUE, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOGUE[0].fix = "x"  # type: ignore[misc]


def test_retry_advice() -> None:
    retryable = {e.key for e in CATALOGUE if e.retry}
    assert {"auth0.rate_limited", "auth0.client_quota_exceeded"} <= retryable
    assert "auth0.wrong_secret" not in retryable


def test_specific_entries_need_their_status() -> None:
    # Auth0's "Unauthorized" text means a wrong secret only with 401.
    entry = lookup(400, "access_denied", "Unauthorized")
    assert entry is not None
    assert entry.key == "rfc6749.access_denied"


def test_unknown_errors_are_not_guessed() -> None:
    assert explain(OAuthError(400, "something_new", "new")) is None
    assert lookup(429, "slow_down") is None


def test_unconfirmed_entries_say_so() -> None:
    unconfirmed = {e.key for e in CATALOGUE if not e.confirmed}
    assert {
        "auth0.non_global_apiv1",
        "auth0.method_not_allowed",
        "auth0.not_found",
        "auth0.body_too_large",
        "auth0.organization_not_authorized",
    } <= unconfirmed


def test_an_organization_refusal_is_not_a_missing_client_grant() -> None:
    # Both start "Client is not authorized to access"; the organization's must win.
    entry = lookup(403, "access_denied", "Client is not authorized to access the organization: a")
    assert entry is not None
    assert entry.key == "auth0.organization_not_authorized"


def test_templates_fill_in_the_request_values() -> None:
    entry = by_key("auth0.no_client_grant")
    assert entry.slots == ("audience",)
    text = entry.describe(audience="https://x.example/")
    assert text.startswith('Client is not authorized to access "https://x.example/". You need')
    assert entry.example == entry.describe(audience=SAMPLE_VALUES["audience"])
    assert by_key("auth0.wrong_secret").slots == ()
    with pytest.raises(ValueError, match=r"auth0.no_client_grant takes the values \['audience'\]"):
        entry.describe(scope="x")


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.key)
def test_examples_fill_each_slot_with_its_sample(entry: CatalogueEntry) -> None:
    assert "{" not in entry.example
    for slot in entry.slots:
        assert SAMPLE_VALUES[slot] in entry.example
    assert by_key(entry.key) is entry


def test_by_key_refuses_unknown_keys() -> None:
    with pytest.raises(KeyError, match=r"No catalogue entry has the key 'auth0\.nope'"):
        by_key("auth0.nope")


def test_to_dict_has_every_field() -> None:
    for entry in CATALOGUE:
        data = entry.to_dict()
        assert set(data) == {f.name for f in dataclasses.fields(CatalogueEntry)}


def test_request_fields_name_real_token_request_fields() -> None:
    from clientcreds import TokenRequest

    names = {f.name for f in dataclasses.fields(TokenRequest)}
    named = [e for e in CATALOGUE if e.request_field is not None]
    assert {e.key for e in named} >= {"auth0.wrong_secret", "auth0.service_not_enabled"}
    for entry in named:
        assert entry.request_field in names, entry.key
