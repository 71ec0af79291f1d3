"""checked_url: dot segments are refused whether typed plainly or percent-encoded."""

from __future__ import annotations

import pytest

from clientcreds import ApiRequest
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.endpoint import checked_url


@pytest.mark.parametrize(
    "path",
    [
        "/../x",
        "/a/./x",
        "/%2e%2e/x",
        "/%2E%2E/x",
        "/a/%2E./x",
        "/a/.%2e/x",
        "/a/%2e/x",
        "/a/%2E",
        "/a/%2e%2E",
        "/.%2e/",
        "/a/b/%2e%2e",
    ],
)
def test_dot_segments_are_refused_encoded_or_not(path: str) -> None:
    with pytest.raises(RequestFieldError, match=r"'\.' or '\.\.' segments") as info:
        checked_url("https://h.example" + path, "token_url")
    assert info.value.field == "token_url"
    assert str(info.value).startswith("token_url path ")
    assert "give the resolved path" in str(info.value)


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://h.example/a/...", "https://h.example/a/..."),
        ("https://h.example/a/%2e%2e%2e", "https://h.example/a/..."),
        ("https://h.example/.well-known/x", "https://h.example/.well-known/x"),
        ("https://h.example/a/%2ex", "https://h.example/a/.x"),
        ("https://h.example/a/..%2fb", "https://h.example/a/..%2Fb"),
    ],
)
def test_segments_that_only_contain_dots_are_kept(url: str, normalised: str) -> None:
    assert checked_url(url) == normalised


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://h.example/a?x=..", "https://h.example/a?x=.."),
        ("https://h.example/a?x=%2e%2e/./y", "https://h.example/a?x=.././y"),
        ("https://h.example/a?/../b", "https://h.example/a?/../b"),
    ],
)
def test_dots_in_the_query_are_not_segments(url: str, normalised: str) -> None:
    assert checked_url(url) == normalised


def test_api_url_refuses_encoded_dot_segments_in_its_own_terms() -> None:
    with pytest.raises(RequestFieldError, match=r"^url path '/v1/%2e%2e/admin' has") as info:
        ApiRequest("https://api.example/v1/%2e%2e/admin")
    assert info.value.field == "url"
