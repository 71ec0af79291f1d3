"""Reading an access token: `decode` takes one apart, explains it and warns, trusting nothing.

`decode` accepts what people paste: a ``Bearer`` prefix, surrounding quotes, whitespace and
line breaks, missing base64 padding. Trusting a token is `verify`'s work
(`clientcreds.tokens.verification`); what each claim means is in `clientcreds.tokens.claims`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from json import JSONDecodeError
from typing import Any, Literal

from clientcreds.core import bounded_json, words
from clientcreds.exceptions import TokenFormatError

TokenKind = Literal["jws", "jwe", "opaque"]

#: The HMAC algorithms: whoever can verify such a token can also make one.
SYMMETRIC_ALGORITHMS = ("HS256", "HS384", "HS512")
#: Header parameters that name a key chosen by the token's maker: never trusted.
KEY_HEADERS = ("jku", "jwk", "x5u", "x5c")
#: The shortest text read as an opaque token (Auth0's opaque tokens have 32 characters).
MIN_OPAQUE_LENGTH = 16
#: Header parameters whose meaning every JWS recipient knows (RFC 7515 §4.1, RFC 7516 §4.1),
#: which `crit` must therefore never list.
REGISTERED_HEADERS = frozenset(
    "alg jku jwk kid x5u x5c x5t x5t#S256 typ cty crit enc zip epk apu apv iv tag p2s p2c".split()  # noqa: SIM905
)
_B64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
# RFC 7235 token68: what an opaque bearer token may contain.
_TOKEN68 = re.compile(r"^[A-Za-z0-9._~+/-]+=*$")
_PREFIX = re.compile(r"^(?:authorization\s*:\s*)?(?:bearer(?:\s+|$))?", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimInfo:
    """One header parameter or claim, with what it means.

    Attributes:
        name: The claim name, e.g. ``aud``.
        value: The value as in the token.
        meaning: What the claim says, in words (with this token's value in mind).
        source: Where the claim is defined (``RFC 7519``, ``RFC 9068``, ``Auth0``, ...).
        text: The value for people: times as dates with "in 3 h", lists joined.
    """

    name: str
    value: Any
    meaning: str
    source: str
    text: str


@dataclass(frozen=True)
class TokenWarning:
    """Something a reader of the token should know (data, not a Python warning).

    Attributes:
        code: A stable identifier, e.g. ``expired`` or ``alg_none``.
        message: One sentence for people.
    """

    code: str
    message: str


@dataclass(frozen=True)
class DecodedToken:
    """A token taken apart, not verified: nothing in it is trustworthy until `verify` says so.

    Attributes:
        raw: The token as decoded, after cleaning up the pasted text.
        kind: ``jws`` (a signed JWT), ``jwe`` (an encrypted JWT) or ``opaque`` (not a JWT).
        header: The JOSE header (empty for opaque tokens).
        claims: The payload's claims (empty for encrypted and opaque tokens).
        segments: The base64url segments as in the token.
        signature: The signature bytes (JWS only).
        decoded_at: The instant the times below are relative to.
        issued_at: ``iat`` as a UTC datetime.
        not_before: ``nbf`` as a UTC datetime.
        expires_at: ``exp`` as a UTC datetime.
    """

    raw: str = field(repr=False)
    kind: TokenKind
    header: Mapping[str, Any]
    claims: Mapping[str, Any]
    segments: tuple[str, ...] = field(repr=False)
    signature: bytes = field(repr=False)
    decoded_at: datetime
    issued_at: datetime | None
    not_before: datetime | None
    expires_at: datetime | None

    # Explanations are built on first use, so verify() pays only for what it checks.
    @cached_property
    def header_info(self) -> tuple[ClaimInfo, ...]:
        """Each header parameter with its meaning."""
        from clientcreds.tokens.claims import (  # claims imports this module
            HEADER_PARAMETERS,
            explain,
        )

        now = self.decoded_at
        return tuple(explain(n, v, HEADER_PARAMETERS, now) for n, v in self.header.items())

    @cached_property
    def claim_info(self) -> tuple[ClaimInfo, ...]:
        """Each claim with its meaning."""
        from clientcreds.tokens.claims import CLAIMS, explain  # claims imports this module

        return tuple(explain(n, v, CLAIMS, self.decoded_at) for n, v in self.claims.items())

    @cached_property
    def warnings(self) -> tuple[TokenWarning, ...]:
        """What looks wrong or risky: expired, ``alg: none``, no ``kid``, opaque, ..."""
        times = {"iat": self.issued_at, "nbf": self.not_before, "exp": self.expires_at}
        return tuple(_warnings(self.kind, self.header, self.claims, times, self.decoded_at))

    @property
    def signing_input(self) -> bytes:
        """What a JWS signature covers: the header and payload segments, padding removed."""
        return f"{self.segments[0].rstrip('=')}.{self.segments[1].rstrip('=')}".encode("ascii")

    @property
    def alg(self) -> str | None:
        """The header's ``alg``."""
        return _str(self.header.get("alg"))

    @property
    def kid(self) -> str | None:
        """The header's ``kid``."""
        return _str(self.header.get("kid"))

    @property
    def lifetime(self) -> timedelta | None:
        """``exp`` minus ``iat``: how long the token was issued for."""
        if self.expires_at is None or self.issued_at is None:
            return None
        return self.expires_at - self.issued_at

    @property
    def remaining(self) -> timedelta | None:
        """``exp`` minus `decoded_at` (negative once expired)."""
        return None if self.expires_at is None else self.expires_at - self.decoded_at

    @property
    def audiences(self) -> tuple[str, ...]:
        """``aud`` as a tuple, whether the token has a string or a list."""
        return _audiences(self.claims.get("aud"))

    @property
    def scopes(self) -> tuple[str, ...]:
        """The space-separated ``scope`` claim as a tuple."""
        scope = self.claims.get("scope")
        return tuple(scope.split()) if isinstance(scope, str) else ()

    def to_dict(self) -> dict[str, Any]:
        """The decoded token as JSON-ready data (times in ISO 8601), without the raw token."""
        return {
            "kind": self.kind,
            "header": dict(self.header),
            "claims": dict(self.claims),
            "times": {
                "issued_at": _iso(self.issued_at),
                "not_before": _iso(self.not_before),
                "expires_at": _iso(self.expires_at),
                "lifetime_seconds": _seconds(self.lifetime),
                "remaining_seconds": _seconds(self.remaining),
            },
            "explanations": {c.name: c.meaning for c in self.claim_info},
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
        }

    def __str__(self) -> str:
        from clientcreds.views import display

        return display.decoded_text(self)

    def _repr_html_(self) -> str:
        from clientcreds.views import display

        return display.decoded_html(self)


def clean_token(text: str) -> str:
    """Strip what a paste adds: whitespace, quotes, a trailing comma, ``Bearer``, line breaks.

    A whole token response (``{"access_token": "...", ...}``) gives its access token.

    Raises:
        TokenFormatError: when nothing is left.
    """
    token = "".join(_unquoted(text).split())
    if not token:
        raise TokenFormatError("the token is empty: paste the access token itself")
    return token


def _unquoted(text: str) -> str:
    """The pasted text without quotes and prefix, its inner whitespace kept."""
    if not isinstance(text, str):
        raise TokenFormatError(f"a token must be text, not {type(text).__name__}")
    token = _from_response_json(text.strip()).rstrip(",").strip()
    while len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'`":
        token = token[1:-1].strip()
    return _PREFIX.sub("", token, count=1)


def _from_response_json(text: str) -> str:
    if not text.startswith("{"):
        return text
    try:
        value = bounded_json.loads(text)
    except ValueError:
        return text
    token = value.get("access_token") if isinstance(value, dict) else None
    if not isinstance(token, str):
        raise TokenFormatError(
            "this JSON has no access_token: paste the token itself, or the whole token response"
        )
    return token


def decode(token: str, *, now: datetime | None = None) -> DecodedToken:
    """Take a token apart without verifying anything.

    Args:
        token: A JWT (signed or encrypted) or an opaque token, as pasted.
        now: The instant to compute remaining time and warnings against (default: now, UTC).

    Returns:
        The decoded token, with explanations and warnings.

    Raises:
        TokenFormatError: naming the broken part (segment count, base64url, JSON).

    Example:
        >>> decode("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").claims
        {'sub': 'x'}
    """
    raw = clean_token(token)
    when = now or datetime.now(timezone.utc)
    segments = tuple(raw.split("."))
    if len(segments) == 1:
        _check_opaque(raw, _unquoted(token))
        return _build(raw, "opaque", {}, {}, segments, b"", when)
    if len(segments) not in (3, 5):
        raise TokenFormatError(
            f"the token has {len(segments)} segments separated by '.', but a signed JWT has 3 "
            "and an encrypted one 5: it was probably cut when copied, copy it again"
        )
    header = _json_segment(segments[0], "header")
    if len(segments) == 5:
        return _build(raw, "jwe", header, {}, segments, b"", when)
    claims = _json_segment(segments[1], "payload")
    signature = _b64decode(segments[2], "signature")
    return _build(raw, "jws", header, claims, segments, signature, when)


# --- decoding ---------------------------------------------------------------------------


def _check_opaque(raw: str, pasted: str) -> None:
    """Refuse text that no server would issue as an opaque token: words, symbols, a scrap."""
    if any(len(line.split()) > 1 for line in pasted.splitlines()):
        problem = "it contains spaces"
    elif not _TOKEN68.match(raw):
        bad = next((ch for ch in raw if not _TOKEN68.match(ch)), "=")
        problem = f"it contains {bad!r}, which bearer tokens do not use"
    elif len(raw) < MIN_OPAQUE_LENGTH:
        problem = f"it has only {len(raw)} characters"
    else:
        return
    raise TokenFormatError(
        f"this is not a token: {problem}; paste the access_token value of a token response"
    )


def _b64decode(segment: str, part: str) -> bytes:
    if not _B64URL.match(segment):
        bad = next(ch for ch in segment if not re.match(r"[A-Za-z0-9_=-]", ch))
        raise TokenFormatError(
            f"the {part} contains {bad!r}, which base64url does not use: "
            "copy the token again, whole and unchanged",
            part,
        )
    body = segment.rstrip("=")
    if len(body) % 4 == 1:
        raise TokenFormatError(
            f"the {part} has a base64url length no encoder produces ({len(body)} characters): "
            "the token was cut or altered, copy it again",
            part,
        )
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise TokenFormatError(f"the {part} is not valid base64url: copy it again", part) from None


def _json_segment(segment: str, part: str) -> dict[str, Any]:
    data = _b64decode(segment, part)
    try:
        value = bounded_json.loads(data)
    except (UnicodeDecodeError, JSONDecodeError):
        raise TokenFormatError(
            f"the {part} decodes to {data[:24]!r}…, which is not JSON: "
            "this is not a JWT (or it was altered)",
            part,
        ) from None
    except ValueError as exc:
        raise TokenFormatError(
            f"the {part} is JSON no issuer writes ({exc}): the token was forged or altered, "
            "refuse it",
            part,
        ) from None
    if not isinstance(value, dict):
        raise TokenFormatError(
            f"the {part} is JSON but not an object ({type(value).__name__}): this is not a JWT",
            part,
        )
    return value


def _build(
    raw: str,
    kind: TokenKind,
    header: dict[str, Any],
    claims: dict[str, Any],
    segments: tuple[str, ...],
    signature: bytes,
    now: datetime,
) -> DecodedToken:
    times = {name: numeric_date(claims.get(name)) for name in ("iat", "nbf", "exp")}
    return DecodedToken(
        raw=raw,
        kind=kind,
        header=header,
        claims=claims,
        segments=segments,
        signature=signature,
        decoded_at=now,
        issued_at=times["iat"],
        not_before=times["nbf"],
        expires_at=times["exp"],
    )


def crit_problem(header: Mapping[str, Any]) -> str | None:
    """Why the header's ``crit`` makes the token unacceptable, or None when it has no ``crit``.

    RFC 7515 §4.1.11: a recipient must refuse a token whose ``crit`` is malformed or lists an
    extension it does not understand. clientcreds understands none, so any ``crit`` refuses.
    """
    if "crit" not in header:
        return None
    crit = header["crit"]
    if not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit):
        return f"crit is {_brief(crit)}, not a non-empty list of header names"
    registered = [name for name in crit if name in REGISTERED_HEADERS]
    if registered:
        return f"crit lists {_names(registered)}, which crit must never name (registered)"
    missing = [name for name in crit if name not in header]
    if missing:
        return f"crit lists {_names(missing)}, absent from the header"
    return f"The token requires the extension {_names(crit)}, which clientcreds does not support"


