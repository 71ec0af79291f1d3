"""`DemoApi`: a tiny API on loopback that accepts only valid tokens, to try "Call API" on.

Every request must carry ``Authorization: Bearer <token>``; the token is checked with
`verify` against the issuer's published keys. The answers follow RFC 6750: 401
``invalid_token`` for a missing or invalid token, 403 ``insufficient_scope`` for a missing
scope, and 200 with the caller's identity otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clientcreds.core.loopback import BackgroundService, LoopbackHandler, LoopbackServer
from clientcreds.exceptions import TokenFormatError
from clientcreds.tokens.verification import VerificationReport, verify

if TYPE_CHECKING:
    from clientcreds.tenant import LocalTenant


class DemoApi(BackgroundService["_ApiServer"]):
    """A loopback API that checks bearer tokens: a context manager, or `start` and `stop`.

    Args:
        issuer: The tokens' expected ``iss``.
        audience: The API identifier the tokens must be for.
        required_scopes: Scopes every token must carry.
        port: The port on 127.0.0.1 (0 picks a free one).

    Example:
        >>> from clientcreds import LocalTenant
        >>> with LocalTenant() as tenant, DemoApi.for_tenant(tenant) as api:
        ...     api.url.startswith("http://127.0.0.1:")
        True
    """

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        required_scopes: Sequence[str] = (),
        port: int = 0,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.required_scopes = tuple(required_scopes)
        self._port = port

    @classmethod
    def for_tenant(cls, tenant: LocalTenant, **options: Any) -> DemoApi:
        """A `DemoApi` for the embedded tenant's demo API (its issuer and audience)."""
        return cls(tenant.issuer, tenant.audience, **options)

    service_name = "demo API"

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"DemoApi({where}, audience={self.audience!r})"

    def _create_server(self) -> _ApiServer:
        return _ApiServer(self, self._port)

    @property
    def url(self) -> str:
        """The API's base URL, ``http://127.0.0.1:PORT/``.

        Raises:
            RuntimeError: if it is not running.
        """
        return self._running().url + "/"

    def answer(self, authorization: str | None) -> tuple[int, dict[str, str], dict[str, Any]]:
        """The status, extra headers and JSON body for a request with this ``Authorization``."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return _refusal(401, "invalid_request", "Send Authorization: Bearer <token>.")
        try:
            report = verify(
                authorization[7:],
                issuer=self.issuer,
                audience=self.audience,
                required_scopes=self.required_scopes or None,
            )
        except (TokenFormatError, ValueError) as exc:
            return _refusal(401, "invalid_token", str(exc))
        if not report.ok:
            return _report_refusal(report)
        claims = report.decoded.claims
        return (
            200,
            {},
            {
                "message": f"Hello, {claims.get('sub')}: your token is valid.",
                "audience": self.audience,
                "scope": claims.get("scope"),
            },
        )


def _report_refusal(report: VerificationReport) -> tuple[int, dict[str, str], dict[str, Any]]:
    failure = report.failures[0]
    if failure.name == "scope":
        return _refusal(403, "insufficient_scope", failure.message)
    return _refusal(401, "invalid_token", failure.message)


def _refusal(
    status: int, error: str, description: str
) -> tuple[int, dict[str, str], dict[str, Any]]:
    quoted = description.replace("\\", "\\\\").replace('"', '\\"')
    challenge = f'Bearer error="{error}", error_description="{quoted}"'
    return (
        status,
        {"WWW-Authenticate": challenge},
        {"error": error, "error_description": description},
    )


class _ApiServer(LoopbackServer):
    """The demo API's server: `_Handler` answering from `DemoApi.answer`."""

    def __init__(self, api: DemoApi, port: int) -> None:
        self.api = api
        super().__init__(_Handler, port)


class _Handler(LoopbackHandler):
    server_version = "clientcreds-demo-api"
    server: _ApiServer

    def version_string(self) -> str:
        """The ``Server`` header: the API's name, without Python's version."""
        return self.server_version

    def _respond(self) -> None:
        status, headers, data = self.server.api.answer(self.headers.get("Authorization"))
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _respond  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the notebook shows the answers."""
