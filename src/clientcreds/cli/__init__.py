"""The ``clientcreds`` command: one module per subcommand, each with ``register(subparsers)``.

Exit codes:

- 0: success.
- 1: a negative answer: the token endpoint refused the client (an OAuth error), or
  ``verify`` found the token invalid.
- 2: bad usage or input: flags, request fields, a target that cannot carry the request,
  an unreadable file, a pasted text that is not a token.
- 3: the server gave no usable answer: no connection, TLS failure, timeout, a redirect,
  an answer that is neither a token nor an OAuth error (e.g. a proxy's HTML page), or a key
  set that could not be fetched.
- 70: an internal error, a bug in clientcreds: one line naming the exception, never a
  traceback; please report it.
- 141: the reader of the output went away (``clientcreds verify --json ... | head``): the
  command stops quietly, as one ended by SIGPIPE (128 + 13).

An error that ends a command is printed as one line on stderr (one per field in error when
several request fields are wrong), in the CLI's terms (``--client-id``, not ``client_id``);
its class picks the exit code (`clientcreds.cli.common.EXIT_CODES`).

A command's module is imported only when that command runs (or when the full parser is
built, e.g. for ``--help`` and the documentation), so ``clientcreds snippet`` never loads
the HTTP client, PyJWT or cryptography.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from importlib import import_module

from clientcreds import __version__
from clientcreds.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES,
    error_lines,
    exit_code,
    fail,
    internal_error,
)

#: Each subcommand, in ``--help`` order, and the module that registers and runs it.
COMMANDS: dict[str, str] = {
    "snippet": "clientcreds.cli.snippet_command",
    "targets": "clientcreds.cli.targets_command",
    "token": "clientcreds.cli.token_command",
    "decode": "clientcreds.cli.decode_command",
    "verify": "clientcreds.cli.verify_command",
    "tenant": "clientcreds.cli.tenant_command",
}

EPILOG = """\
exit codes:
  0  success
  1  a negative answer: an OAuth error from the token endpoint, an invalid token
  2  bad usage or input: flags, request fields, files, a text that is not a token
  3  the server gave no usable answer: no connection, a redirect, an HTML page,
     a key set that could not be fetched
 70  an internal error (a bug in clientcreds): please report it
141  the reader of the output went away (e.g. | head): nothing more is printed"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every subcommand (also used to generate the CLI reference).

    Args:
        only: Register just this subcommand, so only its module is imported.
    """
    parser = argparse.ArgumentParser(
        prog="clientcreds",
        description="The OAuth 2.0 client-credentials flow: snippets, tokens, decoding.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or name == only:
            import_module(module).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    chosen = arguments[0] if arguments and arguments[0] in COMMANDS else None
    args = build_parser(only=chosen).parse_args(arguments)
    try:
        code: int = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        return _stdout_gone()
    except KeyboardInterrupt:
        return fail("interrupted", code=130)
    except tuple(kind for kind, _ in EXIT_CODES) as exc:
        code = exit_code(exc)
        for line in error_lines(exc, args):
            fail(line, code)
        return code
    except Exception as exc:  # the last resort: a bug is one line, never a traceback
        return internal_error(exc, args)
    return code


def _stdout_gone() -> int:
    """The reader of stdout hung up: point stdout at the null device, so that the flush at
    exit cannot fail again, and end quietly with `EXIT_BROKEN_PIPE`."""
    with suppress(OSError, ValueError):  # ValueError: stdout is not a file (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
