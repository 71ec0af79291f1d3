"""The ``python-httpx`` and ``python-urllib`` runners, and what each checks beyond equivalence.

Both run on the interpreter running the tests (Python 3.10+, as the project requires), like
python-requests: a batch in one process through ``drivers/run_python.py``, each snippet saved
under its recipe's file name and run from it, or each snippet as its own process exactly as its
recipe says (``python3 main.py``), for real exit statuses and stderr. httpx comes from the
project's ``httpx`` extra (``pip install -e '.[httpx]'``, which `make` installs).
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from collections.abc import Callable

from clientcreds.request.wire import WireRequest
from tests.harness.capture import Captured
from tests.harness.proof import Checks
from tests.harness.runtimes import DRIVERS, Runner, driver_runner, missing, recipe_of, recipe_runner

HTTPX = "python-httpx"
URLLIB = "python-urllib"
MIN_HTTPX = (0, 27)
HTTPX_HINT = "pip install -e '.[httpx]' (httpx 0.27 or newer)"


def httpx_runner() -> Runner:
    """httpx snippets, a batch in one interpreter."""
    _require_httpx()
    return _batch_runner(HTTPX)


def httpx_process_runner() -> Runner:
    """httpx snippets, one process each, as the recipe says."""
    _require_httpx()
    return _process_runner(HTTPX)


def urllib_runner() -> Runner:
    """urllib snippets, a batch in one interpreter."""
    return _batch_runner(URLLIB)


def urllib_process_runner() -> Runner:
    """urllib snippets, one process each, as the recipe says."""
    return _process_runner(URLLIB)


def _batch_runner(target: str) -> Runner:
    """This interpreter runs a batch through the Python driver, each snippet saved as the
    target's recipe names it."""
    filename = recipe_of(target).filename
    return driver_runner([sys.executable, str(DRIVERS / "run_python.py")], filename)


def _process_runner(target: str) -> Runner:
    """The target's recipe, with this interpreter as ``python3``."""
    return recipe_runner(recipe_of(target), {"python3": sys.executable})


def httpx_version() -> tuple[int, ...] | None:
    """The installed httpx's version as numbers, or None if it is not installed."""
    try:
        version = importlib.metadata.version("httpx")
    except importlib.metadata.PackageNotFoundError:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def _require_httpx() -> None:
    """Skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) without httpx 0.27 or newer."""
    found = httpx_version()
    if found is None:
        missing(f"httpx is not installed: {HTTPX_HINT}")
    elif found < MIN_HTTPX:
        missing(f"httpx {'.'.join(map(str, found))} is too old: {HTTPX_HINT}")


def sends_exactly(*, json_too: bool) -> Callable[[Captured, WireRequest], None]:
    """A check that the ``Authorization`` header and a form body (and with `json_too`, a JSON
    body) are sent byte for byte as the wire request has them, with a ``Content-Length``.

    Equivalence decodes both sides first; this proves what the snippet encodes itself
    (``quote_plus`` before base64, ``urlencode``, ``json.dumps``) is exactly the wire's.
    """

    def check(captured: Captured, expected: WireRequest) -> None:
        headers = dict(expected.headers)
        assert captured.header("Authorization") == headers.get("Authorization")
        if expected.body:
            assert captured.header("Transfer-Encoding") is None, "sent a chunked body"
            assert captured.header("Content-Length") is not None, "sent no Content-Length"
        if json_too or headers.get("Content-Type") != "application/json":
            assert captured.body == expected.body, (captured.body, expected.body)

    return check


def formats_no_string(code: str) -> None:
    """No f-string, ``str.format`` or ``%`` in the snippet: a value holding ``{x}`` or ``%s``
    is never a template."""
    for node in ast.walk(ast.parse(code)):
        assert not isinstance(node, ast.JoinedStr), f"an f-string in:\n{code}"
        is_format = isinstance(node, ast.Attribute) and node.attr in ("format", "format_map")
        assert not is_format, f"str.format in:\n{code}"
        is_percent = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
        assert not is_percent, f"% formatting in:\n{code}"


#: httpx: the Basic header and a form body byte for byte (its JSON is compact, so decoded).
HTTPX_CHECKS = Checks(formats_no_string, sends_exactly(json_too=False))
#: urllib: the Basic header and either body byte for byte (``json.dumps`` is the wire's JSON).
URLLIB_CHECKS = Checks(formats_no_string, sends_exactly(json_too=True))
