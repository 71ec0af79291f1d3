"""What the Java targets write the same way, whatever client sends the request.

Reading and checking each environment variable, form-encoding a value for Basic credentials
(``URLEncoder`` with its ``*`` and ``~`` adjusted to match the wire form), the JSON body as
literal text with each value read at run time escaped by a ``json`` helper, and the
``public class Main`` around it all. Each target adds its own imports, request and send.
"""

from __future__ import annotations

import json

from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.java.quoting import java_str, refuse_oversized_constant
from clientcreds.snippets.plan import EnvVar, Plan, Value, ValueSyntax

INDENT = "    "
SYNTAX = ValueSyntax(
    quote=java_str,
    read="String {variable} = System.getenv({quoted_name});",
    if_unset="if ({variable} == null || {variable}.isEmpty()) {{",
    stop=("System.err.println({message});", "System.exit(1);"),
)

_FORM_HELPER: Code = [
    "",
    "/** Form-encode one value (UTF-8, space as +), leaving only letters, digits and -._~ */",
    block(
        "static String form(String value) {",
        [
            "return URLEncoder.encode(value, StandardCharsets.UTF_8)",
            indented(['.replace("*", "%2A")', '.replace("%7E", "~");']),
        ],
        "}",
    ),
]

_JSON_HELPER: Code = [
    "",
    "/** A JSON string of a value read at run time: quotes, backslashes and controls escaped. */",
    block(
        "static String json(String value) {",
        [
            'StringBuilder out = new StringBuilder("\\"");',
            block(
                "for (char c : value.toCharArray()) {",
                [
                    block("if (c == '\"' || c == '\\\\') {", "out.append('\\\\').append(c);"),
                    block(
                        "} else if (c < 0x20) {",
                        'out.append(String.format("\\\\u%04x", (int) c));',
                    ),
                    block("} else {", "out.append(c);", "}"),
                ],
                "}",
            ),
            "return out.append('\"').toString();",
        ],
        "}",
    ),
]


def json_body(params: tuple[tuple[str, Value], ...], variable: str) -> Code:
    """``String <variable> = ...;``: the JSON object as literal text, one member a line, each
    value read from the environment escaped at run time by the ``json`` helper.

    Raises:
        RenderError: if the literal text is too long for a Java string constant: javac joins
            it into one (with a value read at run time, into one recipe in which that value
            takes a byte).
    """
    parts: list[str] = []
    constant: list[str] = []  # the text javac makes of the parts
    for index, (name, value) in enumerate(params):
        member = ("{" if index == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": "
        if isinstance(value, EnvVar):
            parts.append(f"{java_str(member)} + json({SYNTAX.variable(value.name)})")
            constant += [member, "\x01"]
        else:
            text = member + json.dumps(value, ensure_ascii=False)
            parts.append(java_str(text))
            constant.append(text)
    closing = "}" if params else "{}"
    parts.append(java_str(closing))
    refuse_oversized_constant("".join([*constant, closing]), "the JSON body's literal text")
    if len(parts) == 1:
        return f"String {variable} = {parts[0]};"
    more = [f"+ {part}" for part in parts[1:]]
    return [f"String {variable} = {parts[0]}", indented([*more[:-1], f"{more[-1]};"])]


def credentials(basic: tuple[Value, Value], combine: str) -> Code:
    """``String credentials = ...;`` from the id and secret, each form-encoded first (RFC 6749
    §2.3.1): `combine` joins the two encoded expressions, ``{id}`` and ``{secret}``."""
    client_id, secret = (f"form({SYNTAX.expr(value)})" for value in basic)
    return [
        "// RFC 6749 section 2.3.1: form-encode the id and secret before Basic auth",
        f"String credentials = {combine.format(id=client_id, secret=secret)};",
        "",
    ]


def helpers(plan: Plan, *, form: bool) -> list[Code]:
    """The static methods the snippet calls: ``form`` if `form` says so, ``json`` when a JSON
    body holds a value read from the environment."""
    chosen = []
    if form:
        chosen.append(_FORM_HELPER)
    if plan.body == "json" and any(isinstance(value, EnvVar) for _, value in plan.params):
        chosen.append(_JSON_HELPER)
    return chosen


def main_class(main: Code, static_methods: list[Code]) -> str:
    """The source of ``public class Main``: its ``main`` method, then `static_methods`."""
    members: list[Code] = [
        block("public static void main(String[] args) throws Exception {", main, "}"),
        *static_methods,
    ]
    return layout(block("public class Main {", members, "}"), INDENT)
