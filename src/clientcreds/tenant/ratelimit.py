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


class RateLimiter:
    """A token bucket per client: `burst` requests at once, refilled at `per_second`.

    Args:
        burst: The bucket's size (``x-ratelimit-limit``).
        per_second: Refill rate, requests per second.
        clock: Time source in seconds since the epoch (replaceable in tests).
    """

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> Decision:
        """Spend one request of `key`'s bucket, if there is one left."""
        now = self._clock()
        with self._lock:
            level, then = self._buckets.get(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - then) * self.per_second)
            allowed = level >= 1.0
            if allowed:
                level -= 1.0
            self._buckets[key] = (level, now)
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
