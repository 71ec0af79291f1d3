"""The one rule for where credentials and tokens may go: ``https://``, or ``http://`` only to
this machine (127.0.0.1, localhost, ::1). The token endpoint, the key-set fetch and the
explorer's API call all ask here."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Hosts for which plain ``http://`` is allowed, as `urllib.parse` reports them (lower case,
#: IPv6 without brackets): the machine itself, never the network.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: The same hosts as written in a URL.
LOOPBACK_NAMES = "127.0.0.1, localhost and [::1]"


def is_loopback(host: str | None) -> bool:
    """True for a loopback host, bracketed (``[::1]``) or not, in any case."""
    if not host:
        return False
    return host.lower().removeprefix("[").removesuffix("]") in LOOPBACK_HOSTS


def insecure_reason(url: str, what: str) -> str | None:
    """Why `url` may not carry `what` (``the secret``, ``a token``), or None when it may.

    The reason is a clause; the caller says what to do (use ``https://``) in its own terms.

    Example:
        >>> insecure_reason("http://example.com/", "the secret") is not None
        True
        >>> insecure_reason("http://[::1]:8080/x", "a token") is None
        True
    """
    parts = urlsplit(url)
    if parts.scheme == "https":
        return None
    if parts.scheme == "http":
        if is_loopback(parts.hostname):
            return None
        return (
            f"plain http:// to {parts.hostname} would send {what} unencrypted "
            f"(http:// is allowed only for {LOOPBACK_NAMES})"
        )
    return f"{parts.scheme or 'a URL without a scheme'}:// cannot carry {what}"
