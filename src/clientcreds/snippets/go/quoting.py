"""Go string literals, the only place Go quoting is written.

Go's interpreted string literals hold UTF-8 bytes, which sets the hazards `go_str` avoids:

- ``\\xNN`` is one *byte*, not a character, so it is written only below 0x80; a character above
  is written ``\\uNNNN`` or ``\\UNNNNNNNN`` (or as itself, in UTF-8, when it is printable);
- a byte-order mark (U+FEFF) anywhere in a Go file is a compile error and NUL is refused in
  source, so both are escaped, like every other character that is not printable (controls,
  bidi and zero-width marks, separators): a snippet never hides what it sends;
- a lone surrogate has no UTF-8 form, so no Go string can hold one: it is refused.
"""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable, refuse_lone_surrogate


def _go_escape(code: int) -> str:
    refuse_lone_surrogate(code, "Go")
    if code < 0x80:
        return f"\\x{code:02x}"  # a byte, and below 0x80 the byte is the character
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_GO = EscapeTable(_go_escape)


def go_str(text: str) -> str:
    """A double-quoted (interpreted) Go string literal whose value is `text` in UTF-8.

    Raises:
        RenderError: if `text` holds a lone surrogate, which is not Unicode text.

    Example:
        >>> print(go_str('say "é🔑"\\n\\ufeff\\x00'))
        "say \\"é🔑\\"\\n\\ufeff\\x00"
    """
    return _GO.quoted(text)
