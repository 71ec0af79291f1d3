"""PHP string literals, the only place PHP quoting is written.

PHP strings are bytes, and a literal's bytes are the source file's (UTF-8 here) or its
escapes'. A text that is printable is written single-quoted, where nothing is interpolated and
only ``\\\\`` and ``\\'`` are escapes: ``$x``, ``{$x}``, ``\\u{41}``, ``?>`` stay text. A text
holding anything else (controls, bidi and zero-width marks, separators) needs escapes, which
only double quotes have, so it is written double-quoted with these hazards avoided:

- ``$`` would start an interpolation (``$x``, ``{$x}``, ``${x}``), so it is always ``\\$``;
- ``\\xNN`` is one *byte* (at most two hex digits, so a digit after it stays text), written only
  below 0x80; above, ``\\u{NNNN}`` is the character's UTF-8 (PHP 7+);
- a lone surrogate would be written as the bytes of no UTF-8 text (``\\u{d800}`` is ``ED A0
  80``), so it is refused.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block
from clientcreds.snippets.escapes import EscapeTable, refuse_lone_surrogate
from clientcreds.snippets.plan import EnvVar, Value, ValueSyntax


def _php_escape(code: int) -> str:
    if code == 0x24:
        return "\\$"
    refuse_lone_surrogate(code, "PHP")
    if code < 0x80:
        return f"\\x{code:02x}"  # a byte, and below 0x80 the byte is the character
    return f"\\u{{{code:x}}}"


_PHP = EscapeTable(_php_escape, also_escape="$")


def php_str(text: str) -> str:
    """A PHP string literal whose value is `text` in UTF-8: single-quoted if `text` is
    printable, else double-quoted with escapes.

    Raises:
        RenderError: if `text` holds a lone surrogate, which is not Unicode text.

    Example:
        >>> print(php_str("it's {$x} \\\\u{41}"), php_str("$x\\u202e\\n"))
        'it\\'s {$x} \\\\u{41}' "\\$x\\u{202e}\\n"
    """
    if text.isprintable():
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return _PHP.quoted(text)


#: How a PHP snippet reads a variable: ``getenv``, since ``$_ENV`` is empty wherever
#: ``variables_order`` leaves out ``E`` (Debian's and the php.ini-production default); and
#: ``=== ''``, since ``!$value`` and ``empty()`` would also take a secret of ``0`` as missing.
PHP_VALUES = ValueSyntax(
    quote=php_str,
    read="${variable} = getenv({quoted_name});",
    if_unset="if (${variable} === false || ${variable} === '') {{",
    stop=("fwrite(STDERR, {message_line});", "exit(1);"),
    env_bearer="'Bearer ' . ${variable}",
)


def php_expr(value: Value) -> str:
    """`value` as a PHP expression: ``$variable`` if it is read from the environment, else a
    literal."""
    if isinstance(value, EnvVar):
        return "$" + PHP_VALUES.variable(value.name)
    return php_str(value)


def php_array(header: str, pairs: tuple[tuple[str, Value], ...], footer: str) -> Code:
    """An array literal of (name, value) pairs, one a line: PHP arrays keep insertion order."""
    return block(
        header, [f"{php_str(name)} => {php_expr(value)}," for name, value in pairs], footer
    )
