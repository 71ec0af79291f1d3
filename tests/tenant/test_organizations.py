"""``organization`` and the client grant's organisation usage: deny, allow, require."""

from __future__ import annotations

import pytest
import requests

from clientcreds.tenant import LocalTenant
from tests.tenant.conftest import assert_error, demo_form, post_token, verify_rs

API = "urn:api:orgs"


@pytest.fixture
def orgs(tenant: LocalTenant) -> LocalTenant:
    tenant.add_organization("acme", id="org_acme0000000000")
    tenant.add_organization("globex")
    tenant.add_api(API)
    return tenant


def token_for(http: requests.Session, tenant: LocalTenant, **extra: str) -> requests.Response:
    return post_token(http, tenant, data=demo_form(tenant, audience=API, **extra))


@pytest.mark.parametrize("given", ["acme", "org_acme0000000000", "ACME"])
def test_allowed_organization_by_name_or_id(
    orgs: LocalTenant, http: requests.Session, given: str
) -> None:
    orgs.grant(orgs.client_id, API, organization_usage="allow", organizations=("acme",))
    response = token_for(http, orgs, organization=given)
    assert response.status_code == 200, response.text
    claims = verify_rs(http, orgs, response.json()["access_token"], API)
    assert claims["org_id"] == "org_acme0000000000"
    assert claims["org_name"] == "acme"


def test_allow_without_organization(orgs: LocalTenant, http: requests.Session) -> None:
    orgs.grant(orgs.client_id, API, organization_usage="allow", organizations=("acme",))
    claims = verify_rs(http, orgs, token_for(http, orgs).json()["access_token"], API)
    assert "org_id" not in claims


def test_deny_refuses_an_organization(orgs: LocalTenant, http: requests.Session) -> None:
    orgs.grant(orgs.client_id, API)
    assert_error(
        token_for(http, orgs, organization="acme"),
        400,
        "invalid_request",
        "Organization parameter is not allowed for this client grant",
    )


def test_require_needs_an_organization(orgs: LocalTenant, http: requests.Session) -> None:
    orgs.grant(orgs.client_id, API, organization_usage="require", allow_any_organization=True)
    assert_error(
        token_for(http, orgs), 400, "invalid_request", "Missing required parameter: organization"
    )
    assert token_for(http, orgs, organization="globex").status_code == 200


def test_default_organization(orgs: LocalTenant, http: requests.Session) -> None:
    orgs.demo_client.default_organization = "acme"
    orgs.grant(orgs.client_id, API, organization_usage="require", organizations=("acme",))
    claims = verify_rs(http, orgs, token_for(http, orgs).json()["access_token"], API)
    assert claims["org_name"] == "acme"


@pytest.mark.parametrize("given", ["globex", "initech"])
def test_organization_not_associated_or_unknown(
    orgs: LocalTenant, http: requests.Session, given: str
) -> None:
    orgs.grant(orgs.client_id, API, organization_usage="allow", organizations=("acme",))
    assert_error(
        token_for(http, orgs, organization=given),
        403,
        "access_denied",
        f"Client is not authorized to access the organization: {given}",
    )


def test_grant_with_unknown_organization_is_a_config_error(orgs: LocalTenant) -> None:
    with pytest.raises(ValueError, match="no organization 'initech'"):
        orgs.grant(orgs.client_id, API, organization_usage="allow", organizations=("initech",))
