"""Every row of AUTH0-FACTS's errors table, exactly, and the fidelity table behind them."""

from __future__ import annotations

import pytest
import requests

from clientcreds.tenant import FIDELITY, LocalTenant
from clientcreds.tenant.refusals import CLIENT_GRANTS_URI, GRANT_TYPES_URI
from tests.tenant.conftest import assert_error, demo_form, post_token


def test_wrong_secret(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, client_secret="nope"))
    assert_error(response, 401, "access_denied", "Unauthorized")
    assert "nope" not in response.text


def test_unknown_client_looks_like_a_wrong_secret(
    tenant: LocalTenant, http: requests.Session
) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, client_id="who"))
    assert_error(response, 401, "access_denied", "Unauthorized")


def test_wrong_basic_secret(tenant: LocalTenant, http: requests.Session) -> None:
    form = {"grant_type": "client_credentials", "audience": tenant.audience}
    response = post_token(http, tenant, data=form, auth=(tenant.client_id, "nope"))
    assert_error(response, 401, "access_denied", "Unauthorized")


def test_grant_type_not_enabled(tenant: LocalTenant, http: requests.Session) -> None:
    client = tenant.add_client("spa", grant_types=("authorization_code",))
    assert client.client_secret is not None
    tenant.grant(client, tenant.audience)
    form = demo_form(tenant, client_id="spa", client_secret=client.client_secret.reveal())
    body = assert_error(
        post_token(http, tenant, data=form),
        403,
        "unauthorized_client",
        "Grant type 'client_credentials' not allowed for the client.",
    )
    assert body["error_uri"] == GRANT_TYPES_URI


def test_audience_is_no_api(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, audience="https://nope/"))
    assert_error(response, 403, "access_denied", "Service not enabled within domain: https://nope/")


def test_no_client_grant(tenant: LocalTenant, http: requests.Session) -> None:
    tenant.add_api("https://other.example/")
    response = post_token(http, tenant, data=demo_form(tenant, audience="https://other.example/"))
    assert_error(
        response,
        403,
        "access_denied",
        'Client is not authorized to access "https://other.example/". You need to create a '
        f'"client-grant" associated to this API. See: {CLIENT_GRANTS_URI}',
    )


@pytest.mark.parametrize(
    ("scope", "missing"),
    [("delete:demo", "delete:demo"), ("read:demo admin x", "admin, x")],
)
def test_scope_not_granted(
    tenant: LocalTenant, http: requests.Session, scope: str, missing: str
) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, scope=scope))
    assert_error(response, 403, "access_denied", f"Client has not been granted scopes: {missing}")


@pytest.mark.parametrize("name", ["grant_type", "client_id"])
def test_missing_parameter(tenant: LocalTenant, http: requests.Session, name: str) -> None:
    form = demo_form(tenant)
    del form[name]
    response = post_token(http, tenant, data=form)
    assert_error(response, 400, "invalid_request", f"Missing required parameter: {name}")


def test_empty_parameter_counts_as_missing(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, grant_type=""))
    assert_error(response, 400, "invalid_request", "Missing required parameter: grant_type")


def test_missing_secret(tenant: LocalTenant, http: requests.Session) -> None:
    form = demo_form(tenant)
    del form["client_secret"]
    response = post_token(http, tenant, data=form)
    assert_error(response, 400, "invalid_request", "Missing required parameter: client_secret")


def test_missing_audience(tenant: LocalTenant, http: requests.Session) -> None:
    form = demo_form(tenant)
    del form["audience"]
    response = post_token(http, tenant, data=form)
    assert_error(
        response, 403, "access_denied", "Non-global clients are not allowed access to APIv1"
    )


def test_unsupported_grant_type(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, grant_type="password"))
    assert_error(response, 400, "unsupported_grant_type", "Unsupported grant type: password")


def test_two_auth_methods(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant), auth=(tenant.client_id, "whatever"))
    assert_error(
        response, 400, "invalid_request", "Multiple client authentication methods are not allowed"
    )


def test_body_client_id_differs_from_basic(tenant: LocalTenant, http: requests.Session) -> None:
    form = {"grant_type": "client_credentials", "client_id": "other", "audience": tenant.audience}
    response = post_token(
        http, tenant, data=form, auth=(tenant.client_id, tenant.client_secret.reveal())
    )
    assert_error(response, 400, "invalid_request")


def test_errors_are_not_cached(tenant: LocalTenant, http: requests.Session) -> None:
    response = post_token(http, tenant, data=demo_form(tenant, client_secret="nope"))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["x-ratelimit-limit"] == "10000"


def test_fidelity_table_is_complete_data() -> None:
    cases = [row.case for row in FIDELITY]
    assert len(cases) == len(set(cases))
    for row in FIDELITY:
        assert row.case
        assert row.description
        assert row.source
        assert 200 <= row.status < 600
        assert (row.status == 200) == (row.error == "")
    confirmed = {row.case for row in FIDELITY if row.confirmed}
    assert "wrong client secret" in confirmed
    assert "unknown client_id" not in confirmed


def test_fidelity_table_matches_the_responses(tenant: LocalTenant, http: requests.Session) -> None:
    """The table's fixed descriptions are what the tenant really says."""
    by_case = {row.case: row for row in FIDELITY}
    response = post_token(http, tenant, data=demo_form(tenant, client_secret="nope"))
    row = by_case["wrong client secret"]
    assert_error(response, row.status, row.error, row.description)
    form = demo_form(tenant)
    del form["audience"]
    row = by_case["no audience and no tenant default audience"]
    assert_error(post_token(http, tenant, data=form), row.status, row.error, row.description)
    del form["client_secret"]
    row = by_case["no client credentials at all (no secret, no Basic header, no assertion)"]
    assert_error(post_token(http, tenant, data=form), row.status, row.error, row.description)


def test_fidelity_rows_show_the_error_uri() -> None:
    row = next(r for r in FIDELITY if r.case == "grant type not enabled for the application")
    assert row.refusal is not None
    assert row.refusal.error_uri == GRANT_TYPES_URI
    assert row.refusal.body()["error_uri"] == GRANT_TYPES_URI
