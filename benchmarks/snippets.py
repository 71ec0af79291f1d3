"""Time to render every core target for one request: clientcreds vs Kong's httpsnippet 3.

Both render the seed's request (the four core targets: http, curl, python-requests,
javascript-fetch) in one run of this script; httpsnippet runs in Node, timed in-process there
after a warm-up, so process start-up is not counted for either side.

    (cd benchmarks/node && npm ci)   # once: installs httpsnippet
    .venv/bin/python benchmarks/snippets.py [--iterations 5000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from clientcreds import TokenRequest, render_all
from timing import per_call_us

CORE = ("http", "curl", "python-requests", "javascript-fetch")
NODE_DIR = Path(__file__).parent / "node"
FIELDS = {
    "audience": "API_IDENTIFIER",
    "grant_type": "client_credentials",
    "client_id": "YOUR_CLIENT_ID",
    "client_secret": "YOUR_CLIENT_SECRET",
}
HAR = {
    "method": "POST",
    "url": "https://YOUR_DOMAIN/oauth/token",
    "httpVersion": "HTTP/1.1",
    "headers": [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
    "queryString": [],
    "cookies": [],
    "headersSize": -1,
    "bodySize": -1,
    "postData": {
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": k, "value": v} for k, v in FIELDS.items()],
    },
}


def seed_request() -> TokenRequest:
    return TokenRequest(
        domain="YOUR_DOMAIN",
        client_id=FIELDS["client_id"],
        client_secret=FIELDS["client_secret"],
        audience=FIELDS["audience"],
    )


def ours(iterations: int) -> dict[str, float]:
    request = seed_request()
    return {
        "build_and_render_us": per_call_us(
            lambda: render_all(seed_request(), names=CORE), iterations
        ),
        "render_only_us": per_call_us(lambda: render_all(request, names=CORE), iterations),
    }


def theirs(iterations: int) -> dict[str, object]:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "httpsnippet").exists():
        sys.exit("httpsnippet is not installed: run (cd benchmarks/node && npm ci)")
    done = subprocess.run(
        [node, str(NODE_DIR / "httpsnippet_bench.mjs"), str(iterations)],
        input=json.dumps(HAR),
        capture_output=True,
        text=True,
        check=True,
        cwd=NODE_DIR,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; best kept")
    args = parser.parse_args()
    peers, mines = [], []
    for _ in range(args.rounds):  # alternate, so a busy moment of the machine hits both
        peers.append(theirs(args.iterations))
        mines.append(ours(args.iterations))
    keys = ("build_and_render_us", "render_only_us")
    peer = {key: min(float(p[key]) for p in peers) for key in keys}  # type: ignore[arg-type]
    mine = {key: min(m[key] for m in mines) for key in keys}
    print(
        f"four core targets, one request, best of {args.rounds} rounds of "
        f"{args.iterations} iterations, µs per request"
    )
    print(f"{'':22}{'clientcreds':>12}{'httpsnippet':>13}{'ratio':>8}")
    rows = [("build_and_render_us", "build + render"), ("render_only_us", "render only")]
    for key, label in rows:
        print(f"{label:22}{mine[key]:12.1f}{peer[key]:13.1f}{mine[key] / peer[key]:8.2f}")


if __name__ == "__main__":
    main()
