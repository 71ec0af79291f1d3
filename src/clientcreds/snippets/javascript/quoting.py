"""JavaScript string literals, in one place."""

from __future__ import annotations

from functools import partial

from clientcreds.snippets.escapes import EscapeTable, hex_escape

#: Above U+FFFF, ES2015's ``\\u{1f511}``: the code point in as many hex digits as it takes.
_JS = EscapeTable(partial(hex_escape, astral="\\u{{{:x}}}"))


def js_str(text: str) -> str:
    """A double-quoted JavaScript string literal (ES2015+, Node and browsers).

    Example:
        >>> print(js_str("key 🔑"))
        "key 🔑"
    """
    return _JS.quoted(text)
