"""``curl``: one curl command for bash or any POSIX shell.

curl does not fail on an HTTP error status by itself: ``--fail-with-body`` (curl 7.76+) still
prints the answer's body, then exits 22 on a status of 400 or more.

Literal values go in single quotes, where the shell expands nothing. Values read from the
environment use curl's own ``--variable`` (curl 8.3+) where curl must encode them as JSON or
for Basic auth, and a double-quoted ``$NAME`` under ``--data-urlencode`` or ``--header``. Such a
command starts with a shell check (``: "${AUTH0_CLIENT_SECRET:?…}" &&``), so an unset or empty
variable stops it with a message before curl runs.
"""

from __future__ import annotations

from clientcreds.request.wire import form_encode, form_quote
from clientcreds.snippets.escapes import json_object, json_str
from clientcreds.snippets.plan import EnvVar, Plan, Value, literal
from clientcreds.snippets.shell.common import env_checks
from clientcreds.snippets.shell.quoting import shell_word
from clientcreds.snippets.target import Recipe, Target


def render(plan: Plan) -> str:
    """A ``curl --request METHOD`` command in the seed's layout, one option per line, the first
    ``--fail-with-body``.

    In env mode, a check that each variable is set and not empty comes first, joined to the
    command by ``&&``.
    """
    options = [("--url", shell_word(plan.url))]
    if plan.bearer is not None:
        options.append(("--header", _bearer_word(plan.bearer)))
    if plan.body is not None:
        options.append(("--header", shell_word(f"content-type: {plan.media_type}")))
    if plan.reads_env and (plan.body == "json" or plan.basic):
        options += [("--variable", shell_word(f"%{name}")) for name in plan.env_names]
    if plan.basic:
        options.append(_user_option(*plan.basic))
    if plan.body is not None:
        options += _json_options(plan) if plan.body == "json" else _form_options(plan)
    lines = [f"curl --request {plan.method}", "  --fail-with-body"]
    lines += [f"  {flag} {arg}" for flag, arg in options]
    checks = "".join(f"{check}\n" for check in env_checks(plan))
    return checks + " \\\n".join(lines)


def _bearer_word(token: Value) -> str:
    """The ``Authorization`` header as one shell word: the variable expands, nothing else."""
    if isinstance(token, EnvVar):
        return f'"authorization: Bearer ${token.name}"'
    return shell_word(f"authorization: Bearer {token}")


def _user_option(client_id: Value, secret: Value) -> tuple[str, str]:
    encoded_id = form_quote(literal(client_id))
    if isinstance(secret, EnvVar):
        return "--expand-user", shell_word(f"{encoded_id}:{{{{{secret.name}:url}}}}")
    return "--user", shell_word(f"{encoded_id}:{form_quote(secret)}")


def _form_options(plan: Plan) -> list[tuple[str, str]]:
    """Runs of literal pairs as one pre-encoded ``--data``; env values via ``--data-urlencode``."""
    options: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    for name, value in plan.params:
        if isinstance(value, EnvVar):
            if run:
                options.append(("--data", shell_word(form_encode(run).decode())))
                run = []
            options.append(("--data-urlencode", f'"{name}=${value.name}"'))
        else:
            run.append((name, value))
    if run:
        options.append(("--data", shell_word(form_encode(run).decode())))
    return options


def _json_options(plan: Plan) -> list[tuple[str, str]]:
    if not any(isinstance(value, EnvVar) for _, value in plan.params):
        pairs = [(name, literal(value)) for name, value in plan.params]
        return [("--data", shell_word(json_object(pairs)))]
    members = []
    for name, value in plan.params:
        key = json_str(name, escape_braces=True)
        if isinstance(value, EnvVar):
            members.append(f'{key}: "{{{{{value.name}:json}}}}"')
        else:
            members.append(f"{key}: {json_str(value, escape_braces=True)}")
    return [("--expand-data", shell_word("{" + ", ".join(members) + "}"))]


RECIPE = Recipe(
    "request.sh",
    "sh request.sh",
    note=(
        "Or paste it into bash, sh or zsh with curl 7.76+; in env mode, JSON or Basic auth"
        " need curl 8.3+."
    ),
)
TARGET = Target("curl", "Shell", "shell", "bash or sh with curl", render, RECIPE, client="cURL")
