"""Issue 11 in the explorer: secrets go only where they belong, and never into widget state.

Also: messages in the explorer's own terms, a first "Run All" that ends on a healthy explorer,
and a decoded-token view that shortens the token like the body above it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets
import nbformat
import pytest
from ipywidgets.embed import dependency_state, embed_data

from clientcreds import LocalTenant
from clientcreds.core.words import short_token
from clientcreds.exceptions import RequestFieldError
from clientcreds.explorer import Explorer
from clientcreds.explorer.form import FIELDS, in_form_terms, label, read_form
from tests.explorer.test_explorer import page_text, visible
from tests.explorer.test_notebooks import execute
from tests.faults import FaultServer, token

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02-explorer.ipynb"
# What the library says that the explorer has no control for.
FOREIGN = re.compile(r"reveal|secret=|token_url|--|\b(client_id|client_secret|secret_mode)\b")


@pytest.fixture
def fault() -> Iterator[FaultServer]:
    """A server that records what it receives and answers with a token."""
    with FaultServer([token()]) as server:
        yield server


def typed(app: Explorer, secret: str) -> None:
    """Enter `secret` in the password field as the page does: a state update from the page."""
    app.inputs["client_secret"].set_state({"value": secret})


def synced_state(app: Explorer) -> str:
    """Everything the app's widgets would save into a notebook, as text."""
    views = embed_data(views=[app.widget])
    return json.dumps([views, dependency_state(app.widget)], ensure_ascii=False)


# --- 1. the default secret goes to its own tenant only ----------------------------------------


@pytest.mark.parametrize("change", ["domain", "client_id", "both"])
def test_the_default_secret_is_never_sent_to_another_server(
    app: Explorer, fault: FaultServer, change: str
) -> None:
    if change in ("domain", "both"):
        app.set(domain=fault.base_url)
    if change in ("client_id", "both"):
        app.set(client_id="someone-else")
    assert visible(app.errors["client_secret"].value) == (
        "Client secret is empty: enter your client secret"
    )
    assert "only for its own Domain and Client ID" in app.inputs["client_secret"].placeholder
    assert app.get_token_button.disabled
    app.get_token_button.click()
    assert app.get_token() is None
    assert fault.received == []
    assert app.tab_code("curl") is not None  # the snippets still follow, with a placeholder


def test_a_typed_secret_goes_where_the_form_says(app: Explorer, fault: FaultServer) -> None:
    app.set(domain=fault.base_url, client_id="someone-else")
    typed(app, "my-own-secret")
    assert app.form.ok
    app.get_token_button.click()
    assert len(fault.received) == 1
    assert b"client_secret=my-own-secret" in fault.received[0].body
    assert app.defaults.client_secret is not None
    assert app.defaults.client_secret.reveal().encode() not in fault.received[0].body


def test_back_on_the_default_tenant_the_default_secret_applies_again(
    app: Explorer, fault: FaultServer
) -> None:
    app.set(domain=fault.base_url)
    app.set(domain=app.defaults.domain)
    assert app.form.ok
    assert "default secret" in app.inputs["client_secret"].placeholder


# --- 2. a typed secret is in no widget state --------------------------------------------------


def test_a_typed_secret_is_taken_out_of_the_widget(app: Explorer, tenant: LocalTenant) -> None:
    secret = tenant.client_secret.reveal()
    field = app.inputs["client_secret"]
    sent: list[Any] = []
    field._send = lambda msg, buffers=None: sent.append(msg)  # what goes back to the page
    typed(app, secret)
    assert field.value == ""
    assert app.secret_is_set
    assert field.placeholder == "secret set (hidden): type to replace it, or press Clear"
    assert not app.clear_secret_button.disabled
    assert secret not in json.dumps(sent)
    result = app.get_token()
    assert result is not None
    assert result.status == 200
    for text in (synced_state(app), json.dumps(ipywidgets.Widget.get_manager_state())):
        assert secret not in text
    assert secret not in page_text(app)


def test_typing_again_replaces_the_secret_and_clear_forgets_it(
    app: Explorer, tenant: LocalTenant
) -> None:
    typed(app, "first-wrong-secret")
    typed(app, tenant.client_secret.reveal())
    assert app.request is not None
    assert app.request.client_secret == tenant.client_secret
    typed(app, "second-wrong-secret")
    result = app.get_token()
    assert result is not None
    assert result.status == 401
    app.clear_secret_button.click()
    assert not app.secret_is_set
    assert app.clear_secret_button.disabled
    assert "default secret" in app.inputs["client_secret"].placeholder
    assert app.request is not None
    assert app.request.client_secret == tenant.client_secret
    assert "wrong-secret" not in synced_state(app)


