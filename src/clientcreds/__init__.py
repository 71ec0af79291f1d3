"""clientcreds: the OAuth 2.0 client-credentials flow, made easy to get right.

Everything a user needs is importable from here::

    import clientcreds as cc
    req = cc.TokenRequest(domain="tenant.auth0.com", client_id="...", client_secret="...",
                          audience="https://api.example.com/")
    print(cc.render(req, "curl"))

Importing the package, building a `TokenRequest` and rendering snippets load only the standard
library. Everything else (requests, PyJWT, cryptography, httpx) is loaded on first use of a name
that needs it: ``cc.fetch_token`` loads the client, ``cc.verify`` the verifier.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from clientcreds.core.secret import Secret
from clientcreds.exceptions import (
    ClientCredsError,
    JwksError,
    KeyNotFoundError,
    OAuthError,
    RenderError,
    RequestFieldError,
    TokenEndpointError,
    TokenFormatError,
    TokenResponseError,
    TransportError,
)
from clientcreds.request.api_request import ApiRequest
from clientcreds.request.parameters import PARAMETERS, Parameter
from clientcreds.request.token_request import TokenRequest
from clientcreds.request.wire import WireRequest
from clientcreds.snippets import Target, get_target, render, render_all, targets

if TYPE_CHECKING:
    from clientcreds.client.cache import CacheKey, ClientCredentials, TokenCache
    from clientcreds.client.fetch import RetryPolicy, fetch_token
    from clientcreds.client.httpx_auth import HttpxBearerAuth
    from clientcreds.client.requests_auth import BearerAuth
    from clientcreds.request.assertion import PrivateKey
    from clientcreds.response.catalogue import CATALOGUE, CatalogueEntry, explain
    from clientcreds.response.exchange import HttpExchange
    from clientcreds.response.ratelimit import QuotaBucket, RateLimit
    from clientcreds.response.token_response import TokenResponse, parse_token_response
    from clientcreds.tenant.local import LocalTenant
    from clientcreds.tokens.decoding import ClaimInfo, DecodedToken, TokenWarning, decode
    from clientcreds.tokens.keyset import JwksCache
    from clientcreds.tokens.verification import Check, VerificationReport, verify

#: Where each name that is loaded on first use lives.
_LAZY: dict[str, str] = {
    "BearerAuth": "clientcreds.client.requests_auth",
    "CATALOGUE": "clientcreds.response.catalogue",
    "CacheKey": "clientcreds.client.cache",
    "CatalogueEntry": "clientcreds.response.catalogue",
    "Check": "clientcreds.tokens.verification",
    "ClaimInfo": "clientcreds.tokens.decoding",
    "ClientCredentials": "clientcreds.client.cache",
    "DecodedToken": "clientcreds.tokens.decoding",
    "HttpExchange": "clientcreds.response.exchange",
    "HttpxBearerAuth": "clientcreds.client.httpx_auth",
    "JwksCache": "clientcreds.tokens.keyset",
    "LocalTenant": "clientcreds.tenant.local",
    "PrivateKey": "clientcreds.request.assertion",
    "QuotaBucket": "clientcreds.response.ratelimit",
    "RateLimit": "clientcreds.response.ratelimit",
    "RetryPolicy": "clientcreds.client.fetch",
    "TokenCache": "clientcreds.client.cache",
    "TokenResponse": "clientcreds.response.token_response",
    "TokenWarning": "clientcreds.tokens.decoding",
    "VerificationReport": "clientcreds.tokens.verification",
    "decode": "clientcreds.tokens.decoding",
    "explain": "clientcreds.response.catalogue",
    "fetch_token": "clientcreds.client.fetch",
    "parse_token_response": "clientcreds.response.token_response",
    "verify": "clientcreds.tokens.verification",
}

__all__ = [
    "CATALOGUE",
    "PARAMETERS",
    "ApiRequest",
    "BearerAuth",
    "CacheKey",
    "CatalogueEntry",
    "Check",
    "ClaimInfo",
    "ClientCredentials",
    "ClientCredsError",
    "DecodedToken",
    "HttpExchange",
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
    "RequestFieldError",
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
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'clientcreds' has no attribute {name!r}")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        if name == "HttpxBearerAuth":  # httpx is an optional extra
            raise ImportError(
                f"HttpxBearerAuth needs httpx ({exc}): pip install 'clientcreds[httpx]'"
            ) from None
        raise
    value = getattr(module, name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
