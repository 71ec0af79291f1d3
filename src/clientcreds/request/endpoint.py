"""Where the token request goes: an Auth0 domain or any OAuth 2.0 token URL, checked."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from clientcreds.core.protocol import TOKEN_PATH, issuer_for
from clientcreds.core.secure_url import insecure_reason
from clientcreds.exceptions import RequestFieldError

_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
# RFC 3986 path and query characters (pchar, "/", "?"), with %HH escapes checked separately.
_URL_TAIL = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WHITESPACE = re.compile(r"\s")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def auth0_token_url(domain: str) -> str:
    """Return the token endpoint for an Auth0 domain, custom domain or loopback base URL.

    Accepts ``tenant.auth0.com``, ``https://tenant.eu.auth0.com/``, a custom domain, and for
    local work ``http://127.0.0.1:PORT``, ``http://localhost:PORT`` or ``http://[::1]:PORT``.

    Raises:
        RequestFieldError: naming what is wrong (a path, a query, credentials, spaces, plain
            http to a remote host, a malformed host or port) and what to give instead.
    """
    if not isinstance(domain, str):
        raise RequestFieldError(f"domain must be text, not {type(domain).__name__}", field="domain")
    if domain == "":
        raise RequestFieldError(
            "domain is empty: give your tenant's domain, e.g. 'tenant.auth0.com'", field="domain"
        )
    parts = _split("domain", domain if "://" in domain else f"https://{domain}")
    if parts.path not in ("", "/"):
        raise RequestFieldError(
            f"domain must not contain a path ({parts.path!r}): give only the host, "
            "or pass the full endpoint as token_url",
            field="domain",
        )
    if parts.query or domain.endswith("?"):
        raise RequestFieldError(
            "domain must not contain a query string: give only the host", field="domain"
        )
    return _origin("domain", parts) + TOKEN_PATH


def auth0_issuer(domain: str) -> str:
    """Auth0's issuer for a domain: its origin with a trailing slash (the tokens' ``iss``).

    Example:
        >>> auth0_issuer("tenant.auth0.com")
        'https://tenant.auth0.com/'

    Raises:
        RequestFieldError: for a domain `auth0_token_url` refuses.
    """
    return issuer_for(auth0_token_url(domain).removesuffix(TOKEN_PATH))


def checked_token_url(token_url: str) -> str:
    """Return a token endpoint URL for any OAuth 2.0 server, checked like a domain.

    The URL may carry a path and a query (Okta's ``/oauth2/default/v1/token``, Entra ID's
    ``/TENANT/oauth2/v2.0/token``, Keycloak's ``/realms/R/protocol/openid-connect/token``).

    Raises:
        RequestFieldError: for anything but an ``https://`` URL (or ``http://`` to loopback)
            with a well-formed, percent-encoded path.
    """
    return checked_url(token_url, "token_url")


def checked_url(url: str, field: str = "url", carries: str = "the secret") -> str:
    """Return a full URL, checked and normalised, for the request field `field`.

    Every client must send the same bytes for it, so the path and query are normalised
    (RFC 3986 §6.2.2) and anything clients would rewrite differently is refused.

    Args:
        url: The URL as given.
        field: The request field it is, for messages.
        carries: What the request sends there, for the plain-http message.

    Raises:
        RequestFieldError: for anything but an ``https://`` URL (or ``http://`` to loopback)
            with a well-formed, percent-encoded path.
    """
    if not isinstance(url, str):
        raise RequestFieldError(f"{field} must be text, not {type(url).__name__}", field=field)
    if "://" not in url:
        raise RequestFieldError(
            f"{field} {url!r} is not an absolute URL: "
            "give it with its scheme, e.g. 'https://example.com/path'",
            field=field,
        )
    parts = _split(field, url)
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    if not _URL_TAIL.match(tail) or _PERCENT.search(tail):
        raise RequestFieldError(
            f"{field} has characters that must be percent-encoded in its path or query "
            f"({tail!r}): encode them, e.g. a space as %20",
            field=field,
        )
    path = _normalised(parts.path or "/")
    # Checked after normalising, so '%2e%2e' (which clients decode to '..') is caught too.
    if any(segment in (".", "..") for segment in path.split("/")):
        raise RequestFieldError(
            f"{field} path {parts.path!r} has '.' or '..' segments (plain or as %2E), which "
            "clients resolve differently: give the resolved path",
            field=field,
        )
    query = _normalised(parts.query).replace("'", "%27")
    return _origin(field, parts, carries) + path + (f"?{query}" if query else "")


def _normalised(text: str) -> str:
    """RFC 3986 §6.2.2 normalisation, so every client sends the same bytes.

    An escaped unreserved character is written plainly and other escapes in upper case
    (requests rewrites ``%41`` as ``A``); in the query, ``'`` is escaped as WHATWG URL
    parsers (Node, browsers) escape it.
    """

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else f"%{match[1].upper()}"

    return _ESCAPE.sub(fix, text)


def _split(field: str, url: str) -> SplitResult:
    if _WHITESPACE.search(url):
        raise RequestFieldError(
            f"{field} must not contain spaces or line breaks: {url.strip()!r}", field=field
        )
    if not url.isprintable():
        raise RequestFieldError(
            f"{field} contains invisible or control characters: retype it", field=field
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit checks the port lazily
    except ValueError as exc:
        raise RequestFieldError(
            f"{field} {url!r} is not a valid URL ({exc}): check the host and port",
            field=field,
        ) from None
    if parts.scheme not in ("https", "http"):
        raise RequestFieldError(f"{field} must use https:// (got {parts.scheme}://)", field=field)
    if "@" in parts.netloc:
        raise RequestFieldError(
            f"{field} must not contain credentials before '@': "
            "pass client_id and client_secret separately",
            field=field,
        )
    if parts.fragment or url.endswith("#"):
        raise RequestFieldError(f"{field} must not contain a fragment ('#...')", field=field)
    return parts


def _origin(field: str, parts: SplitResult, carries: str = "the secret") -> str:
    host = _checked_host(field, parts)
    insecure = insecure_reason(f"{parts.scheme}://{host}/", carries)
    if insecure is not None:
        raise RequestFieldError(f"{field}: {insecure}: use https://", field=field)
    port = parts.port
    default_port = 443 if parts.scheme == "https" else 80
    suffix = f":{port}" if port is not None and port != default_port else ""
    if port == 0:
        raise RequestFieldError(
            f"{field} has port 0: give the port the server listens on", field=field
        )
    return f"{parts.scheme}://{host}{suffix}"


def _checked_host(field: str, parts: SplitResult) -> str:
    """Return the host as typed (hosts are case-insensitive), IDNA-encoded if it is Unicode."""
    netloc = parts.netloc
    if netloc.startswith("["):
        literal = netloc[1 : netloc.find("]")]
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            raise RequestFieldError(
                f"{field} has an invalid IPv6 address [{literal}]", field=field
            ) from None
        return f"[{literal.lower()}]"
    host = netloc.rsplit(":", 1)[0]
    if host == "":
        raise RequestFieldError(f"{field} has no host: give e.g. 'tenant.auth0.com'", field=field)
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise RequestFieldError(
                f"{field} host {host!r} is not a valid internationalised domain name",
                field=field,
            ) from None
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise RequestFieldError(
            f"{field} host {host!r} is not a valid host name: use letters, digits, '-' and '.'",
            field=field,
        )
    return host
