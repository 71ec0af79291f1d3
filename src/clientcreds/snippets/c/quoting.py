"""C string literals, the one place C quoting is written.

`c_str` returns a literal whose bytes are exactly the UTF-8 encoding of the text, whatever
compiler mode reads it. It avoids each C hazard by construction:

- every byte that is not printable ASCII (controls, NUL, and each byte of a non-ASCII
  character, so also bidi and zero-width marks) is a three-digit octal escape such as ``\\303``:
  an octal escape ends after three digits, unlike ``\\x``, which swallows every hex digit that
  follows it (``"\\x41BC"`` is one character);
- every ``?`` is ``\\?``, so no trigraph (``??=``, ``??/``…) can form, even under ``-std=c99``;
- ``"`` and ``\\`` are escaped, and line breaks and tabs use their short escapes.

A literal may hold ``\\000``: a snippet passes explicit sizes (``sizeof literal - 1``), never
``strlen``, where a value could contain one.
"""

from __future__ import annotations

from clientcreds.snippets.escapes import is_plain_ascii

_SHORT = {ord('"'): '\\"', ord("\\"): "\\\\", ord("?"): "\\?", 10: "\\n", 13: "\\r", 9: "\\t"}
#: The printable ASCII characters `_SHORT` escapes; every other one is written as itself.
_UNSAFE = '"\\?'


def _escape(byte: int) -> str:
    if byte in _SHORT:
        return _SHORT[byte]
    if 0x20 <= byte < 0x7F:
        return chr(byte)
    return f"\\{byte:03o}"


#: Each byte's escape, as a `str.translate` table over the bytes read as Latin-1 characters.
_BYTES: dict[int, str] = {byte: _escape(byte) for byte in range(256)}


def c_str(text: str) -> str:
    """A double-quoted C string literal holding the UTF-8 bytes of `text`.

    Example:
        >>> print(c_str('é "??=" \\x00'))
        "\\303\\251 \\"\\?\\?=\\" \\000"
    """
    if is_plain_ascii(text, _UNSAFE):
        return f'"{text}"'  # the common case: every byte is itself
    # Latin-1 maps each byte to the character of the same number: one translate escapes all.
    return '"' + text.encode("utf-8").decode("latin-1").translate(_BYTES) + '"'
