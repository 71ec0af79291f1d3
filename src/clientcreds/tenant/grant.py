"""The client-credentials grant: from authenticated parameters to a signed access token.

The checks run in Auth0's order as far as it is known: grant type, client authentication, the
application's grant types, audience, client grant, scopes, organisation, quota. The token's
claims follow AUTH0-FACTS for the API's settings (Auth0 or RFC 9068 profile, RBAC).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clientcreds.core.protocol import GRANT_TYPE
from clientcreds.tenant.clientauth import Authenticated
from clientcreds.tenant.config import Api, Client, Grant, Organization, TenantConfig
from clientcreds.tenant.refusals import (
    client_not_authorized,
    grant_type_not_allowed,
    missing_parameter,
    no_audience,
    organization_not_allowed,
    organization_not_authorized,
    scopes_not_granted,
    service_not_enabled,
    unsupported_grant_type,
)


@dataclass(frozen=True)
class Issue:
    """What a valid request is for: the API, the grant, the organisation and the scopes.

    Attributes:
        client: The authenticated application.
        api: The API (audience).
        grant: The client grant.
        organization: The organisation the token is for, if any.
    """

    client: Client
    api: Api
    grant: Grant
    organization: Organization | None


def check_grant_type(params: Mapping[str, str]) -> None:
    """Refuse a missing or unsupported ``grant_type``.

    Raises:
        TenantError: 400 ``invalid_request`` or ``unsupported_grant_type``.
    """
    grant_type = params.get("grant_type") or None
    if grant_type is None:
        raise missing_parameter("grant_type")
    if grant_type != GRANT_TYPE:
        raise unsupported_grant_type(grant_type[:100])


def resolve(params: Mapping[str, str], who: Authenticated, config: TenantConfig) -> Issue:
    """Decide what the token is for, or refuse the way Auth0 refuses.

    Raises:
        TenantError: 403 for a grant type, audience, client grant, scope or organisation the
            tenant does not allow; 400 for a missing or refused ``organization``.
    """
    client = who.client
    if GRANT_TYPE not in client.grant_types:
        raise grant_type_not_allowed()
    audience = _audience(params, config)
    api = config.apis.get(audience)
    if api is None:
        raise service_not_enabled(audience[:300])
    grant = config.grants.get((client.client_id, audience))
    if grant is None:
        raise client_not_authorized(audience)
    requested = (params.get("scope") or "").split()
    ungranted = [s for s in dict.fromkeys(requested) if s not in grant.scopes]
    if ungranted:
        raise scopes_not_granted([s[:100] for s in ungranted[:20]])
    organization = _organization(params.get("organization") or None, client, grant, config)
    return Issue(client, api, grant, organization)


def _audience(params: Mapping[str, str], config: TenantConfig) -> str:
    audience = params.get("audience") or None
    if audience is None and config.resource_parameter:
        audience = params.get("resource") or None
    audience = audience or config.default_audience
    if audience is None:
        raise no_audience()
    return audience


def _organization(
    requested: str | None, client: Client, grant: Grant, config: TenantConfig
) -> Organization | None:
    if grant.organization_usage == "deny":
        if requested is not None:
            raise organization_not_allowed()
        return None
    name = requested or client.default_organization
    if name is None:
        if grant.organization_usage == "require":
            raise missing_parameter("organization")
        return None
    organization = config.find_organization(name)
    allowed = organization is not None and (
        grant.allow_any_organization
        or organization.id in grant.organizations
        or organization.name in grant.organizations
    )
    if organization is None or not allowed:
        raise organization_not_authorized(name[:100])
    return organization


def claims(issue: Issue, issuer: str, now: Callable[[], float] = time.time) -> dict[str, Any]:
    """The access token's claims, in Auth0's order, for the API's profile and RBAC settings."""
    api, client_id = issue.api, issue.client.client_id
    iat = int(now())
    body: dict[str, Any] = {
        "iss": issuer,
        "sub": f"{client_id}@clients",
        "aud": api.identifier,
        "iat": iat,
        "exp": iat + api.token_lifetime,
    }
    if api.profile == "rfc9068":
        body["jti"] = secrets.token_urlsafe(16)
        body["client_id"] = client_id
    if issue.grant.scopes:
        body["scope"] = " ".join(issue.grant.scopes)
    if issue.organization is not None:
        body["org_id"] = issue.organization.id
        body["org_name"] = issue.organization.name
    if api.profile == "auth0":
        body["gty"] = "client-credentials"
        body["azp"] = client_id
    if api.rbac and api.add_permissions:
        body["permissions"] = list(issue.grant.scopes)
    return body


def token_response(access_token: str, issue: Issue) -> dict[str, Any]:
    """The 200 body: ``access_token``, ``scope`` (when granted), ``expires_in``, ``token_type``."""
    body: dict[str, Any] = {"access_token": access_token}
    if issue.grant.scopes:
        body["scope"] = " ".join(issue.grant.scopes)
    body["expires_in"] = issue.api.token_lifetime
    body["token_type"] = "Bearer"
    return body
