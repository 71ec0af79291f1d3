"""``php-guzzle``: one ``request.php`` on Guzzle 7, loaded by Composer's autoloader.

The body is Guzzle's own ``form_params`` (``http_build_query($params, '', '&')``, so the pairs
keep the array's order and ``&`` whatever php.ini says) or ``json`` (``json_encode``, which
throws rather than send text that is not UTF-8); each sets its ``Content-Type``. Basic
credentials are ``urlencode``-d (RFC 6749 §2.3.1) before Guzzle's ``auth`` joins and
base64-encodes them. ``http_errors`` is off, so an error status is an answer like any other:
the snippet prints the body and then exits with status 1. A transport error is an uncaught
exception (status 255).

In env mode each variable is read with ``getenv`` first and, if it is unset or empty, the
snippet writes the message to stderr and exits with status 1 before sending anything.
"""

from __future__ import annotations

from clientcreds.snippets.code import Code, block, layout
from clientcreds.snippets.php.quoting import PHP_VALUES, php_array, php_expr, php_str
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.target import Recipe, Target

_INDENT = "    "
#: The body's request option for each format.
_BODY_OPTIONS = {"form": "form_params", "json": "json"}

_PRINT: Code = [
    "echo $response->getBody(), PHP_EOL;",
    block("if ($response->getStatusCode() >= 400) {", "exit(1);", "}"),
]


def render(plan: Plan) -> str:
    """``$client->post(url, [options])`` (or the plan's method), then print the answer."""
    code: list[Code] = [
        "<?php",
        "",
        "require 'vendor/autoload.php';",
        "",
        "use GuzzleHttp\\Client;",
        "",
        [PHP_VALUES.env_check(name) for name in plan.env_names],
        "$client = new Client(['timeout' => 10]);",
        block(
            f"$response = $client->{plan.method.lower()}({php_str(plan.url)}, [",
            _options(plan),
            "]);",
        ),
        _PRINT,
    ]
    return layout(code, _INDENT)


def _options(plan: Plan) -> list[Code]:
    """The request options, one a line (the body's pairs one a line too)."""
    options: list[Code] = []
    if plan.body is not None:
        options.append(php_array(f"'{_BODY_OPTIONS[plan.body]}' => [", plan.params, "],"))
    if plan.basic:
        client_id, secret = (f"urlencode({php_expr(value)})" for value in plan.basic)
        options.append("// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        options.append(f"'auth' => [{client_id}, {secret}],")
    if plan.bearer is not None:
        options.append(f"'headers' => ['Authorization' => {PHP_VALUES.bearer(plan.bearer)}],")
    options.append("'http_errors' => false,")
    return options


RECIPE = Recipe(
    "request.php",
    "php request.php",
    note=(
        "Install Guzzle 7 first, in the same folder: composer require guzzlehttp/guzzle "
        "(it writes the vendor/autoload.php the snippet requires)."
    ),
)
TARGET = Target(
    "php-guzzle",
    "PHP",
    "php",
    "PHP 8.2 CLI with Guzzle 7.4",
    render,
    RECIPE,
    client="Guzzle",
)
