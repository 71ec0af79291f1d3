"""`HttpExchange`: one HTTP answer as it arrived, kept by what was read from it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class HttpExchange:
    """The status, headers and body of one HTTP answer, exactly as received.

    A `TokenResponse`, an `OAuthError` and a `TokenResponseError` keep the answer they were
    read from, so a caller can show or log it without sending the request again. The body
    may hold a token: `repr` shows only its size.

    Attributes:
        status: The HTTP status code.
        headers: The response headers as (name, value) pairs, in the order received.
        body: The body as bytes (after any content decoding).
        url: The URL the request went to, when known.
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    url: str | None = None

    @classmethod
    def of(
        cls,
        status: int,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes | str,
        url: str | None = None,
    ) -> HttpExchange:
        """Build one from any header shape and a text or bytes body."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        return cls(status, tuple((str(n), str(v)) for n, v in pairs), raw, url)

    def header(self, name: str) -> str | None:
        """The value of header `name` (any case), the last one when repeated; None if absent."""
        wanted = name.lower()
        found = None
        for key, value in self.headers:
            if key.lower() == wanted:
                found = value
        return found

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, when sent."""
        return self.header("content-type")

    def __repr__(self) -> str:
        return (
            f"HttpExchange(status={self.status}, {len(self.headers)} headers, "
            f"{len(self.body)} body bytes)"
        )
