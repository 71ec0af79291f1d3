"""Reading a token request: the body (form or JSON), strictly, and the Basic credentials.

Anything ambiguous is refused with 400 ``invalid_request`` rather than guessed at: a duplicate
parameter, a malformed escape, bytes that are not UTF-8, a JSON value that is not text, a
media type other than form or JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from clientcreds.core.protocol import MEDIA_TYPES
from clientcreds.tenant.refusals import TenantError, invalid_request, wrong_credentials

FORM = MEDIA_TYPES["form"]
JSON = "application/json"
MAX_FIELDS = 64
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_BASIC = re.compile(r"^Basic +([A-Za-z0-9+/]+={0,2}) *$", re.IGNORECASE)


@dataclass(frozen=True)
class BasicCredentials:
    """The client id and secret from ``Authorization: Basic``, decoded per RFC 6749 §2.3.1.

    The repr hides the secret.
    """

    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"BasicCredentials({self.client_id!r}, secret hidden)"


def parse_body(content_type: str | None, body: bytes) -> dict[str, str]:
    """The body's parameters, by media type.

    Raises:
        TenantError: 400 ``invalid_request`` for a missing or unsupported media type, a
            malformed body, or a duplicate parameter.
    """
    media_type, charset = _media_type(content_type)
    if charset not in (None, "utf-8"):
        raise invalid_request(f"Unsupported charset {charset[:40]!r}: send UTF-8")
    if media_type == FORM:
        return _parse_form(body)
    if media_type == JSON:
        return _parse_json(body)
    shown = "no Content-Type" if media_type is None else f"Content-Type {media_type[:60]!r}"
    raise invalid_request(f"Unsupported {shown}: send {FORM} or {JSON}")


def parse_basic(header: str | None) -> BasicCredentials | None:
    """The Basic credentials of an ``Authorization`` header, or `None` without one.

    Raises:
        TenantError: 400 ``invalid_request`` for a malformed header, and 401 for any other
            authorization scheme.
    """
    if header is None:
        return None
    match = _BASIC.match(header)
    if match is None:
        if not header.lower().startswith("basic"):
            raise wrong_credentials()
        raise invalid_request("Malformed Authorization header: use Basic base64(id:secret)")
    try:
        decoded = base64.b64decode(match.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise invalid_request("Malformed Authorization header: not base64 of UTF-8") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise invalid_request("Malformed Authorization header: no ':' between id and secret")
    return BasicCredentials(_form_decode(client_id), _form_decode(secret))


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    if content_type is None or not content_type.strip():
        return None, None
    media_type, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def _form_decode(part: str) -> str:
    if _BAD_ESCAPE.search(part.encode("utf-8")):
        raise invalid_request("Malformed Authorization header: bad percent escape")
    try:
        return unquote_plus(part, errors="strict")
    except UnicodeDecodeError:
        raise invalid_request("Malformed Authorization header: escapes are not UTF-8") from None


def _parse_form(body: bytes) -> dict[str, str]:
    if _BAD_ESCAPE.search(body):
        raise invalid_request("Malformed form body: '%' must start an escape like %2B")
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise invalid_request("Malformed form body: non-ASCII bytes must be %-escaped") from None
    if not text:
        return {}
    _check_count(text.count("&") + 1)
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=True,
            errors="strict",
            max_num_fields=MAX_FIELDS,
            separator="&",
        )
    except UnicodeDecodeError:
        raise invalid_request("Malformed form body: escapes are not UTF-8") from None
    except ValueError:
        raise invalid_request("Malformed form body: use name=value pairs joined by '&'") from None
    return _unique(pairs)


def _parse_json(body: bytes) -> dict[str, str]:
    try:
        data = json.loads(
            body.decode("utf-8"),
            object_pairs_hook=_json_object,
            parse_constant=_no_constant,
        )
    except TenantError:
        raise
    except (ValueError, RecursionError):
        raise invalid_request("Malformed JSON body: send one JSON object") from None
    if not isinstance(data, dict):
        raise invalid_request("Malformed JSON body: send one JSON object")
    for name, value in data.items():
        if not isinstance(value, str):
            raise invalid_request(f"Parameter {name[:60]!r} must be a string")
        if not _is_unicode(name) or not _is_unicode(value):
            raise invalid_request(
                f"Malformed JSON body: parameter {name[:60]!r} holds a lone surrogate "
                "escape (\\ud800 to \\udfff), which is not text"
            )
    return data


def _is_unicode(text: str) -> bool:
    """Whether `text` is valid Unicode: no lone surrogate (JSON's ``\\ud800`` alone)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return _unique(pairs)


def _no_constant(name: str) -> None:
    raise invalid_request(f"Malformed JSON body: {name} is not JSON")


def _check_count(count: int) -> None:
    if count > MAX_FIELDS:
        raise invalid_request(
            f"Too many parameters: {count} sent, at most {MAX_FIELDS} are allowed"
        )


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    _check_count(len(pairs))
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise invalid_request(f"Duplicate parameter: {name[:60]}")
        result[name] = value
    return result
