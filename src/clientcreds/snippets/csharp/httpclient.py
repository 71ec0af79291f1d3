"""``csharp-httpclient``: one ``Program.cs`` on ``System.Net.Http.HttpClient``.

The source compiles on Mono's ``mcs`` (verified: it is what the tests run) and on .NET 6+: a
``Program`` class with a synchronous ``static int Main()``, since ``mcs`` has neither top-level
statements nor an ``async`` entry point. The body is built in the plan's order, from a table of
name, value pairs, by a small helper: ``FormBody`` joins ``Uri.EscapeDataString`` pairs (which
keeps exactly ``A-Za-z0-9-._~``) with each ``%20`` written as ``+``, as form encoding does;
``JsonBody`` escapes each name and value when the snippet runs, so a value read from the
environment is JSON-encoded too. The body goes as UTF-8 bytes with exactly the plan's media
type (``StringContent`` would add ``; charset=utf-8``). Basic credentials are form-encoded
(RFC 6749 §2.3.1) before base64.

In env mode ``Main`` first reads each variable and, if it is unset or empty, writes the message
to stderr and returns 1 before sending anything. It prints the response body and returns 1 on
an error status; a transport error ends it with an unhandled exception (a non-zero status).
"""

from __future__ import annotations

import re

from clientcreds.exceptions import RenderError
from clientcreds.snippets.code import Code, block, indented, layout
from clientcreds.snippets.csharp.quoting import csharp_str
from clientcreds.snippets.plan import Plan, ValueSyntax
from clientcreds.snippets.target import Recipe, Target

#: ``HttpMethod`` properties that exist on Mono and every .NET (``Patch`` is .NET Core only).
_METHOD_PROPERTIES = frozenset({"GET", "POST", "PUT", "DELETE"})
#: The seven bidi controls (LRM, RLM, LRE, RLE, PDF, LRO, RLO) percent-encoded in UTF-8.
_BIDI_ESCAPE = re.compile("%E2%80%(?:8E|8F|A[A-E])", re.IGNORECASE)
#: The escapes ``System.Uri`` writes plainly once IRI parsing decodes a URL (``! ' ( ) * :``).
_IRI_UNESCAPED = re.compile("%(?:21|27|28|29|2A|3A)", re.IGNORECASE)
_ESCAPE_RUN = re.compile("(?:%[0-9A-Fa-f]{2})+")
_SYNTAX = ValueSyntax(
    quote=csharp_str,
    read="var {variable} = Environment.GetEnvironmentVariable({quoted_name});",
    if_unset="if (string.IsNullOrEmpty({variable}))",
    stop=("Console.Error.WriteLine({message});", "return 1;"),
    brace_on_own_line=True,
)


def _braced(header: str, body: Code) -> list[Code]:
    """`header`, then `body` between braces on lines of their own (C#'s usual style)."""
    return [header, block("{", body, "}")]


_FORM_VALUE: Code = [
    "",
    "// Form-encode one value: UTF-8, space as +, all but A-Z a-z 0-9 - . _ ~ percent-encoded",
    _braced(
        "static string Form(string value)",
        'return Uri.EscapeDataString(value).Replace("%20", "+");',
    ),
]

_FORM_BODY: Code = [
    "",
    "// application/x-www-form-urlencoded, in order",
    _braced(
        "static string FormBody(string[][] fields)",
        'return string.Join("&", Array.ConvertAll(fields, f => Form(f[0]) + "=" + Form(f[1])));',
    ),
]

_JSON_BODY: Code = [
    "",
    "// One JSON object, in order",
    _braced(
        "static string JsonBody(string[][] fields)",
        [
            'string members = string.Join(", ", Array.ConvertAll(',
            indented('fields, f => Json(f[0]) + ": " + Json(f[1])));'),
            'return "{" + members + "}";',
        ],
    ),
    "",
    "// A JSON string: quotes, backslashes and control characters escaped",
    _braced(
        "static string Json(string value)",
        [
            r'var json = new StringBuilder("\"");',
            _braced(
                "foreach (char c in value)",
                [
                    *_braced(r"""if (c == '"' || c == '\\')""", r"json.Append('\\').Append(c);"),
                    *_braced(
                        "else if (c < ' ')",
                        r'json.Append("\\u").Append(((int)c).ToString("x4"));',
                    ),
                    *_braced("else", "json.Append(c);"),
                ],
            ),
            r"""return json.Append('"').ToString();""",
        ],
    ),
]

_SEND_AND_PRINT: Code = [
    "",
    _braced(
        "using (var client = new HttpClient())",
        [
            "HttpResponseMessage response = client.SendAsync(request).Result;",
            "Console.WriteLine(response.Content.ReadAsStringAsync().Result);",
            "return response.IsSuccessStatusCode ? 0 : 1;",
        ],
    ),
]


