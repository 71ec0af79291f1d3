"""What the explorer's form starts with: the ``AUTH0_*`` variables, or the embedded tenant."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clientcreds.core.protocol import ENV_VARS
from clientcreds.core.secret import Secret
from clientcreds.exceptions import RequestFieldError

if TYPE_CHECKING:
    from clientcreds.request.token_request import TokenRequest
    from clientcreds.tenant import LocalTenant


@dataclass(frozen=True)
class Defaults:
    """The explorer form's starting values.

    The secret is kept as a `Secret` on the kernel side: the form's password field starts
    empty and means "use this default", so the secret never reaches the page.

    Attributes:
        domain: The tenant's domain (or a loopback base URL).
        client_id: The application's Client ID.
        client_secret: The default Client Secret, used while the password field is empty.
        audience: The API identifier.
        scope: Space-separated scopes (empty: none asked for).
        organization: An organisation name or id (empty: none).
        auth_method: ``client_secret_post`` or ``client_secret_basic``.
        body: ``form`` or ``json``.
        secret_mode: How snippets show the secret: ``placeholder`` or ``env``.
        api_url: The URL "Call API" starts with (empty: none known).
        source: Where the values came from, in words (shown above the form).
    """

    domain: str = ""
    client_id: str = ""
    client_secret: Secret | None = field(default=None, repr=False)
    audience: str = ""
    scope: str = ""
    organization: str = ""
    auth_method: str = "client_secret_post"
    body: str = "form"
    secret_mode: str = "placeholder"
    api_url: str = ""
    source: str = "given values"

    def secret_for(self, domain: str, client_id: str) -> Secret | None:
        """The default secret if `domain` and `client_id` are exactly the ones it came with.

        A default secret (the embedded tenant's, or ``AUTH0_CLIENT_SECRET``) belongs to one
        application of one tenant: it is never sent anywhere else.
        """
        if (domain, client_id) != (self.domain, self.client_id):
            return None
        return self.client_secret

    def token_request(self) -> TokenRequest:
        """The `TokenRequest` these defaults describe.

        Raises:
            ValueError: naming the missing or invalid field (one sentence).
        """
        from clientcreds.request.token_request import TokenRequest

        if self.client_secret is None:
            raise RequestFieldError(
                f"no client secret: set {ENV_VARS['client_secret']} (or type it in the explorer)",
                field="client_secret",
            )
        fields: dict[str, Any] = {
            "domain": self.domain,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "audience": self.audience or None,
            "scope": self.scope or None,
            "organization": self.organization or None,
            "auth_method": self.auth_method,
            "body": self.body,
        }
        return TokenRequest(**fields)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Defaults | None:
        """The ``AUTH0_*`` variables as defaults, or None when ``AUTH0_DOMAIN`` is not set.

        Args:
            environ: The environment to read (default: `os.environ`).
        """
        env = os.environ if environ is None else environ
        values = {name: env.get(var, "").strip() for name, var in ENV_VARS.items()}
        if not values["domain"]:
            return None
        secret = env.get(ENV_VARS["client_secret"], "")
        named = [var for name, var in ENV_VARS.items() if values[name]]
        return cls(
            domain=values["domain"],
            client_id=values["client_id"],
            client_secret=Secret(secret) if secret else None,
            audience=values["audience"],
            source="the environment (" + ", ".join(named) + ")",
        )

    @classmethod
    def from_tenant(cls, tenant: LocalTenant, *, api_url: str = "") -> Defaults:
        """The embedded tenant's demo application and API as defaults.

        Args:
            tenant: A running `LocalTenant` with its demo application.
            api_url: A loopback API that accepts the tenant's tokens, for "Call API".
        """
        return cls(
            domain=tenant.domain,
            client_id=tenant.client_id,
            client_secret=tenant.client_secret,
            audience=tenant.audience,
            api_url=api_url,
            source=f"the embedded tenant at {tenant.domain} (its demo application)",
        )

    @classmethod
    def from_request(cls, request: TokenRequest, *, api_url: str = "") -> Defaults:
        """An existing request's fields as defaults.

        Args:
            request: A request with a `domain` (``token_url`` requests are not supported).
            api_url: The URL "Call API" starts with.

        Raises:
            ValueError: for a request without a domain.
        """
        if request.domain is None:
            raise ValueError("the explorer needs a request with a domain, not a token_url")
        return cls(
            domain=request.domain,
            client_id=request.client_id,
            client_secret=request.client_secret,
            audience=request.audience or "",
            scope=request.scope or "",
            organization=request.organization or "",
            auth_method=request.auth_method,
            body=request.body,
            api_url=api_url,
        )
