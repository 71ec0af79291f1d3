"""`DemoApi`: a tiny API on loopback that accepts only valid tokens, to try "Call API" on.

Every request must carry ``Authorization: Bearer <token>``; the token is checked with
`verify` against the issuer's published keys. The answers follow RFC 6750: 401
``invalid_token`` for a missing or invalid token, 403 ``insufficient_scope`` for a missing
scope, and 200 with the caller's identity otherwise.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from clientcreds.exceptions import TokenFormatError
from clientcreds.tokens.verification import VerificationReport, verify

if TYPE_CHECKING:
    from clientcreds.tenant import LocalTenant


class DemoApi:
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
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def for_tenant(cls, tenant: LocalTenant, **options: Any) -> DemoApi:
        """A `DemoApi` for the embedded tenant's demo API (its issuer and audience)."""
        return cls(tenant.issuer, tenant.audience, **options)

    def __enter__(self) -> DemoApi:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"DemoApi({where}, audience={self.audience!r})"

    def start(self) -> DemoApi:
        """Listen on 127.0.0.1 in a background thread.

        Raises:
            RuntimeError: if it is already running.
        """
        if self._server is not None:
            raise RuntimeError("the demo API is already running")
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _Handler)
        server.daemon_threads = True
        server.api = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="demo-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and join the thread (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    @property
    def url(self) -> str:
        """The API's base URL, ``http://127.0.0.1:PORT/``.

        Raises:
            RuntimeError: if it is not running.
        """
        if self._server is None:
            raise RuntimeError("the demo API is not running: call start()")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

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


class _Handler(BaseHTTPRequestHandler):
    server_version = "clientcreds-demo-api"

    def version_string(self) -> str:
        """The ``Server`` header: the API's name, without Python's version."""
        return self.server_version

    def _respond(self) -> None:
        api: DemoApi = self.server.api  # type: ignore[attr-defined]
        status, headers, data = api.answer(self.headers.get("Authorization"))
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
