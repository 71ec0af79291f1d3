"""clientcreds: the OAuth 2.0 client-credentials flow, made easy to get right.

Everything a user needs is importable from here::

    import clientcreds as cc
    req = cc.TokenRequest(domain="tenant.auth0.com", client_id="...", client_secret="...",
                          audience="https://api.example.com/")
    print(cc.render(req, "curl"))
"""

from __future__ import annotations

from clientcreds.request import PARAMETERS, Parameter, TokenRequest, WireRequest
from clientcreds.secret import Secret
from clientcreds.snippets import RenderError, Target, get_target, render, targets

__all__ = [
    "PARAMETERS",
    "Parameter",
    "RenderError",
    "Secret",
    "Target",
    "TokenRequest",
    "WireRequest",
    "get_target",
    "render",
    "targets",
]

__version__ = "0.1.0"
