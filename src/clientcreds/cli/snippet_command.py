"""``clientcreds snippet TARGET | --all``: print the token request, or the API call, as code."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import Any

from clientcreds.cli.common import (
    add_request_flags,
    read_flag_file,
    remember_secret,
    request_from_args,
)
from clientcreds.core.protocol import TOKEN_ENV_VAR
from clientcreds.request.api_request import API_METHODS, ApiRequest
from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets import SECRET_MODES, get_target, render_all, targets
from clientcreds.snippets.target import Recipe
from clientcreds.views.display import json_text

#: The token request's flags that have no default: given with ``--api-url``, they are a mistake.
_TOKEN_FLAGS = (
    "domain",
    "token_url",
    "client_id",
    "client_secret",
    "client_secret_file",
    "audience",
    "scope",
    "organization",
)


class _WholeNamesFormatter(argparse.HelpFormatter):
    """Help text that never breaks a line inside a target's name (``python-requests``)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def register(subparsers: Any) -> None:
    """Add the ``snippet`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "snippet",
        help="print the token request (or the call to your API) as a snippet",
        description="Print the token request in one target language, or in all of them; with "
        "--api-url, the call to your API with the token instead. Fields come from flags, then "
        "AUTH0_* variables, then the Auth0 reference page's placeholders.",
        formatter_class=_WholeNamesFormatter,
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "target",
        nargs="?",
        choices=targets(),
        metavar="TARGET",
        help=f"one of: {', '.join(targets())} (see: clientcreds targets)",
    )
    which.add_argument("--all", action="store_true", help="every target")
    parser.add_argument(
        "--secret",
        choices=SECRET_MODES,
        default="placeholder",
        help="placeholder (default): YOUR_CLIENT_SECRET (YOUR_ACCESS_TOKEN with --api-url); "
        f"env: read $AUTH0_CLIENT_SECRET (${TOKEN_ENV_VAR}) at run time; reveal: write the "
        "secret (the token) itself",
    )
    parser.add_argument("--json", action="store_true", help="print {target: snippet} as JSON")
    parser.add_argument(
        "--recipe",
        action="store_true",
        help="also print how to run each snippet (file name, other files, command): on stderr "
        "for one TARGET, so `> file` keeps only the snippet; after each snippet with --all; "
        "as {target: {snippet, recipe}} with --json",
    )
    add_request_flags(parser)
    add_api_flags(parser)
    parser.set_defaults(run=run)


def add_api_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that describe the call to an API with the token (an `ApiRequest`)."""
    group = parser.add_argument_group("API call (instead of the token request)")
    group.add_argument(
        "--api-url", metavar="URL", help="render the call to this API URL with the token"
    )
    group.add_argument(
        "--method", choices=API_METHODS, help="the API call's HTTP method (default: GET)"
    )
    group.add_argument(
        "--access-token-file",
        metavar="FILE",
        help=f"read the token for --secret reveal from FILE ('-' for stdin; default: "
        f"${TOKEN_ENV_VAR}); one trailing newline is dropped",
    )


def run(args: argparse.Namespace) -> int:
    """Render and print; a target that cannot carry the request is an error (exit 2)."""
    request = api_request_from_args(args) if args.api_url else token_request_from_args(args)
    names = targets() if args.all else [args.target]
    rendered = render_all(request, secret=args.secret, names=names)
    if args.json:
        print(json_text(json_data(rendered) if args.recipe else rendered))
    elif args.all:
        print(
            "\n\n".join(section(name, code, recipe=args.recipe) for name, code in rendered.items())
        )
    else:
        print(rendered[args.target].rstrip())
        if args.recipe:
            print(recipe_text(get_target(args.target).recipe), file=sys.stderr, end="")
    return 0


def token_request_from_args(args: argparse.Namespace) -> TokenRequest:
    """The token request; the API call's flags are refused without ``--api-url``."""
    for flag in ("method", "access_token_file"):
        if getattr(args, flag) is not None:
            option = "--" + flag.replace("_", "-")
            raise ValueError(f"{option} applies only to the API call: add --api-url URL")
    return request_from_args(args, need_secret=args.secret == "reveal")


def api_request_from_args(args: argparse.Namespace) -> ApiRequest:
    """The API call from ``--api-url``, ``--method`` and, for reveal, the token.

    Raises:
        ValueError: for a token request flag given too, a missing token in reveal mode, or an
            invalid field (`RequestFieldError`, which the CLI words in its flags).
    """
    given = [name for name in _TOKEN_FLAGS if getattr(args, name) is not None]
    if given:
        option = "--" + given[0].replace("_", "-")
        raise ValueError(f"{option} describes the token request: leave it out with --api-url")
    token = None
    if args.secret == "reveal":
        token = read_token(args)
    return ApiRequest(args.api_url, args.method or "GET", access_token=token)


def read_token(args: argparse.Namespace) -> str:
    """The token to reveal, from ``--access-token-file`` or ``$ACCESS_TOKEN``."""
    if args.access_token_file is not None:
        return remember_secret(args, read_flag_file("--access-token-file", args.access_token_file))
    token = os.environ.get(TOKEN_ENV_VAR)
    if not token:
        raise ValueError(
            f"--secret reveal needs the access token: set {TOKEN_ENV_VAR} or pass "
            "--access-token-file FILE"
        )
    return remember_secret(args, token)


def section(name: str, code: str, *, recipe: bool) -> str:
    """One target's part of ``--all``: a title, the snippet, and with `recipe` its recipe."""
    text = f"# {get_target(name).label}: {name}\n\n{code.rstrip()}"
    footer = recipe_text(get_target(name).recipe) if recipe else ""
    return f"{text}\n\n{footer.rstrip()}" if footer else text


def recipe_text(recipe: Recipe | None) -> str:
    """How to run a snippet, as plain lines: the file, any other file and its text, the
    command and the note (nothing for a target without a recipe)."""
    if recipe is None:
        return ""
    lines = [f"save as: {recipe.filename}"]
    for name, text in recipe.files:
        lines.append(f"with {name}:")
        lines.extend(f"    {line}" for line in text.rstrip("\n").split("\n"))
    lines.append(f"run: {recipe.command}")
    if recipe.note:
        lines.append(f"note: {recipe.note}")
    return "\n".join(lines) + "\n"


def json_data(rendered: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``--json --recipe``: each target's snippet and recipe (null for a target without one)."""
    return {
        name: {"snippet": code, "recipe": recipe_data(get_target(name).recipe)}
        for name, code in rendered.items()
    }


def recipe_data(recipe: Recipe | None) -> dict[str, Any] | None:
    if recipe is None:
        return None
    return {
        "filename": recipe.filename,
        "command": recipe.command,
        "files": dict(recipe.files),
        "note": recipe.note,
    }
