"""The explorer's widgets in pytest: set fields, click the buttons, read the tabs and panels."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from clientcreds import LocalTenant, get_target, render, targets
from clientcreds.core.secret import Secret
from clientcreds.explorer import (
    FIELDS,
    Defaults,
    DemoApi,
    Explorer,
    call_api,
    highlight,
    read_form,
    render_tabs,
)
from clientcreds.explorer.app import snippet_panes
from clientcreds.snippets import languages

TYPED_SECRET = "typed-S3cret-'value'-$HOME"


def widget_texts(widget: Any) -> Iterator[str]:
    """Every string a widget tree sends to the page, except the password input's own value."""
    if type(widget).__name__ != "Password":
        for name in ("value", "placeholder", "description"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                yield value
    for title in getattr(widget, "titles", ()) or ():
        yield str(title)
    for child in getattr(widget, "children", ()):
        yield from widget_texts(child)


def page_text(app: Explorer) -> str:
    return "\n".join(widget_texts(app.widget))


def visible(markup: str) -> str:
    """What the page shows of some HTML: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --- import and layout ------------------------------------------------------------------------


def assert_grouped(tabs: Any) -> None:
    """A tab per language, in order, each holding a tab per client of that language."""
    assert list(tabs.titles) == list(languages())
    for language, names in zip(tabs.children, languages().values(), strict=True):
        assert list(language.titles) == [get_target(name).client for name in names]
    assert len(snippet_panes(tabs)) == len(targets())


def test_importing_the_package_does_not_import_ipywidgets() -> None:
    code = (
        "import sys, clientcreds.explorer as e; before = 'ipywidgets' in sys.modules; "
        "e.Explorer; print(before, 'ipywidgets' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_the_form_starts_with_the_demo_application(app: Explorer, tenant: LocalTenant) -> None:
    assert app.values["domain"] == tenant.domain
    assert app.values["client_id"] == tenant.client_id
    assert app.values["audience"] == tenant.audience
    assert app.inputs["client_secret"].value == ""
    assert "default secret" in app.inputs["client_secret"].placeholder
    assert [spec.name for spec in FIELDS] == list(app.inputs)
    assert app.form.ok
    assert app.form.request == tenant.token_request()


def test_one_tab_per_target_with_its_title_snippet_and_copy_button(app: Explorer) -> None:
    assert_grouped(app.tabs)
    request = app.request
    assert request is not None
    for name, child in zip(targets(), snippet_panes(app.tabs), strict=True):
        assert "Copy</button>" in child.value
        assert "navigator.clipboard" in html.unescape(child.value)
        snippet, _, recipe = child.value.split("</button>", 1)[1].partition("</pre>")
        assert visible(snippet) == render(request, name)
        assert ("cc-recipe" in recipe) == (get_target(name).recipe is not None)


def test_the_display_is_the_widget_with_a_short_text(app: Explorer) -> None:
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == repr(app)
    assert repr(app).startswith(f"Explorer({len(targets())} snippet targets; defaults from")


# --- reacting to fields -----------------------------------------------------------------------


def test_typing_a_domain_updates_every_tab(app: Explorer) -> None:
    app.inputs["domain"].value = "acme.eu.auth0.com"
    for child in snippet_panes(app.tabs):
        assert "acme.eu.auth0.com" in visible(child.value)
    assert app.tab_code("curl") is not None
    assert "https://acme.eu.auth0.com/oauth/token" in str(app.tab_code("curl"))


def test_each_field_reaches_the_snippets(app: Explorer) -> None:
    app.set(scope="read:demo", organization="org_abc", body="json")
    code = str(app.tab_code("python-requests"))
    assert '"scope": "read:demo"' in code
    assert '"organization": "org_abc"' in code
    assert "json=" in code
    app.set(auth_method="client_secret_basic")
    assert "Authorization: Basic" in str(app.tab_code("http"))


def test_secret_mode_env_reads_the_environment_and_http_says_why_it_cannot(app: Explorer) -> None:
    app.set(secret_mode="env")
    assert "AUTH0_CLIENT_SECRET" in str(app.tab_code("curl"))
    http_tab = next(t for t in app.snippet_tabs if t.target == "http")
    assert http_tab.code is None
    assert http_tab.error
    assert html.escape(http_tab.error, quote=True) in snippet_panes(app.tabs)[0].value


def test_an_invalid_domain_is_shown_beside_its_field(app: Explorer) -> None:
    app.set(domain="https://bad domain")
    message = visible(app.errors["domain"].value)
    assert "Domain must not contain spaces" in message
    # The default secret belongs to the default domain: elsewhere the secret field asks too.
    others = [
        label for name, label in app.errors.items() if name not in ("domain", "client_secret")
    ]
    assert all(not label.value for label in others)
    assert all("Fix the fields marked in red" in c.value for c in snippet_panes(app.tabs))
    assert app.get_token_button.disabled
    assert "Traceback" not in page_text(app)
    app.set(domain=app.defaults.domain)
    assert not app.errors["domain"].value
    assert not app.get_token_button.disabled


def test_several_invalid_fields_each_get_their_sentence(app: Explorer) -> None:
    app.set(client_id="", audience="", domain="tenant.auth0.com/oauth/token")
    assert set(app.form.errors) == {"client_id", "client_secret", "audience", "domain"}
    assert "Client ID is empty" in app.errors["client_id"].value
    assert "Audience is required" in app.errors["audience"].value
    assert "path" in app.errors["domain"].value


def test_no_secret_at_all_is_an_error_beside_the_secret_field() -> None:
    defaults = Defaults(domain="tenant.auth0.com", client_id="abc", audience="https://a/")
    with Explorer(defaults) as app:
        assert "enter your client secret" in app.errors["client_secret"].value
        app.set(client_secret=TYPED_SECRET)
        assert app.form.ok
        assert not app.errors["client_secret"].value


# --- Get token, Call API, the bundle ----------------------------------------------------------


def test_get_token_shows_status_limits_body_decoded_token_and_report(app: Explorer) -> None:
    app.get_token_button.click()
    result = app.last_exchange
    assert result is not None
    assert result.response is not None
    assert result.report is not None
    assert result.report.ok
    panel = visible(app.token_panel.value)
    assert "HTTP 200" in panel
    assert "x-ratelimit-limit" in panel
    assert "x-ratelimit-remaining" in panel
    assert "Token is valid" in panel
    assert "demo-m2m-app@clients" in panel
    assert "Lifetime 1 d" in panel
    body = panel.split("Response body (tokens shortened)", 1)[1].split("Decoded and verified")[0]
    assert f"({len(result.response.access_token)} chars)" in body
    assert result.response.access_token not in body
    assert not app.call_api_button.disabled


def test_a_wrong_secret_shows_the_error_with_cause_and_fix(app: Explorer) -> None:
    app.set(client_secret="not-the-secret")
    app.get_token_button.click()
    panel = visible(app.token_panel.value)
    assert "HTTP 401" in panel
    assert "Wrong client secret (or unknown client)" in panel
    assert "Copy Client ID and Client Secret again" in panel
    assert app.call_api_button.disabled
    assert "not-the-secret" not in page_text(app)


def test_a_transport_failure_is_one_sentence() -> None:
    defaults = Defaults(
        domain="http://127.0.0.1:1", client_id="a", client_secret=Secret("b"), audience="x"
    )
    with Explorer(defaults) as app:
        app.get_token_button.click()
        panel = visible(app.token_panel.value)
    assert "No answer" in panel
    assert "was refused" in panel
    assert "Traceback" not in panel


def test_call_api_sends_the_token_and_shows_the_answer(app: Explorer) -> None:
    app.call_api_button.click()
    assert "Get a token first." in app.api_panel.value
    app.get_token_button.click()
    app.call_api_button.click()
    panel = visible(app.api_panel.value)
    assert "HTTP 200" in panel
    assert "your token is valid" in panel


def test_call_api_refuses_plain_http_to_another_host(app: Explorer) -> None:
    app.get_token_button.click()
    app.api_url.value = "http://example.com/things"
    app.call_api_button.click()
    assert "Use https://" in visible(app.api_panel.value)


def test_the_demo_api_refuses_bad_tokens(api: DemoApi, tenant: LocalTenant) -> None:
    assert call_api(api.url, "not-a-token").status == 401
    no_token = requests.get(api.url, timeout=5)
    assert no_token.status_code == 401
    assert "invalid_request" in no_token.headers["WWW-Authenticate"]
    with DemoApi.for_tenant(tenant, required_scopes=("admin",)) as strict:
        from clientcreds import fetch_token

        token = fetch_token(tenant.token_request()).access_token
        answer = call_api(strict.url, token)
    assert answer.status == 403
    assert "insufficient_scope" in answer.body


def test_the_debug_bundle_has_everything_but_secrets(app: Explorer, tenant: LocalTenant) -> None:
    with pytest.raises(RuntimeError, match="get a token first"):
        app.debug_bundle()
    app.get_token_button.click()
    app.call_api_button.click()
    text = app.debug_bundle()
    bundle = json.loads(text)
    assert bundle["request"]["client_secret"] == "(redacted)"
    assert bundle["request"]["body"]["client_secret"] == "(redacted)"
    assert "x-ratelimit-limit" in bundle["response"]["headers"]
    assert bundle["decoded_token"]["claims"]["sub"] == "demo-m2m-app@clients"
    assert bundle["verification"]["ok"] is True
    assert bundle["api_call"]["status"] == 200
    assert tenant.client_secret.reveal() not in text
    assert app.last_exchange is not None
    assert app.last_exchange.response is not None
    assert app.last_exchange.response.access_token not in text
    assert "Copy</button>" in app.bundle_panel.value


def test_secrets_never_reach_the_page(app: Explorer, tenant: LocalTenant) -> None:
    app.get_token_button.click()
    app.call_api_button.click()
    assert tenant.client_secret.reveal() not in page_text(app)
    app.set(client_secret=TYPED_SECRET)
    app.get_token_button.click()
    for mode in ("placeholder", "env"):
        app.set(secret_mode=mode)
        shown = page_text(app)
        assert TYPED_SECRET not in shown
        assert html.escape(TYPED_SECRET) not in shown
    assert TYPED_SECRET not in app.debug_bundle()
    assert "client_secret" not in app.values


def test_an_unexpected_failure_becomes_a_sentence(
    app: Explorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the network card caught fire")

    monkeypatch.setattr("clientcreds.explorer.app.exchange", broken)
    app.get_token_button.click()
    message = visible(app.general_error.value)
    assert message == "Something went wrong (RuntimeError): the network card caught fire"
    assert app.get_token_button.description == "Get token"


# --- defaults ---------------------------------------------------------------------------------


def test_defaults_come_from_auth0_variables_when_set() -> None:
    environ = {
        "AUTH0_DOMAIN": "acme.us.auth0.com",
        "AUTH0_CLIENT_ID": "abc",
        "AUTH0_CLIENT_SECRET": TYPED_SECRET,
        "AUTH0_AUDIENCE": "https://api.acme.com/",
    }
    defaults = Defaults.from_environment(environ)
    assert defaults is not None
    assert defaults.domain == "acme.us.auth0.com"
    assert defaults.client_secret == Secret(TYPED_SECRET)
    assert "AUTH0_DOMAIN" in defaults.source
    assert TYPED_SECRET not in repr(defaults)
    assert defaults.token_request().url == "https://acme.us.auth0.com/oauth/token"
    assert Defaults.from_environment({}) is None
    with Explorer(environ=environ) as app:
        assert app.values["domain"] == "acme.us.auth0.com"
        assert app.form.ok
        assert TYPED_SECRET not in page_text(app)


def test_without_auth0_variables_it_starts_and_stops_an_embedded_tenant() -> None:
    with Explorer(environ={}) as app:
        assert app.defaults.source.startswith("the embedded tenant at http://127.0.0.1:")
        result = app.get_token()
        assert result is not None
        assert result.report is not None
        assert result.report.ok
        answer = app.call_api()
        assert answer is not None
        assert answer.ok
        domain, api_url = app.defaults.domain, app.defaults.api_url
    for url in (domain + "/.well-known/jwks.json", api_url):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)


# --- the widget-free parts --------------------------------------------------------------------


def test_read_form_needs_a_secret_and_defaults_the_rest() -> None:
    result = read_form({"domain": "tenant.auth0.com", "client_id": "a", "audience": "x"})
    assert result.errors == {"client_secret": "Client secret is empty: enter your client secret"}
    ok = read_form(
        {"domain": "tenant.auth0.com", "client_id": "a", "audience": "x", "scope": ""},
        Secret("s"),
    )
    assert ok.request is not None
    assert ok.request.scope is None
    assert ok.request.auth_method == "client_secret_post"
    assert ok.request.body == "form"


def test_render_tabs_without_a_request_says_why() -> None:
    tabs = render_tabs(None, "placeholder")
    assert [t.target for t in tabs] == targets()
    assert all(t.code is None and t.error for t in tabs)


@pytest.mark.parametrize(
    "value", ["plain", 'it\'s "quoted"', "new\nline", "tab\t$HOME `x` \\", "emoji 🎉 \u202e"]
)
def test_highlighting_keeps_the_text_exactly(value: str) -> None:
    from clientcreds import TokenRequest

    request = TokenRequest(
        domain="tenant.auth0.com", client_id=value, client_secret=value, audience=value
    )
    for name in targets():
        code = render(request, name, secret="reveal")
        assert visible(highlight(code, get_target(name).language)) == code


@pytest.mark.parametrize("name", ["clientcreds.explorer.app", "clientcreds.explorer.demo_api"])
def test_docstring_examples_run(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
