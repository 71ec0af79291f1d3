"""The debug bundle: what to paste into a support ticket, with every secret left out.

It holds the request without its secret (the body's parameters with ``client_secret``
redacted), the response's status, headers and body with tokens shortened, the decoded token
(claims, not the token itself), the verification report, and the API's answer if any.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from clientcreds.core.protocol import MEDIA_TYPES
from clientcreds.exceptions import OAuthError
from clientcreds.request.token_request import TokenRequest

if TYPE_CHECKING:
    from clientcreds.explorer.api import ApiResponse
    from clientcreds.explorer.round_trip import Exchange

REDACTED = "(redacted)"


def debug_bundle(
    request: TokenRequest, result: Exchange | None = None, api: ApiResponse | None = None
) -> dict[str, Any]:
    """The bundle as JSON-ready data.

    Args:
        request: The request (its secret is never included).
        result: The last "Get token" exchange, if any.
        api: The last "Call API" answer, if any.
    """
    from clientcreds import __version__

    bundle: dict[str, Any] = {"clientcreds": __version__, "request": request_data(request)}
    if result is not None:
        bundle["response"] = _response_data(result)
        decoded = result.decoded
        if decoded is not None:
            bundle["decoded_token"] = decoded.to_dict()
        if result.report is not None:
            report = result.report.to_dict()
            report.pop("token", None)
            bundle["verification"] = {"issuer": result.issuer, **report}
        elif result.verify_error:
            bundle["verification"] = {"issuer": result.issuer, "error": result.verify_error}
    if api is not None:
        bundle["api_call"] = {
            "url": api.url,
            "status": api.status,
            "headers": dict(api.headers),
            "body": api.body,
            "error": api.error,
        }
    return bundle


def debug_bundle_text(
    request: TokenRequest, result: Exchange | None = None, api: ApiResponse | None = None
) -> str:
    """The bundle as indented JSON text (see `debug_bundle`)."""
    return json.dumps(debug_bundle(request, result, api), indent=2, ensure_ascii=False)


def request_data(request: TokenRequest) -> dict[str, Any]:
    """The request's fields and wire shape, with the secret redacted."""
    headers = {"Content-Type": MEDIA_TYPES[request.body]}
    if request.auth_method == "client_secret_basic":
        headers["Authorization"] = f"Basic {REDACTED}"
    return {
        "method": "POST",
        "url": request.url,
        "headers": headers,
        "body": dict(request.body_params(REDACTED))
        if request.auth_method != "private_key_jwt"
        else {"client_id": request.client_id, "client_assertion": REDACTED},
        "client_id": request.client_id,
        "audience": request.audience,
        "scope": request.scope,
        "organization": request.organization,
        "auth_method": request.auth_method,
        "body_format": request.body,
        "client_secret": REDACTED,
    }


def _response_data(result: Exchange) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": result.status,
        "headers": dict(result.headers),
        "body": result.body_data if result.status is not None else None,
        "elapsed_ms": round(result.elapsed * 1000, 1),
    }
    if isinstance(result.error, OAuthError):
        data["error"] = result.error.to_dict()
    elif result.error is not None:
        data["error"] = {"type": type(result.error).__name__, "message": str(result.error)}
    return data
