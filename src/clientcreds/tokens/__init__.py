"""The tokens layer: reading an access token and trusting it.

- `decoding`: `decode` takes a token apart and warns, trusting nothing (standard library only).
- `claims`: what each header parameter and claim means.
- `verification`: `verify` runs every check against the issuer's keys (loads PyJWT).
- `keyset`: `JwksCache`, the issuer-pinned key set with rotation handling (loads requests).
"""
