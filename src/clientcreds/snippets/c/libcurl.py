"""``c-libcurl``: one ``main.c`` over libcurl's easy interface, built with ``cc … -lcurl``.

A body the snippet knows when it is rendered is encoded then (form- or JSON-encoded) and
written as one C literal by `c_str`, sent with its explicit size (``sizeof body - 1``), never
``strlen``. A value read from the environment is encoded when the snippet runs, by small helpers
the snippet carries (``curl_easy_escape`` for form encoding, ``json_escape``). Basic credentials
are always built when it runs (form-encode, join with ``:``, ``basic_authorization`` for
base64), so the client id and secret stay plain literals a user can edit, and a NUL in a literal
is kept by passing its size to ``curl_easy_escape``.

In env mode ``main`` first reads each variable with ``getenv``; if one is unset or empty it
writes the message to stderr and returns 1 before libcurl is even initialised. The response
body goes to stdout (libcurl's default); the exit status is non-zero if the transfer failed or
the status is 400 or more.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Union

from clientcreds.request.wire import form_quote
from clientcreds.snippets.c.quoting import c_str
from clientcreds.snippets.code import lines as code_lines
from clientcreds.snippets.plan import EnvVar, Plan, Value, ValueSyntax
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "
_SYNTAX = ValueSyntax(
    quote=c_str,
    read="const char *{variable} = getenv({quoted_name});",
    if_unset="if ({variable} == NULL || *{variable} == '\\0') {{",
    stop=("fputs({message_line}, stderr);", "return 1;"),
    camel_case=False,
)

_INCLUDES = """\
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
"""

_JOIN = """\
/* The strings up to NULL, joined on the heap: free() the result. */
static char *join(const char *first, ...)
{
    va_list parts;
    const char *part;
    size_t size = 1;

    va_start(parts, first);
    for (part = first; part != NULL; part = va_arg(parts, const char *))
        size += strlen(part);
    va_end(parts);
    char *joined = malloc(size);
    if (joined == NULL)
        abort();
    joined[0] = '\\0';
    va_start(parts, first);
    for (part = first; part != NULL; part = va_arg(parts, const char *))
        strcat(joined, part);
    va_end(parts);
    return joined;
}
"""

_JSON_ESCAPE = """\
/* text as the inside of a JSON string, on the heap: free() the result. */
static char *json_escape(const char *text)
{
    char *escaped = malloc(6 * strlen(text) + 1), *end = escaped;
    if (escaped == NULL)
        abort();
    for (; *text != '\\0'; text++) {
        unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\\\') {
            *end++ = '\\\\';
            *end++ = (char)c;
        } else if (c < 0x20) {
            end += sprintf(end, "\\\\u%04x", (unsigned)c);
        } else {
            *end++ = (char)c;
        }
    }
    *end = '\\0';
    return escaped;
}
"""

_BASIC = """\
/* "Authorization: Basic " and the base64 of credentials, on the heap: free() the result. */
static char *basic_authorization(const char *credentials)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char prefix[] = "Authorization: Basic ";
    size_t length = strlen(credentials);
    char *header = malloc(sizeof prefix + (length + 2) / 3 * 4);
    if (header == NULL)
        abort();
    char *end = header + (sizeof prefix - 1);
    memcpy(header, prefix, sizeof prefix - 1);
    for (size_t i = 0; i < length; i += 3) {
        unsigned long chunk = (unsigned long)(unsigned char)credentials[i] << 16;
        if (i + 1 < length)
            chunk |= (unsigned long)(unsigned char)credentials[i + 1] << 8;
        if (i + 2 < length)
            chunk |= (unsigned long)(unsigned char)credentials[i + 2];
        *end++ = digits[chunk >> 18 & 63];
        *end++ = digits[chunk >> 12 & 63];
        *end++ = i + 1 < length ? digits[chunk >> 6 & 63] : '=';
        *end++ = i + 2 < length ? digits[chunk & 63] : '=';
    }
    *end = '\\0';
    return header;
}
"""


@dataclass(frozen=True)
class _Code:
    """A C expression evaluated when the snippet runs (a string read or encoded then)."""

    text: str


_Piece = Union[str, _Code]  # noqa: UP007 - a runtime alias must work on Python 3.10


def render(plan: Plan) -> str:
    """A complete ``main.c``: includes, the helpers it needs, and ``main``."""
    main = "int main(void)\n{\n" + _indented(_main_body(plan)) + "}\n"
    helpers = [
        helper
        for helper, call in (
            (_JOIN, "join("),
            (_JSON_ESCAPE, "json_escape("),
            (_BASIC, "basic_authorization("),
        )
        if call in main
    ]
    return "\n".join([_INCLUDES, *helpers, main])


def _indented(lines: Iterable[str]) -> str:
    return "".join([f"{_INDENT}{line}\n" if line else "\n" for line in lines])


def _main_body(plan: Plan) -> list[str]:
    lines = list(code_lines([_SYNTAX.env_check(name) for name in plan.env_names], _INDENT))
    lines += [
        "curl_global_init(CURL_GLOBAL_DEFAULT);",
        "CURL *curl = curl_easy_init();",
        "if (curl == NULL) {",
        f'{_INDENT}fputs("curl_easy_init failed\\n", stderr);',
        f"{_INDENT}return 1;",
        "}",
    ]
    encoded = list(_encodings(plan))
    if encoded:
        lines += ["", *(declaration for declaration, _ in encoded)]
    heap: list[str] = [free for _, free in encoded]
    lines += ["", *_headers(plan, heap)]
    lines += ["", f"curl_easy_setopt(curl, CURLOPT_URL, {c_str(plan.url)});"]
    if plan.body is None and plan.method != "GET":
        lines.append(f"curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, {c_str(plan.method)});")
    lines.append("curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);")
    lines.append("curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);")
    lines += _body(plan, heap)
    return lines + _perform_and_clean_up(heap)


def _encodings(plan: Plan) -> Iterator[tuple[str, str]]:
    """Each environment value's run-time encoding: its declaration, and how to free it."""
    if not plan.reads_env:
        return  # every value is a literal, encoded when the snippet is rendered
    in_form = [*(plan.basic or ()), *(v for _, v in plan.params if plan.body == "form")]
    in_json = [value for _, value in plan.params if plan.body == "json"]
    for name in plan.env_names:
        variable = _SYNTAX.variable(name)
        if EnvVar(name) in in_form:
            yield (
                f"char *{variable}_form = curl_easy_escape(curl, {variable}, 0);",
                f"curl_free({variable}_form);",
            )
        if EnvVar(name) in in_json:
            yield (
                f"char *{variable}_json = json_escape({variable});",
                f"free({variable}_json);",
            )


