"""``clientcreds token``: get a token and show it (summary, ``--json`` or ``--raw``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clientcreds.cli.common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    add_request_flags,
    fail,
    request_from_args,
)
from clientcreds.client.fetch import RetryPolicy, fetch_token
from clientcreds.core.words import printable
from clientcreds.exceptions import OAuthError
from clientcreds.response.token_response import TokenResponse
from clientcreds.views.display import json_text


def register(subparsers: Any) -> None:
    """Add the ``token`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "token",
        help="get an access token from the token endpoint",
        description="Request a token and print a summary (the token shortened, never the "
        "secret), the response as JSON, or with --raw only the access token, for "
        "TOKEN=$(clientcreds token --raw). Fields come from flags, then AUTH0_* variables.",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print the response as JSON")
    shown.add_argument("--raw", action="store_true", help="print only the access token")
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per attempt (10)"
    )
    parser.add_argument(
        "--retries", type=int, default=3, metavar="N", help="retries on 429, 5xx, resets (3)"
    )
    parser.add_argument("--ca-bundle", metavar="FILE", help="PEM file of CA certificates to trust")
    add_request_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Fetch and print; exit 1 for an OAuth error, 2 for bad input.

    Raises:
        TokenResponseError, TransportError: when the server gave no usable answer (exit 3).
    """
    if args.timeout <= 0 or args.retries < 0:
        return fail(
            "--timeout must be more than 0 seconds and --retries 0 or more: "
            "give e.g. --timeout 10 --retries 3"
        )
    request = request_from_args(args, need_secret=True)
    try:
        token = fetch_token(
            request,
            timeout=args.timeout,
            retries=RetryPolicy(attempts=args.retries + 1),
            ca_bundle=args.ca_bundle,
        )
    except OAuthError as exc:
        return _oauth_failure(exc, as_json=args.json)
    _show(token, args)
    return EXIT_OK


def _show(token: TokenResponse, args: argparse.Namespace) -> None:
    if args.raw:
        print(token.access_token)
    elif args.json:
        print(json_text(token.to_dict()))
    else:
        print(token)


def _oauth_failure(error: OAuthError, *, as_json: bool) -> int:
    if as_json:
        print(json_text({"error": error.to_dict()}))
    else:
        print(printable(error.summary), file=sys.stderr)
        entry = error.explanation
        if entry is not None:
            print(f"cause: {entry.cause}\nfix: {entry.fix}", file=sys.stderr)
    return EXIT_NEGATIVE
