"""decode() and verify(): real signatures, a real loopback issuer, and the hostile set."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import pytest

from clientcreds import JwksCache, Secret, TokenFormatError, VerificationReport, decode, verify
from tests.jwt_helpers import (
    HMAC_SECRET,
    NOW,
    KeyServer,
    b64,
    claims,
    hs256_with_key,
    later,
    raw_token,
    running_server,
    sign,
    sign_hs,
    signing_key,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

AUDIENCE = "https://api.example.com/"


class VerifyOptions(TypedDict, total=False):
    """The keyword options of `verify` that the tests vary."""

    algorithms: Sequence[str] | None
    jwks: JwksCache | str | Path | Mapping[str, Any] | None
    secret: str | Secret | None
    leeway: float | timedelta
    required_scopes: str | Sequence[str] | None
    typ: str | None
    now: datetime | None


@pytest.fixture
def issuer() -> Iterator[KeyServer]:
    """The issuer on loopback, serving discovery and a JWKS with keys rs1, ps1 and es1."""
    for server in running_server():
        server.behaviour.keys = [
            signing_key("rs1").public_jwk,
            signing_key("ps1", "PS256").public_jwk,
            signing_key("es1", "ES256").public_jwk,
        ]
        yield server


@pytest.fixture
def elsewhere() -> Iterator[KeyServer]:
    """An attacker's server: it must never receive a request."""
    for server in running_server():
        server.behaviour.keys = [signing_key("evil").public_jwk]
        yield server


def _verify(token: str, server: KeyServer, **options: Unpack[VerifyOptions]) -> VerificationReport:
    options.setdefault("now", NOW)
    options.setdefault("jwks", JwksCache(server.issuer))
    return verify(token, issuer=server.issuer, audience=AUDIENCE, **options)


# --- decode -----------------------------------------------------------------------------


def test_decode_reads_header_claims_times_and_explanations() -> None:
    token = sign(claims("https://tenant.auth0.com/"), signing_key("rs1"))
    decoded = decode(token, now=later(3600))
    assert decoded.kind == "jws"
    assert decoded.header == {"alg": "RS256", "kid": "rs1", "typ": "JWT"}
    assert decoded.claims["sub"] == "abc123@clients"
    assert decoded.issued_at == NOW
    assert decoded.expires_at == later(86400)
    assert decoded.lifetime == timedelta(days=1)
    assert decoded.remaining == timedelta(hours=23)
    assert decoded.segments == tuple(token.split("."))
    assert len(decoded.signature) == 256
    assert decoded.warnings == ()
    info = {c.name: c for c in decoded.claim_info}
    assert "application abc123 itself" in info["sub"].meaning
    assert "client-credentials grant" in info["gty"].meaning
    assert info["azp"].source == "Auth0"
    assert info["exp"].text == "2026-12-02 09:00:00 UTC (in 23 h)"
    assert info["iat"].text == "2026-12-01 09:00:00 UTC (1 h ago)"
    assert decoded.scopes == ("read:things", "write:things")


def _pastes(token: str) -> list[str]:
    head, payload, sig = token.split(".")
    return [
        f"Bearer {token}",
        f"bearer   {token}",
        f"Authorization: Bearer {token}",
        f'"{token}"',
        f"'{token}'",
        f'  "Bearer {token}",\n',
        f"\n\t{token}  \n",
        f"{head}.\n{payload[:10]}\n{payload[10:]}.{sig}",
        ".".join(seg + "=" * (-len(seg) % 4) for seg in (head, payload, sig)),
    ]


def test_decode_forgives_what_a_paste_adds() -> None:
    token = sign(claims("https://tenant.auth0.com/"), signing_key("rs1"))
    assert any(len(segment) % 4 for segment in token.split("."))  # padding is exercised
    expected = decode(token)
    for pasted in _pastes(token):
        decoded = decode(pasted, now=NOW)
        assert decoded.header == expected.header, pasted
        assert decoded.claims == expected.claims, pasted
        assert decoded.signature == expected.signature, pasted


