"""What the shell targets share: the checks before the command, the run-time encodings, each
value as one shell word, and one command laid out an option per line.

curl encodes values read from the environment itself (``--variable``); HTTPie and Wget cannot,
so their snippets encode them in the shell first, with POSIX tools only, byte by byte:

- form encoding (a form body, and each half of HTTP Basic, RFC 6749 §2.3.1): ``od`` writes
  every byte in hex, ``tr`` keeps only the hex digits, ``sed`` puts ``%`` before each pair.
  Every byte as ``%xx`` is a valid form encoding of any value, and leaves no character a shell
  or a client could read specially.
- a JSON string's contents: ``od`` writes every byte in octal, ``awk`` (in the C locale, so it
  writes bytes, not characters) escapes ``"``, ``\\`` and the controls below U+0020 and writes
  every other byte as it is, so UTF-8 text stays UTF-8.

Each result is kept in a shell variable (``client_secret``) and expanded inside a word as one
piece; no part of a value is ever run or parsed by the shell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Union

from clientcreds.request.wire import form_quote
from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.escapes import json_str
from clientcreds.snippets.plan import MISSING_ENV_REASON, EnvVar, Plan, Value
from clientcreds.snippets.shell.quoting import (
    ShellVariable,
    shell_join,
    shell_require_env,
)

INDENT = "  "
#: Literal text or a variable, the pieces of one shell word (see `shell_join`).
Part = Union[str, ShellVariable]  # noqa: UP007 - a runtime alias must work on Python 3.10
#: How a value read from the environment is written where it goes.
Encoding = Literal["form", "json"]

#: Form encoding: every byte as ``%xx`` (``od -v``: no ``*`` for repeated lines).
_FORM_ENCODE = "od -An -v -tx1 | tr -dc 0-9a-f | sed 's/../%&/g'"
#: The contents of a JSON string: octal bytes in, the byte or its escape out.
_JSON_ESCAPE_HEADER = "od -An -v -to1 | LC_ALL=C awk '{"
_JSON_ESCAPE_BODY: Code = [
    block(
        "for (i = 1; i <= NF; i++) {",
        [
            "n = substr($i, 1, 1) * 64 + substr($i, 2, 1) * 8 + substr($i, 3, 1)",
            'if (n < 32) printf "\\\\u%04x", n',
            'else if (n == 34 || n == 92) printf "\\\\%c", n',
            'else printf "%c", n',
        ],
        "}",
    )
]


def env_checks(plan: Plan) -> list[str]:
    """``: "${NAME:?…}" &&`` for each variable the plan reads: an unset or empty one stops the
    command line with `missing_env_message` before anything is sent."""
    return [f"{shell_require_env(name, MISSING_ENV_REASON)} &&" for name in plan.env_names]


def encodings(plan: Plan) -> list[tuple[str, Encoding]]:
    """Each (environment variable, encoding) the plan needs at run time, once, in order."""
    needed: dict[tuple[str, Encoding], None] = {}
    for _, value in plan.params:
        if isinstance(value, EnvVar):
            needed[(value.name, "json" if plan.body == "json" else "form")] = None
    for value in plan.basic or ():
        if isinstance(value, EnvVar):
            needed[(value.name, "form")] = None
    return list(needed)


def encoded_variable(plan: Plan, name: str, encoding: Encoding) -> ShellVariable:
    """The shell variable holding `name` encoded for `encoding`: ``client_secret`` for
    ``AUTH0_CLIENT_SECRET``, ``client_secret_json`` if the plan also needs it form-encoded."""
    base = name.lower().removeprefix("auth0_")
    if sum(1 for other, _ in encodings(plan) if other == name) > 1:
        return ShellVariable(f"{base}_{encoding}")
    return ShellVariable(base)


def prelude(plan: Plan) -> Code:
    """The checks, then one assignment per run-time encoding, each ending in ``&&``."""
    code: list[Code] = list(env_checks(plan))
    for name, encoding in encodings(plan):
        assignment = f'{encoded_variable(plan, name, encoding).name}=$(printf %s "${name}" | '
        if encoding == "form":
            code.append(f"{assignment}{_FORM_ENCODE}) &&")
        else:
            code.append(block(assignment + _JSON_ESCAPE_HEADER, _JSON_ESCAPE_BODY, "}') &&"))
    return code


def value_parts(plan: Plan, value: Value, encoding: Encoding) -> list[Part]:
    """A body or Basic value, encoded: a literal now, a variable's run-time encoding else."""
    if isinstance(value, EnvVar):
        return [encoded_variable(plan, value.name, encoding)]
    return [form_quote(value) if encoding == "form" else json_str(value)[1:-1]]


def body_word(plan: Plan) -> str:
    """The whole body as one shell word: ``name=value&…`` or a one-line JSON object, in order.

    Raises:
        TypeError: for a plan without a body.
    """
    if plan.body is None:
        raise TypeError("this request has no body: check plan.body")
    encoding: Encoding = "json" if plan.body == "json" else "form"
    parts: list[Part] = ["{" if encoding == "json" else ""]
    for index, (name, value) in enumerate(plan.params):
        if encoding == "json":
            parts.append(f'{", " if index else ""}{json_str(name)}: "')
        else:
            parts.append(f"{'&' if index else ''}{form_quote(name)}=")
        parts += value_parts(plan, value, encoding)
        parts.append('"' if encoding == "json" else "")
    parts.append("}" if encoding == "json" else "")
    return shell_join(_merged(parts))


def basic_parts(plan: Plan) -> tuple[list[Part], list[Part]]:
    """The client id and secret of HTTP Basic, each form-encoded (RFC 6749 §2.3.1).

    Raises:
        TypeError: for a plan without Basic credentials.
    """
    if plan.basic is None:
        raise TypeError("this request has no Basic credentials: check plan.basic")
    client_id, secret = plan.basic
    return value_parts(plan, client_id, "form"), value_parts(plan, secret, "form")


def plain_parts(value: Value) -> list[Part]:
    """A value as it is (a bearer token): the literal, or the environment variable itself."""
    return [ShellVariable(value.name) if isinstance(value, EnvVar) else value]


def command(plan: Plan, head: str, arguments: Sequence[str]) -> str:
    """The prelude, then `head` with each argument on a line of its own, joined by `` \\``."""
    lines = [head, *arguments]
    continued = [f"{line} \\" for line in lines[:-1]] + lines[-1:]
    return layout([prelude(plan), continued[0], indented(continued[1:])], INDENT)


def _merged(parts: Sequence[Part]) -> list[Part]:
    """Adjacent literal parts joined, empty ones dropped."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged
