"""``rust-reqwest``: one ``main.rs`` using reqwest's blocking client, beside its ``Cargo.toml``.

The body's pairs are one array of ``(&str, &str)`` in the plan's order: ``.form(&params)``
form-encodes them when the snippet runs (so a value read from the environment is encoded too),
and ``.json(&HashMap::from(params))`` writes them as one JSON object. For
``client_secret_basic``, a small ``form_encode`` function after ``main`` form-encodes the id and
secret first, as RFC 6749 §2.3.1 asks (reqwest's ``basic_auth`` only base64-encodes them), and
the bearer token goes through ``bearer_auth``. The client is built with
``.retry(reqwest::retry::never())``, so a snippet sends exactly one request: by default reqwest
0.13 resends one an HTTP/2 server refused (GOAWAY, REFUSED_STREAM), which the recipe's features
leave out but a project's own ``Cargo.toml`` (reqwest's default features) may bring in.

In env mode the snippet reads each variable with ``env::var`` first; if it is unset, empty or
not Unicode, it writes the message to stderr and exits with status 1 before sending anything. A
transport error ends ``main`` with its ``Err`` (status 1); otherwise the snippet prints the
response body and exits with status 1 if the status is not a success.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.plan import EnvVar, Plan, Value, ValueSyntax
from clientcreds.snippets.rust.quoting import rust_str
from clientcreds.snippets.target import Recipe, Target

INDENT = "    "
#: reqwest's own method for each, e.g. ``.post(url)``; any other is ``.request(method, url)``.
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
#: rustfmt writes a call's arguments one a line beyond this width.
_FN_CALL_WIDTH = 60
_SYNTAX = ValueSyntax(
    quote=rust_str,
    read="let {variable} = env::var({quoted_name}).unwrap_or_default();",
    if_unset="if {variable}.is_empty() {{",
    # the message is fixed text without braces, so it is its own format string
    stop=("eprintln!({message});", "process::exit(1);"),
    camel_case=False,
)

_FORM_ENCODE: Code = [
    "",
    "/// Form-encodes `text` (application/x-www-form-urlencoded, a space as `+`): RFC 6749",
    "/// §2.3.1 asks this of the client id and secret before they are sent with Basic auth.",
    block(
        "fn form_encode(text: &str) -> String {",
        [
            "text.bytes()",
            indented(
                [
                    block(
                        ".map(|byte| match byte {",
                        [
                            block(
                                "b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' "
                                "| b'~' => {",
                                "char::from(byte).to_string()",
                                "}",
                            ),
                            "b' ' => \"+\".to_string(),",
                            '_ => format!("%{byte:02X}"),',
                        ],
                        "})",
                    ),
                    ".collect()",
                ]
            ),
        ],
        "}",
    ),
]
#: The helper after ``main``, for Basic credentials: it never changes, so it is laid out once.
_FORM_ENCODE_SOURCE = layout(_FORM_ENCODE, INDENT)

#: The client's builder calls: no automatic retry of "protocol NACKs" (see above), one request.
_ONE_ATTEMPT_CLIENT: tuple[str, ...] = (".retry(reqwest::retry::never())", ".build()?")

_PRINT_AND_EXIT: Code = [
    "let status = response.status();",
    'println!("{}", response.text()?);',
    block("if !status.is_success() {", "process::exit(1);", "}"),
    "Ok(())",
]


def render(plan: Plan) -> str:
    """A complete ``main.rs``: read the environment, send the request, print the answer."""
    main = [
        *(_SYNTAX.env_check(name) for name in plan.env_names),
        _params(plan),
        _send(plan),
        _PRINT_AND_EXIT,
    ]
    code = [
        _uses(plan),
        "",
        block("fn main() -> Result<(), Box<dyn std::error::Error>> {", main, "}"),
    ]
    return layout(code, INDENT) + (_FORM_ENCODE_SOURCE if plan.basic else "")


def _uses(plan: Plan) -> Code:
    """The ``use`` lines, sorted: only what this snippet names."""
    paths = ["std::process"]
    if plan.body == "json":
        paths.append("std::collections::HashMap")
    if plan.reads_env:
        paths.append("std::env")
    return [f"use {path};" for path in sorted(paths)]


def _value(value: Value) -> str:
    """A ``&str``: a literal, or the variable read from the environment."""
    if isinstance(value, EnvVar):
        return f"{_SYNTAX.variable(value.name)}.as_str()"
    return rust_str(value)


def _params(plan: Plan) -> Code:
    """``let params = [...];``: the body's pairs in order, one a line, then a blank line."""
    if plan.body is None:
        return []
    pairs = [f"({rust_str(name)}, {_value(value)})," for name, value in plan.params]
    return [block("let params = [", pairs, "];"), ""]


def _send(plan: Plan) -> Code:
    """``let response = reqwest::blocking::Client::builder()`` and its chain up to
    ``.send()?``."""
    url = rust_str(plan.url)
    method = f".{plan.method.lower()}({url})"
    if plan.method not in _METHODS:
        method = f".request({rust_str(plan.method)}.parse()?, {url})"
    chain: list[Code] = [*_ONE_ATTEMPT_CLIENT, method]
    if plan.basic:
        chain.append("// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        chain.append(_basic_auth(*plan.basic))
    if plan.bearer is not None:
        chain.append(f".bearer_auth({_SYNTAX.expr(plan.bearer)})")
    if plan.body == "form":
        chain.append(".form(&params)")
    elif plan.body == "json":
        chain.append(".json(&HashMap::from(params))")
    chain.append(".send()?;")
    return ["let response = reqwest::blocking::Client::builder()", indented(chain)]


def _basic_auth(client_id: Value, secret: Value) -> Code:
    """``.basic_auth(form_encode(id), Some(form_encode(secret)))``, its arguments one a line
    when they are longer than rustfmt's ``fn_call_width`` (60) allows on one."""
    arguments = [
        f"form_encode({_credential(client_id)})",
        f"Some(form_encode({_credential(secret)}))",
    ]
    if len(", ".join(arguments)) <= _FN_CALL_WIDTH:
        return f".basic_auth({', '.join(arguments)})"
    return block(".basic_auth(", [f"{argument}," for argument in arguments], ")")


def _credential(value: Value) -> str:
    """A Basic credential as ``form_encode`` takes it: a literal, or ``&variable``."""
    if isinstance(value, EnvVar):
        return "&" + _SYNTAX.variable(value.name)
    return rust_str(value)


#: The reqwest line of ``Cargo.toml``: blocking client, form and JSON bodies, OpenSSL for TLS.
REQWEST_DEPENDENCY = (
    'reqwest = { version = "0.13", default-features = false, '
    'features = ["blocking", "form", "json", "native-tls"] }'
)
CARGO_TOML = f"""\
[package]
name = "request"
version = "0.1.0"
edition = "2024"

[[bin]]
name = "request"
path = "main.rs"

[dependencies]
{REQWEST_DEPENDENCY}
"""
RECIPE = Recipe(
    "main.rs",
    "cargo run -q",
    files=(("Cargo.toml", CARGO_TOML),),
    note=(
        "Rust 1.88 or newer; native-tls builds against OpenSSL (apt-get install libssl-dev "
        "pkg-config). In a cargo new project, paste it into src/main.rs and add the reqwest "
        "line to Cargo.toml instead."
    ),
)
TARGET = Target(
    "rust-reqwest",
    "Rust",
    "rust",
    "Rust 1.95 with reqwest 0.13 (blocking, native-tls)",
    render,
    RECIPE,
    client="reqwest",
)
