"""A secret value that never prints itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NoReturn
from urllib.parse import quote, quote_plus

REDACTED = "**********"


class Secret:
    """A string that hides itself from `repr`, `str`, f-strings, logs and pickles.

    The value is reachable only through `reveal()`, so every place that puts a
    secret on the wire or on screen says so in the code.

    Example:
        >>> s = Secret("hunter2")
        >>> s
        Secret('**********')
        >>> f"{s}"
        '**********'
        >>> s.reveal()
        'hunter2'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a secret must be text, not {type(value).__name__}")
        self._value = value

    def reveal(self) -> str:
        """Return the secret itself: only for the wire or an explicit `reveal` display."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, format_spec: str) -> str:
        return format(REDACTED, format_spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled; it would write the value in clear")


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, raw or URL-, form- or JSON-encoded, replaced by `REDACTED`.

    For text a server sent back (an ``error_description`` echoing the request body): the
    secret must not reach a message or a screen through it.

    Example:
        >>> scrub("bad secret 'a+b' (a%2Bb)", ["a+b"])
        "bad secret '**********' (**********)"
    """
    forms = {form for value in secrets if value for form in _encoded_forms(value)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def _encoded_forms(value: str) -> tuple[str, ...]:
    """The ways `value` can appear in a request: raw, form-, percent- and JSON-encoded."""
    return (
        value,
        quote_plus(value, safe=""),
        quote(value, safe=""),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    )
