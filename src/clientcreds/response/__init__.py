"""What comes back from the token endpoint: the token response, the HTTP exchange it came in,
rate limits and quotas, and the catalogue that explains Auth0's errors."""

from clientcreds.response.catalogue import CATALOGUE, CatalogueEntry, explain
from clientcreds.response.exchange import HttpExchange
from clientcreds.response.ratelimit import QuotaBucket, RateLimit, parse_rate_limit
from clientcreds.response.token_response import TokenResponse, parse_token_response

__all__ = [
    "CATALOGUE",
    "CatalogueEntry",
    "HttpExchange",
    "QuotaBucket",
    "RateLimit",
    "TokenResponse",
    "explain",
    "parse_rate_limit",
    "parse_token_response",
]
