"""``python-requests``: a short script using the requests library.

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
The call and its ending are written as httpx's are (`common.library_call`,
`common.PRINT_THEN_CHECK_STATUS`): the two libraries share that interface. requests raises no
error for an HTTP error status, so the snippet prints the answer's body as it came (a token
or an error page alike) and then calls ``raise_for_status()``, which ends it with a non-zero
status on a 4xx or 5xx.
"""

from __future__ import annotations

from clientcreds.snippets.code import layout
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.python.common import INDENT, PRINT_THEN_CHECK_STATUS, library_call
from clientcreds.snippets.target import Recipe, Target


def render(plan: Plan) -> str:
    """``requests.<method>(url, data=... | json=..., auth=..., headers=..., timeout=...)``, then
    print the body and fail on an error status."""
    return layout([library_call(plan, "requests"), PRINT_THEN_CHECK_STATUS], INDENT)


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