def render(plan: Plan) -> str:
    """A complete ``Program.cs``: read the environment, build the request, send it, print.

    A literal bearer token is printable ASCII (`make_plan` refuses any other, and
    ``HttpClient`` would refuse to send it in a header).

    Raises:
        RenderError: for a URL ``System.Uri`` would send changed (see `uri_rewrites`).
    """
    _check_url(plan.url)
    main = [
        *(_SYNTAX.env_check(name) for name in plan.env_names),
        f"var request = new HttpRequestMessage({_method(plan.method)}, {csharp_str(plan.url)});",
        _content(plan),
        _authorization(plan),
        _SEND_AND_PRINT,
    ]
    program = [_braced("static int Main()", main), _helpers(plan)]
    return layout([*_usings(plan), "", _braced("class Program", program)], "    ")


def _check_url(url: str) -> None:
    if uri_rewrites(url):
        raise RenderError(
            "the URL holds a percent-encoded bidi control character, or a percent-encoded "
            "non-ASCII character beside an escaped ! ' ( ) * or :, and .NET's Uri would send "
            "it changed (it drops the one and unescapes the other): write those characters "
            "differently in the URL"
        )


def uri_rewrites(url: str) -> bool:
    """Whether ``System.Uri`` (IRI parsing, as on Mono 6.8) sends another path or query.

    A percent-encoded UTF-8 character above U+007F makes it decode the URL: it then drops the
    bidi controls U+200E, U+200F and U+202A to U+202E and writes ``%21 %27 %28 %29 %2A %3A`` as
    ``! ' ( ) * :``. Every other escape is sent as given (`tests/snippets/test_csharp.py`
    checks this by execution).
    """
    if "%" not in url:  # the usual case: no escape at all, so nothing to decode
        return False
    if _BIDI_ESCAPE.search(url):
        return True
    return bool(_IRI_UNESCAPED.search(url)) and any(
        _has_utf8_character(bytes.fromhex(run.group().replace("%", "")))
        for run in _ESCAPE_RUN.finditer(url)
    )


def _has_utf8_character(data: bytes) -> bool:
    """Whether `data` holds a well-formed UTF-8 sequence of a character above U+007F."""
    for start in range(len(data)):
        for length in (2, 3, 4):
            try:
                data[start : start + length].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(data[start : start + length]) == length and data[start] >= 0x80:
                return True
    return False


def _usings(plan: Plan) -> list[str]:
    """The namespaces this snippet uses."""
    namespaces = ["System", "System.Net.Http", "System.Net.Http.Headers"]
    if plan.body is not None or plan.basic:
        namespaces.append("System.Text")
    return [f"using {namespace};" for namespace in namespaces]


def _method(method: str) -> str:
    """``HttpMethod.Post``, or ``new HttpMethod("PATCH")`` where there is no property."""
    if method in _METHOD_PROPERTIES:
        return f"HttpMethod.{method.capitalize()}"
    return f"new HttpMethod({csharp_str(method)})"


def _content(plan: Plan) -> Code:
    """The table of fields and the body built from it, with exactly the plan's media type."""
    if plan.body is None:
        return []
    pairs = [
        f"new[] {{ {csharp_str(name)}, {_SYNTAX.expr(value)} }}," for name, value in plan.params
    ]
    helper = "FormBody" if plan.body == "form" else "JsonBody"
    return [
        "string[][] fields =",
        block("{", pairs, "};"),
        f"request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes({helper}(fields)));",
        "// exactly this Content-Type (StringContent would add a charset)",
        "request.Content.Headers.ContentType =",
        indented(f"new MediaTypeHeaderValue({csharp_str(plan.media_type)});"),
    ]


def _authorization(plan: Plan) -> Code:
    """The Basic credentials, form-encoded before base64, or the bearer token."""
    if plan.basic:
        client_id, secret = (_SYNTAX.expr(value) for value in plan.basic)
        return [
            "// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth",
            f'string credentials = Form({client_id}) + ":" + Form({secret});',
            "request.Headers.Authorization = new AuthenticationHeaderValue(",
            indented('"Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));'),
        ]
    if plan.bearer is not None:
        return [
            "request.Headers.Authorization = "
            f'new AuthenticationHeaderValue("Bearer", {_SYNTAX.expr(plan.bearer)});'
        ]
    return []


def _helpers(plan: Plan) -> Code:
    """The static helpers this snippet calls, after ``Main``."""
    helpers: list[Code] = []
    if plan.body == "form":
        helpers.append(_FORM_BODY)
    elif plan.body == "json":
        helpers.append(_JSON_BODY)
    if plan.body == "form" or plan.basic:
        helpers.append(_FORM_VALUE)
    return helpers


RECIPE = Recipe(
    "Program.cs",
    "mcs -r:System.Net.Http Program.cs && mono Program.exe",
    note=(
        "verified on Mono; on .NET 6+ put it in a console project (`dotnet new console`) "
        "and `dotnet run`"
    ),
)

TARGET = Target(
    "csharp-httpclient",
    "C#",
    "csharp",
    "Mono 6.8+ (mcs, System.Net.Http) or .NET 6+",
    render,
    RECIPE,
    client="HttpClient",
)
