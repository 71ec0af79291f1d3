"""Hypothesis strategies for hostile request values."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

#: Pieces that break naive quoting in some language, or try to run something if they do.
HOSTILE_PIECES = (
    *"'\"$`\\%+&=#!;|(){}[]<>*?~:@/^, \t\n\r\x0b\x0c\x7f",
    "{{",
    "}}",
    "\\'",
    '\\"',
    "\\\\",
    "\\n",
    "\\u0041",
    "\\x41",
    "%41",
    "%2B",
    "%20",
    "%%",
    "%zz",
    "%0A",
    "+%20+",
    "a=b&c=d",
    "\u200f",
    "\u200b",
    "\u2066",
    "\u00ad",
    "\x1b]0;title\x07",
    "\u202e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u00a0",
    "é",
    "日本",
    "🔑",
    "👩‍💻",
    "$HOME",
    "${HOME}",
    "$AUTH0_CLIENT_SECRET",
    "{{AUTH0_CLIENT_SECRET}}",
    "{{AUTH0_CLIENT_SECRET:json}}",
    "\\{{x}}",
    "$(touch pwned)",
    "`touch pwned`",
    "'; touch pwned; '",
    '"; touch pwned; "',
    "$'\\x41'",
    '")+open("pwned","w").close()+("',
    "'+open('pwned','w').close()+'",
    "${import('node:fs').then((f) => f.writeFileSync('pwned', ''))}",
    '" + import("node:fs").then((f) => f.writeFileSync("pwned", "")) + "',
    "</script>",
    "@pwned",
    "-d",
    "--data",
    "YOUR_CLIENT_SECRET",
)

hostile_text = (
    st.lists(
        st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=2)), min_size=1, max_size=6
    )
    .map("".join)
    .filter(bool)
)
any_text = st.text(min_size=1)
#: Either kind of value: hypothesis draws from both in one run. Values never start or end with
#: whitespace, which `TokenRequest` refuses (a pasted space or line break); inside, it stays.
request_text = st.one_of(hostile_text, any_text).map(str.strip).filter(bool)

#: Token endpoint paths beside Auth0's: Okta, Entra ID, Keycloak, and awkward but valid ones.
TOKEN_PATHS = (
    None,  # an Auth0 domain: /oauth/token
    "/oauth2/default/v1/token",
    "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
    "/realms/my%20realm/protocol/openid-connect/token",
    "/token?api-version=1.0&x=%41+b",
    "/a;b=c/it's/$(touch%20pwned)/token?q='&r=*",
)

#: API URLs' paths and queries beside the plain one: encoded, reserved and shell-hostile pieces.
API_PATHS = (
    "/",
    "/api/things",
    "/v1/things/42?expand=owner&fields=a,b",
    "/a;b=c/it's/$(touch%20pwned)?q='&r=*",
    "/%7Buser%7D/files/%E2%9C%93?path=%2Fetc%2Fpasswd&x=%41+b",
)


#: The hostile pieces an HTTP header value can hold: printable ASCII.
HEADER_SAFE_PIECES = tuple(p for p in HOSTILE_PIECES if all(" " <= c <= "~" for c in p))
#: Access tokens that are valid header values: printable ASCII (RFC 6750 tokens are ASCII),
#: hostile to every language's quoting, never starting or ending with a space.
token_text = (
    st.one_of(
        st.lists(st.sampled_from(HEADER_SAFE_PIECES), min_size=1, max_size=6).map("".join),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1),
    )
    .map(str.strip)
    .filter(bool)
)
#: A query value for an API URL, any text, percent-encoded as a browser would.
api_query = st.none() | request_text.map(lambda text: "q=" + quote(text, safe=""))