def _headers(plan: Plan, heap: list[str]) -> list[str]:
    lines = ["struct curl_slist *headers = NULL;"]
    if plan.body is not None:
        lines.append(_append_header(c_str(f"Content-Type: {plan.media_type}")))
    if plan.basic is not None:
        lines.append("/* Basic auth (RFC 6749 section 2.3.1): form-encode id and secret first */")
        lines += _basic(plan.basic, heap)
    if plan.bearer is not None:
        if isinstance(plan.bearer, EnvVar):
            token = _Code(_SYNTAX.variable(plan.bearer.name))
            lines += _string("authorization", ["Authorization: Bearer ", token], heap)
            lines.append(_append_header("authorization"))
        else:
            lines.append(_append_header(c_str(f"Authorization: Bearer {plan.bearer}")))
    return lines


def _append_header(expression: str) -> str:
    return f"headers = curl_slist_append(headers, {expression});"


def _basic(basic: tuple[Value, Value], heap: list[str]) -> list[str]:
    """Encode the id and secret when the snippet runs, so each stays a plain literal to edit."""
    lines: list[str] = []
    encoded: list[_Piece] = []
    for label, value in zip(("client_id", "client_secret"), basic, strict=True):
        if isinstance(value, EnvVar):
            encoded.append(_Code(f"{_SYNTAX.variable(value.name)}_form"))
            continue
        lines += [
            f"static const char {label}[] = {c_str(value)};",
            f"char *{label}_form = curl_easy_escape(curl, {label}, (int)sizeof {label} - 1);",
        ]
        heap.append(f"curl_free({label}_form);")
        encoded.append(_Code(f"{label}_form"))
    lines += _string("credentials", [encoded[0], ":", encoded[1]], heap)
    heap.append("free(authorization);")
    return [
        *lines,
        "char *authorization = basic_authorization(credentials);",
        _append_header("authorization"),
    ]


