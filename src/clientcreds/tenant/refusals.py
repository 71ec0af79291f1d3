"""The tenant's error responses, as Auth0 returns them, and the fidelity table behind them.

Every response the token endpoint can refuse with is built here, so its status, ``error`` and
``error_description`` are written once. `FIDELITY` lists each case with the response we give and
where that response comes from; a case marked ``unconfirmed`` is our choice, not a capture of
Auth0, and the docs say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Auth0's ``error_uri`` for a grant type that is not enabled for the application.
GRANT_TYPES_URI = "https://auth0.com/docs/clients/client-grant-types"
CLIENT_GRANTS_URI = "https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
UNCONFIRMED = "unconfirmed"


class TenantError(Exception):
    """An OAuth error response: status, ``error``, ``error_description`` and extra headers.

    Args:
        status: The HTTP status code.
        error: The ``error`` code.
        description: The ``error_description``; it never contains a secret.
        error_uri: An optional ``error_uri``.
        headers: Extra response headers (``Allow``, ``Retry-After``, ...).
        close: Whether the connection must be closed after the response (the body was not read).
    """

    def __init__(
        self,
        status: int,
        error: str,
        description: str,
        *,
        error_uri: str | None = None,
        headers: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.error_uri = error_uri
        self.headers = dict(headers or {})
        self.close = close

    def body(self) -> dict[str, str]:
        """The JSON body: ``error``, ``error_description`` and, when set, ``error_uri``."""
        body = {"error": self.error, "error_description": self.description}
        if self.error_uri is not None:
            body["error_uri"] = self.error_uri
        return body


def wrong_credentials() -> TenantError:
    """A wrong secret, an unknown client or a rejected assertion: 401, revealing nothing."""
    return TenantError(401, "access_denied", "Unauthorized")


def grant_type_not_allowed() -> TenantError:
    """The application does not have the client-credentials grant type enabled."""
    return TenantError(
        403,
        "unauthorized_client",
        "Grant type 'client_credentials' not allowed for the client.",
        error_uri=GRANT_TYPES_URI,
    )


def service_not_enabled(audience: str) -> TenantError:
    """The audience is not the identifier of any API of the tenant."""
    return TenantError(403, "access_denied", f"Service not enabled within domain: {audience}")


def client_not_authorized(audience: str) -> TenantError:
    """The application has no client grant for the API."""
    return TenantError(
        403,
        "access_denied",
        f'Client is not authorized to access "{audience}". You need to create a "client-grant" '
        f"associated to this API. See: {CLIENT_GRANTS_URI}",
    )


def scopes_not_granted(scopes: list[str]) -> TenantError:
    """The request asked for scopes the client grant does not include."""
    return TenantError(
        403, "access_denied", f"Client has not been granted scopes: {', '.join(scopes)}"
    )


def missing_parameter(name: str) -> TenantError:
    """A required parameter is absent (or empty)."""
    return TenantError(400, "invalid_request", f"Missing required parameter: {name}")


def unsupported_grant_type(grant_type: str) -> TenantError:
    """A ``grant_type`` other than ``client_credentials``."""
    return TenantError(400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}")


def no_audience() -> TenantError:
    """Neither ``audience`` (nor ``resource``) nor a tenant default audience."""
    return TenantError(403, "access_denied", "Non-global clients are not allowed access to APIv1")


def invalid_request(description: str, *, close: bool = False) -> TenantError:
    """A malformed request: body, content type, duplicate or misplaced parameters."""
    return TenantError(400, "invalid_request", description, close=close)


def too_many_requests(headers: dict[str, str]) -> TenantError:
    """The client's rate limit is used up (the ``x-ratelimit-*`` headers say until when)."""
    return TenantError(429, "too_many_requests", "Global limit has been reached", headers=headers)


def quota_exceeded(headers: dict[str, str]) -> TenantError:
    """The client's M2M token quota is used up (``Auth0-Client-Quota-Limit``, ``Retry-After``)."""
    return TenantError(429, "too_many_requests", "Client quota exceeded", headers=headers)


