"""``python-requests``: a short script using the requests library."""

from __future__ import annotations

from clientcreds.snippets.plan import EnvVar, Plan, Value
from clientcreds.snippets.quoting import python_str
from clientcreds.snippets.target import Target


def render(plan: Plan) -> str:
    """``requests.post(url, data=... | json=..., auth=..., timeout=...)`` and print the JSON."""
    stdlib = ["import os"] if plan.reads_env else []
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
    call_and_print = f"response = requests.post(\n{call})\nprint(response.json())\n"
    return f"{imports}import requests\n\n{call_and_print}"


def _expr(value: Value) -> str:
    if isinstance(value, EnvVar):
        return f"os.environ[{python_str(value.name)}]"
    return python_str(value)


TARGET = Target("python-requests", "Python", "python", "python3 with requests", render)