def _body(plan: Plan, heap: list[str]) -> list[str]:
    if plan.body is None:
        return []
    pieces = _form_body(plan) if plan.body == "form" else _json_body(plan)
    texts = [piece for piece in pieces if isinstance(piece, str)]
    if len(texts) == len(pieces):  # nothing read from the environment: one literal
        return [
            f"static const char body[] = {c_str(''.join(texts))};",
            "curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);",
            "curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)(sizeof body - 1));",
        ]
    return [
        *_string("body", pieces, heap),
        "curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);",
        "curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));",
    ]


def _form_body(plan: Plan) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, (name, value) in enumerate(plan.params):
        pieces += ["&" if index else "", f"{form_quote(name)}=", _form_piece(value)]
    return pieces


def _json_body(plan: Plan) -> list[_Piece]:
    pieces: list[_Piece] = ["{"]
    for index, (name, value) in enumerate(plan.params):
        pieces += [", " if index else "", _json(name), ": "]
        if isinstance(value, EnvVar):
            pieces += ['"', _Code(f"{_SYNTAX.variable(value.name)}_json"), '"']
        else:
            pieces.append(_json(value))
    return [*pieces, "}"]


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _form_piece(value: Value) -> _Piece:
    if isinstance(value, EnvVar):
        return _Code(f"{_SYNTAX.variable(value.name)}_form")
    return form_quote(value)


def _string(variable: str, pieces: list[_Piece], heap: list[str]) -> list[str]:
    """``char *variable = join(…)``: literal runs as C literals, one argument a line."""
    heap.append(f"free({variable});")
    arguments = [*(_arguments(pieces)), "(char *)NULL"]
    return [
        f"char *{variable} = join(",
        *(f"{_INDENT}{argument}," for argument in arguments[:-1]),
        f"{_INDENT}{arguments[-1]});",
    ]


def _arguments(pieces: list[_Piece]) -> Iterator[str]:
    run = ""
    for piece in pieces:
        if isinstance(piece, str):
            run += piece
            continue
        if run:
            yield c_str(run)
        run = ""
        yield piece.text
    if run:
        yield c_str(run)


def _perform_and_clean_up(heap: list[str]) -> list[str]:
    return [
        "",
        "CURLcode result = curl_easy_perform(curl); /* the response body goes to stdout */",
        "long status = 0;",
        "curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);",
        "if (result != CURLE_OK)",
        f'{_INDENT}fprintf(stderr, "request failed: %s\\n", curl_easy_strerror(result));',
        "",
        *heap,
        "curl_slist_free_all(headers);",
        "curl_easy_cleanup(curl);",
        "curl_global_cleanup();",
        "return result == CURLE_OK && status < 400 ? 0 : 1;",
    ]


TARGET = Target(
    "c-libcurl",
    "C",
    "c",
    "gcc with libcurl (libcurl4-openssl-dev)",
    render,
    Recipe(
        "main.c",
        "cc main.c -lcurl -o request && ./request",
        note="Needs libcurl's headers (Debian: apt-get install libcurl4-openssl-dev).",
    ),
    client="libcurl",
)