def organization_error(status: int, description: str) -> TenantError:
    """An ``organization`` the client grant's organization usage does not allow."""
    error = "invalid_request" if status == 400 else "access_denied"
    return TenantError(status, error, description)


def body_too_large(limit: int) -> TenantError:
    """A body over the tenant's size limit (the connection is closed after the reply)."""
    return TenantError(
        413,
        "invalid_request",
        f"Request body too large: the limit is {limit} bytes",
        close=True,
    )


def method_not_allowed(allowed: tuple[str, ...]) -> TenantError:
    """A known path called with a method it does not serve."""
    return TenantError(
        405,
        "method_not_allowed",
        f"Method not allowed: use {' or '.join(allowed)}",
        headers={"Allow": ", ".join(allowed)},
    )


def not_found(path: str) -> TenantError:
    """A path the tenant does not serve."""
    return TenantError(404, "not_found", f"Not found: {path[:200]}")


@dataclass(frozen=True)
class FidelityRow:
    """One case of the fidelity table: what the tenant answers, and on what evidence.

    Attributes:
        case: The situation, in words.
        status: The HTTP status the tenant returns.
        error: The ``error`` code (empty for a success row).
        description: The ``error_description`` or, for a success, what is returned.
        source: Where Auth0's behaviour was seen, or ``"unconfirmed"`` for our own choice.
        note: Why we chose what we chose, where it is a choice.
    """

    case: str
    status: int
    error: str
    description: str
    source: str
    note: str = field(default="")

    @property
    def confirmed(self) -> bool:
        """Whether the response follows a source rather than our own choice."""
        return self.source != UNCONFIRMED


