"""Java string literals, the only place Java quoting is written.

Java turns every ``\\uXXXX`` into its character *before* it lexes the source, so ``"\\u0022"``
ends a string and ``\\u000a`` breaks the line. So `java_str` never writes a ``\\u`` escape for a
quote, a backslash, CR or LF: ASCII controls become the short escapes (``\\n``, ``\\r``, ``\\t``,
``\\b``, ``\\f``) or three-digit octal (``\\000``, so a digit after it cannot extend it), and only
characters above ASCII become ``\\uXXXX`` (astral ones as a surrogate pair). A backslash in the
value is written ``\\\\``, which leaves the next ``u`` after an odd run of backslashes, where Java
does not start an escape. The result is ASCII, so it compiles the same whatever encoding the
compiler assumes (JDK 17's ``java Main.java`` reads the source in the platform's encoding).

A string constant has a size limit in the class file, which no escape gets around:
`refuse_oversized_constant` holds that rule for both Java targets, and `java_str` applies it to
every literal.
"""

from __future__ import annotations

from clientcreds.exceptions import RenderError
from clientcreds.snippets.escapes import is_plain_ascii

#: The most bytes of modified UTF-8 a class file's string constant holds (JVMS §4.4.7).
MAX_CONSTANT_BYTES = 65_535
#: javac also refuses a constant string of 65,535 UTF-16 code units or more.
MAX_CONSTANT_CHARS = 65_534
#: No character takes more than 6 bytes, so a text this short fits and is not counted.
_ALWAYS_FITS = MAX_CONSTANT_BYTES // 6

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

    Raises:
        RenderError: if `text` is too long for a Java string constant (`refuse_oversized_constant`).
    """
    refuse_oversized_constant(text)
    if is_plain_ascii(text, '"\\'):
        return f'"{text}"'  # the common case: nothing to escape
    return '"' + text.translate(_TABLE) + '"'


def modified_utf8_length(text: str) -> int:
    """The bytes of `text` in a class file's modified UTF-8: as UTF-8, except that NUL takes 2
    bytes and a character above U+FFFF 6 (Java holds it as two surrogates, 3 bytes each).

    Example:
        >>> [modified_utf8_length(text) for text in ("a", "\\x00", "é", "€", "🔑")]
        [1, 2, 2, 3, 6]
    """
    utf8 = len(text.encode("utf-8", "surrogatepass"))
    astral = utf16_length(text) - len(text)
    return utf8 + text.count("\x00") + 2 * astral


def utf16_length(text: str) -> int:
    """The UTF-16 code units of `text`: its Java ``String.length()``."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def refuse_oversized_constant(text: str, what: str = "a value") -> None:
    """Raise `RenderError` if `text` is longer than one Java string constant can be.

    javac writes a literal, or literals joined by ``+``, as one constant, which must fit in
    `MAX_CONSTANT_BYTES` bytes of modified UTF-8 and `MAX_CONSTANT_CHARS` UTF-16 code units;
    a longer one does not compile. `what` names the text in the message.
    """
    if len(text) <= _ALWAYS_FITS:
        return
    size, chars = modified_utf8_length(text), utf16_length(text)
    if size > MAX_CONSTANT_BYTES or chars > MAX_CONSTANT_CHARS:
        raise RenderError(
            f"{what} needs {size:,} bytes and {chars:,} characters as a Java string constant, "
            f"which holds at most {MAX_CONSTANT_BYTES:,} bytes (modified UTF-8) and "
            f"{MAX_CONSTANT_CHARS:,} characters, so the snippet would not compile: shorten it, "
            "or use secret='env' if it holds the client secret"
        )
