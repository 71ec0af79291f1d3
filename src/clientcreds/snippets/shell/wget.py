"""``shell-wget``: one GNU Wget command for bash or any POSIX shell.

``--output-document=-`` prints the answer instead of saving a file named after the URL,
``--quiet`` keeps Wget's progress off stderr, and ``--content-on-error`` prints the body of an
error answer too (Wget then exits 8; a 401 is the exception: Wget 1.21 drops its body and exits
6). ``--no-hsts`` keeps Wget from writing ``~/.wget-hsts`` after an HTTPS answer with
``Strict-Transport-Security`` (Auth0 sends one): a snippet leaves no file behind. A POST body
goes in ``--post-data``, another method's in ``--method`` and ``--body-data``, with its
``Content-Type`` given (Wget would call JSON a form). Wget sends Basic credentials before any
challenge only with ``--auth-no-challenge``; ``--user`` and ``--password`` hold the
form-encoded halves (RFC 6749 §2.3.1), so no ``base64`` (which POSIX lacks) is needed. Values
read from the environment are encoded by the shell first (`clientcreds.snippets.shell.common`).
"""

from __future__ import annotations

from clientcreds.snippets.plan import Plan
from clientcreds.snippets.shell.common import Part, basic_parts, body_word, command, plain_parts
from clientcreds.snippets.shell.quoting import shell_join, shell_word
from clientcreds.snippets.target import Recipe, Target

HEAD = "wget --quiet --output-document=- --content-on-error --no-hsts"


def render(plan: Plan) -> str:
    """``wget`` with one option a line: the method, headers, credentials and body; the URL last."""
    arguments = []
    if plan.method != "GET" and not (plan.method == "POST" and plan.body is not None):
        arguments.append(f"--method={plan.method}")  # --post-data alone makes a POST
    if plan.bearer is not None:
        bearer: list[Part] = ["Authorization: Bearer ", *plain_parts(plan.bearer)]
        arguments.append(f"--header={shell_join(bearer)}")
    if plan.body is not None:
        arguments.append(f"--header={shell_word(f'Content-Type: {plan.media_type}')}")
    if plan.basic is not None:
        client_id, secret = basic_parts(plan)
        arguments.append(
            f"--auth-no-challenge --user={shell_join(client_id)} --password={shell_join(secret)}"
        )
    if plan.body is not None:
        data = "--post-data" if plan.method == "POST" else "--body-data"
        arguments.append(f"{data}={body_word(plan)}")
    arguments.append(shell_word(plan.url))
    return command(plan, HEAD, arguments)


RECIPE = Recipe(
    "request.sh",
    "sh request.sh",
    note=(
        "Or paste it into bash or sh with GNU Wget 1.17+ (Wget 1.21 prints no body for a 401, "
        "it only exits 6); env mode also uses od, tr, sed and awk."
    ),
)
TARGET = Target(
    "shell-wget", "Shell", "shell", "bash or sh with GNU Wget 1.21", render, RECIPE, client="Wget"
)
