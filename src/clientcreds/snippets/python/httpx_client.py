"""``python-httpx``: a short script using httpx's synchronous API.

httpx has requests' interface, so the call is written as requests' is (`common.library_call`):
``httpx.<method>(url, ..., timeout=10)``, each call a synchronous ``httpx.Client`` of its own.
What httpx does with it, each proven by a test of tests/snippets/test_python_httpx.py:

- ``data=`` takes a dict, which keeps the plan's order, and encodes it with
  ``urllib.parse.urlencode``: exactly the wire's form encoding;
- ``auth=(id, secret)`` joins the two as they are, so each is form-encoded first with
  ``quote_plus`` (RFC 6749 §2.3.1);
- ``json=`` sends the object as UTF-8 JSON;
- httpx raises no error for an HTTP error status, so the snippet prints the body and then
  calls ``raise_for_status()``, which ends it with a non-zero status for anything but 2xx
  (httpx does not follow redirects).

In env mode the script reads each variable with ``os.environ.get`` and, if it is unset or
empty, stops with ``sys.exit(message)`` (the message on stderr, exit status 1) before sending.
"""

from __future__ import annotations

from clientcreds.snippets.code import layout
from clientcreds.snippets.plan import Plan
from clientcreds.snippets.python.common import INDENT, PRINT_THEN_CHECK_STATUS, library_call
from clientcreds.snippets.target import Recipe, Target


def render(plan: Plan) -> str:
    """``httpx.<method>(url, data=... | json=..., auth=..., headers=..., timeout=...)``, then
    print the body and fail on an error status."""
    return layout([library_call(plan, "httpx"), PRINT_THEN_CHECK_STATUS], INDENT)


RECIPE = Recipe(
    "main.py",
    "python3 main.py",
    note="Install httpx first: pip install httpx",
)
TARGET = Target(
    "python-httpx",
    "Python",
    "python",
    "Python 3.10+ with httpx 0.27+",
    render,
    RECIPE,
    client="httpx",
)
