"""``clientcreds targets``: list the snippet targets."""

from __future__ import annotations

import argparse
from typing import Any

from clientcreds.snippets import get_target, targets


def register(subparsers: Any) -> None:
    """Add the ``targets`` subcommand."""
    parser = subparsers.add_parser("targets", help="list the snippet targets")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print one target a line: name, title, and the runtime it is tested with."""
    for name in targets():
        target = get_target(name)
        print(f"{name:<18} {target.title:<12} {target.runtime}")
    return 0
