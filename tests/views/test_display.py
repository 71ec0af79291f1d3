"""HTML and text renderings: every catalogue entry, escaping, segments, checks, secrets."""

from __future__ import annotations

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from clientcreds import (
    CATALOGUE,
    CatalogueEntry,
    JwksCache,
    OAuthError,
    TokenFormatError,
    decode,
    parse_token_response,
    verify,
)
from clientcreds.core import words
from clientcreds.views import display
from tests.jwt_helpers import HMAC_SECRET, NOW, b64, claims, later, sign, sign_hs, signing_key

HOSTILE = '<script>alert("x")</script>'


class _Tags(HTMLParser):
    """Collects tag names and text, to check HTML structure rather than substrings."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.key)
def test_every_catalogue_entry_renders(entry: CatalogueEntry) -> None:
    text = str(entry)
    assert text.splitlines()[0] == entry.title
    assert entry.cause in text
    assert entry.fix in text
    page = _parse(entry._repr_html_())
    assert "table" in page.tags
    assert entry.fix in "".join(page.text)
    assert ("will not help" in text) is (not entry.retry)


def test_the_whole_catalogue_renders_as_one_table() -> None:
    page = _parse(display.catalogue_html(CATALOGUE))
    assert page.tags.count("tr") == len(CATALOGUE) + 1


def test_oauth_error_renders_cause_and_fix_escaped() -> None:
    error = OAuthError(403, "access_denied", f"Service not enabled within domain: {HOSTILE}")
    html = error._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Identifier" in html  # the fix
    text = display.oauth_error_text(error)
    assert "will not help" in text
    assert HOSTILE in text


def test_unknown_error_renders_without_explanation() -> None:
    text = display.oauth_error_text(OAuthError(400, "new_thing"))
    assert "cause" not in text
    assert "(none)" in text


def test_token_response_renders_without_the_token() -> None:
    token = sign(claims("https://t/"), signing_key("rs1"))
    headers = {
        "x-ratelimit-limit": "30",
        "x-ratelimit-remaining": "29",
        "x-ratelimit-reset": "1796115630",
        "Auth0-Client-Quota-Limit": "b=per_hour;q=10;r=7;t=3540",
        "Date": "Tue, 01 Dec 2026 08:59:00 GMT",
    }
    body = json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 86400})
    response = parse_token_response(200, headers, body, received_at=NOW)
    for rendering in (str(response), response._repr_html_()):
        assert token not in rendering
        assert "29 of 30 left" in rendering
        assert "7 of 10 left, resets in 59 min" in rendering
        assert "1 min ahead of the server" in rendering
        assert "2026-12-02 09:00:00 UTC (in 1 d)" in rendering


def test_decoded_token_html_has_coloured_segments_and_escaped_claims() -> None:
    token = sign(claims("https://t/", sub=HOSTILE, **{HOSTILE: [HOSTILE]}), signing_key("rs1"))
    html = decode(token, now=NOW)._repr_html_()
    assert "<script>" not in html
    page = _parse(html)
    spans = [t for t in page.tags if t == "span"]
    assert len(spans) == 3
    for colour in display.SEGMENT_COLOURS[:3]:
        assert f'<span style="color:{colour}">' in html
    assert HOSTILE in "".join(page.text)  # shown, as text
    assert "2026-12-02 09:00:00 UTC (in 1 d)" in "".join(page.text)


def test_decoded_text_lists_claims_meanings_and_warnings() -> None:
    payload = claims(
        "https://t/", iat=int(later(-3600).timestamp()), exp=int(later(-120).timestamp())
    )
    text = str(decode(sign(payload, signing_key("rs1")), now=NOW))
    assert "decoded, NOT verified" in text
    assert "gty: client-credentials" in text
    assert "Grant type the token was issued by" in text
    assert "! The token expired 2026-12-01 08:58:00 UTC (2 min ago)." in text
    assert "Lifetime 58 min; expired 2 min ago" in text
    fresh = decode(sign(claims("https://t/"), signing_key("rs1")), now=later(3600))
    assert "Lifetime 1 d; expires in 23 h" in fresh._repr_html_()


def test_jwe_and_opaque_render() -> None:
    jwe = ".".join([b64(b'{"alg":"RSA-OAEP-256","enc":"A256GCM"}'), "a", "b", "c", "d"])
    assert len(_parse(decode(jwe)._repr_html_()).tags) > 0
    assert decode(jwe)._repr_html_().count("<span") == 5
    opaque = decode("8sXxj3kLmQpZ_opaque+Token/Value==")
    assert "8sXxj3kLmQpZ_opaque+Token/Value==" in opaque._repr_html_()
    assert "opaque token" in str(opaque)
    with pytest.raises(TokenFormatError, match="not a token"):
        decode("opaque<b>tag</b>more-than-16")  # markup is no token, so none reaches HTML


def test_report_renders_every_check_without_the_secret() -> None:
    token = sign_hs(claims("https://t/", aud="https://other/"))
    report = verify(
        token,
        issuer="https://t/",
        audience="https://api.example.com/",
        secret=HMAC_SECRET,
        now=NOW,
    )
    text = str(report)
    assert text.startswith("Token is INVALID")
    assert "[FAIL] audience" in text
    assert "[ok  ] signature" in text
    html = report._repr_html_()
    page = _parse(html)
    cells = "".join(page.text)
    for check in report.checks:
        assert check.name in cells
    assert cells.count("✘ fail") == 1
    assert HMAC_SECRET not in text + html


def test_valid_report_html() -> None:
    key = signing_key("rs1")
    token = sign(claims("https://t/"), key)
    cache = JwksCache("https://t/", jwks={"keys": [key.public_jwk]})
    report = verify(
        token, issuer="https://t/", audience="https://api.example.com/", jwks=cache, now=NOW
    )
    assert "Token is valid" in report._repr_html_()
    assert "FAIL" not in str(report)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0 s"),
        (timedelta(seconds=59), "59 s"),
        (timedelta(seconds=3599), "59 min 59 s"),
        (timedelta(days=1, hours=2, minutes=3), "1 d 2 h"),
        (timedelta(seconds=-90), "1 min 30 s"),
    ],
)
def test_duration_text(delta: timedelta, text: str) -> None:
    assert words.duration_text(delta) == text


def test_relative_text() -> None:
    assert words.relative_text(later(3600), NOW) == "in 1 h"
    assert words.relative_text(later(-60), NOW) == "1 min ago"
    assert words.relative_text(later(0.5), NOW) == "now"


def test_text_renderings_escape_terminal_control_characters() -> None:
    title = "\x1b]0;title\x07"
    error = OAuthError(403, "access_denied", f"denied{title}\r\nfake: line", "https://e/\x1b[2J")
    body = json.dumps({"access_token": "a" * 40, "token_type": "Bearer", "scope": f"read{title}"})
    response = parse_token_response(200, {}, body, received_at=NOW)
    for text in (display.oauth_error_text(error), display.token_response_text(response)):
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\\x1b]0;title\\x07" in text
    assert "denied\\x1b]0;title\\x07\\r\\nfake: line" in display.oauth_error_text(error)
