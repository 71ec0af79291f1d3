"""``go-native``: one ``main.go`` using ``net/http`` and nothing outside the standard library.

The body is built in the snippet, in the plan's order, by a small helper: ``form`` joins
``url.QueryEscape`` pairs (``url.Values.Encode`` would sort them by name) and ``jsonObject``
writes each name and value with ``json.Marshal`` (encoding a map would sort them too), so a
value read from the environment is JSON-encoded when the snippet runs. ``url.QueryEscape``
keeps exactly ``A-Za-z0-9-._~`` and writes a space as ``+``, as form encoding does; it also
form-encodes the Basic credentials (RFC 6749 §2.3.1) before ``SetBasicAuth``.

In env mode the snippet reads each variable with ``os.Getenv`` first and, if it is unset or
empty, writes the message to stderr and exits with status 1 before sending anything. A
transport error ends it with ``log.Fatal`` (status 1); otherwise it prints the response body,
which it closes, and exits with status 1 on an HTTP error status (400 or more), which
``net/http`` does not treat as an error.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.go.quoting import go_str
from clientcreds.snippets.plan import Plan, ValueSyntax
from clientcreds.snippets.target import Recipe, Target

_METHOD_CONSTANTS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_FATAL_ON_ERROR = block("if err != nil {", "log.Fatal(err)", "}")
_SYNTAX = ValueSyntax(
    quote=go_str,
    read="{variable} := os.Getenv({quoted_name})",
    if_unset='if {variable} == "" {{',
    stop=("fmt.Fprintln(os.Stderr, {message})", "os.Exit(1)"),
    env_bearer='"Bearer "+{variable}',
)

_FORM_HELPER: Code = [
    "",
    "// form encodes name, value pairs as application/x-www-form-urlencoded, in order",
    "// (url.Values.Encode would sort them by name).",
    block(
        "func form(pairs ...string) string {",
        [
            "encoded := make([]string, 0, len(pairs)/2)",
            block(
                "for i := 0; i < len(pairs); i += 2 {",
                [
                    "name, value := url.QueryEscape(pairs[i]), url.QueryEscape(pairs[i+1])",
                    'encoded = append(encoded, name+"="+value)',
                ],
                "}",
            ),
            'return strings.Join(encoded, "&")',
        ],
        "}",
    ),
]

_JSON_HELPER: Code = [
    "",
    "// jsonObject encodes name, value pairs as one JSON object, in order",
    "// (encoding a map would sort them by name).",
    block(
        "func jsonObject(pairs ...string) string {",
        [
            "members := make([]string, 0, len(pairs)/2)",
            block(
                "for i := 0; i < len(pairs); i += 2 {",
                [
                    "name, _ := json.Marshal(pairs[i])",
                    "value, _ := json.Marshal(pairs[i+1])",
                    'members = append(members, string(name)+":"+string(value))',
                ],
                "}",
            ),
            'return "{" + strings.Join(members, ",") + "}"',
        ],
        "}",
    ),
]

#: The helper after ``main`` for each kind of body: it never changes, so it is laid out once.
_HELPER_SOURCE = {"form": layout(_FORM_HELPER, "\t"), "json": layout(_JSON_HELPER, "\t"), None: ""}

_SEND_AND_PRINT: Code = [
    "res, err := http.DefaultClient.Do(req)",
    _FATAL_ON_ERROR,
    "defer res.Body.Close()",
    "answer, err := io.ReadAll(res.Body)",
    _FATAL_ON_ERROR,
    "fmt.Println(string(answer))",
    block("if res.StatusCode >= 400 {", "os.Exit(1)", "}"),
]


def render(plan: Plan) -> str:
    """A complete ``main.go``: read the environment, build the request, send it, print."""
    main = [
        *(_SYNTAX.env_check(name) for name in plan.env_names),
        _body(plan),
        _new_request(plan),
        _headers(plan),
        _SEND_AND_PRINT,
    ]
    code = ["package main", "", _imports(plan), "", block("func main() {", main, "}")]
    return layout(code, "\t") + _HELPER_SOURCE[plan.body]


def _imports(plan: Plan) -> Code:
    """The import block: exactly the packages this snippet uses (Go refuses unused ones)."""
    packages = {"fmt", "io", "log", "net/http", "os"}
    if plan.body is not None:
        packages.add("strings")
    if plan.body == "form" or plan.basic:
        packages.add("net/url")
    if plan.body == "json":
        packages.add("encoding/json")
    return block("import (", [f'"{package}"' for package in sorted(packages)], ")")


def _body(plan: Plan) -> Code:
    """``body := form(...)`` or ``jsonObject(...)``, one name, value pair a line."""
    if plan.body is None:
        return []
    helper = "form" if plan.body == "form" else "jsonObject"
    pairs = [f"{go_str(name)}, {_SYNTAX.expr(value)}," for name, value in plan.params]
    return block(f"body := {helper}(", pairs, ")")


def _new_request(plan: Plan) -> Code:
    """``req, err := http.NewRequest(...)`` and its error check."""
    body = "nil" if plan.body is None else "strings.NewReader(body)"
    method = f"http.Method{plan.method.capitalize()}"
    if plan.method not in _METHOD_CONSTANTS:
        method = go_str(plan.method)
    return [f"req, err := http.NewRequest({method}, {go_str(plan.url)}, {body})", _FATAL_ON_ERROR]


def _headers(plan: Plan) -> Code:
    """The ``Content-Type``, and the Basic credentials or the bearer token."""
    code: list[Code] = []
    if plan.body is not None:
        code.append(f'req.Header.Set("Content-Type", {go_str(plan.media_type)})')
    if plan.basic:
        client_id, secret = (f"url.QueryEscape({_SYNTAX.expr(value)})" for value in plan.basic)
        code.append("// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        code.append(f"req.SetBasicAuth({client_id}, {secret})")
    if plan.bearer is not None:
        code.append(f'req.Header.Set("Authorization", {_SYNTAX.bearer(plan.bearer)})')
    return code


TARGET = Target(
    "go-native",
    "Go",
    "go",
    "go 1.21+ (net/http, standard library only)",
    render,
    Recipe("main.go", "go run main.go"),
    client="net/http",
)
