"""The client layer: sending the token request and keeping the token (loads requests).

- `fetch`: `fetch_token`, one request with bounded retries and clear errors.
- `cache`: `ClientCredentials` and `TokenCache`, a thread-safe cached token source.
- `requests_auth`, `httpx_auth`: bearer auth for requests and httpx that renews on a 401.
"""
