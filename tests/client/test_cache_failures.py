"""Which failed refreshes `ClientCredentials` serves the still-valid token through."""

from __future__ import annotations

import pytest
import requests

from clientcreds import ClientCredentials, TransportError
from tests.client.test_cache import REQUEST, Clock, FakeFetch


@pytest.mark.parametrize(
    "failure",
    [
        TransportError("refused", kind="connection", url="https://tenant.auth0.com/oauth/token"),
        requests.ConnectionError("a custom fetch lost the connection"),
    ],
)
def test_a_fetch_failure_serves_the_valid_token(failure: Exception) -> None:
    clock, fake = Clock(), FakeFetch()
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    creds.get_token()
    clock.now += 95
    fake.failure = failure
    assert creds.get_token().access_token == "token-1"


def test_a_bug_in_fetch_is_never_hidden_behind_the_valid_token() -> None:
    clock, fake = Clock(), FakeFetch()
    creds = ClientCredentials(REQUEST, clock=clock, fetch=fake)
    creds.get_token()
    clock.now += 95
    fake.failure = TypeError("fetch() got an unexpected keyword argument 'verify'")
    with pytest.raises(TypeError, match="unexpected keyword"):
        creds.get_token()
    fake.failure = None
    assert creds.get_token().access_token == "token-3"
