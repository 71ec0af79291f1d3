"""``clientcreds targets``: list the snippet targets."""

from __future__ import annotations

import argparse
from typing import Any

from clientcreds.snippets import get_target, languages


def register(subparsers: Any) -> None:
    """Add the ``targets`` subcommand."""
    parser = subparsers.add_parser("targets", help="list the snippet targets")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the targets grouped by language: per target its name, client, and the runtime
    its snippets are proven with."""
    for title, names in languages().items():
        print(title)
        for name in names:
            target = get_target(name)
            print(f"  {name:<20} {target.client:<12} {target.runtime}")
    return 0
