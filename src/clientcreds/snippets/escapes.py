"""The escaping every language's string literals share, and JSON text.

A language's quoting module (``shell/quoting.py``, ``python/quoting.py``, …) builds its literal
from an `EscapeTable`; the JSON pieces live here because more than one target writes JSON
(``http`` shows the body, ``curl`` sends it). Every literal evaluates to exactly the given
string, with characters that are not printable escaped so a snippet never hides what it sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clientcreds.exceptions import RenderError

_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_plain_ascii(text: str, unsafe: str) -> bool:
    """Whether `text` is printable ASCII (space to ``~``) holding none of the characters in
    `unsafe`: then a literal is `text` itself between quotes, with nothing to escape.

    Example:
        >>> [is_plain_ascii(text, "?") for text in ("tenant.auth0.com", "é", "a\\tb", "a?")]
        [True, False, False, False]
    """
    if not (text.isascii() and text.isprintable()):  # C-speed checks of every character
        return False
    for char in unsafe:  # noqa: SIM110 - a plain loop: all() over a generator costs twice as much
        if char in text:
            return False
    return True


class EscapeTable(dict[int, str]):
    """A `str.translate` table for a double-quoted literal, each escape worked out once.

    Backslash, LF, CR and tab get their short escapes, ``"`` becomes ``\\"``, and characters
    that are not printable (or are in `also_escape`) get ``escape(code point)``.
    """

    def __init__(self, escape: Callable[[int], str], also_escape: str = "") -> None:
        super().__init__()
        self._escape = escape
        self._also_escape = also_escape
        self._unsafe = '"\\' + also_escape

    def is_plain(self, text: str) -> bool:
        """Printable ASCII without the quote, the backslash or `also_escape`: as it is."""
        return is_plain_ascii(text, self._unsafe)

    def quoted(self, text: str) -> str:
        """`text` as a double-quoted literal."""
        if is_plain_ascii(text, self._unsafe):  # `is_plain` inlined: this runs for every literal
            return f'"{text}"'  # the common case: nothing to escape
        return '"' + text.translate(self) + '"'

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _SHORT_ESCAPES:
            escaped = _SHORT_ESCAPES[char]
        elif char == '"':
            escaped = '\\"'
        elif char in self._also_escape or not char.isprintable():
            escaped = self._escape(code)
        else:
            escaped = char
        self[code] = escaped
        return escaped


def utf16_escape(code: int) -> str:
    """``\\uXXXX``, as a surrogate pair above U+FFFF (JSON, and languages with UTF-16 strings)."""
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def hex_escape(code: int, *, astral: str) -> str:
    """``\\xNN`` below U+0100, ``\\uNNNN`` up to U+FFFF, and above that `astral` formatted
    with the code point: Python and JavaScript escape alike but for characters above the BMP
    (``\\U0001f511`` in Python, ``\\u{1f511}`` in JavaScript).

    Example:
        >>> print(*(hex_escape(code, astral="\\\\U{:08x}") for code in (0x7F, 0x202E, 0x1F511)))
        \\x7f \\u202e \\U0001f511
    """
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else astral.format(code)


_JSON = EscapeTable(utf16_escape)
_JSON_NO_BRACES = EscapeTable(utf16_escape, also_escape="{}")


def json_str(text: str, *, escape_braces: bool = False) -> str:
    """A JSON string; with `escape_braces`, ``{`` and ``}`` are written as ``\\u007b``/``\\u007d``
    so the text never contains curl's ``{{variable}}`` syntax.

    Example:
        >>> json_str('say "hi"\\n')
        '"say \\\\"hi\\\\"\\\\n"'
    """
    return (_JSON_NO_BRACES if escape_braces else _JSON).quoted(text)


def json_object(pairs: Sequence[tuple[str, str]], *, escape_braces: bool = False) -> str:
    """A one-line JSON object of string pairs, in order.

    Example:
        >>> json_object([("a", "1"), ("b", "2")])
        '{"a": "1", "b": "2"}'
    """
    members = (
        f"{json_str(k, escape_braces=escape_braces)}: {json_str(v, escape_braces=escape_braces)}"
        for k, v in pairs
    )
    return "{" + ", ".join(members) + "}"


def refuse_lone_surrogate(code: int, language: str) -> None:
    """Raise `RenderError` if `code` is a lone surrogate: no UTF-8 source file can hold one.

    Example:
        >>> refuse_lone_surrogate(0xD800, "Go")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        clientcreds.exceptions.RenderError: the value holds a lone surrogate (U+D800), ...
    """
    if 0xD800 <= code <= 0xDFFF:
        raise RenderError(
            f"the value holds a lone surrogate (U+{code:04X}), which has no UTF-8 form, so no "
            f"{language} string can hold it: fix the value"
        )
