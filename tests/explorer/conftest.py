"""Fixtures for the explorer tests: an embedded tenant with its demo API, and an app on them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clientcreds import LocalTenant
from clientcreds.explorer import DemoApi


@pytest.fixture(scope="module")
def tenant() -> Iterator[LocalTenant]:
    """A running embedded tenant, stopped after the module."""
    with LocalTenant() as running:
        yield running


@pytest.fixture(scope="module")
def api(tenant: LocalTenant) -> Iterator[DemoApi]:
    """The demo API for the tenant's demo audience."""
    with DemoApi.for_tenant(tenant) as running:
        yield running


@pytest.fixture
def app(tenant: LocalTenant, api: DemoApi) -> Iterator[Any]:
    """An explorer on the tenant's demo application, closed afterwards."""
    from clientcreds.explorer import Explorer

    with Explorer.for_tenant(tenant, api) as explorer:
        yield explorer
