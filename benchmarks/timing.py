"""The timing loop every benchmark shares."""

from __future__ import annotations

import time
from collections.abc import Callable


def per_call_us(fn: Callable[[], object], iterations: int) -> float:
    """Microseconds per call of `fn`, after a warm-up of up to 200 calls."""
    for _ in range(min(iterations, 200)):
        fn()
    start = time.perf_counter_ns()
    for _ in range(iterations):
        fn()
    return (time.perf_counter_ns() - start) / 1000 / iterations
