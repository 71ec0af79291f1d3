"""Capture servers shared by every batch proof of this package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.harness.capture import CaptureServer
from tests.harness.proof import SERVERS_PER_BATCH


@pytest.fixture(scope="session")
def batch_servers() -> Iterator[list[CaptureServer]]:
    """One capture server per case of a batch, so each snippet's request is told apart by port."""
    with ExitStack() as stack:
        yield [stack.enter_context(CaptureServer()) for _ in range(SERVERS_PER_BATCH)]
