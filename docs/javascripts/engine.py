"""The docs site's engine: what the page's worker calls in Pyodide, on clientcreds's own wheel.

This file is part of the docs face, like ``docs/hooks.py``: it decides nothing itself. The
snippet tabs come from `clientcreds.snippets.browser` (the snippet path, standard library
only); a paste on the decoder page is taken apart by `clientcreds.decode`, read by
`clientcreds.parse_token_response`, explained by the error catalogue and shown by
`clientcreds.views.display`, as in a notebook. Nothing here sends anything anywhere.

Everything is imported here, at the top: the site saves Pyodide's memory once this file has
run (``docs/javascripts/snapshot.mjs``), so a reader's browser never waits on an import.
"""

from __future__ import annotations

import html
import json
import re

from clientcreds import (
    CATALOGUE,
    OAuthError,
    TokenFormatError,
    TokenResponseError,
    decode,
    parse_token_response,
)
from clientcreds.snippets.browser import render_page_json
from clientcreds.views import display

#: A pasted HTTP answer's status line (``HTTP/1.1 403 Forbidden``).
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)?\s+(\d{3})\b[^\n]*(?:\n|$)")


def personalise(text: str) -> str:
    """Every snippet set of the page for the reader's values (JSON in, JSON out)."""
    return render_page_json(text)


def warm_up() -> None:
    """Run every path a page takes once (the build does, before saving the engine), so what
    Python caches on a first call is in the snapshot, not waited for by the reader."""
    for secret in ("placeholder", "env"):
        values = {"secret": secret, "body": "json", "scope": "read:x", "organization": "org_1"}
        personalise(json.dumps({"values": values, "sets": ["", "kind=api"]}))
        personalise(json.dumps({"values": {}, "sets": ["auth_method=client_secret_basic"]}))
    token = "eyJhbGciOiJub25lIn0.eyJleHAiOjF9."  # {"alg": "none"}, {"exp": 1}: unsigned
    response = json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 60})
    for paste in (token, response, '{"error": "access_denied"}', "HTTP/1.1 401 x\n\n{}"):
        read_paste(paste)


def split_response(text: str) -> tuple[int | None, list[tuple[str, str]], str]:
    """A pasted HTTP answer's status, headers and body; a bare body has no status."""
    text = text.replace("\r\n", "\n").strip()
    match = _STATUS_LINE.match(text)
    if match is None:
        return None, [], text
    lines = text[match.end() :].split("\n")
    headers = []
    while lines and lines[0].strip():
        name, sep, value = lines.pop(0).partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return int(match[1]), headers, "\n".join(lines).strip()


def json_object(text: str) -> dict[str, object] | None:
    """The pasted text as a JSON object, or None when it is not one."""
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def read_paste(text: str) -> str:
    """What the decoder page shows for a paste, as HTML (every value escaped).

    A token, or a token response (with or without its status line and headers), is decoded:
    kind, header, claims with what they mean, expiry in words, warnings; a token response is
    read as the client reads it, too. An error response is explained by the catalogue: by
    status, code and description when the status line is pasted, else by code and
    description.
    """
    if not text.strip():
        return ""
    status, headers, body = split_response(text)
    data = json_object(body)
    try:
        if data is not None and ("error" in data or (status or 200) >= 300):
            return error_html(status, headers, body, data)
        parts = []
        if data is not None or status is not None:
            parts.append(token_response_html(status, headers, body))
        parts.append(display.decoded_html(decode(body)))
        return "".join(parts)
    except (TokenFormatError, TokenResponseError) as exc:
        return problem_html(str(exc))


def token_response_html(status: int | None, headers: list[tuple[str, str]], body: str) -> str:
    """The token response as the client reads it, or nothing when it is not one it accepts
    (the token inside is still decoded)."""
    try:
        response = parse_token_response(status or 200, headers, body)
    except TokenResponseError:
        return ""
    return display.token_response_html(response)


def error_html(
    status: int | None, headers: list[tuple[str, str]], body: str, data: dict[str, object]
) -> str:
    """An OAuth error answer with the catalogue's cause and fix."""
    if status is not None:
        try:
            parse_token_response(status, headers, body)
        except OAuthError as error:
            return display.oauth_error_html(error)
    code, description = data.get("error"), data.get("error_description")
    if not isinstance(code, str):
        return problem_html("this JSON has no 'error' code: it is not an OAuth 2.0 error answer")
    said = description if isinstance(description, str) else None
    entry = next((e for e in CATALOGUE if e.matches(e.status or 0, code, said)), None)
    if entry is None:
        return problem_html(
            f"the catalogue has no entry for {code!r}: see the Troubleshooting page"
        )
    note = (
        "Matched on the error code and description; paste the status line too "
        "(<code>HTTP/1.1 403 Forbidden</code>) to match on the status as well."
    )
    return display.catalogue_entry_html(entry) + f'<p class="cc-decoder__note">{note}</p>'


def problem_html(message: str) -> str:
    """One sentence saying why the paste could not be read."""
    return f'<p class="cc-decoder__problem">{html.escape(message)}</p>'