#: Every case the tenant distinguishes, for the docs' fidelity page.
FIDELITY: tuple[FidelityRow, ...] = (
    FidelityRow(
        "wrong client secret",
        401,
        "access_denied",
        "Unauthorized",
        "node-auth0 #682; laravel-auth0 #42",
    ),
    FidelityRow(
        "unknown client_id",
        401,
        "access_denied",
        "Unauthorized",
        UNCONFIRMED,
        "treated as a wrong secret so the response reveals nothing",
    ),
    FidelityRow(
        "private_key_jwt assertion rejected (signature, iss/sub, aud, exp, lifetime, jti replay, "
        "size, algorithm)",
        401,
        "access_denied",
        "Unauthorized",
        UNCONFIRMED,
        "treated as a wrong secret; the tenant's log says which check failed",
    ),
    FidelityRow(
        "grant type not enabled for the application",
        403,
        "unauthorized_client",
        "Grant type 'client_credentials' not allowed for the client.",
        "ruby-auth0 #190; auth0-java #165",
        f"with error_uri {GRANT_TYPES_URI}",
    ),
    FidelityRow(
        "audience is no API of the tenant",
        403,
        "access_denied",
        "Service not enabled within domain: <audience>",
        "terraform-provider-auth0 #951",
    ),
    FidelityRow(
        "application not authorised for the API (no client grant)",
        403,
        "access_denied",
        'Client is not authorized to access "<audience>". You need to create a "client-grant" '
        f"associated to this API. See: {CLIENT_GRANTS_URI}",
        "ruby-auth0 #610",
    ),
    FidelityRow(
        "scope not granted",
        403,
        "access_denied",
        "Client has not been granted scopes: <scopes>",
        "Auth0 demo tenant log",
        "several scopes are joined with ', ' (unconfirmed)",
    ),
    FidelityRow(
        "missing parameter (grant_type, client_id)",
        400,
        "invalid_request",
        "Missing required parameter: <name>",
        "OpenAPI spec example",
    ),
    FidelityRow(
        "no client credentials at all (no secret, no Basic header, no assertion)",
        400,
        "invalid_request",
        "Missing required parameter: client_secret",
        UNCONFIRMED,
        "follows the missing-parameter row",
    ),
    FidelityRow(
        "no audience and no tenant default audience",
        403,
        "access_denied",
        "Non-global clients are not allowed access to APIv1",
        "AUTH0-FACTS (text); status unconfirmed",
    ),
    FidelityRow(
        "unsupported grant type",
        400,
        "unsupported_grant_type",
        "Unsupported grant type: <grant_type>",
        "OpenAPI spec example (code); text unconfirmed",
    ),
    FidelityRow(
        "rate limited",
        429,
        "too_many_requests",
        "Global limit has been reached",
        "docs-v2 api/authentication.mdx (code, headers); text unconfirmed",
        "x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset (UNIX seconds) on every "
        "token response; no Retry-After",
    ),
    FidelityRow(
        "M2M token quota exceeded",
        429,
        "too_many_requests",
        "Client quota exceeded",
        "docs-v2 fine-grained-m2m-token-quotas.mdx",
        "Auth0-Client-Quota-Limit on every token response of a client with a quota; "
        "windows aligned to UTC hours and days (unconfirmed); Retry-After on the 429",
    ),
    FidelityRow(
        "organization given, grant's organization usage is deny",
        400,
        "invalid_request",
        "Organization parameter is not allowed for this client grant",
        UNCONFIRMED,
    ),
    FidelityRow(
        "no organization, grant's organization usage is require (and no default organization)",
        400,
        "invalid_request",
        "Missing required parameter: organization",
        UNCONFIRMED,
    ),
    FidelityRow(
        "organization unknown, or not associated with the client grant",
        403,
        "access_denied",
        "Client is not authorized to access the organization: <organization>",
        UNCONFIRMED,
        "community post 188148 says invalid values fail, not how",
    ),
    FidelityRow(
        "more than one client authentication method, or client_id differing from Basic",
        400,
        "invalid_request",
        "Multiple client authentication methods are not allowed",
        "RFC 6749 §2.3; text unconfirmed",
    ),
    FidelityRow(
        "client_assertion_type missing or not jwt-bearer",
        400,
        "invalid_request",
        "Invalid client_assertion_type: use urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        UNCONFIRMED,
    ),
    FidelityRow(
        "duplicate parameter",
        400,
        "invalid_request",
        "Duplicate parameter: <name>",
        "RFC 6749 §3.2; text unconfirmed",
    ),
    FidelityRow(
        "parameters in the query string",
        400,
        "invalid_request",
        "Parameters must be sent in the request body, not in the query string",
        UNCONFIRMED,
        "RFC 6749 §3.2 requires POST with a body; query credentials would end up in logs",
    ),
    FidelityRow(
        "malformed form or JSON body, non-text JSON values, wrong or missing Content-Type",
        400,
        "invalid_request",
        "<what is wrong>",
        UNCONFIRMED,
    ),
    FidelityRow(
        "body over the size limit (64 KiB by default)",
        413,
        "invalid_request",
        "Request body too large: the limit is <n> bytes",
        UNCONFIRMED,
    ),
    FidelityRow(
        "wrong method on a known path",
        405,
        "method_not_allowed",
        "Method not allowed: use <methods>",
        UNCONFIRMED,
        "with an Allow header",
    ),
    FidelityRow(
        "unknown path",
        404,
        "not_found",
        "Not found: <path>",
        UNCONFIRMED,
    ),
    FidelityRow(
        "success",
        200,
        "",
        "access_token, token_type Bearer, expires_in (the API's lifetime), scope when the grant "
        "has scopes; Cache-Control: no-store and Pragma: no-cache",
        "docs-v2 get-token.mdx; RFC 6749 §5.1",
        "scope in the body is unconfirmed for Auth0; all granted scopes are issued whatever "
        "was asked (community 99171)",
    ),
    FidelityRow(
        "resource instead of audience",
        200,
        "",
        "the token is issued for resource (audience wins when both are given)",
        "get-started/tenant-settings.mdx",
        "on by default here (TenantConfig.resource_parameter); Auth0's default is off",
    ),
    FidelityRow(
        "HS256 API",
        200,
        "",
        "signed with the API's signing secret; header without kid",
        UNCONFIRMED,
        "header without kid is our choice",
    ),
    FidelityRow(
        "PS256 API",
        200,
        "",
        "signed with the tenant's RSA key, published in the JWKS with alg PS256 and its own kid",
        UNCONFIRMED,
    ),
)
