"""One HTTP answer read within a size and a wall-clock limit, whatever the server does.

Socket timeouts bound each read, not the whole answer: a server that sends one byte a
second never trips them, and a small gzip body can inflate to gigabytes. `read_answer`
reads the body in chunks after decompression, stops at a size limit, and gives up when the
wall-clock time is over, headers included. The request runs in a worker thread so the
caller gets control back on time even while the headers are still dripping in; once the
headers are in, giving up also shuts the socket, which ends the worker's read at once.

Why a thread, not a deadline kept with socket timeouts in the caller's thread: requests
returns from ``send`` only once http.client has read the status line and headers with one
fixed timeout per recv, and name resolution takes no timeout at all, so neither can be cut
short from the caller's thread (headers dripped a byte every 50 ms hold a 0.5 s read timeout
for seconds). Shrinking the timeout between recvs would mean replacing urllib3's connection
class in the adapters of the caller's session, which is private API on a session we do not own.

Both the token endpoint (`clientcreds.client.fetch`) and the key-set fetch
(`clientcreds.tokens.keyset`) read through here. Standard library only: a
`requests.Response` fits the `StreamedResponse` protocol.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

#: The size of each read, in bytes (after decompression).
CHUNK_BYTES = 16 * 1024


class StreamedResponse(Protocol):
    """What is used of an HTTP response whose body is not read yet (``stream=True``)."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def raw(self) -> Any: ...

    def iter_content(self, chunk_size: int) -> Iterator[Any]: ...

    def close(self) -> None: ...


R = TypeVar("R", bound=StreamedResponse)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read whole: status, headers and the decoded body.

    Attributes:
        status: The HTTP status code.
        headers: The headers (a case-insensitive mapping).
        body: The body after any ``Content-Encoding`` was decoded.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes


def read_answer(
    send: Callable[[], R],
    *,
    seconds: float,
    limit: int,
    too_large: Callable[[R, int], Exception],
    check: Callable[[R], None] | None = None,
) -> Answer:
    """Send a request with `send` and read its answer within `seconds` and `limit` bytes.

    Args:
        send: Sends the request with ``stream=True`` and returns the response.
        seconds: The wall-clock time for all of it: connecting, headers and body.
        limit: The most body bytes read, after decompression.
        too_large: Makes the error raised when the body exceeds `limit` (given the
            response and the limit).
        check: Called with the response before its body is read; raise to stop there.

    Returns:
        The answer.

    Raises:
        TimeoutError: when the answer was not complete within `seconds`.
        Exception: what `send` or the read raised (``requests`` exceptions), or what
            `too_large` or `check` made.
    """
    attempt = _Attempt(send, limit, too_large, check)
    worker = threading.Thread(target=attempt.run, name="clientcreds-read", daemon=True)
    worker.start()
    if not attempt.done.wait(max(seconds, 0.0)):
        attempt.abandon()
        raise TimeoutError(f"the answer was not complete within {seconds:g} s")
    return attempt.result()


def read_limited(chunks: Iterable[bytes], limit: int) -> bytes | None:
    """The chunks joined, or None as soon as they add up to more than `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)


class _Attempt(Generic[R]):
    """One request and read, run in a worker thread; the waiting thread may abandon it."""

    def __init__(
        self,
        send: Callable[[], R],
        limit: int,
        too_large: Callable[[R, int], Exception],
        check: Callable[[R], None] | None,
    ) -> None:
        self.done = threading.Event()
        self._send = send
        self._limit = limit
        self._too_large = too_large
        self._check = check
        self._lock = threading.Lock()
        self._response: R | None = None
        self._abandoned = False
        self._answer: Answer | None = None
        self._error: Exception | None = None

    def run(self) -> None:
        """Send and read, keeping the answer or the error for `result`."""
        try:
            self._answer = self._read()
        except Exception as exc:  # handed over to the waiting thread by `result`
            self._error = exc
        finally:
            self.done.set()

    def _read(self) -> Answer:
        response = self._send()
        with self._lock:
            self._response = response
            abandoned = self._abandoned
        try:
            if abandoned:
                raise TimeoutError("abandoned")
            if self._check is not None:
                self._check(response)
            body = read_limited(response.iter_content(CHUNK_BYTES), self._limit)
            if body is None:
                raise self._too_large(response, self._limit)
            return Answer(response.status_code, response.headers, body)
        finally:
            response.close()

    def abandon(self) -> None:
        """Give up: shut the socket if the headers are in, so the worker stops reading."""
        with self._lock:
            self._abandoned = True
            response = self._response
        if response is not None:
            response.raw.shutdown()

    def result(self) -> Answer:
        """The answer, or the worker's error raised here."""
        if self._error is not None:
            raise self._error
        assert self._answer is not None
        return self._answer
