"""``clientcreds decode [TOKEN|-]``: take a token apart, without verifying it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clientcreds.tokens.decoding import decode
from clientcreds.views.display import json_text


def register(subparsers: Any) -> None:
    """Add the ``decode`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "decode",
        help="show a token's header, claims and warnings (never verifies)",
        description="Decode an access token: kind, header, claims with their meaning, times "
        "and warnings. Nothing is verified. A pasted 'Bearer ' prefix, quotes and line "
        "breaks are ignored.",
    )
    add_token_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the decoded token as JSON")
    parser.set_defaults(run=run)


def add_token_argument(parser: argparse.ArgumentParser) -> None:
    """The positional TOKEN, where ``-`` (or nothing, with a pipe) reads standard input."""
    parser.add_argument(
        "token",
        nargs="?",
        default="-",
        metavar="TOKEN",
        help="the token, or '-' to read it from stdin (keeps it out of shell history)",
    )


def read_token(argument: str) -> str:
    """The token from the argument, or from stdin for ``-``.

    Raises:
        ValueError: when stdin is a terminal (nothing was piped) or empty.
    """
    if argument != "-":
        return argument
    if sys.stdin.isatty():
        raise ValueError(
            "no token: give it as an argument or pipe it in, e.g. 'pbpaste | clientcreds decode -'"
        )
    text = sys.stdin.read()
    if not text.strip():
        raise ValueError("no token on stdin: pipe the access token in")
    return text


def run(args: argparse.Namespace) -> int:
    """Decode and print; a token that cannot be decoded is bad input (exit 2)."""
    decoded = decode(read_token(args.token))
    if args.json:
        print(json_text(decoded.to_dict()))
    else:
        print(decoded)
    return 0
