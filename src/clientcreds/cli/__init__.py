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

An error that ends a command is printed as one line on stderr; its class picks the exit code
(`clientcreds.cli.common.EXIT_CODES`).

A command's module is imported only when that command runs (or when the full parser is
built, e.g. for ``--help`` and the documentation), so ``clientcreds snippet`` never loads
the HTTP client, PyJWT or cryptography.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from clientcreds.cli.common import EXIT_CODES, exit_code, fail

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
     a key set that could not be fetched"""


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
    except tuple(kind for kind, _ in EXIT_CODES) as exc:
        return fail(str(exc), code=exit_code(exc))
    except KeyboardInterrupt:
        return fail("interrupted", code=130)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
