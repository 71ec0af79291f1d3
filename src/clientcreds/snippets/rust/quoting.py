"""Rust string literals, the only place Rust quoting is written.

A Rust ``&str`` is UTF-8 and its ordinary literal ``"…"`` knows few escapes, which sets the
hazards `rust_str` avoids:

- ``\\xNN`` is allowed only up to ``\\x7f`` (``"\\x85"`` does not compile), so it is never
  written: a character that is not printable (controls, NUL, DEL, bidi and zero-width marks,
  separators, a byte-order mark) is written ``\\u{…}``, whose braces end it whatever follows;
  rustc also refuses a raw bidi control in a literal (``text_direction_codepoint_in_literal``);
- an escape Rust does not know, such as ``\\$``, is a compile error, so only ``\\\\``,
  ``\\"``, ``\\n``, ``\\r``, ``\\t`` and ``\\u{…}`` are written; ``$``, ``#``, ``'``, ``{`` and
  ``}`` need none (braces matter only in a format string, and a snippet never uses a value as
  one);
- a lone surrogate has no UTF-8 form (``\\u{d800}`` does not compile), so it is refused.

Printable characters outside ASCII stay as they are: a Rust source file is UTF-8. Raw strings
(``r#"…"#``) are not used: their hashes would have to outnumber every ``"#`` run of the value.
"""

from __future__ import annotations

from clientcreds.snippets.escapes import EscapeTable, refuse_lone_surrogate


def _rust_escape(code: int) -> str:
    refuse_lone_surrogate(code, "Rust")
    return f"\\u{{{code:x}}}"


_RUST = EscapeTable(_rust_escape)


def rust_str(text: str) -> str:
    """A Rust string literal (``&'static str``) whose value is `text`.

    Raises:
        RenderError: if `text` holds a lone surrogate, which is not Unicode text.

    Example:
        >>> print(rust_str('{x} "é🔑"\\n\\x00\\x85\\u202e $'))
        "{x} \\"é🔑\\"\\n\\u{0}\\u{85}\\u{202e} $"
    """
    return _RUST.quoted(text)
