"""Snippet targets: render one `TokenRequest` as equivalent code in many languages.

Each target lives in its own module and exports ``TARGET``; this module is the registry.
"""

from __future__ import annotations

from collections.abc import Sequence

from clientcreds.core.protocol import PLACEHOLDER_SECRET, SECRET_ENV_VAR
from clientcreds.exceptions import RenderError
from clientcreds.request.api_request import ApiRequest
from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets.c import libcurl
from clientcreds.snippets.csharp import httpclient as csharp_httpclient
from clientcreds.snippets.go import native
from clientcreds.snippets.http import raw
from clientcreds.snippets.java import httpclient as java_httpclient
from clientcreds.snippets.java import okhttp
from clientcreds.snippets.javascript import axios, fetch, node_http
from clientcreds.snippets.php import curl as php_curl
from clientcreds.snippets.php import guzzle
from clientcreds.snippets.plan import SECRET_MODES, SecretMode, make_plan
from clientcreds.snippets.python import httpx_client, requests, urllib_request
from clientcreds.snippets.ruby import nethttp
from clientcreds.snippets.rust import reqwest
from clientcreds.snippets.shell import curl, httpie, wget
from clientcreds.snippets.target import Target

__all__ = [
    "PLACEHOLDER_SECRET",
    "SECRET_ENV_VAR",
    "SECRET_MODES",
    "RenderError",
    "SecretMode",
    "Target",
    "get_target",
    "languages",
    "render",
    "render_all",
    "targets",
]

_REGISTRY: dict[str, Target] = {
    module.TARGET.name: module.TARGET
    for module in (
        raw,
        curl,
        httpie,
        wget,
        requests,
        httpx_client,
        urllib_request,
        fetch,
        node_http,
        axios,
        native,
        java_httpclient,
        okhttp,
        csharp_httpclient,
        libcurl,
        php_curl,
        guzzle,
        nethttp,
        reqwest,
    )
}


def targets() -> list[str]:
    """The names of every snippet target, in display order.

    Example:
        >>> targets()[0], "go-native" in targets()
        ('http', True)
    """
    return list(_REGISTRY)


def languages() -> dict[str, tuple[str, ...]]:
    """The target names grouped by language (`Target.title`), languages in display order.

    Example:
        >>> languages()["Go"]
        ('go-native',)
    """
    grouped: dict[str, tuple[str, ...]] = {}
    for target in _REGISTRY.values():
        grouped[target.title] = (*grouped.get(target.title, ()), target.name)
    return grouped


def get_target(name: str) -> Target:
    """The `Target` called `name`.

    Raises:
        ValueError: if there is no such target; the message lists the known ones.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown target {name!r}: choose one of {', '.join(_REGISTRY)}") from None


def render(
    request: TokenRequest | ApiRequest, target: str, secret: SecretMode = "placeholder"
) -> str:
    """Render `request` as a snippet in `target`.

    Args:
        request: The token request.
        target: A name from `targets()`.
        secret: ``placeholder`` writes ``YOUR_CLIENT_SECRET``; ``env`` makes the snippet read
            ``AUTH0_CLIENT_SECRET`` from its environment (unset or empty, it sends nothing,
            says so on stderr and exits non-zero); ``reveal`` writes the secret itself.

    Raises:
        ValueError: for an unknown target or secret mode, or `RenderError` when the target
            cannot carry the request faithfully (the message says why and what to use instead).
    """
    return get_target(target).render(make_plan(request, secret))


def render_all(
    request: TokenRequest | ApiRequest,
    secret: SecretMode = "placeholder",
    names: Sequence[str] | None = None,
) -> dict[str, str]:
    """Render `request` in every target (or those in `names`), laying it out only once.

    Returns:
        The snippets by target name, in display order.

    Raises:
        ValueError: as `render` does, for the first target that cannot carry the request.
    """
    chosen = [get_target(name) for name in (targets() if names is None else names)]
    plan = make_plan(request, secret)
    return {target.name: target.render(plan) for target in chosen}