@pytest.mark.parametrize(
    ("text", "part", "words"),
    [
        ("", "token", "empty"),
        ('  "Bearer "  ', "token", "empty"),
        ("aaa.bbb", "token", "2 segments"),
        ("a.b.c.d", "token", "4 segments"),
        ("a.b.c.d.e.f", "token", "6 segments"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIi+x.sig", "payload", "'+'"),
        ("eyJhbGciOiJIUzI1NiJ9.e.sig", "payload", "length"),
        (b64(b"not json") + ".e30.sig", "header", "not JSON"),
        (b64(b"[1, 2]") + ".e30.sig", "header", "not an object"),
        ("eyJhbGciOiJIUzI1NiJ9." + b64(b"\xff\xfe") + ".sig", "payload", "not JSON"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.s*g", "signature", "'*'"),
    ],
)
def test_decode_names_the_broken_part(text: str, part: str, words: str) -> None:
    with pytest.raises(TokenFormatError) as caught:
        decode(text)
    assert caught.value.part == part
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_decode_detects_an_encrypted_token() -> None:
    header = b64(json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "e1"}).encode())
    decoded = decode(f"{header}.{b64(b'k' * 32)}.{b64(b'iv')}.{b64(b'ct')}.{b64(b'tag')}")
    assert decoded.kind == "jwe"
    assert decoded.header["enc"] == "A256GCM"
    assert decoded.claims == {}
    assert [w.code for w in decoded.warnings] == ["encrypted"]
    assert "private key" in decoded.warnings[0].message
    assert {c.name for c in decoded.header_info} == {"alg", "enc", "kid"}


def test_decode_explains_an_opaque_token() -> None:
    decoded = decode("Bearer 8sXxj3kLmQpZ_opaqueTokenValue")
    assert decoded.kind == "opaque"
    assert decoded.header == {}
    assert decoded.claims == {}
    assert [w.code for w in decoded.warnings] == ["opaque"]
    assert "audience" in decoded.warnings[0].message


@pytest.mark.parametrize(
    ("changes", "headers", "code"),
    [
        ({"exp": int(later(-60).timestamp())}, {}, "expired"),
        ({"nbf": int(later(600).timestamp())}, {}, "not_yet_valid"),
        ({"iat": int(later(600).timestamp())}, {}, "issued_in_future"),
        ({"exp": None}, {}, "no_exp"),
        ({"exp": "tomorrow"}, {}, "bad_exp"),
        ({"aud": None}, {}, "no_aud"),
        ({}, {"kid": None}, "no_kid"),
        ({}, {"jku": "https://evil.example/jwks"}, "header_jku"),
        ({}, {"x5u": "https://evil.example/cert"}, "header_x5u"),
    ],
)
def test_decode_warns(changes: dict[str, object], headers: dict[str, object], code: str) -> None:
    token = sign(claims("https://t/", **changes), signing_key("rs1"), **headers)
    codes = [w.code for w in decode(token, now=NOW).warnings]
    assert codes == [code]


def test_decode_warns_about_alg_none_and_symmetric_algorithms() -> None:
    unsigned = raw_token({"alg": "none"}, claims("https://t/"), b"")
    assert "alg_none" in [w.code for w in decode(unsigned, now=NOW).warnings]
    hs = sign_hs(claims("https://t/"), kid="h1")
    assert [w.code for w in decode(hs, now=NOW).warnings] == ["symmetric_alg"]


def test_decode_explains_rfc9068_auth0_and_custom_claims() -> None:
    payload = claims(
        "https://t/",
        azp=None,
        gty=None,
        client_id="abc123",
        jti="j-1",
        permissions=["read:things"],
        org_id="org_1",
        org_name="acme",
        **{"https://example.com/tier": "gold", "tier": "x"},
    )
    decoded = decode(sign(payload, signing_key("rs1"), typ="at+jwt"), now=NOW)
    sources = {c.name: c.source for c in decoded.claim_info}
    assert sources["client_id"].startswith("RFC 9068")
    assert sources["jti"] == "RFC 7519"
    assert sources["permissions"] == sources["org_id"] == sources["org_name"] == "Auth0"
    assert sources["https://example.com/tier"] == "Auth0"
    assert sources["tier"] == "custom"
    texts = {c.name: c.text for c in decoded.claim_info}
    assert texts["permissions"] == "read:things"


