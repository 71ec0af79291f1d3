"""The catalogue of known token-endpoint errors: cause, fix, and whether retrying helps.

The catalogue is plain data (`CATALOGUE`, a tuple of frozen `CatalogueEntry`), so the docs
and the explorer render it as they like. Entries go from the most specific (Auth0's exact
texts) to the most generic (RFC 6749 §5.2 codes); `explain` returns the first match.

It is also the one table of the errors the embedded tenant sends: each of the tenant's refusals
is built from an entry (`by_key`), its status, code and ``error_description`` template, so
`explain` recognises every answer the tenant gives.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientcreds.exceptions import OAuthError

_APPS = "Dashboard > Applications > Applications > (your app)"
_APIS = "Dashboard > Applications > APIs > (your API)"
_TENANT_ONLY = "the embedded tenant's choice (Auth0's status and text unconfirmed)"

#: The value each ``{slot}`` of a template takes in the entries' examples.
SAMPLE_VALUES: Mapping[str, str] = MappingProxyType(
    {
        "audience": "https://api.example.com/",
        "scopes": "write:things",
        "name": "grant_type",
        "grant_type": "client_credential",
        "organization": "acme",
        "limit": "65536",
        "methods": "POST",
        "path": "/oauth/tokens",
    }
)


@dataclass(frozen=True)
class CatalogueEntry:
    """One known error response and what to do about it.

    Attributes:
        key: A stable identifier, e.g. ``auth0.wrong_secret``.
        title: A short name for people.
        status: The HTTP status it comes with, or None when any status matches (or Auth0's
            status is unconfirmed).
        error: The ``error`` code.
        description: A regular expression searched in ``error_description``, or None for any.
        template: The ``error_description`` Auth0 (or the RFC) sends, with a ``{slot}`` for each
            value taken from the request, e.g. ``Service not enabled within domain: {audience}``.
        example: The template filled in with `SAMPLE_VALUES`, for docs and tests.
        cause: What most likely went wrong.
        fix: What to change: the dashboard setting or the request field.
        retry: Whether sending the same request again can succeed.
        source: Where the behaviour is documented.
        confirmed: False when the status or text is not confirmed for Auth0.
        request_field: The `TokenRequest` field to look at, when the fix is in the request.
    """

    key: str
    title: str
    status: int | None
    error: str
    description: str | None
    template: str
    example: str = field(init=False)
    cause: str
    fix: str
    retry: bool
    source: str
    confirmed: bool = True
    request_field: str | None = None

    def __post_init__(self) -> None:
        sample = {slot: SAMPLE_VALUES[slot] for slot in self.slots}
        object.__setattr__(self, "example", self.describe(**sample))

    @property
    def slots(self) -> tuple[str, ...]:
        """The names of the template's slots, in order."""
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.template) if name)

    def describe(self, **values: str) -> str:
        """The ``error_description`` for these values: the template with its slots filled in.

        Args:
            **values: One value per slot, e.g. ``audience="https://api.example.com/"``.

        Raises:
            ValueError: When the values do not name exactly the template's slots.
        """
        if set(values) != set(self.slots):
            raise ValueError(
                f"Catalogue entry {self.key} takes the values {sorted(self.slots)}, "
                f"not {sorted(values)}."
            )
        return self.template.format_map(values)

    def matches(self, status: int, error: str, description: str | None) -> bool:
        """True when a response with these values is this entry."""
        if self.status is not None and self.status != status:
            return False
        if self.error != error:
            return False
        if self.description is None:
            return True
        return re.search(self.description, description or "") is not None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data."""
        return {
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "error": self.error,
            "description": self.description,
            "template": self.template,
            "example": self.example,
            "cause": self.cause,
            "fix": self.fix,
            "retry": self.retry,
            "source": self.source,
            "confirmed": self.confirmed,
            "request_field": self.request_field,
        }

    def __str__(self) -> str:
        from clientcreds.views import display

        return display.catalogue_entry_text(self)

    def _repr_html_(self) -> str:
        from clientcreds.views import display

        return display.catalogue_entry_html(self)


_AUTH0: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        key="auth0.wrong_secret",
        title="Wrong client secret (or unknown client)",
        status=401,
        error="access_denied",
        description=r"^Unauthorized\.?$",
        template="Unauthorized",
        cause="The client_secret does not match the application's, or the client_id is not an "
        "application of this tenant (Auth0 answers both alike, so nothing is revealed).",
        fix=f"Copy Client ID and Client Secret again from {_APPS} > Settings; check the domain is "
        "the tenant the application lives in, and that the secret was not rotated.",
        retry=False,
        source="node-auth0 #682; laravel-auth0 #42",
        request_field="client_secret",
    ),
    CatalogueEntry(
        key="auth0.grant_type_not_allowed",
        title="Client credentials grant not enabled",
        status=403,
        error="unauthorized_client",
        description=r"Grant type 'client_credentials' not allowed",
        template="Grant type 'client_credentials' not allowed for the client.",
        cause="The application is not allowed to use the client-credentials grant (typical of "
        "a Single Page or Native application).",
        fix=f"Use a Machine to Machine application, or enable Client Credentials in {_APPS} > "
        "Settings > Advanced Settings > Grant Types.",
        retry=False,
        source="ruby-auth0 #190; auth0-java #165",
    ),
    CatalogueEntry(
        key="auth0.service_not_enabled",
        title="Audience is not an API of this tenant",
        status=403,
        error="access_denied",
        description=r"Service not enabled within domain",
        template="Service not enabled within domain: {audience}",
        cause="The audience is not the identifier of any API in this tenant: a typo, a missing "
        "or extra trailing slash, or an API in another tenant.",
        fix=f"Set the request's audience to the Identifier shown in {_APIS} > Settings, "
        "character for character.",
        retry=False,
        source="terraform-provider-auth0 #951",
        request_field="audience",
    ),
    CatalogueEntry(
        key="auth0.organization_not_authorized",
        title="Organization not allowed for the client grant",
        status=403,
        error="access_denied",
        description=r"Client is not authorized to access the organization",
        template="Client is not authorized to access the organization: {organization}",
        cause="The organization is unknown, or the application's client grant for the API is "
        "not associated with it.",
        fix="Check the organization's name or id, and associate the organization with the "
        "application's client grant for the API.",
        retry=False,
        source=_TENANT_ONLY,
        confirmed=False,
        request_field="organization",
    ),
    CatalogueEntry(
        key="auth0.no_client_grant",
        title="Application not authorised for the API",
        status=403,
        error="access_denied",
        description=r"Client is not authorized to access",
        template='Client is not authorized to access "{audience}". You need to create a '
        '"client-grant" associated to this API. See: '
        "https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants",
        cause="The API exists, but the application has no client grant for it.",
        fix=f"Authorise the application in {_APIS} > Machine to Machine Applications (or create "
        "a client grant with the Management API).",
        retry=False,
        source="ruby-auth0 #610",
    ),
    CatalogueEntry(
        key="auth0.scope_not_granted",
        title="Scope not granted",
        status=403,
        error="access_denied",
        description=r"Client has not been granted scopes",
        template="Client has not been granted scopes: {scopes}",
        cause="The request's scope names a permission the application's client grant lacks.",
        fix=f"Grant the permission in {_APIS} > Machine to Machine Applications (expand the "
        "app), or drop it from the request's scope: Auth0 issues all granted scopes anyway.",
        retry=False,
        source="Auth0 demo tenant log",
        request_field="scope",
    ),
    CatalogueEntry(
        key="auth0.non_global_apiv1",
        title="No audience: APIv1 refused",
        status=None,
        error="access_denied",
        description=r"Non-global clients are not allowed access to APIv1",
        template="Non-global clients are not allowed access to APIv1",
        cause="The request has no audience and the tenant has no default audience, so Auth0 "
        "tried its legacy API v1.",
        fix="Add audience (your API's identifier) to the request, or set a Default Audience in "
        "Dashboard > Settings > API Authorization Settings.",
        retry=False,
        source="AUTH0-FACTS (status unconfirmed)",
        confirmed=False,
        request_field="audience",
    ),
    CatalogueEntry(
        key="auth0.missing_parameter",
        title="Missing required parameter",
        status=400,
        error="invalid_request",
        description=r"Missing required parameter",
        template="Missing required parameter: {name}",
        cause="A required request field is absent, often because the body was sent in a format "
        "the server did not read (a JSON body with a form Content-Type, or the other way round).",
        fix="Add the named field; check Content-Type matches the body (form or JSON).",
        retry=False,
        source="Auth0 Authentication API OpenAPI example",
        request_field="body",
    ),
    CatalogueEntry(
        key="auth0.organization_not_allowed",
        title="Organization parameter not allowed",
        status=400,
        error="invalid_request",
        description=r"Organization parameter is not allowed",
        template="Organization parameter is not allowed for this client grant",
        cause="The request names an organization, but the application's client grant for the "
        "API does not allow organizations (organization usage: deny).",
        fix="Drop organization from the request, or set the client grant's organization usage "
        "to allow or require.",
        retry=False,
        source=_TENANT_ONLY,
        confirmed=False,
        request_field="organization",
    ),
    CatalogueEntry(
        key="auth0.body_too_large",
        title="Request body too large",
        status=413,
        error="invalid_request",
        description=r"^Request body too large",
        template="Request body too large: the limit is {limit} bytes",
        cause="The body is larger than the server accepts: usually a very large client "
        "assertion, or something other than the token parameters was sent.",
        fix="Send only the token parameters, and keep the client assertion's claims small.",
        retry=False,
        source=_TENANT_ONLY,
        confirmed=False,
        request_field="body",
    ),
    CatalogueEntry(
        key="auth0.client_quota_exceeded",
        title="M2M token quota exceeded (application)",
        status=429,
        error="too_many_requests",
        description=r"Client quota exceeded",
        template="Client quota exceeded",
        cause="The application asked for more tokens than its hourly or daily fine-grained "
        "quota (see the Auth0-Client-Quota-Limit header's buckets); usually tokens are not "
        "cached.",
        fix="Cache the token until shortly before it expires (ClientCredentials does), or raise "
        f"the quota in {_APPS} > Settings > Token Quota.",
        retry=True,
        source="docs-v2 fine-grained-m2m-token-quotas.mdx",
    ),
    CatalogueEntry(
        key="auth0.organization_quota_exceeded",
        title="M2M token quota exceeded (organization)",
        status=429,
        error="too_many_requests",
        description=r"Organization quota exceeded",
        template="Organization quota exceeded",
        cause="Tokens for this organization exceeded its hourly or daily fine-grained quota "
        "(see the Auth0-Organization-Quota-Limit header).",
        fix="Cache tokens per organization, or raise the quota in Dashboard > Organizations > "
        "(your organization) > Token Quota.",
        retry=True,
        source="docs-v2 fine-grained-m2m-token-quotas.mdx (text unconfirmed)",
        confirmed=False,
    ),
    CatalogueEntry(
        key="auth0.rate_limited",
        title="Rate limited",
        status=429,
        error="too_many_requests",
        description=None,
        template="Global limit has been reached",
        cause="Too many token requests in the rate-limit window (x-ratelimit-limit; "
        "x-ratelimit-reset says when it reopens); fetching a token per call is the usual cause.",
        fix="Cache tokens; back off until Retry-After or x-ratelimit-reset before retrying.",
        retry=True,
        source="docs-v2 api/authentication.mdx; rate-limit-use-cases.mdx",
    ),
    CatalogueEntry(
        key="auth0.too_many_attempts",
        title="Too many failed attempts from this address",
        status=429,
        error="too_many_attempts",
        description=r"suspicious login behavior",
        template="We have detected suspicious login behavior and further attempts will be "
        "blocked. Please contact the administrator.",
        cause="Too many requests from this IP address failed (wrong client secrets, unknown "
        "client ids, malformed requests), so Auth0's Suspicious IP Throttling blocks further "
        "attempts from it for a while, correct credentials included.",
        fix="Fix the credentials before retrying and wait for the block to lift; on Auth0, an "
        "administrator can unblock the address or allow-list it in Dashboard > Security > "
        "Attack Protection > Suspicious IP Throttling.",
        retry=True,
        source="docs: secure/attack-protection/suspicious-ip-throttling; "
        "authenticate/custom-token-exchange/cte-attack-protection (status, code and text)",
    ),
    CatalogueEntry(
        key="auth0.method_not_allowed",
        title="Wrong HTTP method",
        status=405,
        error="method_not_allowed",
        description=r"^Method not allowed",
        template="Method not allowed: use {methods}",
        cause="The endpoint was called with a method it does not serve, such as a GET to the "
        "token endpoint (the Allow header lists the methods it does serve).",
        fix="POST to the token endpoint, with the parameters in the body.",
        retry=False,
        source=_TENANT_ONLY,
        confirmed=False,
    ),
    CatalogueEntry(
        key="auth0.not_found",
        title="No such endpoint",
        status=404,
        error="not_found",
        description=r"^Not found",
        template="Not found: {path}",
        cause="The URL's path is not an endpoint of the tenant: usually a domain given with a "
        "path, or a mistyped token URL.",
        fix="Give the bare tenant domain, so the token URL is https://<domain>/oauth/token.",
        retry=False,
        source=_TENANT_ONLY,
        confirmed=False,
        request_field="domain",
    ),
)

_RFC6749: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        key="rfc6749.invalid_request",
        title="Invalid request",
        status=None,
        error="invalid_request",
        description=None,
        template="The request is missing a required parameter",
        cause="A parameter is missing, repeated, malformed, or has an unsupported value.",
        fix="Compare the request with the server's documentation; the description names the field.",
        retry=False,
        source="RFC 6749 §5.2",
    ),
    CatalogueEntry(
        key="rfc6749.invalid_client",
        title="Client authentication failed",
        status=None,
        error="invalid_client",
        description=None,
        template="Client authentication failed",
        cause="Unknown client, wrong secret, or a client authentication method the client is "
        "not registered for (post vs Basic).",
        fix="Check client_id and client_secret, and the application's Token Endpoint "
        "Authentication Method (auth_method: client_secret_post or client_secret_basic).",
        retry=False,
        source="RFC 6749 §5.2",
        request_field="auth_method",
    ),
    CatalogueEntry(
        key="rfc6749.invalid_grant",
        title="Invalid grant",
        status=None,
        error="invalid_grant",
        description=None,
        template="Invalid grant",
        cause="The authorization grant is invalid, expired or revoked (rare with client "
        "credentials, which have no grant to expire).",
        fix="Check grant_type is client_credentials and the server's grant settings.",
        retry=False,
        source="RFC 6749 §5.2",
    ),
    CatalogueEntry(
        key="rfc6749.unauthorized_client",
        title="Client not authorised for this grant",
        status=None,
        error="unauthorized_client",
        description=None,
        template="The client is not authorized to use this grant type",
        cause="The client may not use the client-credentials grant.",
        fix="Enable the client-credentials grant for the application on the server.",
        retry=False,
        source="RFC 6749 §5.2",
    ),
    CatalogueEntry(
        key="rfc6749.unsupported_grant_type",
        title="Unsupported grant type",
        status=None,
        error="unsupported_grant_type",
        description=None,
        template="Unsupported grant type: {grant_type}",
        cause="grant_type is misspelled, missing from a body the server could not read, or the "
        "server does not support client credentials.",
        fix="Send grant_type=client_credentials, with a Content-Type that matches the body.",
        retry=False,
        source="RFC 6749 §5.2; Auth0 OpenAPI example (status 400)",
        request_field="body",
    ),
    CatalogueEntry(
        key="rfc6749.invalid_scope",
        title="Invalid scope",
        status=None,
        error="invalid_scope",
        description=None,
        template="The requested scope is invalid",
        cause="A requested scope is unknown, malformed, or more than the client was granted.",
        fix="Request only scopes the client is granted (or leave scope out).",
        retry=False,
        source="RFC 6749 §5.2",
        request_field="scope",
    ),
    CatalogueEntry(
        key="rfc6749.access_denied",
        title="Access denied",
        status=None,
        error="access_denied",
        description=None,
        template="Access denied",
        cause="The server refused the request; the description says why.",
        fix="Read error_description; on Auth0 check the application's grants for the API.",
        retry=False,
        source="RFC 6749 §4.1.2.1 (used by Auth0 on the token endpoint)",
    ),
    CatalogueEntry(
        key="rfc6749.server_error",
        title="Server error",
        status=None,
        error="server_error",
        description=None,
        template="Internal server error",
        cause="The server failed while handling a valid request.",
        fix="Retry with exponential backoff; check the provider's status page.",
        retry=True,
        source="RFC 6749 §4.1.2.1",
    ),
    CatalogueEntry(
        key="rfc6749.temporarily_unavailable",
        title="Temporarily unavailable",
        status=None,
        error="temporarily_unavailable",
        description=None,
        template="The service is temporarily unavailable",
        cause="The server is overloaded or down for maintenance.",
        fix="Retry after Retry-After, or with exponential backoff.",
        retry=True,
        source="RFC 6749 §4.1.2.1",
    ),
)

CATALOGUE: tuple[CatalogueEntry, ...] = _AUTH0 + _RFC6749
"""Every known error, most specific first: Auth0's exact cases, then RFC 6749's codes."""


def explain(error: OAuthError) -> CatalogueEntry | None:
    """Return the catalogue entry for an error, matching status, code and description.

    Args:
        error: The error the token endpoint sent.

    Returns:
        The most specific matching entry, or None for an error the catalogue does not know.
    """
    return lookup(error.status, error.error, error.error_description)


def lookup(status: int, error: str, description: str | None = None) -> CatalogueEntry | None:
    """Like `explain`, from the raw values."""
    return next((e for e in CATALOGUE if e.matches(status, error, description)), None)


_BY_KEY: Mapping[str, CatalogueEntry] = MappingProxyType({e.key: e for e in CATALOGUE})


def by_key(key: str) -> CatalogueEntry:
    """Return the entry with this key, e.g. ``by_key("auth0.wrong_secret")``.

    Raises:
        KeyError: For a key no entry has.
    """
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"No catalogue entry has the key {key!r}.") from None
