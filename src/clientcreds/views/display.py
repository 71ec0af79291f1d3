"""How tokens, responses, errors and reports look: HTML for notebooks, plain text for terminals.

The objects' ``_repr_html_`` and ``__str__`` delegate here, so the notebook, the CLI and the
docs show the same thing. Every value is escaped with `html.escape` before it reaches HTML,
and with `printable` before it reaches a terminal (no control character passes raw).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from clientcreds.core.words import (
    duration_text,
    instant_text,
    printable,
    relative_text,
    short_token,
)

if TYPE_CHECKING:
    from clientcreds.exceptions import OAuthError
    from clientcreds.response.catalogue import CatalogueEntry
    from clientcreds.response.token_response import TokenResponse
    from clientcreds.tokens.decoding import ClaimInfo, DecodedToken
    from clientcreds.tokens.verification import VerificationReport

#: jwt.io's segment colours: header, payload, signature (then JWE's two extra parts).
SEGMENT_COLOURS = ("#fb015b", "#d63aff", "#00b9f1", "#2ba84a", "#f5a623")

_TABLE = 'style="border-collapse:collapse;text-align:left"'
_CELL = 'style="border:1px solid #ccc;padding:2px 6px;vertical-align:top"'
_MONO = "font-family:ui-monospace,monospace"


# --- plain text -------------------------------------------------------------------------
# Values from a token or a server pass through printable(): each is one line, and no escape
# sequence reaches the terminal.


def token_response_text(response: TokenResponse) -> str:
    """A token response for a terminal (the access token shortened)."""
    return _text_table(f"Token response (HTTP {response.status})", _response_rows(response))


def _response_rows(response: TokenResponse) -> list[tuple[str, str]]:
    rows = [
        ("token_type", response.token_type),
        ("access_token", short_token(response.access_token)),
        (
            "expires_in",
            _opt(response.expires_in, lambda s: f"{s} s ({duration_text(timedelta(seconds=s))})"),
        ),
        ("expires_at", _opt(response.expires_at, lambda t: instant_text(t, response.received_at))),
        ("scope", response.scope or "(not sent)"),
    ]
    if response.clock_skew is not None:
        rows.append(("clock skew", _skew(response.clock_skew)))
    return rows + _rate_rows(response.rate_limit)


def oauth_error_text(error: OAuthError) -> str:
    """An error response for a terminal, with the catalogue's cause and fix when known."""
    return _text_table(f"OAuth error (HTTP {error.status})", _error_rows(error))


def _error_rows(error: OAuthError) -> list[tuple[str, str]]:
    rows = [("error", error.error), ("description", error.error_description or "(none)")]
    if error.error_uri:
        rows.append(("error_uri", error.error_uri))
    if error.retry_after is not None:
        rows.append(("retry after", f"{error.retry_after:g} s"))
    rows += _rate_rows(error.rate_limit)
    entry = error.explanation
    if entry is not None:
        rows += [("known as", entry.title), ("cause", entry.cause), ("fix", entry.fix)]
        rows.append(("retry", "can help" if entry.retry else "will not help"))
    return rows


def catalogue_entry_text(entry: CatalogueEntry) -> str:
    """One catalogue entry for a terminal."""
    return _text_table(entry.title, _entry_rows(entry))


def _entry_rows(entry: CatalogueEntry) -> list[tuple[str, str]]:
    status = str(entry.status) if entry.status is not None else "any"
    return [
        ("status", status + ("" if entry.confirmed else " (unconfirmed)")),
        ("error", entry.error),
        ("description", entry.example or "(any)"),
        ("cause", entry.cause),
        ("fix", entry.fix),
        ("retry", "can help" if entry.retry else "will not help"),
        ("source", entry.source),
    ]


def decoded_text(token: DecodedToken) -> str:
    """A decoded token for a terminal: kind, header, claims with meanings, warnings."""
    kinds = {"jws": "signed JWT (JWS)", "jwe": "encrypted JWT (JWE)", "opaque": "opaque token"}
    lines = [f"{kinds[token.kind]} — decoded, NOT verified"]
    if token.header_info:
        lines += ["", "Header:", *_claim_lines(token.header_info)]
    if token.claim_info:
        lines += ["", "Claims:", *_claim_lines(token.claim_info)]
    if token.expires_at is not None:
        lines += ["", times_text(token)]
    if token.warnings:
        lines += ["", "Warnings:", *(f"  ! {printable(w.message)}" for w in token.warnings)]
    return "\n".join(lines)


