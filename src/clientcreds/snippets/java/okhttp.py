"""``java-okhttp``: one ``Main.java`` on OkHttp 4, run by JDK 17 with the jars in ``lib/``.

Run it with ``java -cp 'lib/*' Main.java`` (JDK 11+ runs a single source file without a build).
A form body is OkHttp's ``FormBody``, which keeps the fields in order and percent-encodes all
but letters, digits, ``-._*`` (a space as ``%20``): other bytes than the wire form's, the same
values once decoded. A JSON body is literal text sent as its UTF-8 bytes, so the
``Content-Type`` is exactly ``application/json`` (a ``String`` body would add
``; charset=utf-8``). OkHttp's ``Credentials.basic`` does not form-encode the id and secret, so
the snippet does it first (RFC 6749 §2.3.1). In env mode each variable is checked before
anything is sent, as in ``java-httpclient`` (`clientcreds.snippets.java.common`). A synchronous
``execute()`` starts no thread that keeps the JVM alive (OkHttp's pool threads are daemons), so
the snippet ends once it has printed the body; it exits non-zero on an error status. Over
``http://`` OkHttp speaks HTTP/1.1 without an upgrade. The source is ASCII (`java_str`).
"""

from __future__ import annotations

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

_SEND: Code = [
    "OkHttpClient client = new OkHttpClient();",
    block(
        "try (Response response = client.newCall(request).execute()) {",
        [
            "System.out.println(response.body().string());",
            block("if (response.code() >= 400) {", "System.exit(1);", "}"),
        ],
        "}",
    ),
]


def render(plan: Plan) -> str:
    """A ``Request`` with its headers and body, executed by a new ``OkHttpClient``."""
    main: list[Code] = [SYNTAX.env_check(name) for name in plan.env_names]
    main.extend(_body(plan))
    if plan.basic:
        main.append(credentials(plan.basic, "Credentials.basic({id}, {secret})"))
    main.extend([_request(plan), "", _SEND])
    source = main_class(main, helpers(plan, form=plan.basic is not None))
    imports = [f"import {name};" for name in _imports(plan)]
    return layout([*imports, ""], INDENT) + source


def _imports(plan: Plan) -> list[str]:
    """What the snippet uses, worked out from the plan, in ASCII order (``java.*`` first)."""
    names = ["okhttp3.OkHttpClient", "okhttp3.Request", "okhttp3.Response"]
    if plan.basic:
        names += ["java.net.URLEncoder", "java.nio.charset.StandardCharsets", "okhttp3.Credentials"]
    if plan.body == "form":
        names.append("okhttp3.FormBody")
    if plan.body == "json":
        names += ["java.nio.charset.StandardCharsets", "okhttp3.MediaType"]
    if plan.body is not None or _needs_empty_body(plan):
        names.append("okhttp3.RequestBody")
    return sorted(set(names))


def _body(plan: Plan) -> list[Code]:
    """The statements that build the ``RequestBody``, if there is one."""
    if plan.body == "form":
        fields = [f".add({java_str(name)}, {SYNTAX.expr(value)})" for name, value in plan.params]
        return ["RequestBody body = new FormBody.Builder()", indented([*fields, ".build();"]), ""]
    if plan.body == "json":
        media_type = f"MediaType.get({java_str(plan.media_type)})"
        return [
            json_body(plan.params, "payload"),
            "RequestBody body = RequestBody.create(",
            indented(f"payload.getBytes(StandardCharsets.UTF_8), {media_type});"),
            "",
        ]
    return []


def _request(plan: Plan) -> Code:
    calls = [f".url({java_str(plan.url)})"]
    if plan.basic:
        calls.append('.header("Authorization", credentials)')
    if plan.bearer is not None:
        calls.append(f'.header("Authorization", {SYNTAX.bearer(plan.bearer)})')
    calls.extend([_method(plan), ".build();"])
    return ["Request request = new Request.Builder()", indented(calls)]


def _needs_empty_body(plan: Plan) -> bool:
    """Whether OkHttp needs a body the request does not have: it refuses POST, PUT and PATCH
    without one."""
    return plan.body is None and plan.method in ("POST", "PUT", "PATCH")


def _method(plan: Plan) -> str:
    """The builder call that sets the method and the body."""
    if plan.body is None and plan.method in ("GET", "DELETE"):
        return f".{plan.method.lower()}()"
    body = "RequestBody.create(new byte[0])" if _needs_empty_body(plan) else "body"
    if plan.method in ("POST", "PUT", "PATCH", "DELETE"):
        return f".{plan.method.lower()}({body})"
    return f".method({java_str(plan.method)}, {body})"


RECIPE = Recipe(
    "Main.java",
    "java -cp 'lib/*' Main.java",
    note=(
        "JDK 17 or newer, with okhttp-4.12.0.jar, okio-jvm-3.6.0.jar and kotlin-stdlib-1.8.21.jar "
        "from Maven Central in lib/ (or depend on com.squareup.okhttp3:okhttp:4.12.0 in "
        "Maven or Gradle)."
    ),
)
TARGET = Target(
    "java-okhttp",
    "Java",
    "java",
    "OkHttp 4.12 on JDK 17+",
    render,
    RECIPE,
    client="OkHttp",
)
