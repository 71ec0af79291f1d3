"""``python-requests``: a short script using the requests library.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
"""

from __future__ import annotations

from clientcreds.snippets.plan import EnvVar, Plan, Value, missing_env_message
from clientcreds.snippets.quoting import python_str
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """``requests.post(url, data=... | json=..., auth=..., timeout=...)`` and print the JSON."""
    stdlib = ["import os", "import sys"] if plan.reads_env else []
    args = [python_str(plan.url)]
    if plan.basic:
        stdlib.append("from urllib.parse import quote_plus")
        client_id, secret = (f"quote_plus({_expr(value)})" for value in plan.basic)
        args.append("# RFC 6749 §2.3.1: form-encode the id and secret before Basic auth")
        args.append(f"auth=({client_id}, {secret})")
    fields = "".join(
        f"        {python_str(name)}: {_expr(value)},\n" for name, value in plan.params
    )
    keyword = "data" if plan.body == "form" else "json"
    args.append(f"{keyword}={{\n{fields}    }}")
    args.append("timeout=10")
    call = "".join(f"    {arg}\n" if arg.startswith("#") else f"    {arg},\n" for arg in args)
    imports = "\n".join(stdlib) + "\n\n" if stdlib else ""
    checks = "".join(_env_check(name) for name in plan.env_names)
    call_and_print = f"response = requests.post(\n{call})\nprint(response.json())\n"
    return f"{imports}import requests\n\n{checks}{call_and_print}"


def _env_check(name: str) -> str:
    """Read `name` into a variable, or exit with the message if it is unset or empty."""
    return (
        f"{_variable(name)} = os.environ.get({python_str(name)})\n"
        f"if not {_variable(name)}:\n"
        f"    sys.exit({python_str(missing_env_message(name))})\n\n"
    )


def _variable(name: str) -> str:
    """The script's variable for an environment variable: ``AUTH0_CLIENT_SECRET`` is
    ``client_secret``."""
    return name.lower().removeprefix("auth0_")


def _expr(value: Value) -> str:
    if isinstance(value, EnvVar):
        return _variable(value.name)
    return python_str(value)


TARGET = Target("python-requests", "Python", "python", "python3 with requests", render)
