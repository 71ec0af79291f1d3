"""Capture servers shared by the tests of this package: one per case of a batch proof, and
one that refuses every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.harness.capture import REFUSAL_BODY, CaptureServer
from tests.harness.proof import SERVERS_PER_BATCH


@pytest.fixture(scope="session")
def batch_servers() -> Iterator[list[CaptureServer]]:
    """One capture server per case of a batch, so each snippet's request is told apart by port."""
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in range(SERVERS_PER_BATCH)]


@pytest.fixture(scope="session")
def refusing_server() -> Iterator[CaptureServer]:
    """A capture server answering every request 401 with `REFUSAL_BODY`, as a token endpoint
    refuses a wrong secret. Shared by the session: `take()` before looking at what was sent."""
    with CaptureServer(status=401, body=REFUSAL_BODY) as server:
        yield server
