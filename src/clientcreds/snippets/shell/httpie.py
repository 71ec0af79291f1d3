"""``shell-httpie``: one HTTPie command (``http``) for bash or any POSIX shell.

HTTPie's request items (``name=value``, ``Header:value``) are a small language: a value after
``=@`` or ``:@`` is a file to read, ``==`` makes a query parameter, ``:=`` raw JSON, and a
backslash before any of ``:;=@`` is dropped. No value of the request goes through them. The
body is sent whole and already encoded with ``--raw`` (and its ``Content-Type`` item, a fixed
text), the Basic credentials and a bearer token with ``--auth``, which HTTPie takes as they are
(a bearer token is not parsed at all; Basic is split at its first ``:``, and form encoding
leaves none in either half). ``--ignore-stdin`` stops HTTPie from sending its standard input
as the body, ``--check-status`` makes an HTTP error status exit non-zero (4 or 5) after the
body is printed, and ``--body`` prints the body alone. Values read from the environment are
encoded by the shell first (`clientcreds.snippets.shell.common`).
"""

from __future__ import annotations

from clientcreds.snippets.plan import Plan
from clientcreds.snippets.shell.common import basic_parts, body_word, command, plain_parts
from clientcreds.snippets.shell.quoting import shell_join, shell_word
from clientcreds.snippets.target import Recipe, Target

HEAD = "http --ignore-stdin --check-status --body"


def render(plan: Plan) -> str:
    """``http`` with its options, then the method, the URL and the ``Content-Type`` item.

    The positional arguments come last and together: argparse gives request items that follow
    an option to nothing.
    """
    arguments = []
    if plan.bearer is not None:
        arguments.append(f"--auth-type=bearer --auth={shell_join(plain_parts(plan.bearer))}")
    if plan.basic is not None:
        client_id, secret = basic_parts(plan)
        arguments.append(f"--auth-type=basic --auth={shell_join([*client_id, ':', *secret])}")
    if plan.body is not None:
        arguments.append(f"--raw={body_word(plan)}")
    arguments.append(f"{plan.method} {shell_word(plan.url)}")
    if plan.body is not None:
        arguments.append(shell_word(f"Content-Type:{plan.media_type}"))
    return command(plan, HEAD, arguments)


RECIPE = Recipe(
    "request.sh",
    "sh request.sh",
    note=(
        "Or paste it into bash or sh; install HTTPie 3 first (pip install httpie), and in env "
        "mode it also uses od, tr, sed and awk."
    ),
)
TARGET = Target(
    "shell-httpie", "Shell", "shell", "bash or sh with HTTPie 3.2", render, RECIPE, client="HTTPie"
)
