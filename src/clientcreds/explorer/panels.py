"""HTML for the explorer's panels: a token exchange, an API answer, field errors.

Tokens, errors and reports are drawn by `clientcreds.views.display` (the same renderings as the
notebook objects and the CLI); this module only lays them out. Every value is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from clientcreds.core.words import short_token
from clientcreds.exceptions import OAuthError
from clientcreds.explorer.tabs import copy_button
from clientcreds.views import display

if TYPE_CHECKING:
    from clientcreds.explorer.api import ApiResponse
    from clientcreds.explorer.round_trip import Exchange

_CELL = 'style="border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left"'
_PRE = (
    "margin:0;padding:6px;background:#f7f7f7;color:#1f1f1f;border:1px solid #ddd;"
    "white-space:pre-wrap;word-break:break-all;font-family:ui-monospace,monospace;font-size:12px"
)


def exchange_html(result: Exchange) -> str:
    """The "Get token" panel: status and limits, body, then the report or the error."""
    parts = [_status_html(result)]
    if result.status is not None:
        parts.append(_headers_table("Rate-limit headers", result.rate_limit_headers))
        parts.append(section("Response body (tokens shortened)", pre(result.body_text)))
    if result.response is not None:
        parts.append(_token_html(result, result.response.access_token))
    elif isinstance(result.error, OAuthError):
        parts.append(section("What it means", display.oauth_error_html(result.error)))
    elif result.error is not None:
        parts.append(error_html(str(result.error)))
    return '<div class="cc-exchange">' + "".join(parts) + "</div>"


def _status_html(result: Exchange) -> str:
    if result.status is None:
        return (
            f'<div class="cc-status"><strong>No answer</strong> from {_e(result.request.url)}</div>'
        )
    colour = "#2ba84a" if 200 <= result.status < 300 else "#b00"
    return (
        f'<div class="cc-status"><strong style="color:{colour}">HTTP {result.status}</strong> '
        f"from {_e(result.request.url)}</div>"
    )


def _token_html(result: Exchange, token: str) -> str:
    shown = short_token_html(token)
    if result.report is not None:
        title = f"Decoded and verified against the keys of {result.issuer}"
        return section(title, display.report_html(result.report, token_html=shown))
    pieces = [error_html(result.verify_error or "The token was not verified.")]
    decoded = result.decoded
    if decoded is not None:
        pieces.append(display.decoded_html(decoded, token_html=shown))
    return section("Decoded token", "".join(pieces))


def short_token_html(token: str) -> str:
    """A token shortened as the response body shows it, with a button that copies it whole.

    The whole token sits in a hidden ``<pre>`` beside the button, which copies it from there.
    """
    return (
        f'<div class="cc-token">{copy_button("Copy token")}'
        f'<code style="word-break:break-all">{_e(short_token(token))}</code>'
        f'<pre hidden style="display:none">{_e(token)}</pre></div>'
    )


def api_html(answer: ApiResponse) -> str:
    """The "Call API" panel: the status, headers and body, or why nothing was sent."""
    if answer.status is None:
        return error_html(answer.error or "No answer.")
    colour = "#2ba84a" if answer.ok else "#b00"
    return (
        f'<div class="cc-api"><div><strong style="color:{colour}">HTTP {answer.status}</strong>'
        f" from {_e(answer.url)}</div>"
        + _headers_table("Response headers", answer.headers)
        + section("Response body", pre(answer.body_text))
        + "</div>"
    )


def _headers_table(title: str, headers: Iterable[tuple[str, str]]) -> str:
    rows = "".join(
        f"<tr><th {_CELL}>{_e(name)}</th><td {_CELL}>{_e(value)}</td></tr>"
        for name, value in headers
    )
    if not rows:
        return section(title, "<div>(none sent)</div>")
    return section(title, f'<table style="border-collapse:collapse">{rows}</table>')


def section(title: str, body: str) -> str:
    """A titled block of already-escaped HTML."""
    return f'<div style="margin:6px 0"><div><strong>{_e(title)}</strong></div>{body}</div>'


def pre(text: str) -> str:
    """Preformatted, escaped text."""
    return f'<pre style="{_PRE}">{_e(text)}</pre>'


def error_html(message: str) -> str:
    """One error sentence, in red."""
    return f'<div class="cc-error" style="color:#b00">{_e(message)}</div>'


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
