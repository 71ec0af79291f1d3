"""Render time per target, clientcreds vs Kong's httpsnippet 3, and the time to prove a batch.

1. Both render the seed's token request (POST https://YOUR_DOMAIN/oauth/token, form body) in
   each of the eight targets they share, one target at a time and all eight at once, in one run
   of this script; httpsnippet runs in Node, timed in-process there after a warm-up (of every
   target, then of each loop), so process start-up is not counted for either side. The pairs
   compared are `PAIRS`; the best of alternating rounds is kept, the machine being shared.
2. For each compiled runtime (Go, Java, C# on Mono, C with libcurl), one batch of 15 snippets
   (the twelve token-request combinations, the API call in each secret mode) is rendered and run
   by the test harness's runner against capture servers, exactly as the equivalence tests prove
   it; the runner call is timed, first (cold: this process's first build) and warm.

    (cd benchmarks/node && npm ci)   # once: installs httpsnippet
    .venv/bin/python benchmarks/snippets.py [--iterations 5000] [--rounds 5] [--warm-batches 1]
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientcreds import TokenRequest, render, render_all
from timing import per_call_us

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).parent / "node"
#: Every clientcreds target and the httpsnippet target/client rendering the same thing.
PAIRS: dict[str, tuple[str, str]] = {
    "http": ("http", "http1.1"),
    "curl": ("shell", "curl"),
    "python-requests": ("python", "requests"),
    "javascript-fetch": ("javascript", "fetch"),
    "go-native": ("go", "native"),
    "java-httpclient": ("java", "nethttp"),
    "csharp-httpclient": ("csharp", "httpclient"),
    "c-libcurl": ("c", "libcurl"),
}
#: The compiled runtimes and the harness module and function that run a batch of each.
COMPILED: dict[str, tuple[str, str]] = {
    "go-native": ("tests.harness.go_runner", "go_runner"),
    "java-httpclient": ("tests.harness.java_runner", "java_runner"),
    "csharp-httpclient": ("tests.harness.csharp_runner", "csharp_runner"),
    "c-libcurl": ("tests.harness.c_runner", "c_runner"),
}
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
#: The API call of each batch: a GET with a token a header carries as is.
API_PATH = "/api/things"
API_TOKEN = "eyJz93a.k4laUWw-token"


def seed_request() -> TokenRequest:
    return TokenRequest(
        domain="YOUR_DOMAIN",
        client_id=FIELDS["client_id"],
        client_secret=FIELDS["client_secret"],
        audience=FIELDS["audience"],
    )


def one_target(request: TokenRequest, name: str) -> Callable[[], str]:
    return lambda: render(request, name)


def ours(iterations: int) -> dict[str, float]:
    """µs per call: each target alone, all of them by `render_all`, and with the request built."""
    request = seed_request()
    names = list(PAIRS)
    times = {name: per_call_us(one_target(request, name), iterations) for name in names}
    times["all_render_only_us"] = per_call_us(lambda: render_all(request, names=names), iterations)
    times["all_build_and_render_us"] = per_call_us(
        lambda: render_all(seed_request(), names=names), iterations
    )
    return times


def theirs(iterations: int) -> dict[str, float]:
    """The same timings of httpsnippet, keyed by our target names."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "httpsnippet").exists():
        sys.exit("httpsnippet is not installed: run (cd benchmarks/node && npm ci)")
    done = subprocess.run(
        [node, str(NODE_DIR / "httpsnippet_bench.mjs"), str(iterations)],
        input=json.dumps({"har": HAR, "targets": list(PAIRS.values())}),
        capture_output=True,
        text=True,
        check=True,
        cwd=NODE_DIR,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    per_target: dict[str, float] = result["per_target_us"]
    times = {name: float(per_target[f"{t}/{c}"]) for name, (t, c) in PAIRS.items()}
    times["all_render_only_us"] = float(result["all_render_only_us"])
    times["all_build_and_render_us"] = float(result["all_build_and_render_us"])
    return times


def report_render(iterations: int, rounds: int) -> None:
    """Print the render table: best of `rounds` alternating rounds of each side."""
    peers, mines = [], []
    for _ in range(rounds):  # alternate, so a busy moment of the machine hits both
        peers.append(theirs(iterations))
        mines.append(ours(iterations))
    peer = {key: min(p[key] for p in peers) for key in peers[0]}
    mine = {key: min(m[key] for m in mines) for key in mines[0]}
    print(
        f"one token request, best of {rounds} rounds of {iterations} iterations, "
        "µs per call (ratio = clientcreds / httpsnippet, goal <= 1.00)"
    )
    print(
        f"{'clientcreds target':20}{'httpsnippet':20}{'clientcreds':>12}{'httpsnippet':>13}"
        f"{'ratio':>8}"
    )
    rows = [(name, f"{t}/{c}", mine[name], peer[name]) for name, (t, c) in PAIRS.items()]
    summed = sum(peer[name] for name in PAIRS)
    rows += [
        ("render_all, all 8", "sum of the 8 above", mine["all_render_only_us"], summed),
        (
            "render_all, all 8",
            "all 8 in one loop",
            mine["all_render_only_us"],
            peer["all_render_only_us"],
        ),
        (
            "build + all 8",
            "new HTTPSnippet + 8",
            mine["all_build_and_render_us"],
            peer["all_build_and_render_us"],
        ),
    ]
    for label, peer_label, ours_us, theirs_us in rows:
        ratio = ours_us / theirs_us
        flag = "" if ratio <= 1.0 else "  slower"
        print(f"{label:20}{peer_label:20}{ours_us:12.1f}{theirs_us:13.1f}{ratio:8.2f}{flag}")


@dataclass
class Batch:
    """One batch run and checked: how long the runner call took and what came of it."""

    seconds: float
    succeeded: int
    jobs: int
    failure: str  # empty when every case was proven


def harness() -> Any:
    """The proof module (`Values`, `ApiValues`, the batch), imported from the repository."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        import tests.harness.proof as proof
    except ImportError:  # before the proof moved out of the test module
        import tests.snippets.test_equivalence as proof  # type: ignore[no-redef]
    return proof


def checks_of(target: str) -> Any:
    """What the equivalence test checks beyond equivalence for `target`, if the table exists."""
    try:
        from tests.harness.targets import RUNTIMES
    except ImportError:
        return None
    return RUNTIMES[target].checks


def prove_batch(
    target: str, runner: Callable[[Sequence[Any]], list[Any]], servers: list[Any]
) -> Batch:
    """Render the seed's batch, run it by `runner` (only that call timed), check every case."""
    proof = harness()
    values = proof.Values(
        client_id=FIELDS["client_id"],
        client_secret=FIELDS["client_secret"],
        audience=FIELDS["audience"],
        scope=None,
        organization=None,
        token_path=None,
    )
    drawn = (values, proof.ApiValues(path=API_PATH, query=None, method="GET", token=API_TOKEN))
    seconds: list[float] = []
    outcomes: list[Any] = []

    def timed(jobs: Sequence[Any]) -> list[Any]:
        start = time.perf_counter()
        result = runner(jobs)
        seconds.append(time.perf_counter() - start)
        outcomes.extend(result)
        return result

    failure = ""
    with tempfile.TemporaryDirectory(prefix=f"bench-{target}-") as scratch:
        root = Path(scratch) / "batch"
        try:
            if hasattr(proof, "run_batch"):
                cases = proof.batch_cases(target, drawn, servers)
                checks = checks_of(target)
                extra = () if checks is None else (checks,)
                proof.run_batch(target, timed, cases, root, *extra)
            else:
                root.mkdir()
                proof.check(target, timed, drawn, servers, root)
        except AssertionError as exc:
            failure = (str(exc).strip() or "assertion failed").splitlines()[0]
        finally:
            for server in servers:
                server.take()
    return Batch(
        seconds=seconds[0] if seconds else float("nan"),
        succeeded=sum(1 for outcome in outcomes if outcome.ok),
        jobs=len(outcomes),
        failure=failure,
    )


def make_runner(module: str, function: str) -> tuple[Any, str]:
    """The harness's batch runner, or None and why (a missing runtime skips, as in the tests)."""
    import pytest

    harness()  # puts the repository on sys.path
    try:
        return getattr(importlib.import_module(module), function)(), ""
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        return None, str(getattr(exc, "msg", exc))


def report_batches(warm_batches: int) -> None:
    """Print, per compiled runtime, the seconds one batch of 15 takes, cold and warm."""
    proof = harness()  # also puts the repository on sys.path
    from tests.harness.capture import CaptureServer

    print()
    print(
        "prove one batch per compiled runtime: 15 snippets (12 token-request combinations + "
        "the API call in 3 secret modes)"
    )
    print(f"runner call only, seconds; warm = best of {warm_batches} after the first (cold)")
    print(f"{'runtime':20}{'cold s':>9}{'warm s':>9}{'snippets ok':>13}  proven")
    with ExitStack() as stack:
        count = len(proof.COMBOS) + len(proof.SECRET_MODES)
        servers = [stack.enter_context(CaptureServer()) for _ in range(count)]
        for target, (module, function) in COMPILED.items():
            runner, why = make_runner(module, function)
            if runner is None:
                print(f"{target:20}runtime missing, not timed: {why}")
                continue
            cold = prove_batch(target, runner, servers)
            warm = [prove_batch(target, runner, servers) for _ in range(warm_batches)]
            batches = [cold, *warm]
            best = min(batch.seconds for batch in warm) if warm else float("nan")
            ok = f"{min(b.succeeded for b in batches)}/{max(b.jobs for b in batches)}"
            failures = [batch.failure for batch in batches if batch.failure]
            verdict = f"NO: {failures[0]}" if failures else "yes"
            print(f"{target:20}{cold.seconds:9.2f}{best:9.2f}{ok:>13}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; best kept")
    parser.add_argument("--warm-batches", type=int, default=1, help="warm batches per runtime")
    args = parser.parse_args()
    report_render(args.iterations, args.rounds)
    report_batches(args.warm_batches)


if __name__ == "__main__":
    main()
