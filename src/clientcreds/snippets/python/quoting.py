"""Python string literals, in one place."""

from __future__ import annotations

from functools import partial

from clientcreds.snippets.escapes import EscapeTable, hex_escape

#: Above U+FFFF, ``\\U`` and eight hex digits.
_PYTHON = EscapeTable(partial(hex_escape, astral="\\U{:08x}"))


def python_str(text: str) -> str:
    """A double-quoted Python string literal.

    Example:
        >>> print(python_str("tab\\there \\u202e"))
        "tab\\there \\u202e"
    """
    return _PYTHON.quoted(text)