def test_decoded_to_dict_is_json_without_the_raw_token() -> None:
    token = sign(claims("https://t/"), signing_key("rs1"))
    data = decode(token, now=NOW).to_dict()
    text = json.dumps(data)
    assert token not in text
    assert data["times"]["lifetime_seconds"] == 86400
    assert data["claims"]["gty"] == "client-credentials"


# --- verify: accepted -------------------------------------------------------------------


@pytest.mark.parametrize(("kid", "alg"), [("rs1", "RS256"), ("ps1", "PS256"), ("es1", "ES256")])
def test_verify_accepts_tokens_signed_by_the_issuer(issuer: KeyServer, kid: str, alg: str) -> None:
    token = sign(claims(issuer.issuer), signing_key(kid, alg))
    report = _verify(token, issuer, algorithms=["RS256", "PS256", "ES256"])
    assert report.ok, str(report)
    assert bool(report) is True
    assert [c.name for c in report.checks] == [
        "algorithm",
        "key",
        "signature",
        "issuer",
        "audience",
        "expiry",
        "not_before",
        "issued_at",
    ]
    assert issuer.requests == ["/.well-known/openid-configuration", "/jwks"]


def test_verify_uses_the_issuers_discovery_by_default(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer), signing_key("rs1"))
    report = verify(token, issuer=issuer.issuer, audience=AUDIENCE, now=NOW)
    assert report.ok, str(report)
    assert verify(token, issuer=issuer.issuer, audience=AUDIENCE, now=NOW).ok
    assert issuer.requests == ["/.well-known/openid-configuration", "/jwks"]  # cached


def test_verify_rejects_es256_unless_allowed(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer), signing_key("es1", "ES256"))
    report = _verify(token, issuer)
    assert not report.ok
    assert report.check("algorithm").actual == "ES256"
    assert [c.name for c in report.failures] == ["algorithm", "key", "signature"]
    assert issuer.requests == []


def test_verify_hs256_with_the_given_secret(issuer: KeyServer) -> None:
    token = sign_hs(claims(issuer.issuer))
    report = _verify(token, issuer, secret=Secret(HMAC_SECRET))
    assert report.ok, str(report)
    assert HMAC_SECRET not in str(report) + repr(report) + json.dumps(report.to_dict())
    wrong = _verify(token, issuer, secret="another-secret-that-is-long-enough-for-hs256!")
    assert [c.name for c in wrong.failures] == ["signature"]
    assert issuer.requests == []


def test_verify_accepts_any_matching_audience_and_leeway(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer, aud=["https://other/", AUDIENCE]), signing_key("rs1"))
    assert _verify(token, issuer).ok
    almost = sign(claims(issuer.issuer, exp=int(later(-3).timestamp())), signing_key("rs1"))
    assert _verify(almost, issuer, leeway=5).ok
    assert not _verify(almost, issuer, leeway=timedelta(0)).ok
    assert _verify(almost, issuer, leeway=0).check("expiry").message.startswith("The token has")


def test_verify_required_scopes_and_typ(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer), signing_key("rs1"), typ="application/at+jwt")
    report = _verify(token, issuer, required_scopes="read:things", typ="at+jwt")
    assert report.ok, str(report)
    report = _verify(token, issuer, required_scopes=["read:things", "delete:things"], typ="JWT")
    assert [c.name for c in report.failures] == ["scope", "typ"]
    assert "delete:things" in report.check("scope").message
    assert report.check("typ").actual == "application/at+jwt"


# --- verify: the hostile set ------------------------------------------------------------


