"""read_answer: the wall-clock deadline holds even while `send` itself has not returned.

These pin why the read runs in a worker thread: requests returns from ``send`` only once the
headers are in, and a deadline kept in the caller's thread (socket timeouts) could not cut
short a name lookup or headers dripping in. The fault-server tests in tests/client/ prove the
same against real sockets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from clientcreds.core.bounded_read import read_answer, read_limited


class TooLargeError(Exception):
    pass


def too_large(response: object, limit: int) -> Exception:
    return TooLargeError(f"over {limit}")


class Socket:
    """The ``raw`` of a response: `shutdown` ends a read blocked on it."""

    def __init__(self) -> None:
        self.shut = threading.Event()

    def shutdown(self) -> None:
        self.shut.set()


class Response:
    """A streamed response whose body is `chunks`, then blocks until its socket is shut."""

    def __init__(self, chunks: list[bytes], *, then_block: bool = False) -> None:
        self.status_code = 200
        self.headers: Mapping[str, str] = {"Content-Type": "application/json"}
        self.raw = Socket()
        self.closed = threading.Event()
        self._chunks = chunks
        self._then_block = then_block

    def iter_content(self, chunk_size: int) -> Iterator[Any]:
        yield from self._chunks
        if self._then_block:
            self.raw.shut.wait(10)
            raise ConnectionError("socket shut")

    def close(self) -> None:
        self.closed.set()


def test_the_caller_gets_control_back_while_send_has_not_returned() -> None:
    # A name lookup or dripping headers: `send` does not return, whatever the socket timeout.
    release = threading.Event()

    def send() -> Response:
        release.wait(10)
        return Response([b"{}"])

    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match=r"not complete within 0\.2 s"):
            read_answer(send, seconds=0.2, limit=100, too_large=too_large)
        assert time.monotonic() - started < 1.0
    finally:
        release.set()


def test_giving_up_after_the_headers_shuts_the_socket_and_closes_the_response() -> None:
    response = Response([b'{"a"'], then_block=True)
    with pytest.raises(TimeoutError):
        read_answer(lambda: response, seconds=0.2, limit=100, too_large=too_large)
    assert response.raw.shut.is_set()
    assert response.closed.wait(2)


def test_a_response_arriving_after_the_deadline_is_closed_unread() -> None:
    release = threading.Event()
    response = Response([b"{}"])

    def send() -> Response:
        release.wait(10)
        return response

    with pytest.raises(TimeoutError):
        read_answer(send, seconds=0.1, limit=100, too_large=too_large)
    release.set()
    assert response.closed.wait(2)


def test_the_size_limit_counts_the_decoded_chunks() -> None:
    answer = read_answer(lambda: Response([b"ab", b"cd"]), seconds=1, limit=4, too_large=too_large)
    assert answer.body == b"abcd"
    with pytest.raises(TooLargeError, match="over 3"):
        read_answer(lambda: Response([b"ab", b"cd"]), seconds=1, limit=3, too_large=too_large)


def test_read_limited_stops_at_the_first_chunk_over_the_limit() -> None:
    def endless() -> Iterator[bytes]:
        while True:
            yield b"x" * 1024

    assert read_limited(endless(), 10_000) is None
    assert read_limited([b"a", b"b"], 2) == b"ab"


def test_check_stops_before_the_body_is_read() -> None:
    response = Response([b"never read"])

    def refuse(response: Response) -> None:
        raise PermissionError("redirect")

    with pytest.raises(PermissionError, match="redirect"):
        read_answer(lambda: response, seconds=1, limit=100, too_large=too_large, check=refuse)
    assert response.closed.is_set()
