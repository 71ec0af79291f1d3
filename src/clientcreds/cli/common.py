"""What every subcommand shares: the request flags, ``AUTH0_*`` defaults, exit codes, errors."""

from __future__ import annotations

import argparse
import os
import sys

from clientcreds.core.protocol import ENV_VARS, PLACEHOLDER_SECRET, PLACEHOLDERS
from clientcreds.exceptions import (
    ClientCredsError,
    JwksError,
    KeyNotFoundError,
    OAuthError,
    TokenEndpointError,
)
from clientcreds.request.token_request import TokenRequest

#: Exit code: the command did what was asked.
EXIT_OK = 0
#: Exit code: a negative answer (the server refused the client, the token is invalid).
EXIT_NEGATIVE = 1
#: Exit code: bad usage or input (flags, fields, files, a pasted token); argparse's own code.
EXIT_USAGE = 2
#: Exit code: the server gave no usable answer (no connection, a redirect, an HTML page).
EXIT_NO_ANSWER = 3

#: The exit code of an error that ends a command, by class; the first match wins.
EXIT_CODES: tuple[tuple[type[Exception], int], ...] = (
    (OAuthError, EXIT_NEGATIVE),
    (KeyNotFoundError, EXIT_NEGATIVE),  # the keys arrived; none signed this token
    (TokenEndpointError, EXIT_NO_ANSWER),  # TokenResponseError, TransportError
    (JwksError, EXIT_NO_ANSWER),
    (ClientCredsError, EXIT_USAGE),  # RequestFieldError, RenderError, TokenFormatError
    (ValueError, EXIT_USAGE),  # an option the CLI or the library rejects
    (OSError, EXIT_USAGE),  # an input file that cannot be read
)


def exit_code(error: Exception) -> int:
    """The exit code for an error that ended a command (`EXIT_USAGE` when none matches)."""
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), EXIT_USAGE)


def fail(message: str, code: int = EXIT_USAGE) -> int:
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
            path = args.client_secret_file
            try:  # open(), not pathlib: `clientcreds snippet` starts without loading it
                with open(path, encoding="utf-8") as file:
                    text = file.read()
            except FileNotFoundError:
                raise ValueError(f"--client-secret-file: no such file: {path}") from None
            except UnicodeDecodeError:
                raise ValueError(f"--client-secret-file: {path} is not UTF-8 text") from None
        return text.removesuffix("\n").removesuffix("\r")
    return os.environ.get(ENV_VARS["client_secret"])


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
        return os.environ.get(ENV_VARS[name]) or PLACEHOLDERS[name]

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
