"""The explorer's reaction time: from a field change to every snippet tab updated, in the kernel.

Each change types a new domain into the form (a value never seen before, so no memoised
highlighting helps), which reads the form, validates the request, renders every target,
highlights each snippet and sets every tab's HTML. Side by side: `render_all` alone for the
same requests, the library's part of that work. No front end is attached (as in a kernel
before the comm messages leave it). Goal: median ≤ 5 ms.

    .venv/bin/python benchmarks/explorer.py [--changes 500]
"""

from __future__ import annotations

import argparse
import statistics
import time

from clientcreds import TokenRequest, render_all, targets
from clientcreds.core.secret import Secret
from clientcreds.explorer import Defaults, Explorer
from clientcreds.explorer.app import snippet_panes

GOAL_MS = 5.0


def _defaults() -> Defaults:
    return Defaults(
        domain="tenant.auth0.com",
        client_id="abc123",
        client_secret=Secret("s3cr3t"),
        audience="https://api.example.com/",
        scope="read:things",
    )


def explorer_changes(app: Explorer, changes: int, offset: int) -> list[float]:
    """Milliseconds per change, typing a new domain each time."""
    field = app.inputs["domain"]
    timings = []
    for i in range(changes):
        domain = f"tenant-{offset + i}.eu.auth0.com"
        start = time.perf_counter_ns()
        field.value = domain
        timings.append((time.perf_counter_ns() - start) / 1e6)
        curl = targets().index("curl")
        assert domain in snippet_panes(app.tabs)[curl].value, "the curl tab did not follow"
    return timings


def render_only(changes: int, offset: int) -> list[float]:
    """Milliseconds per `TokenRequest` plus `render_all` for the same values."""
    timings = []
    for i in range(changes):
        start = time.perf_counter_ns()
        request = TokenRequest(
            domain=f"tenant-{offset + i}.eu.auth0.com",
            client_id="abc123",
            client_secret="s3cr3t",
            audience="https://api.example.com/",
            scope="read:things",
        )
        render_all(request)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def _summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95)]
    return f"median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms, best {ordered[0]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=500)
    args = parser.parse_args()
    with Explorer(_defaults()) as app:
        explorer_changes(app, 50, 10**6)  # warm-up: imports, lexers
        ours = explorer_changes(app, args.changes, 0)
    render_only(50, 10**6)
    library = render_only(args.changes, 0)
    median = statistics.median(ours)
    count = len(targets())
    print(f"explorer: field change -> {count} snippet tabs updated ({args.changes} changes)")
    print(f"  explorer:   {_summary(ours)}")
    print(f"  render_all: {_summary(library)}  (the library's share)")
    print(f"  ratio explorer / render_all: {median / statistics.median(library):.1f}x")
    verdict = "meets" if median <= GOAL_MS else "MISSES"
    print(f"  {verdict} the goal of {GOAL_MS:g} ms (median)")


if __name__ == "__main__":
    main()
