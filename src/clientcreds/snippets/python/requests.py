"""``python-requests``: a short script using the requests library.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
A token request prints the JSON answer; an API call prints the answer's text. The call itself
is written as httpx's is (`common.library_call`): the two libraries share that interface.
"""

from __future__ import annotations

from clientcreds.snippets.code import layout
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.python.common import INDENT, library_call
from clientcreds.snippets.target import Recipe, Target


def render(plan: Plan) -> str:
    """``requests.<method>(url, data=... | json=..., auth=..., headers=..., timeout=...)``."""
    answer = "response.json()" if plan.body is not None else "response.text"
    return layout([library_call(plan, "requests"), f"print({answer})"], INDENT)


RECIPE = Recipe(
    "request.py",
    "python3 request.py",
    note="Install requests first: pip install requests",
)
TARGET = Target(
    "python-requests",
    "Python",
    "python",
    "python3 with requests",
    render,
    RECIPE,
    client="requests",
)
