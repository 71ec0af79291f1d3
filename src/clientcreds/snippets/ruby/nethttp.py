"""``ruby-nethttp``: one ``request.rb`` using ``net/http`` and nothing outside the standard library.

The body is a hash (Ruby keeps a hash's order), encoded when the snippet runs by
``URI.encode_www_form`` or ``to_json``, so a value read from the environment is encoded
like a literal. ``URI.encode_www_form_component`` keeps ``*`` and writes ``~`` as ``%7E``, unlike
the wire form, which decodes to the same text. ``basic_auth`` sends its arguments as they are,
so the snippet form-encodes the id and secret first (RFC 6749 §2.3.1).

The request is built from ``uri.request_uri``, not from ``uri``: from a URI, net/http writes the
``Host`` header from ``uri.hostname``, which has no brackets (``Host: ::1:8080``, ruby/net-http
issue 73); from a path, it writes the host it connects to, bracketing an IPv6 address. It
connects to ``uri.hostname`` (``uri.host`` keeps the brackets, which ``getaddrinfo`` refuses)
within a ``Net::HTTP.start`` block, which closes the connection after the one request.

``Net::HTTP::Post`` (``Put``, ``Patch``) sends an empty body when given none, with a
``Content-Type`` of ``application/x-www-form-urlencoded`` (ruby/net-http issue 31), so an API
call with one of those methods is built as ``Net::HTTPGenericRequest.new(method, false, true,
path)``, as ``Net::HTTP#send_request`` does it: no body, no ``Content-Type``, and the
``Content-Length: 0`` RFC 9110 §8.6 asks of a client.

In env mode each variable is read with ``ENV.fetch(name, "")`` and, if it is empty (or unset),
``abort`` writes the message to stderr and exits with status 1 before anything is sent. The
snippet prints the response body and exits with status 1 unless the status is 2xx.
"""

from __future__ import annotations

import re

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.plan import Plan, ValueSyntax
from clientcreds.snippets.ruby.quoting import ruby_str
from clientcreds.snippets.target import Recipe, Target

_INDENT = "  "
#: Methods whose net/http class sends a body, and an empty form when given none.
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: A name Ruby writes as a bare symbol key (``grant_type:``); any other is quoted (``"a-b":``).
_BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The check is one guard clause (``abort … if x.empty?``): what RuboCop asks for a short body.
_SYNTAX = ValueSyntax(
    quote=ruby_str,
    read='{variable} = ENV.fetch({quoted_name}, "")',
    if_unset="abort {message} if {variable}.empty?",
    stop=(),
    end=None,
    camel_case=False,
    env_bearer='"Bearer #{{{variable}}}"',
)
_SEND_AND_PRINT: Code = [
    block(
        'response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == "https") do '
        "|http|",
        "http.request(request)",
        "end",
    ),
    "puts response.body",
    "exit 1 unless response.is_a?(Net::HTTPSuccess)",
]


def render(plan: Plan) -> str:
    """A complete ``request.rb``: read the environment, build the request, send it, print."""
    requires = ['require "net/http"']
    if plan.body == "json":
        requires.append('require "json"')
    code: list[Code] = [
        *requires,
        "",
        [_SYNTAX.env_check(name) for name in plan.env_names],
        f"uri = URI({ruby_str(plan.url)})",
        _new_request(plan),
        _headers(plan),
        _body(plan),
        "",
        _SEND_AND_PRINT,
    ]
    return layout(code, _INDENT)


def _new_request(plan: Plan) -> Code:
    """``request = Net::HTTP::Post.new(uri.request_uri)``, or for a method that may have a body
    but has none, a request that sends none (``Content-Length: 0``, no ``Content-Type``)."""
    if plan.body is None and plan.method in _BODY_METHODS:
        return [
            "# from the path, not uri, so that Host keeps the brackets of an IPv6 host; and",
            f"# with no body, where Net::HTTP::{plan.method.capitalize()} would send an empty form",
            f"request = Net::HTTPGenericRequest.new({ruby_str(plan.method)}, false, true, "
            "uri.request_uri)",
            "request.content_length = 0",
        ]
    return [
        "# from the path, not uri, so that Host keeps the brackets of an IPv6 host",
        f"request = Net::HTTP::{plan.method.capitalize()}.new(uri.request_uri)",
    ]


def _headers(plan: Plan) -> Code:
    """The ``Content-Type``, and the Basic credentials or the bearer token."""
    code: list[Code] = []
    if plan.body is not None:
        code.append(f"request.content_type = {ruby_str(plan.media_type)}")
    if plan.basic:
        client_id, secret = (
            f"URI.encode_www_form_component({_SYNTAX.expr(value)})" for value in plan.basic
        )
        code.append("# RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        code.append(block("request.basic_auth(", [f"{client_id},", secret], ")"))
    if plan.bearer is not None:
        code.append(f'request["Authorization"] = {_SYNTAX.bearer(plan.bearer)}')
    return code


def _body(plan: Plan) -> Code:
    """``request.body =`` the params as one hash (symbol keys), form- or JSON-encoded when the
    snippet runs."""
    if plan.body is None:
        return []
    pairs = [f"{_key(name)} {_SYNTAX.expr(value)}" for name, value in plan.params]
    fields = [f"{pair}," for pair in pairs[:-1]] + pairs[-1:]  # no trailing comma, as RuboCop
    if plan.body == "form":
        return block("request.body = URI.encode_www_form(", fields, ")")
    return block("request.body = {", fields, "}.to_json")


def _key(name: str) -> str:
    """A hash key for `name`: ``grant_type:``, or ``"a-b":`` when it is not an identifier."""
    return f"{name}:" if _BARE_KEY.fullmatch(name) else f"{ruby_str(name)}:"


RECIPE = Recipe("request.rb", "ruby request.rb")
TARGET = Target(
    "ruby-nethttp",
    "Ruby",
    "ruby",
    "ruby 3.1+ (net/http, standard library only)",
    render,
    RECIPE,
    client="net/http",
)
