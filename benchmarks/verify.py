"""`verify()` with a warm key cache vs a raw `jwt.decode` with the key in hand, same token.

The token comes from the embedded tenant (RS256, the Auth0 profile); `verify()` fetches the
tenant's keys once (discovery, then JWKS) and then runs from its cache, doing every check of
its report; `jwt.decode` is PyJWT with the public key, issuer, audience and ``exp`` required.

    .venv/bin/python benchmarks/verify.py [--iterations 5000]
"""

from __future__ import annotations

import argparse

import jwt
import requests

from clientcreds import LocalTenant, verify
from timing import per_call_us


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    args = parser.parse_args()
    with LocalTenant() as tenant:
        wire = tenant.token_request().wire_request()
        response = requests.post(wire.url, data=wire.body, headers=dict(wire.headers), timeout=10)
        token = response.json()["access_token"]
        key = jwt.PyJWKSet.from_dict(tenant.jwks()).keys[0].key
        issuer, audience = tenant.issuer, tenant.audience

        def ours() -> object:
            report = verify(token, issuer=issuer, audience=audience)
            assert report.ok
            return report

        def raw() -> object:
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=audience,
                issuer=issuer,
                options={"require": ["exp", "iss", "aud"]},
            )

        peer_us = per_call_us(raw, args.iterations)
        mine_us = per_call_us(ours, args.iterations)
    print(f"verify one RS256 token, {args.iterations} iterations, µs per call")
    print(f"clientcreds verify (warm cache) {mine_us:8.1f}")
    print(f"raw jwt.decode (key in hand)    {peer_us:8.1f}")
    print(f"ratio                           {mine_us / peer_us:8.2f}")


if __name__ == "__main__":
    main()
