"""Trusting an access token: `verify` runs every check and reports each one.

Each check says what was expected and what the token had, so a failure says exactly why.
Keys come only from the caller or the issuer, never from the token itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from clientcreds.core import words
from clientcreds.core.secret import Secret
from clientcreds.exceptions import JwksError
from clientcreds.tokens.decoding import (
    KEY_HEADERS,
    SYMMETRIC_ALGORITHMS,
    DecodedToken,
    crit_problem,
    decode,
    not_a_date,
)
from clientcreds.tokens.keyset import JwksCache, shared_cache

#: Algorithms `verify` allows unless told otherwise (Auth0 signs with RS256 or PS256).
DEFAULT_ALGORITHMS: tuple[str, ...] = ("RS256", "PS256")
#: Seconds of clock difference tolerated on exp, nbf and iat (as express-oauth2-jwt-bearer).
DEFAULT_LEEWAY = 5.0

_ASYMMETRIC_ALGORITHMS = tuple(
    "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512 EdDSA".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Check:
    """One verification check.

    Attributes:
        name: ``kind``, ``algorithm``, ``crit`` (only when the header has one), ``key``,
            ``signature``, ``issuer``, ``audience``, ``expiry``, ``not_before``,
            ``issued_at``, ``scope`` or ``typ``.
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
        from clientcreds.views import display

        return display.report_text(self)

    def _repr_html_(self) -> str:
        from clientcreds.views import display

        return display.report_html(self)


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
        *_crit_check(decoded),
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
        if alg not in SYMMETRIC_ALGORITHMS and alg not in _ASYMMETRIC_ALGORITHMS:
            known = ", ".join(_ASYMMETRIC_ALGORITHMS + SYMMETRIC_ALGORITHMS)
            raise ValueError(f"unknown algorithm {alg!r}: use one of {known}")
    has_hmac = any(a in SYMMETRIC_ALGORITHMS for a in allowed)
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
    elif alg in SYMMETRIC_ALGORITHMS:
        message = (
            f"{alg} is not allowed: a token signed with an HMAC is refused unless the API's "
            "secret is given (this is how key-confusion forgeries are stopped)."
        )
    else:
        message = f"{alg} is not allowed: add it to algorithms if the API really signs with it."
    return Check("algorithm", False, expected, str(alg), message)


def _crit_check(decoded: DecodedToken) -> list[Check]:
    problem = crit_problem(decoded.header)
    if problem is None:
        return []
    actual = _shown(decoded.header["crit"])
    message = f"{problem}: RFC 7515 §4.1.11 says to refuse the token."
    return [Check("crit", False, "no crit (no header extension is understood)", actual, message)]


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
    if alg in SYMMETRIC_ALGORITHMS:
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
    ignored = [name for name in KEY_HEADERS if name in decoded.header]
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
        why = "missing" if "exp" not in claims else not_a_date(claims["exp"])
        expiry = Check("expiry", False, "an exp in the future", what, f"exp is {why}: refuse.")
    elif exp - now > -slack:  # not exp + slack: that overflows for an exp in the year 9999
        expiry = Check(
            "expiry", True, "after now" + grace, words.instant_text(exp, now), "Not expired."
        )
    else:
        expiry = Check(
            "expiry",
            False,
            "after now" + grace,
            words.instant_text(exp, now),
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
        message = f"{claim} is {not_a_date(claims[claim])}: refuse the token."
        return Check(name, False, expected, _shown(claims[claim]), message)
    text = words.instant_text(when, now)
    if when - now <= slack:
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


def _shown(value: object) -> str:
    return "(none)" if value is None else str(value)
