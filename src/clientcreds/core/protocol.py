"""The protocol's fixed names, written once: grant type, assertion type, paths, media types,
the ``AUTH0_*`` variables and the seed page's placeholders."""

from __future__ import annotations

from typing import Literal, get_args

#: The ``grant_type`` of the client-credentials flow (RFC 6749 §4.4).
GRANT_TYPE = "client_credentials"
#: The ``client_assertion_type`` of ``private_key_jwt`` (RFC 7523 §2.2).
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

AssertionAlg = Literal["RS256", "RS384", "PS256", "PS384", "ES256", "ES384"]
#: The client-assertion algorithms Auth0 accepts for ``private_key_jwt``.
ASSERTION_ALGS: tuple[str, ...] = get_args(AssertionAlg)

#: Auth0's token endpoint path, and the well-known paths of an issuer.
TOKEN_PATH = "/oauth/token"
JWKS_PATH = "/.well-known/jwks.json"
DISCOVERY_PATH = "/.well-known/openid-configuration"

#: The body media types, by body format.
MEDIA_TYPES: dict[str, str] = {
    "form": "application/x-www-form-urlencoded",
    "json": "application/json",
}

#: The environment variable behind each request field (the CLI, the explorer, env snippets).
ENV_VARS: dict[str, str] = {
    "domain": "AUTH0_DOMAIN",
    "client_id": "AUTH0_CLIENT_ID",
    "client_secret": "AUTH0_CLIENT_SECRET",
    "audience": "AUTH0_AUDIENCE",
}
#: The variable an ``env``-mode snippet reads the secret from.
SECRET_ENV_VAR = ENV_VARS["client_secret"]

#: The seed page's placeholders, for any field nobody gave.
PLACEHOLDERS: dict[str, str] = {
    "domain": "YOUR_DOMAIN",
    "client_id": "YOUR_CLIENT_ID",
    "client_secret": "YOUR_CLIENT_SECRET",
    "audience": "API_IDENTIFIER",
}
#: What the secret reads as in ``placeholder`` mode.
PLACEHOLDER_SECRET = PLACEHOLDERS["client_secret"]

#: The API call's access token: its placeholder, and the variable an env-mode snippet reads.
PLACEHOLDER_TOKEN = "YOUR_ACCESS_TOKEN"
TOKEN_ENV_VAR = "ACCESS_TOKEN"


def issuer_for(origin: str) -> str:
    """Auth0's issuer for a tenant origin: the origin with one trailing slash.

    Example:
        >>> issuer_for("https://tenant.auth0.com")
        'https://tenant.auth0.com/'
    """
    return origin.rstrip("/") + "/"