def times_text(token: DecodedToken) -> str:
    """``Lifetime 1 d; expires in 23 h`` (or ``expired 2 min ago``), from the token's times."""
    parts = []
    if token.lifetime is not None:
        parts.append(f"Lifetime {duration_text(token.lifetime)}")
    if token.expires_at is not None:
        when = relative_text(token.expires_at, token.decoded_at)
        parts.append(
            f"expired {when}" if token.expires_at <= token.decoded_at else f"expires {when}"
        )
    return "; ".join(parts)


def report_text(report: VerificationReport) -> str:
    """A verification report for a terminal: one line per check."""
    verdict = "VALID" if report.ok else "INVALID"
    lines = [f"Token is {verdict}"]
    for check in report.checks:
        mark = "ok  " if check.passed else "FAIL"
        lines.append(f"  [{mark}] {printable(check.name)}: {printable(check.message)}")
        if not check.passed:
            expected, actual = printable(check.expected), printable(check.actual)
            lines.append(f"         expected {expected}; got {actual}")
    return "\n".join(lines)


def json_text(data: Any) -> str:
    """Data as indented JSON for output: always valid JSON, never ``NaN`` or ``Infinity``.

    Non-ASCII text stays readable, unless it holds a lone surrogate (which no UTF-8 output
    can carry): then everything non-ASCII is written as ``\\u`` escapes.

    Raises:
        ValueError: for a float that is not finite (which `bounded_json` never lets in).
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, indent=2, allow_nan=False)
    return text


def _claim_lines(infos: Iterable[ClaimInfo]) -> list[str]:
    lines = []
    for info in infos:
        lines.append(f"  {printable(info.name)}: {printable(info.text)}")
        if info.meaning:
            lines.append(f"      {printable(info.meaning)} [{printable(info.source)}]")
    return lines


def _text_table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    shown = [(printable(name), printable(value)) for name, value in rows]
    width = max((len(name) for name, _ in shown), default=0)
    lines = (f"  {name.ljust(width)}  {value}" for name, value in shown)
    return "\n".join([printable(title), *lines])


# --- HTML -------------------------------------------------------------------------------


def token_response_html(response: TokenResponse) -> str:
    """A token response as an HTML table."""
    return _html_table(f"Token response (HTTP {response.status})", _response_rows(response))


def oauth_error_html(error: OAuthError) -> str:
    """An error response as an HTML table, with cause and fix when the catalogue knows it."""
    return _html_table(f"OAuth error (HTTP {error.status})", _error_rows(error))


def catalogue_entry_html(entry: CatalogueEntry) -> str:
    """One catalogue entry as an HTML table."""
    return _html_table(entry.title, _entry_rows(entry))


def catalogue_html(entries: Iterable[CatalogueEntry]) -> str:
    """The whole catalogue as one HTML table (for the docs)."""
    head = "".join(
        f"<th {_CELL}>{h}</th>" for h in ("status", "error", "description", "cause", "fix", "retry")
    )
    rows = []
    for e in entries:
        cells = (
            str(e.status) if e.status is not None else "any",
            e.error,
            e.example or "",
            e.cause,
            e.fix,
            "yes" if e.retry else "no",
        )
        rows.append("<tr>" + "".join(f"<td {_CELL}>{_e(c)}</td>" for c in cells) + "</tr>")
    return f"<table {_TABLE}><tr>{head}</tr>{''.join(rows)}</table>"


def segments_html(token: DecodedToken) -> str:
    """The token's segments coloured like jwt.io, joined by dots."""
    if token.kind == "opaque":
        return f'<code style="{_MONO};word-break:break-all">{_e(token.raw)}</code>'
    parts = [
        f'<span style="color:{colour}">{_e(segment)}</span>'
        for segment, colour in zip(token.segments, SEGMENT_COLOURS, strict=False)
    ]
    return f'<code style="{_MONO};word-break:break-all">{".".join(parts)}</code>'


