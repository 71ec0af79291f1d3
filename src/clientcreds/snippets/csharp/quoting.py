"""C# string literals, the only place C# quoting is written.

A regular C# string literal holds UTF-16 code units, which sets the hazards `csharp_str` avoids:

- ``\\x`` takes one to four hex digits, so ``"\\x41BC"`` is one character (U+41BC), not ``ABC``:
  it is never written;
- ``\\uXXXX`` takes exactly four digits and ``\\UXXXXXXXX`` exactly eight, so every character
  that is not printable (controls, NUL, bidi and zero-width marks, separators, the byte-order
  mark) is written with one of them: a snippet never hides what it sends;
- a line break inside a regular literal is a compile error, and C# counts U+0085, U+2028 and
  U+2029 as line breaks: none of them is printable, so all are escaped.

Printable characters, astral ones included, are written as themselves (the file is UTF-8).
"""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable


def _csharp_escape(code: int) -> str:
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_CSHARP = EscapeTable(_csharp_escape)


def csharp_str(text: str) -> str:
    """A regular (not verbatim) double-quoted C# string literal whose value is `text`.

    Example:
        >>> print(csharp_str('say "\\\\x41BC" é🔑\\n\\u202e\\x00'))
        "say \\"\\\\x41BC\\" é🔑\\n\\u202e\\u0000"
    """
    return _CSHARP.quoted(text)