def test_alg_none_is_rejected(issuer: KeyServer) -> None:
    for alg in ("none", "None", "NONE"):
        token = raw_token({"alg": alg, "kid": "rs1"}, claims(issuer.issuer), b"")
        report = _verify(token, issuer)
        assert not report.ok
        assert "unsigned" in report.check("algorithm").message
        assert not report.check("signature").passed
    with pytest.raises(ValueError, match="'none' cannot be allowed"):
        _verify(token, issuer, algorithms=["none"])
    assert issuer.requests == []


def test_rs256_to_hs256_key_confusion_is_rejected(issuer: KeyServer) -> None:
    public_pem = signing_key("rs1").public_pem
    token = hs256_with_key({"alg": "HS256", "kid": "rs1"}, claims(issuer.issuer), public_pem)
    report = _verify(token, issuer)
    assert not report.ok
    assert "key-confusion" in report.check("algorithm").message
    mixed = _verify(token, issuer, algorithms=["RS256", "HS256"], secret=HMAC_SECRET)
    assert mixed.check("algorithm").passed
    assert not mixed.check("signature").passed
    # Even a verifier misconfigured with the PEM as its secret does not accept it.
    misused = _verify(token, issuer, secret=public_pem.decode())
    assert not misused.check("signature").passed
    assert issuer.requests == []


@pytest.mark.parametrize("header", ["jku", "x5u", "jwk"])
def test_key_location_headers_are_never_followed(
    issuer: KeyServer, elsewhere: KeyServer, header: str
) -> None:
    evil = signing_key("evil")
    value = evil.public_jwk if header == "jwk" else elsewhere.jwks_url
    forged = sign(claims(issuer.issuer), evil, **{header: value})
    report = _verify(forged, issuer)
    assert not report.ok
    assert not report.check("key").passed
    assert "'evil'" in report.check("key").message
    assert elsewhere.requests == []
    assert issuer.requests  # the issuer was asked, and only the issuer
    genuine = sign(claims(issuer.issuer), signing_key("rs1"), **{header: value})
    report = _verify(genuine, issuer)
    assert report.ok
    assert f"{header} header was ignored" in report.check("key").message
    assert elsewhere.requests == []


def test_wrong_issuer_is_rejected_with_the_trailing_slash_hint(issuer: KeyServer) -> None:
    no_slash = sign(claims(issuer.base), signing_key("rs1"))
    report = _verify(no_slash, issuer)
    assert [c.name for c in report.failures] == ["issuer"]
    assert "trailing '/'" in report.check("issuer").message
    assert report.check("issuer").actual == issuer.base
    token = sign(claims(issuer.issuer), signing_key("rs1"))
    cache = JwksCache(issuer.issuer, jwks=issuer.jwks_url)
    report = verify(token, issuer=issuer.base, audience=AUDIENCE, jwks=cache, now=NOW)
    assert [c.name for c in report.failures] == ["issuer"]
    other = sign(claims("https://evil.example/"), signing_key("rs1"))
    report = _verify(other, issuer)
    assert "trailing" not in report.check("issuer").message
    assert not report.ok


def test_wrong_audience_is_rejected(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer, aud="https://api.example.com"), signing_key("rs1"))
    report = _verify(token, issuer)
    assert [c.name for c in report.failures] == ["audience"]
    assert "trailing '/'" in report.check("audience").message
    missing = sign(claims(issuer.issuer, aud=None), signing_key("rs1"))
    assert _verify(missing, issuer).check("audience").actual == "(none)"


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"exp": int(later(-3600).timestamp())}, "expiry"),
        ({"exp": None}, "expiry"),
        ({"exp": "soon"}, "expiry"),
        ({"nbf": int(later(600).timestamp())}, "not_before"),
        ({"nbf": "later"}, "not_before"),
        ({"iat": int(later(600).timestamp())}, "issued_at"),
    ],
)
def test_time_claims_are_checked(
    issuer: KeyServer, changes: dict[str, object], failed: str
) -> None:
    token = sign(claims(issuer.issuer, **changes), signing_key("rs1"))
    report = _verify(token, issuer)
    assert [c.name for c in report.failures] == [failed]


