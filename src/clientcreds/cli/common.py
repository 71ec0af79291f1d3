"""What every subcommand shares: the request flags, ``AUTH0_*`` defaults, exit codes, errors."""

from __future__ import annotations

import argparse
import os
import re
import sys

from clientcreds.core.protocol import ENV_VARS, PLACEHOLDER_SECRET, PLACEHOLDERS, TOKEN_ENV_VAR
from clientcreds.core.secret import scrub
from clientcreds.core.words import printable
from clientcreds.exceptions import (
    ClientCredsError,
    JwksError,
    KeyNotFoundError,
    OAuthError,
    RenderError,
    RequestFieldError,
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
#: Exit code: a bug in clientcreds (an error no command expects); sysexits' EX_SOFTWARE.
EXIT_INTERNAL = 70
#: Exit code: the reader of stdout went away (``... | head``): 128 + SIGPIPE, as the shell
#: reports a command that a broken pipe ended; nothing more is printed.
EXIT_BROKEN_PIPE = 141

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


def fail(message: str, code: int = EXIT_USAGE, *, kind: str = "error") -> int:
    """Print one line, ``clientcreds: error: ...``, on stderr and return `code`.

    Control characters and line breaks in `message` are shown escaped, so text from a server
    or a token can neither drive the terminal nor add a line.
    """
    print(f"clientcreds: {kind}: {printable(message)}", file=sys.stderr)
    return code


#: The CLI's option for each request field the library names in its messages.
FIELD_FLAGS: dict[str, str] = {
    "domain": "--domain",
    "token_url": "--token-url",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
    "audience": "--audience",
    "scope": "--scope",
    "organization": "--organization",
    "auth_method": "--auth-method",
    "body": "--body",
    "secret": "--secret",  # the snippet's secret mode
    "url": "--api-url",  # the API call's fields
    "method": "--method",
    "access_token": "--access-token-file",
}
#: A library setting written as a keyword argument, e.g. ``secret='reveal'``.
_SETTING = re.compile(r"\b(secret|auth_method|body)='([\w-]+)'")
#: A field named inside a sentence: only the names with an underscore, which are no words.
_FIELD_NAME = re.compile(r"(?<![\w$-])(token_url|client_id|client_secret|auth_method)(?![\w=])")
#: A field named as the subject that starts a message (``audience is required: ...``).
_SUBJECT = re.compile(r"^(domain|audience|scope|organization|body|url|method|access_token)\b")


def field_term(field: str, args: argparse.Namespace) -> str:
    """How the user gave `field`: its flag, or the ``AUTH0_*`` variable it came from."""
    if field == "client_secret" and getattr(args, "client_secret_file", None) is not None:
        return "--client-secret-file"
    if field == "access_token" and getattr(args, "access_token_file", None) is None:
        return f"${TOKEN_ENV_VAR}"
    if getattr(args, field, None) is None and os.environ.get(ENV_VARS.get(field, "")):
        return f"${ENV_VARS[field]}"
    return FIELD_FLAGS.get(field, field)


def cli_terms(message: str, args: argparse.Namespace) -> str:
    """A library message in the CLI's terms: ``--secret reveal`` for ``secret='reveal'``,
    ``--client-id`` (or ``$AUTH0_CLIENT_ID``) for ``client_id``."""
    message = _SETTING.sub(lambda m: f"{FIELD_FLAGS[m[1]]} {m[2]}", message)
    message = _FIELD_NAME.sub(lambda m: field_term(m[1], args), message)
    return _SUBJECT.sub(lambda m: field_term(m[1], args), message)


def error_lines(error: Exception, args: argparse.Namespace) -> list[str]:
    """What to print for an error that ended a command: one line per field in error."""
    if isinstance(error, RequestFieldError):
        return [cli_terms(str(problem), args) for problem in error.problems]
    if isinstance(error, RenderError):
        return [cli_terms(str(error), args)]
    return [str(error)]


def remember_secret(args: argparse.Namespace, value: str) -> str:
    """Note a secret the command read, so that even an internal error cannot show it."""
    args.secrets_read = [*getattr(args, "secrets_read", []), value]
    return value


def internal_error(error: Exception, args: argparse.Namespace) -> int:
    """Report an error no command expects in one line (a bug), every known secret hidden."""
    secrets = [*getattr(args, "secrets_read", []), os.environ.get(ENV_VARS["client_secret"], "")]
    text = scrub(" ".join(str(error).split()), secrets)[:500] or "no details"
    kind = f"internal error ({type(error).__name__})"
    return fail(f"{text}; please report it", EXIT_INTERNAL, kind=kind)


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
        return remember_secret(args, str(args.client_secret))
    if args.client_secret_file is not None:
        return remember_secret(
            args, read_flag_file("--client-secret-file", args.client_secret_file)
        )
    return os.environ.get(ENV_VARS["client_secret"])


def read_flag_file(flag: str, path: str) -> str:
    """The text of the file given to `flag` (``-`` for stdin), one trailing newline dropped.

    Raises:
        ValueError: for a missing file or one that is not UTF-8, in `flag`'s terms.
    """
    if path == "-":
        text = sys.stdin.read()
    else:
        try:  # open(), not pathlib: `clientcreds snippet` starts without loading it
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except FileNotFoundError:
            raise ValueError(f"{flag}: no such file: {path}") from None
        except UnicodeDecodeError:
            raise ValueError(f"{flag}: {path} is not UTF-8 text") from None
    return text.removesuffix("\n").removesuffix("\r")


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
