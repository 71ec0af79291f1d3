"""Start-up cost of one snippet from the shell: ``clientcreds snippet curl`` vs httpsnippet in Node.

Each command is a fresh process, timed from spawn to exit; the commands run in turn (one of
each per round, so a busy moment of the machine hits all of them) and the median of the
rounds is kept. Baselines: a bare ``python -c pass``, and Node loading httpsnippet 3, the
cost every httpsnippet-based tool pays before it renders anything.

    (cd benchmarks/node && npm ci)   # once: installs httpsnippet
    .venv/bin/python benchmarks/startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from snippet_peers import har_of
from snippets import seed_request

NODE_DIR = Path(__file__).parent / "node"
DOMAIN, CLIENT_ID, AUDIENCE = "tenant.auth0.com", "abc", "https://api.example.com/"
#: The goal: our whole command at most this fraction of httpsnippet's load alone.
GOAL = 0.5


def curl_har() -> dict[str, Any]:
    """The HAR of the request ``clientcreds snippet curl`` renders below (the seed's, edited)."""
    return har_of(seed_request().replace(domain=DOMAIN, client_id=CLIENT_ID, audience=AUDIENCE))


def our_command() -> list[str]:
    """The venv's ``clientcreds`` console script, or ``python -m clientcreds`` without one."""
    script = Path(sys.executable).with_name("clientcreds")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "clientcreds"]
    return [*base, "snippet", "curl", "--domain", DOMAIN, "--client-id", CLIENT_ID,
            "--audience", AUDIENCE]  # fmt: skip


def commands(node: str) -> dict[str, list[str]]:
    """What is timed, by label, in table order."""
    render = (
        "const { HTTPSnippet } = require('httpsnippet');"
        f"console.log(new HTTPSnippet({json.dumps(curl_har())}).convert('shell', 'curl'));"
    )
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "clientcreds snippet curl": our_command(),
        "node: load httpsnippet": [node, "-e", "require('httpsnippet')"],
        "node: httpsnippet curl": [node, "-e", render],
    }


def wall_ms(argv: list[str]) -> float:
    """Milliseconds from spawning `argv` (in benchmarks/node) to its exit; it must succeed."""
    start = time.perf_counter_ns()
    subprocess.run(argv, cwd=NODE_DIR, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter_ns() - start) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="rounds; the median is kept")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "httpsnippet").exists():
        sys.exit("httpsnippet is not installed: run (cd benchmarks/node && npm ci)")
    timed = commands(node)
    for argv in timed.values():  # warm-up: file caches, .pyc files
        wall_ms(argv)
    samples: dict[str, list[float]] = {label: [] for label in timed}
    for _ in range(args.runs):
        for label, argv in timed.items():
            samples[label].append(wall_ms(argv))
    median = {label: statistics.median(values) for label, values in samples.items()}
    print(f"process start-up to exit, median of {args.runs} alternating runs, ms")
    print(f"{'':28}{'median':>8}{'min':>8}")
    for label, values in samples.items():
        print(f"{label:28}{median[label]:8.1f}{min(values):8.1f}")
    ours = median["clientcreds snippet curl"]
    load = median["node: load httpsnippet"]
    verdict = "met" if ours <= GOAL * load else "NOT met"
    print(f"ours / httpsnippet load: {ours / load:.2f} (goal ≤ {GOAL}: {verdict})")
    print(f"ours / bare python:      {ours / median['python -c pass']:.2f}")


if __name__ == "__main__":
    main()
