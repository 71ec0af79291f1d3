"""clientcreds: the OAuth 2.0 client-credentials flow, made easy to get right.

Everything a user needs is importable from here::

    import clientcreds as cc
    req = cc.TokenRequest(domain="tenant.auth0.com", client_id="...", client_secret="...",
                          audience="https://api.example.com/")
    print(cc.render(req, "curl"))
"""

from __future__ import annotations

from clientcreds.errors import CATALOGUE, CatalogueEntry, explain
from clientcreds.jwks import JwksCache, JwksError, KeyNotFoundError
from clientcreds.request import PARAMETERS, Parameter, TokenRequest, WireRequest
from clientcreds.response import (
    OAuthError,
    QuotaBucket,
    RateLimit,
    TokenResponse,
    TokenResponseError,
    parse_token_response,
)
from clientcreds.secret import Secret
from clientcreds.snippets import RenderError, Target, get_target, render, targets
from clientcreds.tenant import LocalTenant
from clientcreds.tokens import (
    Check,
    ClaimInfo,
    DecodedToken,
    TokenFormatError,
    TokenWarning,
    VerificationReport,
    decode,
    verify,
)

__all__ = [
    "CATALOGUE",
    "PARAMETERS",
    "CatalogueEntry",
    "Check",
    "ClaimInfo",
    "DecodedToken",
    "JwksCache",
    "JwksError",
    "KeyNotFoundError",
    "LocalTenant",
    "OAuthError",
    "Parameter",
    "QuotaBucket",
    "RateLimit",
    "RenderError",
    "Secret",
    "Target",
    "TokenFormatError",
    "TokenRequest",
    "TokenResponse",
    "TokenResponseError",
    "TokenWarning",
    "VerificationReport",
    "WireRequest",
    "decode",
    "explain",
    "get_target",
    "parse_token_response",
    "render",
    "targets",
    "verify",
]

__version__ = "0.1.0"
