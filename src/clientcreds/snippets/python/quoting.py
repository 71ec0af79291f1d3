"""Python string literals, in one place."""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable


def _python_escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_PYTHON = EscapeTable(_python_escape)


def python_str(text: str) -> str:
    """A double-quoted Python string literal.

    Example:
        >>> print(python_str("tab\\there \\u202e"))
        "tab\\there \\u202e"
    """
    return _PYTHON.quoted(text)
