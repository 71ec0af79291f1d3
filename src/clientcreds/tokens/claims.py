"""What each JOSE header parameter and JWT claim means, and how its value reads for people.

`DecodedToken.header_info` and `DecodedToken.claim_info` are built from these tables: a
registered name gets its meaning and the RFC (or Auth0) defining it, any other name is a
custom claim, and times read as dates with "in 3 h".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from clientcreds.core import words
from clientcreds.tokens.decoding import ClaimInfo, numeric_date

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
    "b64": ("false: the payload is not base64url-encoded (an extension).", "RFC 7797 §3"),
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


def explain(
    name: str, value: Any, table: Mapping[str, tuple[str, str]], now: datetime
) -> ClaimInfo:
    """The header parameter or claim `name` with its meaning from `table`, and its value as text.

    `now` is the instant times read against ("in 3 h").
    """
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
    when = numeric_date(value) if name in ("iat", "nbf", "exp", "auth_time") else None
    if when is not None:
        return words.instant_text(when, now)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
