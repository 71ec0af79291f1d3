"""Every refusal the tenant can give comes from one catalogue entry, and explain() finds it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, get_type_hints

import pytest

from clientcreds import CATALOGUE, OAuthError, explain
from clientcreds.response.catalogue import by_key, lookup
from clientcreds.tenant import FIDELITY, FidelityRow, refusals
from clientcreds.tenant.refusals import TenantError, invalid_request, refusal

#: A sample argument for each parameter name a refusal factory takes.
SAMPLE_ARGUMENTS: dict[str, Any] = {
    "audience": "https://api.example.com/",
    "scopes": ["write:things", "admin"],
    "name": "client_id",
    "grant_type": "password",
    "description": "Duplicate parameter: scope",
    "headers": {"Retry-After": "60"},
    "organization": "acme",
    "limit": 65536,
    "allowed": ("GET", "HEAD"),
    "path": "/oauth/tokens",
    "seconds": 10.0,
}


def refusal_factories() -> list[Callable[..., TenantError]]:
    """Every public function of `refusals` that returns a `TenantError`, except `refusal`."""
    return [
        function
        for name, function in inspect.getmembers(refusals, inspect.isfunction)
        if function.__module__ == refusals.__name__
        and not name.startswith("_")
        and function is not refusal
        and get_type_hints(function).get("return") is TenantError
    ]


FACTORIES = refusal_factories()


def call_with_samples(factory: Callable[..., TenantError]) -> TenantError:
    arguments = {}
    for name, parameter in inspect.signature(factory).parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if name not in SAMPLE_ARGUMENTS:
            pytest.fail(f"Add a sample argument for {factory.__name__}'s parameter {name!r}.")
        arguments[name] = SAMPLE_ARGUMENTS[name]
    return factory(**arguments)


def test_every_factory_is_found() -> None:
    names = {factory.__name__ for factory in FACTORIES}
    assert {
        "wrong_credentials",
        "grant_type_not_allowed",
        "service_not_enabled",
        "client_not_authorized",
        "scopes_not_granted",
        "missing_parameter",
        "unsupported_grant_type",
        "no_audience",
        "invalid_request",
        "too_many_requests",
        "quota_exceeded",
        "organization_not_allowed",
        "organization_not_authorized",
        "body_too_large",
        "method_not_allowed",
        "not_found",
    } <= names


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_explain_recognises_every_refusal_as_its_entry(
    factory: Callable[..., TenantError],
) -> None:
    refused = call_with_samples(factory)
    body = refused.body()
    assert refused.entry in CATALOGUE
    assert explain(OAuthError(refused.status, body["error"], body["error_description"])) is (
        refused.entry
    )
    assert body["error"] == refused.entry.error
    assert refused.status == (refused.entry.status or refused.status)
    assert 400 <= refused.status < 500
    assert "{" not in body["error_description"]


def test_the_sample_values_reach_the_description() -> None:
    assert refusals.service_not_enabled("https://x/").description.endswith(": https://x/")
    assert refusals.scopes_not_granted(["a", "b"]).description.endswith(": a, b")
    allowed = refusals.method_not_allowed(("GET", "HEAD"))
    assert allowed.description == "Method not allowed: use GET or HEAD"
    assert allowed.headers == {"Allow": "GET, HEAD"}
    assert refusals.body_too_large(2048).close


def test_refusal_takes_its_status_from_the_entry_only_when_it_has_one() -> None:
    assert refusal("auth0.wrong_secret").status == 401
    assert refusal("auth0.wrong_secret", status=401).status == 401
    assert refusal("rfc6749.access_denied", status=403).status == 403
    with pytest.raises(ValueError, match="has status 401, not 403"):
        refusal("auth0.wrong_secret", status=403)
    with pytest.raises(ValueError, match="allows any status"):
        refusal("rfc6749.access_denied")


def test_refusal_needs_a_known_key_and_exactly_the_template_slots() -> None:
    with pytest.raises(KeyError, match=r"auth0\.nope"):
        refusal("auth0.nope")
    with pytest.raises(ValueError, match=r"takes the values \['audience'\], not \[\]"):
        refusal("auth0.service_not_enabled")
    with pytest.raises(ValueError, match=r"not \['audience', 'extra'\]"):
        refusal("auth0.service_not_enabled", audience="a", extra="b")


def test_free_text_refusals_stay_generic_and_keep_their_status() -> None:
    refused = invalid_request("Transfer-Encoding is not supported", status=411, close=True)
    assert (refused.status, refused.error, refused.close) == (411, "invalid_request", True)
    assert refused.entry is by_key("rfc6749.invalid_request")


@pytest.mark.parametrize("row", [r for r in FIDELITY if r.refusal], ids=lambda r: r.case)
def test_every_fidelity_refusal_names_its_catalogue_entry(row: FidelityRow) -> None:
    assert row.key in {entry.key for entry in CATALOGUE}
    assert row.refusal is not None
    assert row.refusal.entry is by_key(row.key)
    assert lookup(row.status, row.error, row.description) is row.refusal.entry


def test_fidelity_rows_without_a_refusal_are_successes() -> None:
    successes = [row for row in FIDELITY if row.refusal is None]
    assert successes
    for row in successes:
        assert (row.status, row.error, row.key) == (200, "", None)
        assert row.description == row.answer
