"""Ruby string literals, the only place Ruby quoting is written.

A double-quoted Ruby literal interpolates, which sets the hazards `ruby_str` avoids:

- ``#{…}`` runs code, and ``#@x``, ``#@@x`` and ``#$x`` read variables, so every ``#`` is written
  ``\\#`` (a ``#`` alone is harmless, but escaping each one needs no look-ahead);
- ``\\xNN`` is one *byte*, and ``\\0`` followed by a digit is an octal escape, so neither is
  written: a character that is not printable (controls, NUL, bidi and zero-width marks,
  separators) is written ``\\u{…}``, whose braces end it whatever follows;
- a lone surrogate has no UTF-8 form (``\\u{d800}`` does not parse), so it is refused.

Printable characters outside ASCII stay as they are: a Ruby source file is UTF-8 by default.
"""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable, refuse_lone_surrogate


def _ruby_escape(code: int) -> str:
    if code == ord("#"):
        return "\\#"
    refuse_lone_surrogate(code, "Ruby")
    return f"\\u{{{code:x}}}"


_RUBY = EscapeTable(_ruby_escape, also_escape="#")


def ruby_str(text: str) -> str:
    """A double-quoted Ruby string literal whose value is `text` (UTF-8), interpolating nothing.

    Raises:
        RenderError: if `text` holds a lone surrogate, which is not Unicode text.

    Example:
        >>> print(ruby_str('#{x} "é🔑"\\n\\x00\\u202e'))
        "\\#{x} \\"é🔑\\"\\n\\u{0}\\u{202e}"
    """
    return _RUBY.quoted(text)
