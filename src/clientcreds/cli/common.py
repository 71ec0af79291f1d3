"""What every subcommand shares: the request flags, ``AUTH0_*`` defaults, errors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets import PLACEHOLDER_SECRET

#: The seed page's placeholders, used for any field neither a flag nor ``AUTH0_*`` gives.
PLACEHOLDERS = {
    "domain": "YOUR_DOMAIN",
    "client_id": "YOUR_CLIENT_ID",
    "audience": "API_IDENTIFIER",
}
ENV = {
    "domain": "AUTH0_DOMAIN",
    "client_id": "AUTH0_CLIENT_ID",
    "client_secret": "AUTH0_CLIENT_SECRET",
    "audience": "AUTH0_AUDIENCE",
}


def fail(message: str, code: int = 2) -> int:
    """Print one line, ``clientcreds: error: ...``, on stderr and return `code`."""
    print(f"clientcreds: error: {message}", file=sys.stderr)
    return code


def add_request_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that describe a `TokenRequest`, each defaulting to its ``AUTH0_*`` variable."""
    group = parser.add_argument_group("request")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--domain", help="tenant domain (default: $AUTH0_DOMAIN)")
    where.add_argument("--token-url", help="full token endpoint of a non-Auth0 server")
    group.add_argument("--client-id", help="application Client ID (default: $AUTH0_CLIENT_ID)")
    secret = group.add_mutually_exclusive_group()
    secret.add_argument(
        "--client-secret",
        help="Client Secret; prefer --client-secret-file or $AUTH0_CLIENT_SECRET, "
        "which stay out of shell history",
    )
    secret.add_argument(
        "--client-secret-file",
        metavar="FILE",
        help="read the Client Secret from FILE ('-' for stdin); one trailing newline is dropped",
    )
    group.add_argument("--audience", help="API identifier (default: $AUTH0_AUDIENCE)")
    group.add_argument("--scope", help="space-separated scopes")
    group.add_argument("--organization", help="organization name or ID")
    group.add_argument(
        "--auth-method",
        choices=["client_secret_post", "client_secret_basic"],
        default="client_secret_post",
        help="how the client authenticates (default: client_secret_post)",
    )
    group.add_argument(
        "--body", choices=["form", "json"], default="form", help="body format (default: form)"
    )


def read_secret(args: argparse.Namespace) -> str | None:
    """The secret from ``--client-secret``, ``--client-secret-file`` or ``$AUTH0_CLIENT_SECRET``."""
    if args.client_secret is not None:
        return str(args.client_secret)
    if args.client_secret_file is not None:
        if args.client_secret_file == "-":
            text = sys.stdin.read()
        else:
            path = Path(args.client_secret_file)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ValueError(f"--client-secret-file: no such file: {path}") from None
            except UnicodeDecodeError:
                raise ValueError(f"--client-secret-file: {path} is not UTF-8 text") from None
        return text.removesuffix("\n").removesuffix("\r")
    return os.environ.get(ENV["client_secret"])


def request_from_args(args: argparse.Namespace, *, need_secret: bool) -> TokenRequest:
    """Build the request from flags, then ``AUTH0_*``, then the seed's placeholders.

    Raises:
        ValueError: for an invalid field, or a missing secret when `need_secret` is set.
    """
    secret = read_secret(args)
    if secret is None:
        if need_secret:
            raise ValueError(
                "no client secret: set AUTH0_CLIENT_SECRET or pass --client-secret-file FILE"
            )
        secret = PLACEHOLDER_SECRET

    def pick(name: str) -> str:
        flag = getattr(args, name)
        if flag is not None:
            return str(flag)
        return os.environ.get(ENV[name]) or PLACEHOLDERS[name]

    token_url = args.token_url
    return TokenRequest(
        domain=None if token_url else pick("domain"),
        token_url=token_url,
        client_id=pick("client_id"),
        client_secret=secret,
        audience=args.audience if token_url else pick("audience"),
        scope=args.scope,
        organization=args.organization,
        auth_method=args.auth_method,
        body=args.body,
    )
