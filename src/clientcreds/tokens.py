"""Access tokens: `decode` one to read it (never trusting it), `verify` one to trust it.

`decode` accepts what people paste: a ``Bearer`` prefix, surrounding quotes, whitespace and
line breaks, missing base64 padding. `verify` returns a report of every check, each with
what was expected and what the token had, so a failure says exactly why.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import jwt

from clientcreds import display
from clientcreds.jwks import JwksCache, JwksError, shared_cache
from clientcreds.secret import Secret

TokenKind = Literal["jws", "jwe", "opaque"]

#: Algorithms `verify` allows unless told otherwise (Auth0 signs with RS256 or PS256).
DEFAULT_ALGORITHMS: tuple[str, ...] = ("RS256", "PS256")
#: Seconds of clock difference tolerated on exp, nbf and iat (as express-oauth2-jwt-bearer).
DEFAULT_LEEWAY = 5.0

_SYMMETRIC = ("HS256", "HS384", "HS512")
_ASYMMETRIC = tuple(
    "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA".split()  # noqa: SIM905
)
_KEY_HEADERS = ("jku", "jwk", "x5u", "x5c")
_B64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
_PREFIX = re.compile(r"^(?:authorization\s*:\s*)?(?:bearer(?:\s+|$))?", re.IGNORECASE)
_PARTS_JWS = ("header", "payload", "signature")
_PARTS_JWE = ("header", "encrypted key", "initialization vector", "ciphertext", "tag")


class TokenFormatError(ValueError):
    """The text is not a token that can be decoded.

    Attributes:
        part: Which part is broken: ``token``, ``header``, ``payload`` or ``signature``.
    """

    def __init__(self, message: str, part: str = "token") -> None:
        super().__init__(message)
        self.part = part


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
        now = self.decoded_at
        return tuple(_explain(n, v, HEADER_PARAMETERS, now) for n, v in self.header.items())

    @cached_property
    def claim_info(self) -> tuple[ClaimInfo, ...]:
        """Each claim with its meaning."""
        return tuple(_explain(n, v, CLAIMS, self.decoded_at) for n, v in self.claims.items())

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
        return display.decoded_text(self)

    def _repr_html_(self) -> str:
        return display.decoded_html(self)


@dataclass(frozen=True)
class Check:
    """One verification check.

    Attributes:
        name: ``kind``, ``algorithm``, ``key``, ``signature``, ``issuer``, ``audience``,
            ``expiry``, ``not_before``, ``issued_at``, ``scope`` or ``typ``.
        passed: Whether the token passed it.
        expected: What the check wanted.
        actual: What the token had.
        message: One sentence for people, saying what to do on a failure.
    """

    name: str
    passed: bool
    expected: str
    actual: str
    message: str


@dataclass(frozen=True)
class VerificationReport:
    """The outcome of `verify`: every check, and the decoded token.

    A report is truthy only when every check passed, so ``if verify(...):`` is safe.

    Attributes:
        checks: Each check in order.
        decoded: The token as decoded (its claims are trustworthy only if `ok`).
    """

    checks: tuple[Check, ...]
    decoded: DecodedToken

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if not c.passed)

    def check(self, name: str) -> Check:
        """The check called `name`.

        Raises:
            KeyError: when no check has that name (e.g. ``scope`` when none were required).
        """
        for item in self.checks:
            if item.name == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "ok": self.ok,
            "checks": [
                {
                    "name": c.name,
                    "passed": c.passed,
                    "expected": c.expected,
                    "actual": c.actual,
                    "message": c.message,
                }
                for c in self.checks
            ],
            "token": self.decoded.to_dict(),
        }

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return display.report_text(self)

    def _repr_html_(self) -> str:
        return display.report_html(self)


def clean_token(text: str) -> str:
    """Strip what a paste adds: whitespace, quotes, a trailing comma, ``Bearer``, line breaks.

    A whole token response (``{"access_token": "...", ...}``) gives its access token.

    Raises:
        TokenFormatError: when nothing is left.
    """
    if not isinstance(text, str):
        raise TokenFormatError(f"a token must be text, not {type(text).__name__}")
    token = _from_response_json(text.strip()).rstrip(",").strip()
    while len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'`":
        token = token[1:-1].strip()
    token = _PREFIX.sub("", token, count=1)
    token = "".join(token.split())
    if not token:
        raise TokenFormatError("the token is empty: paste the access token itself")
    return token


def _from_response_json(text: str) -> str:
    if not text.startswith("{"):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
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


def verify(
    token: str,
    *,
    issuer: str,
    audience: str | Sequence[str],
    algorithms: Sequence[str] | None = None,
    jwks: JwksCache | str | Path | Mapping[str, Any] | None = None,
    secret: str | Secret | None = None,
    leeway: float | timedelta = DEFAULT_LEEWAY,
    required_scopes: str | Sequence[str] | None = None,
    typ: str | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify an access token and report every check.

    Keys come only from `jwks` or the issuer (discovery, then ``/.well-known/jwks.json``),
    never from the token's ``jku``, ``x5u``, ``jwk`` or ``x5c`` headers. HMAC algorithms
    use only `secret`, and keys from a key set are never used as HMAC secrets.

    Args:
        token: The access token, as pasted (see `decode`).
        issuer: The exact expected ``iss``; Auth0's is ``https://{domain}/`` with the slash.
        audience: The API identifier the token must be for (or several, any one suffices).
        algorithms: The allowed ``alg`` values (default RS256 and PS256, or HS256 when a
            `secret` is given). ``none`` is never allowed.
        jwks: A `JwksCache`, a JWKS URL or file path, or a JWKS object; default: the
            issuer's keys, cached for the process.
        secret: The API's signing secret, for HS256/384/512 only.
        leeway: Seconds (or a timedelta) of clock difference tolerated on exp, nbf and iat.
        required_scopes: Scopes the ``scope`` claim must contain (space-separated or a list).
        typ: A required header ``typ``, e.g. ``at+jwt`` (RFC 9068).
        now: The instant to check times against (default: now, UTC).

    Returns:
        The report; ``report.ok`` is True only when every check passed.

    Raises:
        TokenFormatError: when the text cannot be decoded at all.
        ValueError: for a bad option (``none`` or an unknown algorithm, an HMAC algorithm
            without a secret, a secret with no HMAC algorithm, a negative leeway, an issuer
            or JWKS URL that is not ``https://``).
    """
    allowed = _allowed_algorithms(algorithms, secret)
    tolerance = leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)
    if tolerance < 0:
        raise ValueError(f"leeway must be zero or more seconds, not {tolerance:g}")
    scopes = required_scopes.split() if isinstance(required_scopes, str) else required_scopes
    decoded = decode(token, now=now)
    if decoded.kind != "jws":
        return VerificationReport((_kind_check(decoded),), decoded)
    key_check, signature_check = _signature_checks(decoded, allowed, issuer, jwks, secret)
    checks = [
        _algorithm_check(decoded, allowed),
        key_check,
        signature_check,
        _issuer_check(decoded, issuer),
        _audience_check(decoded, audience),
        *_time_checks(decoded, tolerance),
    ]
    if scopes:
        checks.append(_scope_check(decoded, tuple(scopes)))
    if typ is not None:
        checks.append(_typ_check(decoded, typ))
    return VerificationReport(tuple(checks), decoded)


