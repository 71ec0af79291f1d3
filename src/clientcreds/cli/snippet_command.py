"""``clientcreds snippet TARGET | --all``: print the request as code."""

from __future__ import annotations

import argparse
from typing import Any

from clientcreds.cli.common import add_request_flags, request_from_args
from clientcreds.snippets import SECRET_MODES, get_target, render_all, targets
from clientcreds.views.display import json_text


def register(subparsers: Any) -> None:
    """Add the ``snippet`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "snippet",
        help="print the token request as a snippet",
        description="Print the token request in one target language, or in all of them. "
        "Fields come from flags, then AUTH0_* variables, then the Auth0 reference page's "
        "placeholders.",
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
        help="placeholder (default): YOUR_CLIENT_SECRET; env: read $AUTH0_CLIENT_SECRET at "
        "run time; reveal: write the secret itself",
    )
    parser.add_argument("--json", action="store_true", help="print {target: snippet} as JSON")
    add_request_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render and print; a target that cannot carry the request is an error (exit 2)."""
    request = request_from_args(args, need_secret=args.secret == "reveal")
    names = targets() if args.all else [args.target]
    rendered = render_all(request, secret=args.secret, names=names)
    if args.json:
        print(json_text(rendered))
    elif args.all:
        print(
            "\n\n".join(
                f"# {get_target(n).title} ({n})\n\n{s.rstrip()}" for n, s in rendered.items()
            )
        )
    else:
        print(rendered[args.target].rstrip())
    return 0
