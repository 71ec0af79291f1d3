"""The explorer's "Call your API" snippets and the run recipe under every tab."""

from __future__ import annotations

import html
import re
from typing import Any

from clientcreds import ApiRequest, TokenRequest, get_target, render, targets
from clientcreds.explorer import render_tabs
from clientcreds.explorer.api import EXAMPLE_API_URL, api_snippet_request
from clientcreds.explorer.app import snippet_panes
from tests.explorer.test_explorer import assert_grouped

Explorer = Any


def visible(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_api_tabs_call_the_api_url_with_the_placeholder_token(app: Explorer) -> None:
    url = str(app.api_url.value)
    assert_grouped(app.api_tabs)
    assert "cc-api-snippets" in app.api_tabs._dom_classes
    for name, tab in zip(targets(), app.api_snippet_tabs, strict=True):
        assert tab.code == render(ApiRequest(url), name)
        assert "YOUR_ACCESS_TOKEN" in tab.code
        shown = tab.html.split("</button>", 1)[1].partition("</pre>")[0]
        assert visible(shown) == tab.code, name  # an empty body's blank line kept too


def test_the_api_tabs_follow_the_api_url_and_the_secret_mode(app: Explorer) -> None:
    app.api_url.value = "https://api.example.com/orders?page=2"
    assert "api.example.com" in str(app.api_tab_code("curl"))
    app.set(secret_mode="env")
    assert "ACCESS_TOKEN" in str(app.api_tab_code("curl"))
    assert "YOUR_ACCESS_TOKEN" not in str(app.api_tab_code("curl"))
    http_tab = next(t for t in app.api_snippet_tabs if t.target == "http")
    assert http_tab.error == (
        "The HTTP (HTTP/1.1) tab cannot read the access token from ACCESS_TOKEN: "
        "choose placeholder under Secret in snippets"
    )


def test_an_empty_api_url_shows_the_example_and_a_bad_one_says_why(app: Explorer) -> None:
    app.api_url.value = ""
    assert app.api_url_error.value == ""
    assert app.api_tab_code("curl") == render(ApiRequest(EXAMPLE_API_URL), "curl")
    app.api_url.value = "http://api.example.com/"
    assert visible(app.api_url_error.value).startswith("API URL: plain http://")
    assert all(tab.code is None and tab.error for tab in app.api_snippet_tabs)
    assert app.tab_code("curl") is not None  # the token request does not depend on it


def test_no_token_or_secret_reaches_the_api_tabs(app: Explorer) -> None:
    exchange = app.get_token()
    assert exchange is not None
    assert exchange.response is not None
    token = exchange.response.access_token
    shown = "".join(child.value for child in snippet_panes(app.api_tabs))
    assert token not in shown
    assert app.defaults.client_secret is not None
    assert app.defaults.client_secret.reveal() not in shown


def test_every_tab_shows_its_run_recipe() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com", client_id="id", client_secret="s", audience="aud"
    )
    for tabs in (
        render_tabs(request, "placeholder"),
        render_tabs(ApiRequest(EXAMPLE_API_URL), "placeholder"),
    ):
        for tab in tabs:
            recipe = get_target(tab.target).recipe
            if recipe is None:
                assert "cc-recipe" not in tab.html
                continue
            text = visible(tab.html.split('class="cc-recipe"', 1)[1])
            assert f"save it as {recipe.filename}" in text
            assert f"then run {recipe.command}." in text
            assert all(
                f"{name}:" in text and content.strip() in text for name, content in recipe.files
            )


def test_api_snippet_request_names_the_field() -> None:
    assert api_snippet_request(" https://api.example.com/x ")[0] == ApiRequest(
        "https://api.example.com/x"
    )
    request, error = api_snippet_request("api.example.com")
    assert request is None
    assert str(error).startswith("API URL 'api.example.com' is not an absolute URL")
