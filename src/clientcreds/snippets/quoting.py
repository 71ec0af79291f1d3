"""String literals and shell words for every target language, in one place.

Each function returns source text that evaluates to exactly the given string, whatever it
holds: quotes, backslashes, ``$``, backticks, newlines, emoji or invisible marks. Characters
that are not printable are escaped so a snippet never hides what it sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shell_word(text: str) -> str:
    """Quote `text` as one POSIX shell word (bash, dash, zsh): nothing inside is expanded."""
    return "'" + text.replace("'", "'\\''") + "'"


def python_str(text: str) -> str:
    """A double-quoted Python string literal."""
    return _quoted(text, _python_escape)


def js_str(text: str) -> str:
    """A double-quoted JavaScript string literal (ES2015+, Node and browsers)."""
    return _quoted(text, _js_escape)


def json_str(text: str, *, escape_braces: bool = False) -> str:
    """A JSON string; with `escape_braces`, ``{`` and ``}`` are written as ``\\u007b``/``\\u007d``
    so the text never contains curl's ``{{variable}}`` syntax."""
    return _quoted(text, _json_escape, also_escape="{}" if escape_braces else "")


def json_object(pairs: Sequence[tuple[str, str]], *, escape_braces: bool = False) -> str:
    """A one-line JSON object of string pairs, in order."""
    members = (
        f"{json_str(k, escape_braces=escape_braces)}: {json_str(v, escape_braces=escape_braces)}"
        for k, v in pairs
    )
    return "{" + ", ".join(members) + "}"


def _quoted(text: str, escape: Callable[[int], str], also_escape: str = "") -> str:
    out = []
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ch == '"':
            out.append('\\"')
        elif ch in also_escape or not ch.isprintable():
            out.append(escape(ord(ch)))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


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
