"""``clientcreds verify TOKEN --issuer I --audience A``: check a token, one line per check."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from clientcreds.cli.common import EXIT_NEGATIVE, EXIT_OK, remember_secret
from clientcreds.cli.decode_command import add_token_argument, read_token
from clientcreds.core.protocol import ENV_VARS
from clientcreds.core.secret import Secret
from clientcreds.exceptions import JwksError
from clientcreds.request.endpoint import auth0_issuer
from clientcreds.tokens.keyset import JwksCache
from clientcreds.tokens.verification import DEFAULT_LEEWAY, verify
from clientcreds.views.display import json_text


def register(subparsers: Any) -> None:
    """Add the ``verify`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify",
        help="verify a token's signature and claims (exit 0 valid, 1 invalid)",
        description="Verify an access token against the issuer's keys: signature, algorithm, "
        "iss, aud, exp, nbf, iat, and optionally scopes and typ. Keys come from the issuer's "
        "discovery document (or --jwks), never from the token itself. The issuer and "
        "audience default to the AUTH0_DOMAIN tenant's and AUTH0_AUDIENCE, like every command.",
    )
    add_token_argument(parser)
    parser.add_argument(
        "--issuer",
        help="the exact iss, e.g. https://tenant.auth0.com/ (default: $AUTH0_DOMAIN's issuer)",
    )
    parser.add_argument("--audience", help="the API identifier (default: $AUTH0_AUDIENCE)")
    parser.add_argument("--jwks", metavar="URL|FILE", help="the key set, instead of discovery")
    parser.add_argument(
        "--algorithm",
        action="append",
        metavar="ALG",
        help="an allowed alg (repeatable; default RS256 and PS256, or HS256 with --secret-file)",
    )
    parser.add_argument(
        "--leeway",
        type=float,
        default=DEFAULT_LEEWAY,
        metavar="S",
        help=f"seconds of clock skew tolerated (default {DEFAULT_LEEWAY:g})",
    )
    parser.add_argument(
        "--scope", action="append", metavar="SCOPE", help="a required scope (repeatable)"
    )
    parser.add_argument("--typ", help="a required header typ, e.g. at+jwt")
    parser.add_argument(
        "--secret-file",
        metavar="FILE",
        help="the API's HS256 signing secret, read from FILE (one trailing newline dropped)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Verify and print the report; exit 0 when valid, 1 when not.

    Raises:
        JwksError: when the issuer's key set could not be fetched (exit 3).
        ValueError: for a bad option, or a ``--jwks`` file that is not a key set (exit 2).
    """
    issuer, audience = expected_issuer_and_audience(args)
    secret = _secret(args)
    keys = None if secret is not None else JwksCache(issuer, jwks=args.jwks)
    report = verify(
        read_token(args.token),
        issuer=issuer,
        audience=audience,
        algorithms=args.algorithm,
        jwks=keys if keys is not None else args.jwks,
        secret=secret,
        leeway=args.leeway,
        required_scopes=args.scope,
        typ=args.typ,
    )
    if keys is not None:
        _check_keys_arrived(keys, args.jwks)
    if args.json:
        print(json_text(report.to_dict()))
    else:
        print(report)
    return EXIT_OK if report.ok else EXIT_NEGATIVE


def _check_keys_arrived(keys: JwksCache, jwks: str | None) -> None:
    """Raise when a key set was needed and none could be read: that is no answer, not a no.

    Raises:
        JwksError: for a key set that could not be fetched from a URL or the issuer.
        ValueError: for a ``--jwks`` file that could not be read as a key set.
    """
    if keys.kids or keys.last_error is None:
        return
    if jwks is not None and "://" not in jwks:
        raise ValueError(f"--jwks: {keys.last_error}")
    raise JwksError(keys.last_error)


#: The variable each of ``--issuer`` and ``--audience`` defaults from.
_DEFAULTS_FROM = {"--issuer": ENV_VARS["domain"], "--audience": ENV_VARS["audience"]}


def expected_issuer_and_audience(args: argparse.Namespace) -> tuple[str, str]:
    """``--issuer`` and ``--audience``, else the ``AUTH0_DOMAIN`` tenant's issuer and
    ``AUTH0_AUDIENCE``.

    Raises:
        ValueError: naming every one of the two that is given nowhere.
        RequestFieldError: for an ``AUTH0_DOMAIN`` that is not a domain.
    """
    domain = os.environ.get(ENV_VARS["domain"])
    issuer = args.issuer or (domain and auth0_issuer(domain))
    audience = args.audience or os.environ.get(ENV_VARS["audience"])
    given = {"--issuer": issuer, "--audience": audience}
    missing = [flag for flag, value in given.items() if not value]
    if missing:
        flags = " and ".join(missing)
        variables = " and ".join(_DEFAULTS_FROM[flag] for flag in missing)
        raise ValueError(f"no {flags}: pass {flags}, or set {variables}")
    return str(issuer), str(audience)


def _secret(args: argparse.Namespace) -> Secret | None:
    path: str | None = args.secret_file
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"--secret-file: no such file: {path}") from None
    except UnicodeDecodeError:
        raise ValueError(f"--secret-file: {path} is not UTF-8 text") from None
    return Secret(remember_secret(args, text.removesuffix("\n").removesuffix("\r")))
