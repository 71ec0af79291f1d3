"""Render time per target, clientcreds vs Kong's httpsnippet 3; which snippets survive hostile
values; and the time to prove a batch, per runtime.

1. Render time. Both render the seed's token request (POST https://YOUR_DOMAIN/oauth/token,
   form body) in each of the 18 targets they share (`PAIRS`), one target at a time and all at
   once; httpsnippet runs in Node, timed in-process there after a warm-up (of every target,
   then of each loop), so process start-up is not counted for either side. The best of
   alternating rounds is kept, the machine being shared. python-urllib's peer is httpsnippet's
   python/python3, which is http.client: the closest standard-library client it has.
   python-httpx has no httpsnippet peer (its python clients are python3 and requests).
2. Hostile values, in the same table: the token request with each of a fixed list of hostile
   values (benchmarks/snippet_peers.py), rendered by both and run by the same runner of the
   test harness against loopback capture servers: how many of each side's snippets ran and
   sent a request equivalent to the expected one (tests/harness/equivalence.py), and whether a
   plain control (the seed's values) did. httpsnippet's snippets that are fragments, or need
   another file name, are wrapped or saved as stated in the output; two that cannot run here
   as given are also run once changed (reported apart, not counted). Every snippet runs with
   stdin at /dev/null, as from a script, however this script was started.
3. Batch proofs. For every runtime of the test harness (tests/harness/targets.py RUNTIMES),
   one batch of the seed's 15 cases (the twelve token-request combinations, the API call in
   each secret mode; fewer where a target justly refuses one) is rendered, run by the
   runtime's batch runner and checked exactly as the equivalence tests do; the runner call is
   timed, first (cold: this process's first batch on that runtime) and warm. These run first,
   so that nothing else in this process has warmed a runtime before its cold batch.

    (cd benchmarks/node && npm ci)   # once: installs httpsnippet
    .venv/bin/python benchmarks/snippets.py [--iterations 2000] [--rounds 3] [--warm-batches 1]

The runtimes are the ones the tests use (make installs them); a missing one is reported and
skipped. About four to five minutes on two busy cores with every runtime installed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import snippet_peers as peers
from clientcreds import TokenRequest, render, render_all
from clientcreds.snippets import SECRET_MODES
from timing import per_call_us

#: Every clientcreds target that httpsnippet 3.0.10 also has, and its target/client there.
PAIRS: dict[str, tuple[str, str]] = {
    "http": ("http", "http1.1"),
    "curl": ("shell", "curl"),
    "shell-httpie": ("shell", "httpie"),
    "shell-wget": ("shell", "wget"),
    "python-requests": ("python", "requests"),
    "python-urllib": ("python", "python3"),  # http.client: its closest standard-library client
    "javascript-fetch": ("javascript", "fetch"),
    "node-native": ("node", "native"),
    "node-axios": ("node", "axios"),
    "go-native": ("go", "native"),
    "java-httpclient": ("java", "nethttp"),
    "java-okhttp": ("java", "okhttp"),
    "csharp-httpclient": ("csharp", "httpclient"),
    "c-libcurl": ("c", "libcurl"),
    "php-curl": ("php", "curl"),
    "php-guzzle": ("php", "guzzle"),
    "ruby-nethttp": ("ruby", "native"),
    "rust-reqwest": ("rust", "reqwest"),
}
#: Our targets without a peer, and why.
NO_PEER = {
    "python-httpx": "httpsnippet has no httpx client (its python clients: python3, requests)",
}
PEER_NOTES = {
    "python-urllib": "python/python3 is http.client, not urllib: the closest standard-library "
    "peer httpsnippet has",
}
FIELDS = {
    "audience": "API_IDENTIFIER",
    "grant_type": "client_credentials",
    "client_id": "YOUR_CLIENT_ID",
    "client_secret": "YOUR_CLIENT_SECRET",
}
#: The API call of each batch: a GET with a token a header carries as is.
API_PATH = "/api/things"
API_TOKEN = "eyJz93a.k4laUWw-token"


def progress(message: str) -> None:
    """Say what is running, on stderr (the report is stdout)."""
    print(f"[snippets] {message}", file=sys.stderr, flush=True)


# --- 1. render time -----------------------------------------------------------------------


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
    """µs per call: each target alone (peerless ones too), all shared ones by `render_all`,
    and with the request built."""
    request = seed_request()
    names = list(PAIRS)
    times = {name: per_call_us(one_target(request, name), iterations) for name in PAIRS}
    times |= {name: per_call_us(one_target(request, name), iterations) for name in NO_PEER}
    times["all_render_only_us"] = per_call_us(lambda: render_all(request, names=names), iterations)
    times["all_build_and_render_us"] = per_call_us(
        lambda: render_all(seed_request(), names=names), iterations
    )
    return times


def theirs(iterations: int) -> dict[str, float]:
    """The same timings of httpsnippet, keyed by our target names."""
    har = peers.har_of(seed_request())
    result = peers.httpsnippet(
        [str(iterations)], {"har": har, "targets": [list(pair) for pair in PAIRS.values()]}
    )
    per_target: dict[str, float] = result["per_target_us"]
    times = {name: float(per_target[f"{t}/{c}"]) for name, (t, c) in PAIRS.items()}
    times["all_render_only_us"] = float(result["all_render_only_us"])
    times["all_build_and_render_us"] = float(result["all_build_and_render_us"])
    return times


def render_times(iterations: int, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """(ours, theirs): the best of `rounds` alternating rounds of each side."""
    peer_rounds, our_rounds = [], []
    for number in range(rounds):  # alternate, so a busy moment of the machine hits both
        progress(f"render times, round {number + 1} of {rounds}")
        peer_rounds.append(theirs(iterations))
        our_rounds.append(ours(iterations))
    peer = {key: min(p[key] for p in peer_rounds) for key in peer_rounds[0]}
    mine = {key: min(m[key] for m in our_rounds) for key in our_rounds[0]}
    return mine, peer


# --- 2. hostile values --------------------------------------------------------------------


@dataclass
class Compared:
    """Both sides' verdicts on the hostile cases of one target (ours alone if it has no peer)."""

    ours: peers.Side
    theirs: peers.Side | None
    variant: peers.Side | None = None  # httpsnippet's, changed as peers.VARIANTS says


