"""The token request's parameters as the reference page documents them (the site's table)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    """One request parameter as the reference page documents it."""

    name: str
    required: bool
    description: str


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("audience", True, "The unique identifier of the target API you want to access."),
    Parameter(
        "grant_type",
        True,
        "Denotes the flow you are using. For Client Credentials use `client_credentials`.",
    ),
    Parameter("client_id", True, "Your application's Client ID."),
    Parameter("client_secret", True, "Your application's Client Secret."),
    Parameter(
        "scope",
        False,
        "Space-separated scopes to request; Auth0 grants all the client grant's scopes anyway, "
        "and refuses a scope that was not granted.",
    ),
    Parameter(
        "organization",
        False,
        "The organization name or identifier to issue the token for (`org_id` and `org_name`).",
    ),
)
"""The request's parameters in the seed page's order, with its descriptions."""
