"""clientcreds: the OAuth 2.0 client-credentials flow, made easy to get right.

Everything a user needs is importable from here::

    import clientcreds as cc
    req = cc.TokenRequest(domain="tenant.auth0.com", client_id="...", client_secret="...",
                          audience="https://api.example.com/")
    print(cc.render(req, "curl"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clientcreds.assertion import PrivateKey
from clientcreds.auth import BearerAuth
from clientcreds.cache import CacheKey, ClientCredentials, TokenCache
from clientcreds.client import RetryPolicy, TokenEndpointError, TransportError, fetch_token
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
from clientcreds.snippets import RenderError, Target, get_target, render, render_all, targets
from clientcreds.tenant import LocalTenant
from clientcreds.tokens import ClaimInfo, DecodedToken, TokenFormatError, TokenWarning, decode
from clientcreds.verification import Check, VerificationReport, verify

if TYPE_CHECKING:
    from clientcreds.httpx_auth import HttpxBearerAuth

__all__ = [
    "CATALOGUE",
    "PARAMETERS",
    "BearerAuth",
    "CacheKey",
    "CatalogueEntry",
    "Check",
    "ClaimInfo",
    "ClientCredentials",
    "DecodedToken",
    "HttpxBearerAuth",
    "JwksCache",
    "JwksError",
    "KeyNotFoundError",
    "LocalTenant",
    "OAuthError",
    "Parameter",
    "PrivateKey",
    "QuotaBucket",
    "RateLimit",
    "RenderError",
    "RetryPolicy",
    "Secret",
    "Target",
    "TokenCache",
    "TokenEndpointError",
    "TokenFormatError",
    "TokenRequest",
    "TokenResponse",
    "TokenResponseError",
    "TokenWarning",
    "TransportError",
    "VerificationReport",
    "WireRequest",
    "decode",
    "explain",
    "fetch_token",
    "get_target",
    "parse_token_response",
    "render",
    "render_all",
    "targets",
    "verify",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # httpx is an optional extra: its auth class is imported on first use, not with the package.
    if name == "HttpxBearerAuth":
        try:
            from clientcreds.httpx_auth import HttpxBearerAuth
        except ImportError as exc:
            raise ImportError(
                f"HttpxBearerAuth needs httpx ({exc}): pip install 'clientcreds[httpx]'"
            ) from None
        return HttpxBearerAuth
    raise AttributeError(f"module 'clientcreds' has no attribute {name!r}")