def compare_hostile() -> dict[str, Compared]:
    """Render the control and every hostile case by both sides and run them, target by target:
    the verdicts per target."""
    from tests.harness.capture import CaptureServer

    with ExitStack() as stack:
        count = 1 + len(peers.hostile_values())
        servers = [stack.enter_context(CaptureServer()) for _ in range(count)]
        cases = peers.requests([server.base_url for server in servers])
        progress("httpsnippet renders the hostile cases")
        theirs_by_target = peers.their_snippets(PAIRS, cases)
        results: dict[str, Compared] = {}
        for target in [*PAIRS, *NO_PEER]:
            start = time.perf_counter()
            mine = peers.run_side(
                partial(peers.our_runner, target), peers.ours_of(target, cases), cases, servers
            )
            peer = variant = None
            if target in PAIRS:
                make = partial(peers.their_runner, target)
                codes = theirs_by_target[target]
                peer = peers.run_side(make, peers.theirs_as_run(target, codes), cases, servers)
                if target in peers.VARIANTS:
                    changed = peers.theirs_as_run(target, codes, variant=True)
                    variant = peers.run_side(make, changed, cases, servers)
            results[target] = Compared(mine, peer, variant)
            shown = "" if peer is None else f", theirs {peer.hostile_ok}/{count - 1}"
            progress(
                f"hostile {target}: ours {mine.hostile_ok}/{count - 1}{shown} "
                f"({time.perf_counter() - start:.1f} s)"
            )
    return results


def count_of(side: peers.Side | None, hostile: int) -> str:
    """``5/8``, or why there is no count."""
    if side is None:
        return "—"
    if side.skipped:
        return "missing"
    sent = side.hostile_sent_only
    return f"{side.hostile_ok}/{hostile}" + (f"(+{sent})" if sent else "")


def plain_of(side: peers.Side | None) -> str:
    if side is None:
        return "—"
    return "missing" if side.skipped else ("yes" if side.control_ok else "NO")


