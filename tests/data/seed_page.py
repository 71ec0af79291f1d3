"""Auth0's "Get Token" reference page for the client-credentials flow, as test data.

Transcribed from Auth0's Authentication API reference ("Client Credential Flow", "Get
Token"): the page's raw HTTP example, its placeholders and its request-parameter table. The
tests check that rendering the page's own values gives the page's own request.
"""

from __future__ import annotations

#: The page's placeholders, by request field. The domain's (``${account.namespace}``) is a
#: template expression no domain validation accepts; the tests use ``YOUR_DOMAIN`` instead.
PLACEHOLDERS: dict[str, str] = {
    "domain": "${account.namespace}",
    "client_id": "${account.clientId}",
    "client_secret": "YOUR_CLIENT_SECRET",
    "audience": "API_IDENTIFIER",
}

#: The request line's method and path, and the body's ``Content-Type``.
METHOD = "POST"
PATH = "/oauth/token"
CONTENT_TYPE = "application/x-www-form-urlencoded"

#: The body of the page's raw HTTP example, byte for byte (the pair order is the page's).
HTTP_BODY = (
    "audience=API_IDENTIFIER&grant_type=client_credentials"
    "&client_id=${account.clientId}&client_secret=YOUR_CLIENT_SECRET"
)

#: The "Request Parameters" table: every parameter, in the page's order, and all required.
REQUIRED_PARAMETERS: tuple[str, ...] = ("grant_type", "client_id", "client_secret", "audience")
