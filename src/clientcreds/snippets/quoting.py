"""String literals and shell words for every target language, in one place.

Each function returns source text that evaluates to exactly the given string, whatever it
holds: quotes, backslashes, ``$``, backticks, newlines, emoji or invisible marks. Characters
that are not printable are escaped so a snippet never hides what it sends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHELL_PLAIN_WORD = re.compile(r"[A-Za-z0-9 .,:;()/_-]*")


def shell_word(text: str) -> str:
    """Quote `text` as one POSIX shell word (bash, dash, zsh): nothing inside is expanded."""
    return "'" + text.replace("'", "'\\''") + "'"


def shell_require_env(name: str, reason: str) -> str:
    """A POSIX shell command that fails, naming `name`, if ``$name`` is unset or empty.

    It is ``: "${NAME:?reason}"``: the shell writes ``NAME: reason`` to stderr, then a
    non-interactive shell exits and an interactive one abandons the command line. The value is
    expanded but no part of it is ever run.

    Raises:
        ValueError: if `name` is not a shell variable name, or `reason` holds a character
            the ``${…:?…}`` word would expand.
    """
    if not _SHELL_NAME.fullmatch(name) or not _SHELL_PLAIN_WORD.fullmatch(reason):
        raise ValueError(f"cannot write a shell check for {name!r} saying {reason!r}")
    return f': "${{{name}:?{reason}}}"'


def python_str(text: str) -> str:
    """A double-quoted Python string literal."""
    return _quoted(text, _PYTHON)


def js_str(text: str) -> str:
    """A double-quoted JavaScript string literal (ES2015+, Node and browsers)."""
    return _quoted(text, _JS)


def json_str(text: str, *, escape_braces: bool = False) -> str:
    """A JSON string; with `escape_braces`, ``{`` and ``}`` are written as ``\\u007b``/``\\u007d``
    so the text never contains curl's ``{{variable}}`` syntax."""
    return _quoted(text, _JSON_NO_BRACES if escape_braces else _JSON)


def json_object(pairs: Sequence[tuple[str, str]], *, escape_braces: bool = False) -> str:
    """A one-line JSON object of string pairs, in order."""
    members = (
        f"{json_str(k, escape_braces=escape_braces)}: {json_str(v, escape_braces=escape_braces)}"
        for k, v in pairs
    )
    return "{" + ", ".join(members) + "}"


class _EscapeTable(dict[int, str]):
    """A `str.translate` table that works out each character's escape once, on first sight."""

    def __init__(self, escape: Callable[[int], str], also_escape: str = "") -> None:
        super().__init__()
        self._escape = escape
        self._also_escape = also_escape
        excluded = '"\\' + also_escape
        self._plain = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in excluded)

    def is_plain(self, text: str) -> bool:
        """Printable ASCII without the quote, the backslash or `also_escape`: as it is."""
        return not text.rstrip(self._plain)  # empty only if every character is plain

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


def _quoted(text: str, table: _EscapeTable) -> str:
    if table.is_plain(text):
        return f'"{text}"'  # the common case: nothing to escape
    return '"' + text.translate(table) + '"'


def _python_escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _js_escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\u{{{code:x}}}"


def _json_escape(code: int) -> str:
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_PYTHON = _EscapeTable(_python_escape)
_JS = _EscapeTable(_js_escape)
_JSON = _EscapeTable(_json_escape)
_JSON_NO_BRACES = _EscapeTable(_json_escape, also_escape="{}")