def render_table(
    mine: dict[str, float],
    peer: dict[str, float],
    compared: dict[str, Compared],
    iterations: int,
    rounds: int,
) -> list[str]:
    """The render table with the hostile columns."""
    hostile = len(peers.hostile_values())
    shared = len(PAIRS)
    lines = [
        f"one token request, best of {rounds} alternating rounds of {iterations} iterations, "
        "µs per call (ratio = clientcreds / httpsnippet, goal <= 1.00)",
        f"hostile = of {hostile} hostile token requests (listed below), the snippets that ran "
        "and sent a request equivalent to the expected one, ours vs httpsnippet's;",
        "(+n): n more sent an equivalent request but did not end OK; "
        "plain = whether the control (the seed's plain values) did, ours/httpsnippet's",
        f"{'clientcreds target':20}{'httpsnippet':20}{'clientcreds':>12}{'httpsnippet':>13}"
        f"{'ratio':>8}{'hostile':>16}{'plain':>10}",
    ]
    for name, (target, client) in PAIRS.items():
        ratio = mine[name] / peer[name]
        flag = "" if ratio <= 1.0 else "  slower"
        result = compared.get(name)
        hostile_text = (
            ""
            if result is None
            else f"{count_of(result.ours, hostile)} vs {count_of(result.theirs, hostile)}"
        )
        plain = "" if result is None else f"{plain_of(result.ours)}/{plain_of(result.theirs)}"
        mark = "*" if name in PEER_NOTES else ""
        lines.append(
            f"{name:20}{target + '/' + client + mark:20}{mine[name]:12.1f}{peer[name]:13.1f}"
            f"{ratio:8.2f}{hostile_text:>16}{plain:>10}{flag}"
        )
    summed = sum(peer[name] for name in PAIRS)
    totals = [
        (f"render_all, {shared}", f"sum of the {shared}", mine["all_render_only_us"], summed),
        (
            f"render_all, {shared}",
            f"all {shared}, one loop",
            mine["all_render_only_us"],
            peer["all_render_only_us"],
        ),
        (
            f"build + all {shared}",
            f"new HTTPSnippet+{shared}",
            mine["all_build_and_render_us"],
            peer["all_build_and_render_us"],
        ),
    ]
    for label, peer_label, ours_us, theirs_us in totals:
        ratio = ours_us / theirs_us
        flag = "" if ratio <= 1.0 else "  slower"
        lines.append(f"{label:20}{peer_label:20}{ours_us:12.1f}{theirs_us:13.1f}{ratio:8.2f}{flag}")
    for name, why in NO_PEER.items():
        result = compared.get(name)
        hostile_text = "" if result is None else f"{count_of(result.ours, hostile)} (ours)"
        lines.append(f"{name:20}{'—':20}{mine[name]:12.1f}{'—':>13}{'—':>8}{hostile_text:>16}")
        lines.append(f"    {name}: {why}")
    for name, note in PEER_NOTES.items():
        lines.append(f"    * {name}: {note}")
    return lines


def hostile_notes(compared: dict[str, Compared]) -> list[str]:
    """The hostile values, what was done to run httpsnippet's snippets, and every failure."""
    lines = [
        "",
        "the hostile token requests: client_id = the value, client_secret = it reversed, "
        "audience = 'x' + it;",
        "POST, form body, client_secret_post, each to its own loopback capture server",
    ]
    for number, (name, value) in enumerate(peers.hostile_values(), start=1):
        lines.append(f"  {number}. {name}: {peers.shorten(value, 100)}")
    lines += ["", "how httpsnippet's snippets were run (the same runner as ours, otherwise):"]
    for target, (_, how) in peers.WRAPS.items():
        lines.append(f"  {'/'.join(PAIRS[target])}: {how}")
    for target, (_, how) in peers.THEIR_FILE.items():
        lines.append(f"  {'/'.join(PAIRS[target])}: {how}")
    shells = ", ".join(f"{t} on {r}" for t, r in peers.RUNTIME_OF.items())
    lines.append(f"  both sides: {shells}; every job's stdin is /dev/null, as in a script")
    hostile = len(peers.hostile_values())
    for target, (_, how) in peers.VARIANTS.items():
        result = compared.get(target)
        if result is None or result.variant is None:
            continue
        side = result.variant
        lines.append(
            f"  not counted above: {'/'.join(PAIRS[target])} {how}: {count_of(side, hostile)} "
            f"hostile, plain {plain_of(side)}"
        )
        lines += ["  " + line for line in failure_lines("variant", "/".join(PAIRS[target]), side)]
    lines += ["", "why a snippet did not run and send an equivalent request (case 0 = plain):"]
    for target, result in compared.items():
        sides = [("clientcreds", target, result.ours)]
        if result.theirs is not None:
            sides.append(("httpsnippet", "/".join(PAIRS[target]), result.theirs))
        for who, label, side in sides:
            if side.skipped:
                lines.append(f"  {who} {label}: runtime missing: {side.skipped}")
                continue
            lines += failure_lines(who, label, side)
    return lines


def failure_lines(who: str, label: str, side: peers.Side) -> list[str]:
    """One line per distinct reason a side's cases failed (cases numbered, 0 the control),
    and one per case that left files behind (a value run as code, say)."""
    reasons: dict[str, list[int]] = {}
    for number, verdict in enumerate(side.verdicts):
        if not verdict.ok:
            reasons.setdefault(verdict.reason, []).append(number)
    lines = [
        f"  {who} {label} [{', '.join(map(str, numbers))}]: {reason}"
        for reason, numbers in reasons.items()
    ]
    left = [(n, v.left) for n, v in enumerate(side.verdicts) if v.left]
    lines += [f"  {who} {label} [{n}]: left files {list(files)}" for n, files in left]
    return lines


