"""``java-httpclient``: one ``Main.java`` on JDK 17's ``java.net.http.HttpClient``.

Run it with ``java Main.java`` (JDK 11+ runs a single source file without a build). The form
body is built in order with ``URLEncoder`` (its ``*`` and ``~`` adjusted to match the wire
form); a JSON body is literal text, with each value read from the environment escaped when the
snippet runs. In env mode each variable is checked first: unset or empty, the snippet writes
the message to stderr and ends with ``System.exit(1)`` before sending. The client is pinned to
HTTP/1.1; the snippet prints the response body and exits non-zero on an error status. The
source is ASCII (`java_str` escapes the rest), so it compiles whatever the platform encoding.
"""

from __future__ import annotations

import json

from clientcreds.request.wire import form_quote
from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.java.quoting import java_str
from clientcreds.snippets.plan import EnvVar, Plan, Value, ValueSyntax
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "
_SYNTAX = ValueSyntax(
    quote=java_str,
    read="String {variable} = System.getenv({quoted_name});",
    if_unset="if ({variable} == null || {variable}.isEmpty()) {{",
    stop=("System.err.println({message});", "System.exit(1);"),
)
_IMPORTS = (
    "java.net.URI",
    "java.net.URLEncoder",
    "java.net.http.HttpClient",
    "java.net.http.HttpRequest",
    "java.net.http.HttpResponse",
    "java.nio.charset.StandardCharsets",
    "java.util.Base64",
)

_SEND: Code = [
    "HttpResponse<String> response = HttpClient.newBuilder()",
    indented(
        [
            ".version(HttpClient.Version.HTTP_1_1)",
            ".build()",
            ".send(request, HttpResponse.BodyHandlers.ofString());",
        ]
    ),
    "System.out.println(response.body());",
    block("if (response.statusCode() >= 400) {", "System.exit(1);", "}"),
]

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


def render(plan: Plan) -> str:
    """``HttpRequest`` built with its headers and body, sent by an HTTP/1.1 ``HttpClient``."""
    main: list[Code] = [_SYNTAX.env_check(name) for name in plan.env_names]
    main.extend(_body(plan))
    if plan.basic:
        main.append(_credentials(plan.basic))
    main.extend([_request(plan), "", _SEND])
    members: list[Code] = [
        block("public static void main(String[] args) throws Exception {", main, "}"),
        *_helpers(plan),
    ]
    source = layout(block("public class Main {", members, "}"), _INDENT)
    imports = [f"import {name};" for name in _IMPORTS if f"{name.rsplit('.', 1)[1]}." in source]
    return layout([*imports, ""], _INDENT) + source


def _body(plan: Plan) -> list[Code]:
    """The statement that builds the body, if there is one."""
    if plan.body == "form":
        fields = [
            f"{java_str(form_quote(name) + '=')} + form({_SYNTAX.expr(v)})"
            for name, v in plan.params
        ]
        if not fields:
            return ['String body = "";', ""]
        joined = [*(f"{field}," for field in fields[:-1]), f"{fields[-1]});"]
        return [block('String body = String.join("&",', joined), ""]
    if plan.body == "json":
        return [_json_body(plan.params), ""]
    return []


def _json_body(params: tuple[tuple[str, Value], ...]) -> Code:
    """The JSON object as literal text, one member a line, env values escaped at run time."""
    parts = []
    for index, (name, value) in enumerate(params):
        member = ("{" if index == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": "
        if isinstance(value, EnvVar):
            parts.append(f"{java_str(member)} + json({_SYNTAX.variable(value.name)})")
        else:
            parts.append(java_str(member + json.dumps(value, ensure_ascii=False)))
    parts.append(java_str("}" if params else "{}"))
    if len(parts) == 1:
        return f"String body = {parts[0]};"
    more = [f"+ {part}" for part in parts[1:]]
    return [f"String body = {parts[0]}", indented([*more[:-1], f"{more[-1]};"])]


def _credentials(basic: tuple[Value, Value]) -> Code:
    client_id, secret = (_SYNTAX.expr(value) for value in basic)
    return [
        "// RFC 6749 section 2.3.1: form-encode the id and secret before Basic auth",
        f'String credentials = form({client_id}) + ":" + form({secret});',
        "",
    ]


def _request(plan: Plan) -> Code:
    calls = []
    if plan.body is not None:
        calls.append(f'.header("Content-Type", {java_str(plan.media_type)})')
    if plan.basic:
        calls.append(
            '.header("Authorization", "Basic " + Base64.getEncoder()'
            ".encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))"
        )
    if plan.bearer is not None:
        calls.append(f'.header("Authorization", {_SYNTAX.bearer(plan.bearer)})')
    calls.extend([_method(plan), ".build();"])
    return [
        f"HttpRequest request = HttpRequest.newBuilder(URI.create({java_str(plan.url)}))",
        indented(calls),
    ]


def _method(plan: Plan) -> str:
    """The builder call that sets the method and the body."""
    if plan.body is None and plan.method in ("GET", "DELETE"):
        return f".{plan.method}()"
    publisher = (
        "HttpRequest.BodyPublishers.noBody()"
        if plan.body is None
        else "HttpRequest.BodyPublishers.ofString(body)"
    )
    if plan.method in ("POST", "PUT"):
        return f".{plan.method}({publisher})"
    return f".method({java_str(plan.method)}, {publisher})"


def _helpers(plan: Plan) -> list[Code]:
    """The static methods the snippet calls: ``form`` and ``json``."""
    helpers = []
    if plan.body == "form" or plan.basic is not None:
        helpers.append(_FORM_HELPER)
    if plan.body == "json" and any(isinstance(value, EnvVar) for _, value in plan.params):
        helpers.append(_JSON_HELPER)
    return helpers


RECIPE = Recipe("Main.java", "java Main.java", note="JDK 17 or newer (java.net.http).")
TARGET = Target(
    "java-httpclient",
    "Java",
    "java",
    "JDK 17+ (java.net.http)",
    render,
    RECIPE,
    client="HttpClient",
)