def numeric_date(value: object) -> datetime | None:
    """A JWT NumericDate (seconds since the epoch) as a UTC datetime; None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _warnings(
    kind: TokenKind,
    header: Mapping[str, Any],
    claims: Mapping[str, Any],
    times: Mapping[str, datetime | None],
    now: datetime,
) -> list[TokenWarning]:
    if kind == "opaque":
        return [
            TokenWarning(
                "opaque",
                "This is an opaque token, not a JWT: Auth0 issues one when the request has no "
                "audience. Add audience (your API's identifier) to get a JWT.",
            )
        ]
    found = _header_warnings(kind, header)
    crit = crit_problem(header)
    if crit is not None:
        found.append(
            TokenWarning("crit", f"{crit}: RFC 7515 §4.1.11 says to refuse it, and verify does.")
        )
    if kind == "jwe":
        return found
    found += _time_warnings(claims, times, now)
    if "aud" not in claims:
        found.append(TokenWarning("no_aud", "The token has no aud: any API could accept it."))
    return found


def _header_warnings(kind: TokenKind, header: Mapping[str, Any]) -> list[TokenWarning]:
    found = []
    alg = header.get("alg")
    if kind == "jwe":
        found.append(
            TokenWarning(
                "encrypted",
                f"This token is encrypted (JWE, alg {alg}, enc {header.get('enc')}): only the "
                "API's private key can read its claims.",
            )
        )
    elif not isinstance(alg, str) or alg.lower() == "none":
        found.append(
            TokenWarning(
                "alg_none", "alg is 'none': the token is unsigned and anyone could have made it."
            )
        )
    elif alg in SYMMETRIC_ALGORITHMS:
        found.append(
            TokenWarning(
                "symmetric_alg",
                f"{alg} is symmetric: whoever can verify the token can also make one; "
                "verify it only with the API's signing secret.",
            )
        )
    if kind == "jws" and "kid" not in header:
        found.append(
            TokenWarning(
                "no_kid", "The header has no kid, so the key cannot be picked during rotation."
            )
        )
    for name in KEY_HEADERS:
        if name in header:
            found.append(
                TokenWarning(
                    f"header_{name}",
                    f"The header carries {name}: a key location chosen by the token's maker, "
                    "which a verifier must ignore.",
                )
            )
    return found


def _time_warnings(
    claims: Mapping[str, Any], times: Mapping[str, datetime | None], now: datetime
) -> list[TokenWarning]:
    found = []
    for name in ("iat", "nbf", "exp"):
        if name in claims and times[name] is None:
            found.append(
                TokenWarning(
                    f"bad_{name}", f"{name} is {_brief(claims[name])}, {not_a_date(claims[name])}."
                )
            )
    exp, nbf, iat = times["exp"], times["nbf"], times["iat"]
    if "exp" not in claims:
        found.append(TokenWarning("no_exp", "The token has no exp: it never expires."))
    elif exp is not None and exp <= now:
        found.append(TokenWarning("expired", f"The token expired {words.instant_text(exp, now)}."))
    if nbf is not None and nbf > now:
        found.append(
            TokenWarning(
                "not_yet_valid", f"The token is not valid before {words.instant_text(nbf, now)}."
            )
        )
    if iat is not None and iat > now:
        found.append(
            TokenWarning(
                "issued_in_future",
                f"The token was issued in the future ({words.instant_text(iat, now)}): "
                "a clock is wrong.",
            )
        )
    return found


# --- small helpers ----------------------------------------------------------------------


def _audiences(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def not_a_date(value: object) -> str:
    """Why `value` is no usable NumericDate: not a number, or a number beyond any date."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number beyond the range of dates (years 1 to 9999)"
    return "not a NumericDate"


def _brief(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _names(names: list[str]) -> str:
    return ", ".join(_brief(name) for name in names[:5]) + (" …" if len(names) > 5 else "")


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()