def test_clearing_without_a_default_leaves_the_field_asking() -> None:
    from clientcreds.explorer import Defaults

    with Explorer(Defaults(domain="tenant.auth0.com", client_id="a", audience="x")) as app:
        typed(app, "s3cret")
        assert app.form.ok
        app.set(client_secret="")
        assert not app.form.ok
        assert "enter your client secret" in app.errors["client_secret"].value


# --- 3. messages in the explorer's terms ------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"client_id": ""},
        {"audience": ""},
        {"domain": ""},
        {"domain": "tenant.auth0.com/oauth/token"},
        {"domain": "https://user:pw@tenant.auth0.com"},
        {"domain": "http://example.com"},
        {"client_id": " pasted "},
        {"scope": "read:a\n"},
        {"secret_mode": "env"},
    ],
    ids=repr,
)
def test_every_message_speaks_the_explorers_terms(app: Explorer, values: dict[str, str]) -> None:
    app.set(**values)
    messages = [visible(label.value) for label in app.errors.values()]
    messages += [t.error for t in app.snippet_tabs if t.error]
    messages = [m for m in messages if m]
    assert messages
    for message in messages:
        assert not FOREIGN.search(message), message
    for name in values:
        if name in app.form.errors:
            assert app.form.errors[name].startswith(label(name))


def test_the_env_mode_tab_names_the_explorers_choice(app: Explorer) -> None:
    app.set(secret_mode="env")
    http_tab = next(t for t in app.snippet_tabs if t.target == "http")
    assert http_tab.error == (
        "The HTTP (HTTP/1.1) tab cannot read the Client secret from AUTH0_CLIENT_SECRET: "
        "choose placeholder under Secret in snippets"
    )


def test_field_names_become_labels_in_one_place() -> None:
    problem = RequestFieldError(
        "domain must not contain credentials before '@': pass client_id and client_secret "
        "separately",
        field="domain",
    )
    assert in_form_terms(problem) == (
        "Domain must not contain credentials before '@': pass Client ID and Client secret "
        "separately"
    )
    path = RequestFieldError(
        "domain must not contain a path ('/x'): give only the host, or pass the full endpoint "
        "as token_url",
        field="domain",
    )
    assert in_form_terms(path) == "Domain must not contain a path ('/x'): give only the host"
    assert [label(spec.name) for spec in FIELDS] == [spec.label for spec in FIELDS]
    result = read_form({"domain": "tenant.auth0.com", "audience": "x"})
    assert set(result.errors) == {"client_id", "client_secret"}  # every missing field at once


# --- 4. "Run All" ends on a healthy explorer --------------------------------------------------


def test_run_all_cells_ends_on_a_healthy_explorer(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    check = (
        "import json\n"
        "print(json.dumps({'status': app.last_exchange.status, 'ok': app.form.ok,\n"
        "    'panel': 'HTTP 200' in app.token_panel.value,\n"
        "    'errors': [w.value for w in [*app.errors.values(), app.general_error] if w.value],\n"
        "    'call_api': not app.call_api_button.disabled}))\n"
        "app.close()"
    )
    notebook.cells.append(nbformat.v4.new_code_cell(check))
    execute(notebook, tmp_path)
    state = json.loads(notebook.cells[-1].outputs[0]["text"])
    assert state == {"status": 200, "ok": True, "panel": True, "errors": [], "call_api": True}


# --- 5. the decoded view shortens the token, with a copy button -------------------------------


def test_the_decoded_view_shortens_the_token_and_can_copy_it(app: Explorer) -> None:
    result = app.get_token()
    assert result is not None
    assert result.response is not None
    access_token = result.response.access_token
    markup = app.token_panel.value
    decoded = markup.split("Decoded and verified", 1)[1]
    hidden = re.compile(r"<pre hidden[^>]*>(.*?)</pre>", re.DOTALL)
    assert [visible(text) for text in hidden.findall(decoded)] == [access_token]
    shown = visible(hidden.sub("", decoded))
    assert access_token not in shown
    assert not any(len(part) > 16 and part in shown for part in access_token.split("."))
    assert short_token(access_token) in shown
    assert "Copy token</button>" in decoded
