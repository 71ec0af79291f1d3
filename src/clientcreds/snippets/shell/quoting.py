"""Shell words for POSIX shells (bash, dash, zsh), in one place."""

from __future__ import annotations

import re

_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHELL_PLAIN_WORD = re.compile(r"[A-Za-z0-9 .,:;()/_-]*")


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
