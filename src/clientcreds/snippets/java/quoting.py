"""Java string literals, the only place Java quoting is written.

Java turns every ``\\uXXXX`` into its character *before* it lexes the source, so ``"\\u0022"``
ends a string and ``\\u000a`` breaks the line. So `java_str` never writes a ``\\u`` escape for a
quote, a backslash, CR or LF: ASCII controls become the short escapes (``\\n``, ``\\r``, ``\\t``,
``\\b``, ``\\f``) or three-digit octal (``\\000``, so a digit after it cannot extend it), and only
characters above ASCII become ``\\uXXXX`` (astral ones as a surrogate pair). A backslash in the
value is written ``\\\\``, which leaves the next ``u`` after an odd run of backslashes, where Java
does not start an escape. The result is ASCII, so it compiles the same whatever encoding the
compiler assumes (JDK 17's ``java Main.java`` reads the source in the platform's encoding).
"""

from __future__ import annotations

from clientcreds.snippets.escapes import is_plain_ascii

_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class _JavaEscapes(dict[int, str]):
    """A `str.translate` table that works out each character's escape on first sight."""

    def __missing__(self, code: int) -> str:
        escaped = _escape(code)
        self[code] = escaped
        return escaped


def _escape(code: int) -> str:
    char = chr(code)
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x20 or code == 0x7F:
        return f"\\{code:03o}"
    if code < 0x7F:
        return char
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_TABLE = _JavaEscapes()


def java_str(text: str) -> str:
    """A double-quoted Java string literal of `text`, in ASCII.

    Example:
        >>> print(java_str('say "hi"\\n'))
        "say \\"hi\\"\\n"
        >>> print(java_str("\\x01" + "7 é🔑"))
        "\\0017 \\u00e9\\ud83d\\udd11"
    """
    if is_plain_ascii(text, '"\\'):
        return f'"{text}"'  # the common case: nothing to escape
    return '"' + text.translate(_TABLE) + '"'
