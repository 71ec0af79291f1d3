"""Hypothesis strategies for hostile request values."""

from __future__ import annotations

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