# --- 3. batch proofs ------------------------------------------------------------------------


@dataclass
class Batch:
    """One batch run and checked: how long the runner call took and what came of it."""

    seconds: float
    succeeded: int
    jobs: int
    failure: str  # empty when every case was proven


def prove_batch(
    runtime: Any, runner: Callable[[Sequence[Any]], list[Any]], servers: list[Any]
) -> Batch:
    """Render the seed's batch for `runtime`'s target, run it by `runner` (only that call
    timed), and check every case as the equivalence tests do."""
    from tests.harness import proof

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
    with tempfile.TemporaryDirectory(prefix=f"bench-{runtime.name}-") as scratch:
        try:
            cases = proof.batch_cases(runtime.target, drawn, servers, runtime.checks)
            proof.run_batch(runtime.target, timed, cases, Path(scratch) / "batch", runtime.checks)
        except AssertionError as exc:
            failure = failure_of(exc)
        finally:
            for server in servers:
                server.take()
    return Batch(
        seconds=seconds[0] if seconds else float("nan"),
        succeeded=sum(1 for outcome in outcomes if outcome.ok),
        jobs=len(outcomes),
        failure=failure,
    )


def failure_of(exc: AssertionError) -> str:
    """One line of why `proof.run_batch` failed (its messages start with the whole snippet)."""
    text = str(exc).strip()
    if not text:
        return "a check beyond equivalence failed"
    for marker in ("failed: ", "made ", "printed ", "left files: "):
        _, found, rest = text.partition("\n" + marker)
        if found:
            return marker + (peers.brief(rest) if marker == "failed: " else rest.splitlines()[0])
    if text.splitlines()[0].endswith(" snippet:"):
        return "sent a request not equivalent to the expected one"
    return peers.brief(text)


def make_runner(runtime: Any) -> tuple[Any, str]:
    """The runtime's batch runner, or None and why (a missing runtime skips, as in the tests)."""
    import pytest

    try:
        return runtime.batch(), ""
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        return None, str(getattr(exc, "msg", exc))


def batch_table(warm_batches: int) -> list[str]:
    """Per runtime, the seconds one batch of the seed's cases takes, cold and warm."""
    from tests.harness import proof
    from tests.harness.capture import CaptureServer
    from tests.harness.targets import RUNTIMES

    lines = [
        "",
        f"prove one batch per runtime ({len(RUNTIMES)}): up to {proof.SERVERS_PER_BATCH} "
        f"snippets ({len(proof.COMBOS)} token-request combinations + the API call in "
        f"{len(SECRET_MODES)} secret modes)",
        f"runner call only, seconds; warm = best of {warm_batches} after the first (cold)",
        f"{'runtime':20}{'cold s':>9}{'warm s':>9}{'snippets ok':>13}  proven",
    ]
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer()) for _ in range(proof.SERVERS_PER_BATCH)]
        for name, runtime in RUNTIMES.items():
            progress(f"batch proof, {name}")
            runner, why = make_runner(runtime)
            if runner is None:
                lines.append(f"{name:20}runtime missing, not timed: {why}")
                continue
            cold = prove_batch(runtime, runner, servers)
            warm = [prove_batch(runtime, runner, servers) for _ in range(warm_batches)]
            batches = [cold, *warm]
            best = min(batch.seconds for batch in warm) if warm else float("nan")
            ok = f"{min(b.succeeded for b in batches)}/{max(b.jobs for b in batches)}"
            failures = [batch.failure for batch in batches if batch.failure]
            verdict = f"NO: {failures[0]}" if failures else "yes"
            lines.append(f"{name:20}{cold.seconds:9.2f}{best:9.2f}{ok:>13}  {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best kept")
    parser.add_argument("--warm-batches", type=int, default=1, help="warm batches per runtime")
    args = parser.parse_args()
    # every snippet runs with stdin at /dev/null, as from a script, whatever started this one
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    start = time.perf_counter()
    batches = batch_table(args.warm_batches)  # first: each runtime's cold batch is its first
    mine, peer = render_times(args.iterations, args.rounds)
    compared = compare_hostile()
    report = [
        *render_table(mine, peer, compared, args.iterations, args.rounds),
        *hostile_notes(compared),
        *batches,
        "",
        f"whole run: {time.perf_counter() - start:.0f} s",
    ]
    print("\n".join(report))


if __name__ == "__main__":
    main()
