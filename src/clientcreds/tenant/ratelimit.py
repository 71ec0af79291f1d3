"""Per-client rate limits (a token bucket) and M2M token quotas, with Auth0's headers.

Every token response carries ``x-ratelimit-limit``, ``x-ratelimit-remaining`` and
``x-ratelimit-reset`` (the UNIX second when the bucket is full again). A client with a quota
also gets ``Auth0-Client-Quota-Limit`` (``b=per_hour;q=10;r=7;t=3540,...``), and a
``Retry-After`` when the quota is used up.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The limiter's answer for one request.

    Attributes:
        allowed: Whether the request may proceed.
        headers: The headers to send with the response, allowed or not.
        retry_after: Seconds until a retry can succeed (0 when allowed).
    """

    allowed: bool
    headers: dict[str, str]
    retry_after: int = 0


#: Buckets a `RateLimiter` keeps at most; the least recently used one goes first.
MAX_BUCKETS = 10_000


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `per_second`.

    It keeps at most `max_buckets` buckets, least recently used first out, and never keeps a
    full one (a full bucket is the same as none), so its memory stays bounded whatever keys
    a flood of requests brings.

    Args:
        burst: The bucket's size (``x-ratelimit-limit``).
        per_second: Refill rate, requests per second.
        clock: Time source in seconds since the epoch (replaceable in tests).
        max_buckets: The most buckets kept at once.
    """

    def __init__(
        self,
        burst: int,
        per_second: float,
        clock: Callable[[], float] = time.time,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """The number of buckets kept (those not full)."""
        return len(self._buckets)

    def take(self, key: str) -> Decision:
        """Spend one request of `key`'s bucket, if there is one left."""
        return self._decide(key, spend=True)

    def peek(self, key: str) -> Decision:
        """Whether `key`'s bucket has a request left, without spending it."""
        return self._decide(key, spend=False)

    def _decide(self, key: str, *, spend: bool) -> Decision:
        now = self._clock()
        with self._lock:
            level, then = self._buckets.pop(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - then) * self.per_second)
            allowed = level >= 1.0
            if allowed and spend:
                level -= 1.0
            if level < self.burst:
                self._buckets[key] = (level, now)
                if len(self._buckets) > self.max_buckets:
                    self._buckets.popitem(last=False)
        full_at = now + (self.burst - level) / self.per_second
        headers = {
            "x-ratelimit-limit": str(self.burst),
            "x-ratelimit-remaining": str(math.floor(level)),
            "x-ratelimit-reset": str(math.ceil(full_at)),
        }
        retry = 0 if allowed else max(1, math.ceil((1.0 - level) / self.per_second))
        return Decision(allowed, headers, retry)


#: Quota buckets: Auth0's name and the window in seconds (aligned to UTC hours and days).
WINDOWS = (("per_hour", 3600), ("per_day", 86400))


class QuotaTracker:
    """Counts issued tokens per client in hourly and daily windows.

    Args:
        clock: Time source in seconds since the epoch (replaceable in tests).
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._counts: dict[tuple[str, str, int], int] = {}
        self._lock = threading.Lock()

    def check(self, client_id: str, quotas: dict[str, int]) -> Decision:
        """Whether `client_id` may get another token under `quotas` (``{"per_hour": 10}``).

        Allowed requests are counted; refused ones are not.
        """
        if not quotas:
            return Decision(True, {})
        now = self._clock()
        with self._lock:
            state = [self._window(client_id, name, size, now) for name, size in WINDOWS]
            active = [(n, s, w, c) for (n, s, w, c) in state if n in quotas]
            allowed = all(count < quotas[name] for name, _, _, count in active)
            if allowed:
                for name, _, window, count in active:
                    self._counts[(client_id, name, window)] = count + 1
                    self._counts.pop((client_id, name, window - 1), None)
        parts, waits = [], []
        for name, size, window, count in active:
            used = count + 1 if allowed else count
            reset = math.ceil((window + 1) * size - now)
            parts.append(f"b={name};q={quotas[name]};r={max(0, quotas[name] - used)};t={reset}")
            if count >= quotas[name]:
                waits.append(reset)
        headers = {"Auth0-Client-Quota-Limit": ",".join(parts)}
        if allowed:
            return Decision(True, headers)
        retry = max(waits)
        return Decision(False, {**headers, "Retry-After": str(retry)}, retry)

    def _window(
        self, client_id: str, name: str, size: int, now: float
    ) -> tuple[str, int, int, int]:
        window = int(now // size)
        return name, size, window, self._counts.get((client_id, name, window), 0)
