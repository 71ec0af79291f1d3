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

from clientcreds.request.wire import form_quote
from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.java.common import (
    INDENT,
    SYNTAX,
    credentials,
    helpers,
    json_body,
    main_class,
)
from clientcreds.snippets.java.quoting import java_str
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.target import Recipe, Target

_IMPORTS = (
    "java.net.URI",
    "java.net.URLEncoder",
    "java.net.http.HttpClient",
    "java.net.http.HttpRequest",
    "java.net.http.HttpResponse",
    "java.nio.charset.StandardCharsets",
    "java.util.Base64",
)
#: Each import and what marks its use in the source: its class name and a dot.
_IMPORT_USES = tuple((f"import {name};", f"{name.rsplit('.', 1)[1]}.") for name in _IMPORTS)

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


def render(plan: Plan) -> str:
    """``HttpRequest`` built with its headers and body, sent by an HTTP/1.1 ``HttpClient``."""
    main: list[Code] = [SYNTAX.env_check(name) for name in plan.env_names]
    main.extend(_body(plan))
    if plan.basic:
        main.append(credentials(plan.basic, '{id} + ":" + {secret}'))
    main.extend([_request(plan), "", _SEND])
    form = plan.body == "form" or plan.basic is not None
    source = main_class(main, helpers(plan, form=form))
    imports = [line for line, use in _IMPORT_USES if use in source]
    return layout([*imports, ""], INDENT) + source


def _body(plan: Plan) -> list[Code]:
    """The statement that builds the body, if there is one."""
    if plan.body == "form":
        fields = [
            f"{java_str(form_quote(name) + '=')} + form({SYNTAX.expr(v)})"
            for name, v in plan.params
        ]
        if not fields:
            return ['String body = "";', ""]
        joined = [*(f"{field}," for field in fields[:-1]), f"{fields[-1]});"]
        return [block('String body = String.join("&",', joined), ""]
    if plan.body == "json":
        return [json_body(plan.params, "body"), ""]
    return []


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
        calls.append(f'.header("Authorization", {SYNTAX.bearer(plan.bearer)})')
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
