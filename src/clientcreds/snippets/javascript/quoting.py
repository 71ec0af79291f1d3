"""JavaScript string literals, in one place."""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable


def _js_escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\u{{{code:x}}}"


_JS = EscapeTable(_js_escape)


def js_str(text: str) -> str:
    """A double-quoted JavaScript string literal (ES2015+, Node and browsers).

    Example:
        >>> print(js_str("key 🔑"))
        "key 🔑"
    """
    return _JS.quoted(text)
