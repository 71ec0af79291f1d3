"""The equivalence property, proven by execution (docs/architecture.md), for every runtime.

For every target, secret mode, auth method and body format, the snippet rendered from a
hypothesis-generated token request is run by its real runtime against a capture server; so is
the API call with the token, in every secret mode, in the same batch (`tests/harness/proof.py`).
The request the server saw must be equivalent to the wire request, the snippet must print the
response, and it must leave its (empty) working directory empty. The runtimes, and what each
target checks beyond that, are the table in `tests/harness/targets.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientcreds import targets
from tests.harness import proof
from tests.harness.capture import CaptureServer
from tests.harness.targets import RUNTIMES


def test_every_target_has_a_runtime() -> None:
    assert {runtime.target for runtime in RUNTIMES.values()} == set(targets())


@pytest.mark.parametrize("name", list(RUNTIMES))
def test_snippets_are_equivalent_when_executed(
    name: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    runtime = RUNTIMES[name]
    proof.prove(
        runtime.target,
        runtime.batch(),
        batch_servers,
        tmp_path / "batch",
        runtime.max_examples,
        runtime.checks,
    )