def decoded_html(token: DecodedToken, *, token_html: str | None = None) -> str:
    """A decoded token: coloured segments, header and claims tables, warnings.

    Args:
        token: The decoded token.
        token_html: HTML to show instead of the whole token's coloured segments (the
            explorer shows it shortened, with a copy button).
    """
    kinds = {"jws": "Signed JWT (JWS)", "jwe": "Encrypted JWT (JWE)", "opaque": "Opaque token"}
    pieces = [
        f"<div><strong>{kinds[token.kind]}</strong> — decoded, <em>not verified</em></div>",
        f"<div>{segments_html(token) if token_html is None else token_html}</div>",
    ]
    if token.header_info:
        pieces.append(_claims_table("Header", token.header_info, SEGMENT_COLOURS[0]))
    if token.claim_info:
        pieces.append(_claims_table("Claims", token.claim_info, SEGMENT_COLOURS[1]))
    if token.expires_at is not None:
        pieces.append(f"<div>{_e(times_text(token))}</div>")
    if token.warnings:
        items = "".join(f"<li>{_e(w.message)}</li>" for w in token.warnings)
        pieces.append(f'<ul style="color:#b00">{items}</ul>')
    return "<div>" + "".join(pieces) + "</div>"


def report_html(report: VerificationReport, *, token_html: str | None = None) -> str:
    """A verification report: a verdict, one row per check, then the decoded token.

    Args:
        report: The report.
        token_html: Passed on to `decoded_html`.
    """
    verdict = "valid" if report.ok else "INVALID"
    colour = "#2ba84a" if report.ok else "#b00"
    head = "".join(
        f"<th {_CELL}>{h}</th>" for h in ("check", "result", "expected", "actual", "message")
    )
    rows = []
    for check in report.checks:
        mark = "✔ pass" if check.passed else "✘ fail"
        cells = (check.name, mark, check.expected, check.actual, check.message)
        rows.append("<tr>" + "".join(f"<td {_CELL}>{_e(c)}</td>" for c in cells) + "</tr>")
    return (
        f'<div><strong style="color:{colour}">Token is {verdict}</strong>'
        f"<table {_TABLE}><tr>{head}</tr>{''.join(rows)}</table>"
        f"{decoded_html(report.decoded, token_html=token_html)}</div>"
    )


def _claims_table(title: str, infos: Iterable[ClaimInfo], colour: str) -> str:
    head = "".join(f"<th {_CELL}>{h}</th>" for h in ("name", "value", "meaning", "source"))
    rows = []
    for info in infos:
        value = info.text if isinstance(info.value, str | int | float) else _json(info.value)
        cells = (
            f'<code style="color:{colour}">{_e(info.name)}</code>',
            f'<code style="{_MONO}">{_e(value)}</code>',
            _e(info.meaning),
            _e(info.source),
        )
        rows.append("<tr>" + "".join(f"<td {_CELL}>{c}</td>" for c in cells) + "</tr>")
    return f"<table {_TABLE}><caption>{title}</caption><tr>{head}</tr>{''.join(rows)}</table>"


def _html_table(title: str, rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><th {_CELL}>{_e(name)}</th><td {_CELL}>{_e(value)}</td></tr>" for name, value in rows
    )
    return f"<table {_TABLE}><caption>{_e(title)}</caption>{body}</table>"


def _rate_rows(limit: Any) -> list[tuple[str, str]]:
    if limit is None:
        return []
    rows = []
    if limit.limit is not None or limit.remaining is not None:
        rows.append(
            ("rate limit", f"{_opt(limit.remaining, str)} of {_opt(limit.limit, str)} left")
        )
    if limit.reset_at is not None:
        rows.append(("rate limit resets", f"{limit.reset_at:%Y-%m-%d %H:%M:%S} UTC"))
    for label, buckets in (
        ("client quota", limit.client_quota),
        ("org quota", limit.organization_quota),
    ):
        for b in buckets:
            resets = f", resets in {duration_text(b.resets_in)}" if b.resets_in is not None else ""
            rows.append(
                (
                    f"{label} {b.name}",
                    f"{_opt(b.remaining, str)} of {_opt(b.quota, str)} left{resets}",
                )
            )
    return rows


def _skew(skew: timedelta) -> str:
    seconds = skew.total_seconds()
    if abs(seconds) < 1:
        return "none (under 1 s)"
    side = "ahead of" if seconds > 0 else "behind"
    return f"this machine is {duration_text(skew)} {side} the server"


def _opt(value: Any, show: Any) -> str:
    return "(not sent)" if value is None else str(show(value))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
