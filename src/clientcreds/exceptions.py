"""Every error clientcreds raises, in one tree.

```text
ClientCredsError                      root: `except ClientCredsError` catches all of ours
├── RequestFieldError (ValueError)    a request field is invalid; `.field` names it
├── RenderError (ValueError)          a snippet target cannot carry the request faithfully
├── TokenEndpointError                the token endpoint gave no token
│   ├── OAuthError                    it answered with an OAuth 2.0 error (RFC 6749 §5.2)
│   ├── TokenResponseError (ValueError)  it answered with neither a token nor an OAuth error
│   └── TransportError                no usable answer: connection, TLS, timeout, redirect
├── TokenFormatError (ValueError)     a text is not a token that can be decoded; `.part`
└── JwksError (ValueError)            a key set could not be fetched or read
    └── KeyNotFoundError              the key set has no key for the token
```

The token-endpoint errors carry the `HttpExchange` they came from (`.exchange`: status, headers
and body as received; None when no answer arrived), so a caller can show or log the answer
without re-sending the request. Errors that are bad input also derive from `ValueError`, as
they always have. No message ever contains a secret.

This module imports nothing of ours at run time, so every layer can raise from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from datetime import datetime

    from clientcreds.response.catalogue import CatalogueEntry
    from clientcreds.response.exchange import HttpExchange
    from clientcreds.response.ratelimit import RateLimit

TransportKind = Literal["connection", "tls", "timeout", "redirect"]


class ClientCredsError(Exception):
    """The root of every error clientcreds raises on purpose."""


class RequestFieldError(ClientCredsError, ValueError):
    """A field of a request is missing or invalid; the message says what to give instead.

    When several fields are wrong, the error is the first one and `problems` holds them all,
    so a form can show each beside its field.

    Attributes:
        field: The field's name (``domain``, ``client_id``, ``audience``, ...), or None when
            the problem is the combination of fields.
        problems: Every field error found in the same check, this one first.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problems: tuple[RequestFieldError, ...] = (self,)


class RenderError(ClientCredsError, ValueError):
    """A target cannot carry this request faithfully; the message says why and what to do."""


class TokenEndpointError(ClientCredsError):
    """The token endpoint gave no token: an error answer, an unreadable answer, or none.

    Attributes:
        exchange: The HTTP answer as received (status, headers, body), or None when no
            answer arrived (a refused connection, a timeout).
    """

    exchange: HttpExchange | None = None


class OAuthError(TokenEndpointError):
    """An error response from the token endpoint (RFC 6749 §5.2).

    Attributes:
        status: The HTTP status.
        error: The ``error`` code, e.g. ``access_denied``.
        error_description: The server's human-readable text, when sent.
        error_uri: A page about the error, when sent.
        retry_after: Seconds to wait before retrying, from ``Retry-After``, when sent.
        rate_limit: Rate-limit headers, when any were sent.
        server_date: The server's ``Date`` header, when sent.
        exchange: The HTTP answer it was read from, when it was read from one.
    """

    def __init__(
        self,
        status: int,
        error: str,
        error_description: str | None = None,
        error_uri: str | None = None,
        *,
        retry_after: float | None = None,
        rate_limit: RateLimit | None = None,
        server_date: datetime | None = None,
        exchange: HttpExchange | None = None,
    ) -> None:
        self.status = status
        self.error = error
        self.error_description = error_description
        self.error_uri = error_uri
        self.retry_after = retry_after
        self.rate_limit = rate_limit
        self.server_date = server_date
        self.exchange = exchange
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line: status, code and description."""
        text = f"HTTP {self.status} {self.error}"
        if self.error_description:
            text += f": {self.error_description}"
        return text

    @property
    def explanation(self) -> CatalogueEntry | None:
        """The catalogue's entry for this error (cause, fix, retry advice), if known."""
        from clientcreds.response.catalogue import explain

        return explain(self)

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-ready data, with the catalogue's explanation when there is one."""
        entry = self.explanation
        return {
            "status": self.status,
            "error": self.error,
            "error_description": self.error_description,
            "error_uri": self.error_uri,
            "retry_after": self.retry_after,
            "explanation": entry.to_dict() if entry else None,
        }

    def __repr__(self) -> str:
        return (
            f"OAuthError(status={self.status!r}, error={self.error!r}, "
            f"error_description={self.error_description!r})"
        )

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        from clientcreds.views import display

        return display.oauth_error_html(self)


class TokenResponseError(TokenEndpointError, ValueError):
    """The endpoint answered with something that is neither a token nor an OAuth error.

    Attributes:
        status: The HTTP status.
        content_type: The ``Content-Type`` header, when sent.
        exchange: The HTTP answer, when the error was read from one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        content_type: str | None,
        exchange: HttpExchange | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.content_type = content_type
        self.exchange = exchange


class TransportError(TokenEndpointError):
    """The request did not get a usable HTTP answer: refused or reset connection, TLS
    failure, timeout, or a redirect (which is never followed).

    The message is one sentence naming the host, never the secret.

    Attributes:
        kind: ``connection``, ``tls``, ``timeout`` or ``redirect``.
        url: The token endpoint (it carries no credentials).
        attempts: How many attempts were made.
        location: For a redirect, where the server pointed (not visited).
        exchange: For a redirect, the redirect answer; otherwise None.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: TransportKind,
        url: str,
        attempts: int = 1,
        location: str | None = None,
        exchange: HttpExchange | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: TransportKind = kind
        self.url = url
        self.attempts = attempts
        self.location = location
        self.exchange = exchange

    def __repr__(self) -> str:
        return f"TransportError(kind={self.kind!r}, {str(self)!r})"


class TokenFormatError(ClientCredsError, ValueError):
    """The text is not a token that can be decoded.

    Attributes:
        part: Which part is broken: ``token``, ``header``, ``payload`` or ``signature``.
    """

    def __init__(self, message: str, part: str = "token") -> None:
        super().__init__(message)
        self.part = part


class JwksError(ClientCredsError, ValueError):
    """The key set could not be fetched or read, or holds no key for the token."""


class KeyNotFoundError(JwksError):
    """The key set has no key matching the token's ``kid`` and algorithm."""
