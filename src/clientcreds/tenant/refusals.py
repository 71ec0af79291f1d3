"""The tenant's error responses, as Auth0 returns them, and the fidelity table behind them.

Every refusal is built from its entry in the error catalogue (`clientcreds.response.catalogue`),
the one table of Auth0's errors: the entry gives the status, the ``error`` code and the
``error_description`` template, so none is written here, and `clientcreds.explain` recognises
every answer the tenant gives. `FIDELITY` lists each case the tenant tells apart with the
refusal it gives and where that response comes from; a case marked ``unconfirmed`` is our
choice, not a capture of Auth0, and the docs say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clientcreds.core.protocol import JWT_BEARER
from clientcreds.response.catalogue import CatalogueEntry, by_key
from clientcreds.tenant.config import Limits

#: Auth0's ``error_uri`` for a grant type that is not enabled for the application.
GRANT_TYPES_URI = "https://auth0.com/docs/clients/client-grant-types"
CLIENT_GRANTS_URI = "https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
UNCONFIRMED = "unconfirmed"
#: The status of a malformed request (RFC 6749 §5.2), where the catalogue allows any.
BAD_REQUEST = 400


class TenantError(Exception):
    """An OAuth error response built from its catalogue entry, with extra headers.

    Args:
        entry: The catalogue entry the response is an instance of.
        description: The ``error_description``; it never contains a secret.
        status: The HTTP status, given only for an entry that allows any status.
        error_uri: An optional ``error_uri``.
        headers: Extra response headers (``Allow``, ``Retry-After``, ...).
        close: Whether the connection must be closed after the response (the body was not read).

    Raises:
        ValueError: When the status is missing, or differs from the entry's.
    """

    def __init__(
        self,
        entry: CatalogueEntry,
        description: str,
        *,
        status: int | None = None,
        error_uri: str | None = None,
        headers: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        self.entry = entry
        self.status = _status(entry, status)
        self.error = entry.error
        self.description = description
        self.error_uri = error_uri
        self.headers = dict(headers or {})
        self.close = close
        super().__init__(f"{self.status} {self.error}: {description}")

    def body(self) -> dict[str, str]:
        """The JSON body: ``error``, ``error_description`` and, when set, ``error_uri``."""
        body = {"error": self.error, "error_description": self.description}
        if self.error_uri is not None:
            body["error_uri"] = self.error_uri
        return body


def _status(entry: CatalogueEntry, status: int | None) -> int:
    if entry.status is None:
        if status is None:
            raise ValueError(f"Catalogue entry {entry.key} allows any status, so give one.")
        return status
    if status not in (None, entry.status):
        raise ValueError(f"Catalogue entry {entry.key} has status {entry.status}, not {status}.")
    return entry.status


def refusal(
    key: str,
    *,
    status: int | None = None,
    error_uri: str | None = None,
    headers: dict[str, str] | None = None,
    close: bool = False,
    **values: str,
) -> TenantError:
    """The refusal of catalogue entry `key`, its template filled in with `values`.

    Args:
        key: The catalogue entry's key, e.g. ``auth0.service_not_enabled``.
        status: The HTTP status, only for an entry that allows any status.
        error_uri: An optional ``error_uri``.
        headers: Extra response headers.
        close: Whether the connection must be closed after the response.
        **values: One value per slot of the entry's template, e.g. ``audience=...``.

    Raises:
        KeyError: For a key the catalogue does not have.
        ValueError: For values or a status the entry does not take.
    """
    entry = by_key(key)
    return TenantError(
        entry,
        entry.describe(**values),
        status=status,
        error_uri=error_uri,
        headers=headers,
        close=close,
    )


def wrong_credentials() -> TenantError:
    """A wrong secret, an unknown client or a rejected assertion: 401, revealing nothing."""
    return refusal("auth0.wrong_secret")


def grant_type_not_allowed() -> TenantError:
    """The application does not have the client-credentials grant type enabled."""
    return refusal("auth0.grant_type_not_allowed", error_uri=GRANT_TYPES_URI)


def service_not_enabled(audience: str) -> TenantError:
    """The audience is not the identifier of any API of the tenant."""
    return refusal("auth0.service_not_enabled", audience=audience)


def client_not_authorized(audience: str) -> TenantError:
    """The application has no client grant for the API."""
    return refusal("auth0.no_client_grant", audience=audience)


def scopes_not_granted(scopes: list[str]) -> TenantError:
    """The request asked for scopes the client grant does not include."""
    return refusal("auth0.scope_not_granted", scopes=", ".join(scopes))


def missing_parameter(name: str) -> TenantError:
    """A required parameter is absent (or empty)."""
    return refusal("auth0.missing_parameter", name=name)


def unsupported_grant_type(grant_type: str) -> TenantError:
    """A ``grant_type`` other than ``client_credentials`` (400, as Auth0's OpenAPI example)."""
    return refusal("rfc6749.unsupported_grant_type", status=BAD_REQUEST, grant_type=grant_type)


def no_audience() -> TenantError:
    """Neither ``audience`` (nor ``resource``) nor a tenant default audience.

    Auth0's status is unconfirmed; the tenant answers 403, like its other audience refusals.
    """
    return refusal("auth0.non_global_apiv1", status=403)


def invalid_request(
    description: str, *, status: int = BAD_REQUEST, close: bool = False
) -> TenantError:
    """A malformed request: body, content type, headers, duplicate or misplaced parameters.

    Args:
        description: What is wrong, in one sentence.
        status: The HTTP status: 400 unless the HTTP layer needs another (411, 431, ...).
        close: Whether the connection must be closed after the response.
    """
    return TenantError(by_key("rfc6749.invalid_request"), description, status=status, close=close)


def too_many_requests(headers: dict[str, str]) -> TenantError:
    """The client's rate limit is used up (the ``x-ratelimit-*`` headers say until when)."""
    return refusal("auth0.rate_limited", headers=headers)


def too_many_attempts(headers: dict[str, str]) -> TenantError:
    """Too many failed token requests from one address for one client: blocked for a while."""
    return refusal("auth0.too_many_attempts", headers=headers)


def request_timeout(seconds: float) -> TenantError:
    """A request not received whole within the time limit (408; the connection is closed)."""
    return invalid_request(
        f"Request timed out: send the whole request within {seconds:g} seconds",
        status=408,
        close=True,
    )


def quota_exceeded(headers: dict[str, str]) -> TenantError:
    """The client's M2M token quota is used up (``Auth0-Client-Quota-Limit``, ``Retry-After``)."""
    return refusal("auth0.client_quota_exceeded", headers=headers)


def organization_not_allowed() -> TenantError:
    """An ``organization`` given where the client grant's organization usage is ``deny``."""
    return refusal("auth0.organization_not_allowed")


def organization_not_authorized(organization: str) -> TenantError:
    """An ``organization`` unknown, or not associated with the client grant."""
    return refusal("auth0.organization_not_authorized", organization=organization)


def body_too_large(limit: int) -> TenantError:
    """A body over the tenant's size limit (the connection is closed after the reply)."""
    return refusal("auth0.body_too_large", close=True, limit=str(limit))


def method_not_allowed(allowed: tuple[str, ...]) -> TenantError:
    """A known path called with a method it does not serve."""
    return refusal(
        "auth0.method_not_allowed",
        headers={"Allow": ", ".join(allowed)},
        methods=" or ".join(allowed),
    )


def not_found(path: str) -> TenantError:
    """A path the tenant does not serve."""
    return refusal("auth0.not_found", path=path[:200])


@dataclass(frozen=True)
class FidelityRow:
    """One case of the fidelity table: what the tenant answers, and on what evidence.

    Attributes:
        case: The situation, in words.
        answer: The refusal the tenant gives, built by the factory the tenant calls (with
            ``<name>`` where the request's value goes), or, for a success, what it returns.
        source: Where Auth0's behaviour was seen, or ``"unconfirmed"`` for our own choice.
        note: Why we chose what we chose, where it is a choice.
    """

    case: str
    answer: TenantError | str
    source: str
    note: str = field(default="")

    @property
    def refusal(self) -> TenantError | None:
        """The refusal, or None for a success."""
        return self.answer if isinstance(self.answer, TenantError) else None

    @property
    def key(self) -> str | None:
        """The key of the refusal's catalogue entry, or None for a success."""
        return None if self.refusal is None else self.refusal.entry.key

    @property
    def status(self) -> int:
        """The HTTP status the tenant returns."""
        return 200 if self.refusal is None else self.refusal.status

    @property
    def error(self) -> str:
        """The ``error`` code (empty for a success)."""
        return "" if self.refusal is None else self.refusal.error

    @property
    def description(self) -> str:
        """The ``error_description`` or, for a success, what is returned."""
        return self.refusal.description if self.refusal is not None else str(self.answer)

    @property
    def confirmed(self) -> bool:
        """Whether the response follows a source rather than our own choice."""
        return self.source != UNCONFIRMED


_NO_HEADERS: dict[str, str] = {}

#: Every case the tenant distinguishes, for the docs' fidelity page.
FIDELITY: tuple[FidelityRow, ...] = (
    FidelityRow("wrong client secret", wrong_credentials(), "node-auth0 #682; laravel-auth0 #42"),
    FidelityRow(
        "unknown client_id",
        wrong_credentials(),
        UNCONFIRMED,
        "treated as a wrong secret so the response reveals nothing",
    ),
    FidelityRow(
        "private_key_jwt assertion rejected (signature, iss/sub, aud, exp, lifetime, jti replay, "
        "size, algorithm)",
        wrong_credentials(),
        UNCONFIRMED,
        "treated as a wrong secret; the tenant's log says which check failed",
    ),
    FidelityRow(
        "grant type not enabled for the application",
        grant_type_not_allowed(),
        "ruby-auth0 #190; auth0-java #165",
    ),
    FidelityRow(
        "audience is no API of the tenant",
        service_not_enabled("<audience>"),
        "terraform-provider-auth0 #951",
    ),
    FidelityRow(
        "application not authorised for the API (no client grant)",
        client_not_authorized("<audience>"),
        "ruby-auth0 #610",
    ),
    FidelityRow(
        "scope not granted",
        scopes_not_granted(["<scopes>"]),
        "Auth0 demo tenant log",
        "several scopes are joined with ', ' (unconfirmed)",
    ),
    FidelityRow(
        "missing parameter (grant_type, client_id)",
        missing_parameter("<name>"),
        "OpenAPI spec example",
    ),
    FidelityRow(
        "no client credentials at all (no secret, no Basic header, no assertion)",
        missing_parameter("client_secret"),
        UNCONFIRMED,
        "follows the missing-parameter row",
    ),
    FidelityRow(
        "no audience and no tenant default audience",
        no_audience(),
        "AUTH0-FACTS (text); status unconfirmed",
    ),
    FidelityRow(
        "unsupported grant type",
        unsupported_grant_type("<grant_type>"),
        "OpenAPI spec example (code); text unconfirmed",
    ),
    FidelityRow(
        "rate limited",
        too_many_requests(_NO_HEADERS),
        "docs-v2 api/authentication.mdx (code, headers); text unconfirmed",
        "x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset (UNIX seconds) on every "
        "token response; no Retry-After",
    ),
    FidelityRow(
        "failed token requests (wrong secret, unknown client, malformed) repeated from one "
        "address for one client id",
        too_many_attempts(_NO_HEADERS),
        UNCONFIRMED,
        "Auth0 documents /oauth/token limits per tenant ('any request': free tier 30 burst, 30 "
        "per second) and Suspicious IP Throttling: 429 too_many_attempts, this text, for an IP "
        "with many failed logins (confirmed for logins and custom token exchange, not for "
        "client credentials). Our choice: requests that fail before authentication are "
        "counted per source address and claimed client id (unknown ids share one count), with "
        "the tenant's burst and rate, apart from the client's own bucket, so a stranger's "
        "wrong secrets block only the stranger's address; once blocked, that address is "
        "refused even with the right secret until the bucket refills",
    ),
    FidelityRow(
        "M2M token quota exceeded",
        quota_exceeded(_NO_HEADERS),
        "docs-v2 fine-grained-m2m-token-quotas.mdx",
        "Auth0-Client-Quota-Limit on every token response of a client with a quota; "
        "windows aligned to UTC hours and days (unconfirmed); Retry-After on the 429",
    ),
    FidelityRow(
        "organization given, grant's organization usage is deny",
        organization_not_allowed(),
        UNCONFIRMED,
    ),
    FidelityRow(
        "no organization, grant's organization usage is require (and no default organization)",
        missing_parameter("organization"),
        UNCONFIRMED,
    ),
    FidelityRow(
        "organization unknown, or not associated with the client grant",
        organization_not_authorized("<organization>"),
        UNCONFIRMED,
        "community post 188148 says invalid values fail, not how",
    ),
    FidelityRow(
        "more than one client authentication method, or client_id differing from Basic",
        invalid_request("Multiple client authentication methods are not allowed"),
        "RFC 6749 §2.3; text unconfirmed",
    ),
    FidelityRow(
        "client_assertion_type missing or not jwt-bearer",
        invalid_request(f"Invalid client_assertion_type: use {JWT_BEARER}"),
        UNCONFIRMED,
    ),
    FidelityRow(
        "duplicate parameter",
        invalid_request("Duplicate parameter: <name>"),
        "RFC 6749 §3.2; text unconfirmed",
    ),
    FidelityRow(
        "parameters in the query string",
        invalid_request("Parameters must be sent in the request body, not in the query string"),
        UNCONFIRMED,
        "RFC 6749 §3.2 requires POST with a body; query credentials would end up in logs",
    ),
    FidelityRow(
        "malformed form or JSON body, non-text JSON values, wrong or missing Content-Type",
        invalid_request("<what is wrong>"),
        UNCONFIRMED,
    ),
    FidelityRow(
        f"body over the size limit ({Limits.max_body // 1024} KiB by default)",
        body_too_large(Limits.max_body),
        UNCONFIRMED,
    ),
    FidelityRow(
        f"request not received whole within the time limit ({Limits.request_timeout:g} s by "
        "default, Limits.request_timeout)",
        request_timeout(Limits.request_timeout),
        UNCONFIRMED,
        "answered in JSON, then the connection is closed; an idle keep-alive connection is "
        f"closed after {Limits.idle_timeout:g} s without an answer (no request was started)",
    ),
    FidelityRow(
        "too many parameters",
        invalid_request("Too many parameters: <count> sent, at most 64 are allowed"),
        UNCONFIRMED,
    ),
    FidelityRow(
        "wrong method on a known path",
        method_not_allowed(("<methods>",)),
        UNCONFIRMED,
    ),
    FidelityRow("unknown path", not_found("<path>"), UNCONFIRMED),
    FidelityRow(
        "success",
        "access_token, token_type Bearer, expires_in (the API's lifetime), scope when the grant "
        "has scopes; Cache-Control: no-store and Pragma: no-cache",
        "docs-v2 get-token.mdx; RFC 6749 §5.1",
        "scope in the body is unconfirmed for Auth0; all granted scopes are issued whatever "
        "was asked (community 99171)",
    ),
    FidelityRow(
        "resource instead of audience",
        "the token is issued for resource (audience wins when both are given)",
        "get-started/tenant-settings.mdx",
        "on by default here (TenantConfig.resource_parameter); Auth0's default is off",
    ),
    FidelityRow(
        "HS256 API",
        "signed with the API's signing secret; header without kid",
        UNCONFIRMED,
        "header without kid is our choice",
    ),
    FidelityRow(
        "PS256 API",
        "signed with the tenant's RSA key, published in the JWKS with alg PS256 and its own kid",
        UNCONFIRMED,
    ),
)
