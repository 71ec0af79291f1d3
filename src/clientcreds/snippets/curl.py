"""``curl``: one curl command for bash or any POSIX shell.

Literal values go in single quotes, where the shell expands nothing. Secrets read from the
environment use curl's own ``--variable`` (curl 8.3+) where curl must encode them as JSON or
for Basic auth, and a double-quoted ``$AUTH0_CLIENT_SECRET`` under ``--data-urlencode``. Such a
command starts with a shell check (``: "${AUTH0_CLIENT_SECRET:?…}" &&``), so an unset or empty
variable stops it with a message before curl runs.
"""

from __future__ import annotations

from clientcreds.request.wire import form_encode, form_quote
from clientcreds.snippets.plan import MISSING_ENV_REASON, EnvVar, Plan, Value, literal
from clientcreds.snippets.quoting import json_object, json_str, shell_require_env, shell_word
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """A ``curl --request POST`` command in the seed's layout, one option per line.

    In env mode, a check that each variable is set and not empty comes first, joined to the
    command by ``&&``.
    """
    options = [("--url", shell_word(plan.url))]
    options.append(("--header", shell_word(f"content-type: {plan.media_type}")))
    if plan.reads_env and (plan.body == "json" or plan.basic):
        options += [("--variable", shell_word(f"%{name}")) for name in plan.env_names]
    if plan.basic:
        options.append(_user_option(*plan.basic))
    options += _json_options(plan) if plan.body == "json" else _form_options(plan)
    lines = ["curl --request POST"] + [f"  {flag} {arg}" for flag, arg in options]
    checks = "".join(
        f"{shell_require_env(name, MISSING_ENV_REASON)} &&\n" for name in plan.env_names
    )
    return checks + " \\\n".join(lines)


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


TARGET = Target("curl", "cURL", "shell", "bash or sh with curl", render)
