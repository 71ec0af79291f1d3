"""The ``clientcreds`` command: one module per subcommand, each with ``register(subparsers)``.

A subcommand's handler returns the exit code: 0 success, 1 a negative answer (an invalid
token, an OAuth error), 2 bad usage or input. Any `ValueError` or `OSError` that escapes a
handler is bad input: it is printed as one line on stderr and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from clientcreds.cli import (
    decode_command,
    snippet_command,
    targets_command,
    tenant_command,
    token_command,
    verify_command,
)
from clientcreds.cli.common import fail

COMMANDS = (
    snippet_command,
    targets_command,
    token_command,
    decode_command,
    verify_command,
    tenant_command,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to generate the CLI reference)."""
    parser = argparse.ArgumentParser(
        prog="clientcreds",
        description="The OAuth 2.0 client-credentials flow: snippets, tokens, decoding.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (ValueError, OSError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted", code=130)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