def test_unknown_kid_then_rotation(issuer: KeyServer) -> None:
    ticks = [0.0]
    cache = JwksCache(issuer.issuer, cooldown=30, clock=lambda: ticks[0])
    assert _verify(sign(claims(issuer.issuer), signing_key("rs1")), issuer, jwks=cache).ok
    issuer.behaviour.keys = [signing_key("rs2").public_jwk]  # the tenant rotates its key
    rotated = sign(claims(issuer.issuer), signing_key("rs2"))
    ticks[0] = 31.0
    assert _verify(rotated, issuer, jwks=cache).ok
    assert issuer.requests == ["/.well-known/openid-configuration", "/jwks", "/jwks"]
    unknown = sign(claims(issuer.issuer), signing_key("rs3"))
    report = _verify(unknown, issuer, jwks=cache)
    assert "no RS256 key with kid 'rs3'" in report.check("key").message
    assert len(issuer.requests) == 3  # within the cooldown: no fetch


def test_jwks_down_or_garbage_fails_the_key_check(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer), signing_key("rs1"))
    for mode, words in (("down", "HTTP 503"), ("garbage", "did not return JSON")):
        issuer.behaviour.mode = mode
        report = _verify(token, issuer)
        assert [c.name for c in report.failures] == ["key", "signature"]
        assert words in report.check("key").message


def test_encrypted_and_opaque_tokens_cannot_be_verified(issuer: KeyServer) -> None:
    jwe = ".".join([b64(b'{"alg":"RSA-OAEP-256","enc":"A256GCM"}'), "a", "b", "c", "d"])
    for token, words in ((jwe, "decrypt"), ("opaqueTokenValue", "audience")):
        report = _verify(token, issuer)
        assert not report.ok
        assert not bool(report)
        assert [c.name for c in report.checks] == ["kind"]
        assert words in report.checks[0].message
    assert issuer.requests == []


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"algorithms": []}, "empty"),
        ({"algorithms": ["RS257"]}, "unknown algorithm"),
        ({"algorithms": ["HS256"]}, "signing secret"),
        ({"secret": "x" * 40, "algorithms": ["RS256"]}, "no HS algorithm"),
        ({"leeway": -1}, "leeway"),
    ],
)
def test_bad_options_are_value_errors(
    issuer: KeyServer, options: VerifyOptions, words: str
) -> None:
    token = sign(claims(issuer.issuer), signing_key("rs1"))
    with pytest.raises(ValueError, match=words) as caught:
        _verify(token, issuer, **options)
    assert "x" * 40 not in str(caught.value)


def test_report_to_dict_lists_every_check(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer, aud="https://nope/"), signing_key("rs1"))
    data = _verify(token, issuer).to_dict()
    assert data["ok"] is False
    failed = [c for c in data["checks"] if not c["passed"]]
    assert failed == [
        {
            "name": "audience",
            "passed": False,
            "expected": AUDIENCE,
            "actual": "https://nope/",
            "message": failed[0]["message"],
        }
    ]
    json.dumps(data)


def test_verify_forgives_a_pasted_token_too(issuer: KeyServer) -> None:
    token = sign(claims(issuer.issuer), signing_key("rs1"))
    for pasted in _pastes(token):
        assert _verify(pasted, issuer).ok, pasted
    head, _, sig = token.split(".")
    forged_payload = b64(json.dumps(claims(issuer.issuer, scope="admin")).encode())
    tampered = f"{head}.{forged_payload}.{sig}"
    assert [c.name for c in _verify(tampered, issuer).failures] == ["signature"]


def test_decode_takes_a_pasted_token_response() -> None:
    token = sign(claims("https://t/"), signing_key("rs1"))
    body = json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 86400})
    assert decode(f"  {body}\n").claims["iss"] == "https://t/"
    with pytest.raises(TokenFormatError, match="no access_token"):
        decode('{"error": "access_denied"}')