# --- decoding ---------------------------------------------------------------------------


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
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TokenFormatError(
            f"the {part} decodes to {data[:24]!r}…, which is not JSON: "
            "this is not a JWT (or it was altered)",
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
    times = {name: _time(claims.get(name)) for name in ("iat", "nbf", "exp")}
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


def _time(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


#: Registered header parameters: name -> (meaning, source).
HEADER_PARAMETERS: Mapping[str, tuple[str, str]] = {
    "alg": ("The algorithm the token is signed (or its key encrypted) with.", "RFC 7515 §4.1.1"),
    "typ": ("The token's media type: JWT, or at+jwt for an RFC 9068 access token.", "RFC 7515"),
    "kid": ("Which key of the issuer's key set signed the token.", "RFC 7515 §4.1.4"),
    "cty": ("The payload's content type (JWT for a nested token).", "RFC 7515 §4.1.10"),
    "jku": ("A URL of a key set, chosen by whoever made the token: never trusted.", "RFC 7515"),
    "jwk": ("A public key embedded by whoever made the token: never trusted.", "RFC 7515"),
    "x5u": (
        "A URL of a certificate chain, chosen by the token's maker: never trusted.",
        "RFC 7515",
    ),
    "x5c": ("An embedded certificate chain: never trusted as the key.", "RFC 7515 §4.1.6"),
    "x5t": ("A SHA-1 thumbprint of the signing certificate.", "RFC 7515 §4.1.7"),
    "x5t#S256": ("A SHA-256 thumbprint of the signing certificate.", "RFC 7515 §4.1.8"),
    "crit": ("Header extensions the recipient must understand.", "RFC 7515 §4.1.11"),
    "enc": ("The content encryption algorithm of an encrypted token.", "RFC 7516 §4.1.2"),
    "zip": ("Compression applied before encryption.", "RFC 7516 §4.1.3"),
}

#: Registered and Auth0 claims: name -> (meaning, source).
CLAIMS: Mapping[str, tuple[str, str]] = {
    "iss": ("Issuer: who made the token; Auth0's is https://{domain}/ with the slash.", "RFC 7519"),
    "sub": ("Subject: who the token is about.", "RFC 7519 §4.1.2"),
    "aud": ("Audience: the API(s) the token is for (the request's audience).", "RFC 7519"),
    "exp": ("Expires: the token must not be accepted from this instant.", "RFC 7519 §4.1.4"),
    "nbf": ("Not before: the token must not be accepted before this instant.", "RFC 7519"),
    "iat": ("Issued at: when the token was made.", "RFC 7519 §4.1.6"),
    "jti": ("JWT ID: a unique identifier of this token (for replay detection).", "RFC 7519"),
    "client_id": ("The application the token was issued to.", "RFC 9068 §2.2"),
    "scope": ("The granted scopes, space-separated.", "RFC 9068 §2.2.3"),
    "auth_time": ("When the user authenticated (absent for machine tokens).", "RFC 9068"),
    "acr": ("Authentication context class of the user's login.", "RFC 9068 §2.2.1"),
    "amr": ("Authentication methods used for the user's login.", "RFC 9068 §2.2.1"),
    "roles": ("Roles of the subject.", "RFC 9068 §2.2.3.1"),
    "groups": ("Groups of the subject.", "RFC 9068 §2.2.3.1"),
    "entitlements": ("Entitlements of the subject.", "RFC 9068 §2.2.3.1"),
    "azp": ("Authorized party: the application (client_id) the token was issued to.", "Auth0"),
    "gty": ("Grant type the token was issued by.", "Auth0"),
    "permissions": ("Permissions from RBAC (API setting: add permissions to the token).", "Auth0"),
    "org_id": ("The Auth0 Organization the token was issued for (its id).", "Auth0"),
    "org_name": ("The Auth0 Organization's name.", "Auth0"),
}


def _explain(
    name: str, value: Any, table: Mapping[str, tuple[str, str]], now: datetime
) -> ClaimInfo:
    meaning, source = table.get(name, ("", ""))
    if not meaning:
        if name.startswith(("http://", "https://")):
            meaning, source = "A custom claim, namespaced (added by an Auth0 Action).", "Auth0"
        else:
            meaning, source = "Not a registered claim: defined by the issuer.", "custom"
    if name == "sub" and isinstance(value, str) and value.endswith("@clients"):
        meaning += f" Here the application {value.removesuffix('@clients')} itself."
    if name == "gty" and value == "client-credentials":
        meaning += " Here the client-credentials grant (a machine-to-machine token)."
    return ClaimInfo(name, value, meaning, source, _value_text(name, value, now))


def _value_text(name: str, value: Any, now: datetime) -> str:
    when = _time(value) if name in ("iat", "nbf", "exp", "auth_time") else None
    if when is not None:
        return display.instant_text(when, now)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


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
    elif alg in _SYMMETRIC:
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
    for name in _KEY_HEADERS:
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
                TokenWarning(f"bad_{name}", f"{name} is {claims[name]!r}, not a NumericDate.")
            )
    exp, nbf, iat = times["exp"], times["nbf"], times["iat"]
    if "exp" not in claims:
        found.append(TokenWarning("no_exp", "The token has no exp: it never expires."))
    elif exp is not None and exp <= now:
        found.append(
            TokenWarning("expired", f"The token expired {display.instant_text(exp, now)}.")
        )
    if nbf is not None and nbf > now:
        found.append(
            TokenWarning(
                "not_yet_valid", f"The token is not valid before {display.instant_text(nbf, now)}."
            )
        )
    if iat is not None and iat > now:
        found.append(
            TokenWarning(
                "issued_in_future",
                f"The token was issued in the future ({display.instant_text(iat, now)}): "
                "a clock is wrong.",
            )
        )
    return found


# --- verifying --------------------------------------------------------------------------


def _allowed_algorithms(algorithms: Sequence[str] | None, secret: object) -> tuple[str, ...]:
    if algorithms is None:
        return ("HS256",) if secret is not None else DEFAULT_ALGORITHMS
    if isinstance(algorithms, str):
        algorithms = [algorithms]
    allowed = tuple(algorithms)
    if not allowed:
        raise ValueError("algorithms is empty: allow at least one, e.g. RS256")
    for alg in allowed:
        if alg.lower() == "none":
            raise ValueError("'none' cannot be allowed: an unsigned token proves nothing")
        if alg not in _SYMMETRIC and alg not in _ASYMMETRIC:
            known = ", ".join(_ASYMMETRIC + _SYMMETRIC)
            raise ValueError(f"unknown algorithm {alg!r}: use one of {known}")
    has_hmac = any(a in _SYMMETRIC for a in allowed)
    if has_hmac and secret is None:
        raise ValueError(
            "HS256/HS384/HS512 need the API's signing secret: pass secret=, or allow only "
            "asymmetric algorithms"
        )
    if secret is not None and not has_hmac:
        raise ValueError("a secret was given but no HS algorithm is allowed: add e.g. HS256")
    return allowed


def _kind_check(decoded: DecodedToken) -> Check:
    what = {"jwe": "an encrypted JWT (JWE)", "opaque": "an opaque token"}[decoded.kind]
    hint = (
        "decrypt it with the API's private key first"
        if decoded.kind == "jwe"
        else "request the token with audience set to your API's identifier to get a JWT"
    )
    return Check("kind", False, "a signed JWT (JWS)", what, f"This is {what}: {hint}.")


def _algorithm_check(decoded: DecodedToken, allowed: tuple[str, ...]) -> Check:
    alg = decoded.alg
    expected = "one of " + ", ".join(allowed)
    if alg in allowed:
        return Check("algorithm", True, expected, str(alg), f"{alg} is allowed.")
    if alg is None or alg.lower() == "none":
        message = "The token is unsigned (alg none): reject it."
    elif alg in _SYMMETRIC:
        message = (
            f"{alg} is not allowed: a token signed with an HMAC is refused unless the API's "
            "secret is given (this is how key-confusion forgeries are stopped)."
        )
    else:
        message = f"{alg} is not allowed: add it to algorithms if the API really signs with it."
    return Check("algorithm", False, expected, str(alg), message)


def _signature_checks(
    decoded: DecodedToken,
    allowed: tuple[str, ...],
    issuer: str,
    jwks: JwksCache | str | Path | Mapping[str, Any] | None,
    secret: str | Secret | None,
) -> tuple[Check, Check]:
    alg = decoded.alg
    sig_expected = f"a valid {alg} signature"
    if alg not in allowed or alg is None:
        skipped = Check(
            "signature", False, sig_expected, "not checked", "Not checked: alg refused."
        )
        return Check("key", False, "a trusted key", "none", "No key for a refused alg."), skipped
    key, key_check = _key(decoded, alg, issuer, jwks, secret)
    if key is None:
        return key_check, Check(
            "signature", False, sig_expected, "not checked", "Not checked: no key."
        )
    # alg was checked against the allow-list above; PyJWS would parse the token again, so
    # the decoded segments go straight to PyJWT's algorithm.
    algorithm = jwt.get_algorithm_by_name(alg)
    try:
        valid = algorithm.verify(
            decoded.signing_input, algorithm.prepare_key(key), decoded.signature
        )
    except (jwt.PyJWTError, TypeError, ValueError) as exc:
        return key_check, Check(
            "signature",
            False,
            sig_expected,
            "unusable key",
            f"The key cannot verify {alg} ({exc}).",
        )
    if not valid:
        return key_check, Check(
            "signature",
            False,
            sig_expected,
            "invalid",
            "The signature does not match the key: the token was altered or made by someone else.",
        )
    return key_check, Check("signature", True, sig_expected, "valid", "The signature is valid.")


def _key(
    decoded: DecodedToken,
    alg: str,
    issuer: str,
    jwks: JwksCache | str | Path | Mapping[str, Any] | None,
    secret: str | Secret | None,
) -> tuple[Any, Check]:
    if alg in _SYMMETRIC:
        assert secret is not None
        held = secret if isinstance(secret, Secret) else Secret(secret)
        value = held.reveal().encode("utf-8")
        return value, Check("key", True, "the given secret", "the given secret", "Using secret.")
    cache = _cache(issuer, jwks)
    expected = f"a key for {alg} with kid {decoded.kid!r} from {cache.source}"
    try:
        key = cache.get_key(decoded.kid, alg)
    except JwksError as exc:
        return None, Check("key", False, expected, "not found", f"{exc}.")
    ignored = [name for name in _KEY_HEADERS if name in decoded.header]
    note = f" The token's {', '.join(ignored)} header was ignored." if ignored else ""
    return key, Check("key", True, expected, f"kid {decoded.kid!r}", f"Key found.{note}")


def _cache(issuer: str, jwks: JwksCache | str | Path | Mapping[str, Any] | None) -> JwksCache:
    if isinstance(jwks, JwksCache):
        return jwks
    if isinstance(jwks, Mapping):
        return JwksCache(issuer, jwks=jwks)
    return shared_cache(issuer, jwks)


def _issuer_check(decoded: DecodedToken, issuer: str) -> Check:
    actual = decoded.claims.get("iss")
    if actual == issuer:
        return Check("issuer", True, issuer, str(actual), "The issuer matches exactly.")
    message = f"The token's iss is not {issuer!r}."
    if isinstance(actual, str) and actual.rstrip("/") == issuer.rstrip("/"):
        message += (
            " They differ only in the trailing '/': iss is compared exactly, and Auth0's "
            "issuer is https://{domain}/ with the slash."
        )
    return Check("issuer", False, issuer, _shown(actual), message)


def _audience_check(decoded: DecodedToken, audience: str | Sequence[str]) -> Check:
    wanted = (audience,) if isinstance(audience, str) else tuple(audience)
    expected = " or ".join(wanted)
    have = decoded.audiences
    actual = ", ".join(have) if have else "(none)"
    if any(a in have for a in wanted):
        return Check("audience", True, expected, actual, "The audience is one of the token's.")
    message = f"The token is not for {expected}: it was requested with another audience."
    if any(a.rstrip("/") == w.rstrip("/") for a in have for w in wanted):
        message += " They differ only in a trailing '/': audiences are compared exactly."
    return Check("audience", False, expected, actual, message)


def _time_checks(decoded: DecodedToken, leeway: float) -> list[Check]:
    now = decoded.decoded_at
    slack = timedelta(seconds=leeway)
    grace = f" (leeway {leeway:g} s)"
    exp, nbf, iat = decoded.expires_at, decoded.not_before, decoded.issued_at
    claims = decoded.claims
    if exp is None:
        what = "missing" if "exp" not in claims else _shown(claims["exp"])
        expiry = Check("expiry", False, "an exp in the future", what, "No usable exp: refuse.")
    elif exp + slack > now:
        expiry = Check(
            "expiry", True, "after now" + grace, display.instant_text(exp, now), "Not expired."
        )
    else:
        expiry = Check(
            "expiry",
            False,
            "after now" + grace,
            display.instant_text(exp, now),
            "The token has expired: get a new one.",
        )
    return [
        expiry,
        _not_after_now("not_before", nbf, "nbf", claims, now, slack, grace),
        _not_after_now("issued_at", iat, "iat", claims, now, slack, grace),
    ]


def _not_after_now(
    name: str,
    when: datetime | None,
    claim: str,
    claims: Mapping[str, Any],
    now: datetime,
    slack: timedelta,
    grace: str,
) -> Check:
    expected = "absent, or not after now" + grace
    if claim not in claims:
        return Check(name, True, expected, "absent", f"No {claim}.")
    if when is None:
        return Check(name, False, expected, _shown(claims[claim]), f"{claim} is not a NumericDate.")
    text = display.instant_text(when, now)
    if when - slack <= now:
        return Check(name, True, expected, text, f"{claim} is in the past.")
    why = "is not valid yet" if claim == "nbf" else "was issued in the future: a clock is wrong"
    return Check(name, False, expected, text, f"The token {why}.")


def _scope_check(decoded: DecodedToken, required: tuple[str, ...]) -> Check:
    have = decoded.scopes
    missing = [s for s in required if s not in have]
    expected = " ".join(required)
    actual = " ".join(have) or "(none)"
    if not missing:
        return Check("scope", True, expected, actual, "Every required scope is granted.")
    return Check(
        "scope",
        False,
        expected,
        actual,
        f"Missing scope {' '.join(missing)}: grant it to the application for this API.",
    )


def _typ_check(decoded: DecodedToken, typ: str) -> Check:
    actual = decoded.header.get("typ")
    ok = isinstance(actual, str) and _media(actual) == _media(typ)
    message = "typ matches." if ok else f"The header's typ is not {typ!r}."
    return Check("typ", ok, typ, _shown(actual), message)


def _media(value: str) -> str:
    # RFC 7515 §4.1.9: "application/" may be omitted from typ, and media types are caseless.
    return value.lower().removeprefix("application/")


# --- small helpers ----------------------------------------------------------------------


def _audiences(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _shown(value: object) -> str:
    return "(none)" if value is None else str(value)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()
