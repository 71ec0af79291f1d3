"""Hostile tokens and key sets: crit, deep nesting, endless numbers, far times, not-a-token
text, non-JSON output and terminal escapes (issue 11, "Verify and decode").

Every token here is signed correctly with the test keys, so a failure is the rule at work,
never a bad signature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
import pytest

from clientcreds import JwksError, TokenFormatError, decode, verify
from clientcreds.cli import main
from clientcreds.core import bounded_json
from clientcreds.core.words import printable
from clientcreds.tokens.keyset import JwksCache, parse_jwks
from clientcreds.tokens.verification import VerificationReport
from clientcreds.views import display
from tests.jwt_helpers import NOW, b64, claims, running_server, signing_key

ISSUER = "https://tenant.example.com/"
AUDIENCE = "https://api.example.com/"
KEY = signing_key("rs1")
JWKS = {"keys": [KEY.public_jwk]}
DEEP = 50_000
TITLE = "\x1b]0;title\x07"


def _json(part: Mapping[str, Any] | str) -> bytes:
    return (part if isinstance(part, str) else json.dumps(dict(part))).encode()


def signed(header: Mapping[str, Any] | str, payload: Mapping[str, Any] | str) -> str:
    """A token signed with rs1 over exactly these header and payload texts."""
    signing_input = f"{b64(_json(header))}.{b64(_json(payload))}"
    signature = jwt.get_algorithm_by_name("RS256").sign(signing_input.encode(), KEY.private)
    return f"{signing_input}.{b64(signature)}"


def header(**extra: Any) -> dict[str, Any]:
    return {"alg": "RS256", "typ": "JWT", "kid": KEY.kid, **extra}


def check(token: str) -> VerificationReport:
    return verify(token, issuer=ISSUER, audience=AUDIENCE, jwks=JWKS, now=NOW)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- crit (RFC 7515 §4.1.11) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"crit": ["https://example.com/ext"], "https://example.com/ext": 1}, "which clientcreds"),
        ({"b64": False, "crit": ["b64"]}, "the extension 'b64'"),
        ({"crit": "b64", "b64": False}, "not a non-empty list"),
        ({"crit": []}, "not a non-empty list"),
        ({"crit": [7]}, "not a non-empty list"),
        ({"crit": ["alg"]}, "must never name"),
        ({"crit": ["ext"]}, "absent from the header"),
    ],
)
def test_a_signed_token_with_crit_fails_verification(extra: dict[str, Any], words: str) -> None:
    token = signed(header(**extra), claims(ISSUER))
    report = check(token)
    assert report.check("signature").passed  # signed correctly: only crit refuses it
    assert not report.ok
    assert [c.name for c in report.failures] == ["crit"]
    assert words in report.check("crit").message
    assert "RFC 7515 §4.1.11" in report.check("crit").message
    assert "[FAIL] crit:" in str(report)
    warning = next(w for w in decode(token, now=NOW).warnings if w.code == "crit")
    assert words in warning.message


def test_a_token_without_crit_has_no_crit_check() -> None:
    report = check(signed(header(), claims(ISSUER)))
    assert report.ok
    assert "crit" not in [c.name for c in report.checks]


# --- nesting and endless numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "payload", "part", "words"),
    [
        (f'{{"alg":"RS256","kid":"rs1","x":{nested(DEEP)}}}', claims(ISSUER), "header", "nests"),
        (header(), f'{{"iss":"{ISSUER}","x":{nested(DEEP)}}}', "payload", "nests"),
        (header(), f'{{"exp": {"9" * 5000}}}', "payload", "5000 characters"),
        (header(), '{"exp": 1e400}', "payload", "beyond the range"),
        (header(), '{"exp": NaN}', "payload", "NaN"),
        (header(), '{"exp": -Infinity}', "payload", "-Infinity"),
        (f'{{"alg":"RS256","kid":{"1" * 70}}}', claims(ISSUER), "header", "70 characters"),
    ],
)
def test_hostile_json_is_a_token_format_error_naming_the_part(
    head: dict[str, Any] | str, payload: dict[str, Any] | str, part: str, words: str
) -> None:
    token = signed(head, payload)
    for attempt in (lambda: decode(token), lambda: check(token)):
        with pytest.raises(TokenFormatError) as caught:
            attempt()
        assert caught.value.part == part
        assert words in str(caught.value)
        assert str(caught.value).count(". ") == 0  # one sentence


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    decoded = decode(signed(header(), claims(ISSUER, note="[" * 500 + '\\"{')), now=NOW)
    assert decoded.claims["note"].startswith("[[[")
    assert bounded_json.nesting_depth('["]]]", [[1], "\\"["]]') == 3


def test_nesting_depth_is_linear_on_unterminated_strings() -> None:
    import time

    start = time.perf_counter()
    assert bounded_json.nesting_depth('"' + '\\"' * 200_000 + "\\") == 0
    assert time.perf_counter() - start < 1.0


def _deep_dict(depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    inner = root
    for _ in range(depth):
        inner["a"] = {}
        inner = inner["a"]
    return root


def test_a_deeply_nested_key_set_is_a_jwks_error(tmp_path: Path) -> None:
    small = '{"keys": [' + nested(1900) + "]}"  # under 4 KB
    assert len(small) < 4096
    path = tmp_path / "jwks.json"
    path.write_text(small, encoding="utf-8")
    with pytest.raises(JwksError, match="nests 1902 levels deep"):
        JwksCache(ISSUER, jwks=path).refresh()
    (tmp_path / "deep.json").write_text('{"keys": [' + nested(DEEP) + "]}", encoding="utf-8")
    with pytest.raises(JwksError, match="nests"):
        JwksCache(ISSUER, jwks=tmp_path / "deep.json").refresh()
    document = {"keys": [{"kty": "oct", "k": _deep_dict(DEEP)}, KEY.public_jwk]}
    with pytest.raises(JwksError, match="nests deeper than 64 levels"):
        parse_jwks(document, "the given JWKS")
    report = verify(
        signed(header(), claims(ISSUER)), issuer=ISSUER, audience=AUDIENCE, jwks=document, now=NOW
    )
    assert "nests deeper" in report.check("key").message


def test_a_deeply_nested_key_set_from_a_url_is_a_jwks_error() -> None:
    for server in running_server():
        deep: list[Any] = []
        for _ in range(200):  # deep enough to refuse, shallow enough for the server to send
            deep = [deep]
        server.behaviour.keys = [KEY.public_jwk, deep]  # type: ignore[list-item]
        with pytest.raises(JwksError, match="nests 203 levels deep"):
            JwksCache(server.issuer, jwks=server.jwks_url).refresh()


def test_a_key_set_with_an_endless_number_is_a_jwks_error(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text('{"keys": [{"kty": "RSA", "e": ' + "1" * 5000 + "}]}", encoding="utf-8")
    with pytest.raises(JwksError, match="5000 characters"):
        JwksCache(ISSUER, jwks=path).refresh()


# --- times beyond any date ---------------------------------------------------------------


@pytest.mark.parametrize("exp", [1e300, -1e300, 10**60, -(10**60)])
def test_an_exp_beyond_any_date_is_an_invalid_time(exp: float) -> None:
    token = signed(header(), claims(ISSUER, exp=exp))
    decoded = decode(token, now=NOW)
    assert decoded.expires_at is None
    assert "beyond the range of dates" in next(w.message for w in decoded.warnings)
    expiry = check(token).check("expiry")
    assert not expiry.passed
    assert "beyond the range of dates" in expiry.message
    assert "beyond the range" in str(decoded)


def test_times_at_the_edges_of_the_calendar_do_not_overflow() -> None:
    year_9999, year_1 = 253402300799, -62135596800
    report = check(signed(header(), claims(ISSUER, exp=year_9999, nbf=year_1, iat=year_1)))
    assert report.ok, report.failures
    assert "9999-12-31" in report.check("expiry").actual
    late = check(signed(header(), claims(ISSUER, nbf=year_9999, iat=year_9999)))
    assert [c.name for c in late.failures] == ["not_before", "issued_at"]


# --- output is always JSON ---------------------------------------------------------------


def test_json_text_never_writes_nan() -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        display.json_text({"exp": float("nan")})
    assert json.loads(display.json_text({"x": "é\ud800"})) == {"x": "é\ud800"}


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_decode_json_refuses_non_finite_claims(
    capsys: pytest.CaptureFixture[str], literal: str
) -> None:
    token = signed(header(), f'{{"iss": "{ISSUER}", "exp": {literal}}}')
    for command in ("decode", "verify"):
        argv = [command, token, "--json"]
        if command == "verify":
            argv += ["--issuer", ISSUER, "--audience", AUDIENCE]
        code, out, err = _cli(capsys, *argv)
        assert code != 0
        assert out == ""
        assert "payload" in err
        assert literal not in out


def test_decode_and_verify_json_stay_json_with_any_claim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    token = signed(header(), claims(ISSUER, exp=1e300, name=TITLE, odd="\ud800"))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(JWKS), encoding="utf-8")
    code, out, _ = _cli(capsys, "decode", token, "--json")
    assert code == 0
    assert json.loads(out)["claims"]["name"] == TITLE
    verify_argv = ["verify", token, "--issuer", ISSUER, "--audience", AUDIENCE, "--jwks"]
    code, out, _ = _cli(capsys, *verify_argv, str(jwks), "--json")
    assert code == 1
    assert json.loads(out)["ok"] is False


# --- text that is not a token ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("garbage", "only 7 characters"),
        ("garbage words", "spaces"),
        ("this is definitely not an access token at all", "spaces"),
        ("Bearer hello", "only 5 characters"),
        ("<html><title>Login</title></html>", "'<'"),
        ("ünïcödé-wörds-that-are-long", "'ü'"),
        ("abc=def-more-than-sixteen", "'='"),
    ],
)
def test_text_that_is_not_a_token_is_refused(text: str, words: str) -> None:
    with pytest.raises(TokenFormatError, match="this is not a token") as caught:
        decode(text)
    assert words in str(caught.value)
    assert caught.value.part == "token"


@pytest.mark.parametrize(
    "text",
    [
        "8sXxj3kLmQpZ_opaqueTokenValue",
        "Bearer jPW2-zcE9L1Fwkdz3uC4fRPYB2hBvA7X",
        "aGVsbG8gd29ybGQgaGVsbG8\nd29ybGQgaGVsbG8=",
        "abc~def+ghi/jkl-mno_pqr" * 2,
    ],
)
def test_opaque_tokens_still_decode_as_opaque(text: str) -> None:
    assert decode(text).kind == "opaque"


def test_cli_decode_garbage_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "decode", "garbage")
    assert code != 0
    assert out == ""
    assert "this is not a token" in err


# --- terminal escapes --------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal_raw(
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = signed(header(kid=f"rs1{TITLE}"), claims(f"{ISSUER}{TITLE}", name=TITLE))
    decoded = decode(token, now=NOW)
    report = check(token)
    _, out, _ = _cli(capsys, "decode", token)
    for text in (str(decoded), str(report), out):
        assert "\x1b" not in text
        assert "\x07" not in text
    assert "\\x1b]0;title\\x07" in str(decoded)
    assert "\\x1b]0;title\\x07" in str(report)


def test_printable_escapes_controls_and_keeps_ordinary_unicode() -> None:
    assert printable(TITLE) == "\\x1b]0;title\\x07"
    assert printable("line\nnext\r\x9b\u202e\ud800") == "line\\nnext\\r\\x9b\\u202e\\ud800"
    assert printable("é 🎉 tab\there ✓") == "é 🎉 tab\there ✓"
