"""Shell words for POSIX shells (bash, dash, zsh), in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHELL_PLAIN_WORD = re.compile(r"[A-Za-z0-9 .,:;()/_-]*")
#: Text that means itself inside double quotes, even pasted into an interactive bash (no ``!``).
_DOUBLE_QUOTE_PLAIN = re.compile(r"[ #%&'()*+,\-./0-9:;<=>?@A-Z\[\]^_a-z{|}~]*")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


@dataclass(frozen=True)
class ShellVariable:
    """A shell variable to expand inside a word, e.g. ``client_secret`` for ``$client_secret``."""

    name: str


def shell_word(text: str) -> str:
    """Quote `text` as one POSIX shell word (bash, dash, zsh): nothing inside is expanded.

    Example:
        >>> print(shell_word("it's $HOME"))
        'it'\\''s $HOME'
    """
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


def shell_join(parts: Sequence[str | ShellVariable]) -> str:
    """Quote literal text and variable expansions as one POSIX shell word.

    Only the variables expand, each as one piece (no word splitting, no globbing). When every
    literal part means itself inside double quotes, the whole word is double-quoted; otherwise
    the literal parts are single-quoted (`shell_word`) and the variables double-quoted.

    Example:
        >>> print(shell_join(["a=1&b=", ShellVariable("b"), "&c=3"]))
        "a=1&b=$b&c=3"
        >>> print(shell_join(['{"b": "', ShellVariable("b"), '"}']))
        '{"b": "'"$b"'"}'

    Raises:
        ValueError: if a variable's name is not a shell variable name.
    """
    for part in parts:
        if isinstance(part, ShellVariable) and not _SHELL_NAME.fullmatch(part.name):
            raise ValueError(f"not a shell variable name: {part.name!r}")
    literals = [part for part in parts if isinstance(part, str)]
    if len(literals) == len(parts):
        return shell_word("".join(literals))
    if all(_DOUBLE_QUOTE_PLAIN.fullmatch(text) for text in literals):
        return '"' + "".join(_in_double_quotes(parts, n) for n in range(len(parts))) + '"'
    return "".join(
        shell_word(part) if isinstance(part, str) else f'"${part.name}"' for part in parts if part
    )


def _in_double_quotes(parts: Sequence[str | ShellVariable], index: int) -> str:
    """One part inside a double-quoted word: ``${name}`` if a name character follows it."""
    part = parts[index]
    if isinstance(part, str):
        return part
    after = next((p for p in parts[index + 1 :] if p), "")
    braced = isinstance(after, str) and _NAME_CHAR.match(after) is not None
    return f"${{{part.name}}}" if braced else f"${part.name}"
