"""``clientcreds tenant [--port P] [--config FILE]``: run the embedded tenant in the foreground."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from typing import Any

from clientcreds.core.protocol import ENV_VARS
from clientcreds.tenant import LocalTenant, TenantConfig


def register(subparsers: Any) -> None:
    """Add the ``tenant`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "tenant",
        help="run the embedded Auth0-compatible tenant on 127.0.0.1",
        description="Run an Auth0-compatible authorization server for client credentials on "
        "127.0.0.1 until Ctrl-C, and print the AUTH0_* variables of its demo application. "
        "The demo secret is generated on every start, which is why it is printed.",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: a free one)"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="a .toml or .json file with apis, clients, grants and organizations",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Start the tenant, print the ``export`` lines, and serve until Ctrl-C (exit 0).

    Args:
        args: The parsed arguments.
        stop: Set it to stop serving (for tests); by default only Ctrl-C stops it.

    Raises:
        ValueError: for a port outside 0-65535 or an invalid config file.
    """
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port must be 0 to 65535, not {args.port}")
    config = TenantConfig.from_file(args.config) if args.config else TenantConfig()
    tenant = LocalTenant(config, port=args.port)
    _stop_on_sigterm()
    with tenant:
        print(f"# clientcreds tenant listening on {tenant.domain} (issuer {tenant.issuer})")
        print(export_lines(tenant), flush=True)
        print("# Ctrl-C to stop", file=sys.stderr, flush=True)
        try:
            (stop or threading.Event()).wait()
        except KeyboardInterrupt:
            print("# stopped", file=sys.stderr)
    return 0


def _stop_on_sigterm() -> None:
    """Let ``kill`` (SIGTERM) stop the tenant as cleanly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def export_lines(tenant: LocalTenant) -> str:
    """The shell ``export`` lines for the demo application (the one place a secret is shown)."""
    values = {
        ENV_VARS["domain"]: tenant.domain,
        ENV_VARS["client_id"]: tenant.client_id,
        ENV_VARS["client_secret"]: tenant.client_secret.reveal(),
        ENV_VARS["audience"]: tenant.audience,
    }
    return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in values.items())
