"""``php-curl``: one ``request.php`` on PHP's curl extension, nothing else.

The body's pairs are one array literal (PHP arrays keep insertion order), encoded when the
snippet runs: ``http_build_query($params, '', '&')`` for a form (``urlencode`` of each name and
value, space as ``+``; the separator is given because ``arg_separator.output`` may be
``&amp;``), ``json_encode`` for JSON (``JSON_THROW_ON_ERROR``: text that is not UTF-8 stops the
snippet rather than sending ``false``). Basic credentials are ``urlencode``-d (RFC 6749
§2.3.1) and joined with ``:`` in ``CURLOPT_USERPWD``, which curl sends as ``Authorization:
Basic``.

In env mode each variable is read with ``getenv`` first and, if it is unset or empty, the
snippet writes the message to stderr and exits with status 1 before curl starts. It prints the
response body, and exits with status 1 if the transfer failed (the reason on stderr) or the
status is 400 or more.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.php.quoting import PHP_VALUES, php_array, php_expr, php_str
from clientcreds.snippets.plan import EnvVar, Plan, Value
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "

_SEND_AND_PRINT: Code = [
    "$response = curl_exec($curl);",
    block(
        "if ($response === false) {",
        ["fwrite(STDERR, 'request failed: ' . curl_error($curl) . PHP_EOL);", "exit(1);"],
        "}",
    ),
    "echo $response, PHP_EOL;",
    block("if (curl_getinfo($curl, CURLINFO_RESPONSE_CODE) >= 400) {", "exit(1);", "}"),
]


def render(plan: Plan) -> str:
    """``curl_init``, ``curl_setopt_array`` with every option, ``curl_exec``, then print."""
    code: list[Code] = [
        "<?php",
        "",
        [PHP_VALUES.env_check(name) for name in plan.env_names],
        _params(plan),
        f"$curl = curl_init({php_str(plan.url)});",
        block("curl_setopt_array($curl, [", _options(plan), "]);"),
        _SEND_AND_PRINT,
    ]
    return layout(code, _INDENT)


def _params(plan: Plan) -> Code:
    """``$params = [...];`` and a blank line, for a plan with a body."""
    if plan.body is None:
        return []
    return [php_array("$params = [", plan.params, "];"), ""]


def _options(plan: Plan) -> list[Code]:
    """The ``CURLOPT_*`` entries, one a line."""
    options: list[Code] = []
    if plan.method != ("GET" if plan.body is None else "POST"):  # what curl would send
        options.append(f"CURLOPT_CUSTOMREQUEST => {php_str(plan.method)},")
    headers = []
    if plan.body is not None:
        headers.append(php_str(f"Content-Type: {plan.media_type}"))
    if plan.bearer is not None:
        headers.append(_authorization(plan.bearer))
    if headers:
        options.append(f"CURLOPT_HTTPHEADER => [{', '.join(headers)}],")
    if plan.basic:
        client_id, secret = (f"urlencode({php_expr(value)})" for value in plan.basic)
        options.append("// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        options.append(f"CURLOPT_USERPWD => {client_id} . ':' . {secret},")
    if plan.body == "form":
        options.append("// '&' explicitly: php.ini's arg_separator.output may be '&amp;'")
        options.append("CURLOPT_POSTFIELDS => http_build_query($params, '', '&'),")
    elif plan.body == "json":
        options.append("CURLOPT_POSTFIELDS => json_encode($params, JSON_THROW_ON_ERROR),")
    options += ["CURLOPT_RETURNTRANSFER => true,", "CURLOPT_TIMEOUT => 10,"]
    return options


def _authorization(token: Value) -> str:
    """The ``Authorization: Bearer`` header line as one expression."""
    if isinstance(token, EnvVar):
        return f"'Authorization: Bearer ' . {php_expr(token)}"
    return php_str(f"Authorization: Bearer {token}")


RECIPE = Recipe(
    "request.php",
    "php request.php",
    note="Needs PHP's curl extension (Debian: apt-get install php-cli php-curl).",
)
TARGET = Target(
    "php-curl",
    "PHP",
    "php",
    "PHP 8.2 CLI with the curl extension",
    render,
    RECIPE,
    client="curl",
)
