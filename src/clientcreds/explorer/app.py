"""`Explorer`: the ipywidgets app that puts the whole flow on one screen.

Importing this module imports ipywidgets; `clientcreds.explorer` imports it only when
`Explorer` is first used.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import ipywidgets as widgets
from traitlets import Unicode

from clientcreds.core.loopback import BackgroundService
from clientcreds.core.protocol import ENV_VARS
from clientcreds.core.secret import Secret
from clientcreds.explorer.api import (
    API_URL_LABEL,
    EXAMPLE_API_URL,
    ApiResponse,
    api_snippet_request,
    call_api,
)
from clientcreds.explorer.bundle import debug_bundle_text
from clientcreds.explorer.defaults import Defaults
from clientcreds.explorer.demo_api import DemoApi
from clientcreds.explorer.form import FIELDS, FieldSpec, FormResult, read_form
from clientcreds.explorer.panels import error_html
from clientcreds.explorer.round_trip import Exchange, exchange
from clientcreds.explorer.tabs import SnippetTab, render_tabs, snippet_html
from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets import SecretMode, get_target, languages
from clientcreds.tenant import LocalTenant

_T = TypeVar("_T")
_LABEL_WIDTH = "130px"
_INPUT_WIDTH = "460px"
#: JupyterLab's dark themes: the explorer's boxes are drawn light (inline styles, so they
#: look the same in any page); under a dark theme they are inverted, hues kept, and the
#: dark red of errors is lightened. JupyterLab marks a dark theme on <body>.
_DARK_THEME_CSS = (
    "<style>"
    '[data-jp-theme-light="false"] .cc-explorer pre'
    "{filter:invert(0.88) hue-rotate(180deg)}"
    '[data-jp-theme-light="false"] .cc-explorer [style*="color:#b00"]'
    "{color:#ff8a80 !important}"
    "</style>"
)


class Explorer:
    """The explorer app: a form, one snippet tab per target for the token request and for the
    call to your API, "Get token" and "Call API".

    Show it by leaving it last in a notebook cell. Without `defaults` it reads the
    ``AUTH0_*`` variables; when ``AUTH0_DOMAIN`` is not set it starts an embedded
    `LocalTenant` (and a `DemoApi` for "Call API") and fills in the demo application.
    `close` stops what it started.

    The password field starts empty and means "the default secret", which is used only for the
    Domain and Client ID it came with: a secret that came from the environment or the tenant
    never reaches the page, nor any other server. A typed secret is taken from the field as
    soon as it is entered (Enter, or leaving the field) and kept on the Python side: the field
    is emptied and says that a secret is set, so no widget state (saved with the notebook or
    not) ever holds it. Typing again replaces it; "Clear" forgets it.

    Args:
        defaults: The form's starting values.
        environ: The environment to read ``AUTH0_*`` from (default: `os.environ`).

    Attributes:
        defaults: The form's starting values.
        inputs: The input widgets by field name (see `clientcreds.explorer.FIELDS`).
        errors: The error label beside each input, by field name.
        clear_secret_button: Forgets the typed secret (enabled while one is set).
        tabs: The snippet tabs: a tab per language holding a tab per client (target), each
            with how to run its snippet; `snippet_panes` lists the panes in target order.
        get_token_button: Sends the request.
        token_panel: What "Get token" got: status, headers, body, decoded token, report.
        api_url: The URL "Call API" sends the token to, and the "Call your API" snippets call.
        api_url_error: Why the API URL cannot be used, beside it.
        api_tabs: The "Call your API" snippet tabs: the API URL called with the token, shown
            as ``YOUR_ACCESS_TOKEN`` or read from ``ACCESS_TOKEN`` as the secret mode says.
        call_api_button: Sends the token to `api_url`.
        api_panel: The API's answer.
        bundle_panel: The redacted debug bundle, with a copy button.
        widget: The whole app, a `ipywidgets.VBox`.
        last_exchange: The last "Get token" result.
        last_api_response: The last "Call API" result.

    Example:
        >>> from clientcreds.explorer import Explorer
        >>> with Explorer() as app:
        ...     form = app.set(scope="read:demo")
        ...     "scope=read%3Ademo" in app.tab_code("curl")
        True
    """

    def __init__(
        self, defaults: Defaults | None = None, *, environ: Mapping[str, str] | None = None
    ) -> None:
        self._owned: list[BackgroundService[Any]] = []  # stopped by close, else at exit
        if defaults is None:
            defaults = Defaults.from_environment(environ) or self._embedded()
        self.defaults = defaults
        self.last_exchange: Exchange | None = None
        self.last_api_response: ApiResponse | None = None
        self._form = FormResult(None)
        self._tabs: list[SnippetTab] = []
        self._api_tabs: list[SnippetTab] = []
        self._typed_secret: Secret | None = None
        self._build()
        self.refresh()

    @classmethod
    def for_tenant(cls, tenant: LocalTenant, api: DemoApi | None = None) -> Explorer:
        """An explorer on a running tenant's demo application (and `api` for "Call API")."""
        return cls(Defaults.from_tenant(tenant, api_url=api.url if api else ""))

    # --- building -----------------------------------------------------------------------

    def _embedded(self) -> Defaults:
        tenant = LocalTenant().start()
        self._owned.append(tenant)
        api = DemoApi.for_tenant(tenant).start()
        self._owned.append(api)
        return Defaults.from_tenant(tenant, api_url=api.url)

    def _build(self) -> None:
        self.inputs: dict[str, widgets.ValueWidget] = {
            s.name: _input(s, self.defaults) for s in FIELDS
        }
        self.errors: dict[str, widgets.HTML] = {s.name: widgets.HTML() for s in FIELDS}
        self.clear_secret_button = widgets.Button(
            description="Clear",
            tooltip="Forget the typed secret",
            disabled=True,
            layout=widgets.Layout(width="70px"),
        )
        self.general_error = widgets.HTML()
        self.tabs = _snippet_tabs("cc-token-snippets")
        self.get_token_button = widgets.Button(description="Get token", button_style="primary")
        self.token_panel = widgets.HTML()
        self.api_url = widgets.Text(
            value=self.defaults.api_url,
            description=API_URL_LABEL,
            placeholder=EXAMPLE_API_URL,
            style={"description_width": _LABEL_WIDTH},
            layout=widgets.Layout(width=_INPUT_WIDTH),
        )
        self.api_url_error = widgets.HTML()
        self.api_tabs = _snippet_tabs("cc-api-snippets")
        self.call_api_button = widgets.Button(description="Call API", disabled=True)
        self.api_panel = widgets.HTML()
        self.bundle_panel = widgets.HTML("<em>Get a token to fill the debug bundle.</em>")
        for name, widget in self.inputs.items():
            handler = self._on_secret if name == "client_secret" else self._on_change
            widget.observe(handler, names="value")
        self.api_url.observe(self._on_change, names="value")
        self.clear_secret_button.on_click(lambda _button: self._safely(self.clear_secret))
        self.get_token_button.on_click(lambda _button: self._safely(self.get_token))
        self.call_api_button.on_click(lambda _button: self._safely(self.call_api))
        self.widget = widgets.VBox(self._layout())
        self.widget.add_class("cc-explorer")

    def _layout(self) -> list[widgets.Widget]:
        rows = [widgets.HBox(self._row(s.name)) for s in FIELDS]
        source = widgets.HTML(f"<em>Defaults from {html.escape(self.defaults.source)}.</em>")
        bundle = widgets.Accordion(children=[self.bundle_panel], titles=["Debug bundle"])
        return [
            widgets.HTML(
                f"{_DARK_THEME_CSS}<h3 style='margin:4px 0'>Client credentials explorer</h3>"
            ),
            source,
            *rows,
            self.general_error,
            self.tabs,
            self.get_token_button,
            self.token_panel,
            widgets.HTML("<h4 style='margin:8px 0 4px'>Call your API</h4>"),
            widgets.HBox([self.api_url, self.call_api_button, self.api_url_error]),
            self.api_tabs,
            self.api_panel,
            bundle,
        ]

    def _row(self, name: str) -> list[widgets.Widget]:
        if name == "client_secret":
            return [self.inputs[name], self.clear_secret_button, self.errors[name]]
        return [self.inputs[name], self.errors[name]]

    # --- state --------------------------------------------------------------------------

    @property
    def values(self) -> dict[str, str]:
        """The form's values by field name (the secret field's value is left out)."""
        return {n: str(w.value) for n, w in self.inputs.items() if n != "client_secret"}

    @property
    def request(self) -> TokenRequest | None:
        """The request the form describes, or None while a field is invalid."""
        return self._form.request

    @property
    def form(self) -> FormResult:
        """The form's last reading: the request, or the errors by field."""
        return self._form

    @property
    def snippet_tabs(self) -> list[SnippetTab]:
        """The rendered tabs, in `clientcreds.targets()` order."""
        return list(self._tabs)

    def tab_code(self, target: str) -> str | None:
        """The snippet in `target`'s tab, or None when it shows an error instead."""
        return next(t.code for t in self._tabs if t.target == target)

    @property
    def api_snippet_tabs(self) -> list[SnippetTab]:
        """The rendered "Call your API" tabs, in `clientcreds.targets()` order."""
        return list(self._api_tabs)

    def api_tab_code(self, target: str) -> str | None:
        """The "Call your API" snippet in `target`'s tab, or None when it shows an error."""
        return next(t.code for t in self._api_tabs if t.target == target)

    @property
    def secret_is_set(self) -> bool:
        """True while a typed secret is held (it replaces the default secret)."""
        return self._typed_secret is not None

    def set(self, **values: str) -> FormResult:
        """Set form fields by name (as typing would) and return the new reading.

        An empty ``client_secret`` forgets the typed secret (what "Clear" does).

        Raises:
            KeyError: for a name that is not a field.
        """
        for name, value in values.items():
            if name == "client_secret" and not value:
                self.clear_secret()
            else:
                self.inputs[name].value = value
        return self._form

    def clear_secret(self) -> FormResult:
        """Forget the typed secret (what "Clear" does): the default secret applies again."""
        self._typed_secret = None
        return self.refresh()

    # --- reacting -----------------------------------------------------------------------

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self._safely(self.refresh)

    def _on_secret(self, change: Mapping[str, Any]) -> None:
        """Take a typed secret out of the widget, so no widget state holds it."""
        typed = str(change["new"])
        if not typed:
            return  # the field emptied, by us below or by the user: nothing to take
        self._typed_secret = Secret(typed)
        self.inputs["client_secret"].value = ""
        self._safely(self.refresh)

    def refresh(self) -> FormResult:
        """Read the form and the API URL again: update the error labels, every snippet tab
        (the token request's and the API call's) and the buttons."""
        raw = {name: str(widget.value) for name, widget in self.inputs.items()}
        default = self.defaults.secret_for(raw["domain"], raw["client_id"])
        secret = default if self._typed_secret is None else self._typed_secret
        self._form = form = read_form(raw, secret)
        self._show_secret_state(default)
        for name, label in self.errors.items():
            label.value = error_html(form.errors[name]) if name in form.errors else ""
        self.general_error.value = error_html(form.errors[""]) if "" in form.errors else ""
        mode: SecretMode = "env" if form.secret_mode == "env" else "placeholder"
        self._tabs = _show(self.tabs, render_tabs(form.snippet_request, mode))
        api_request, api_error = api_snippet_request(str(self.api_url.value))
        self.api_url_error.value = "" if api_error is None else error_html(api_error)
        self._api_tabs = _show(self.api_tabs, render_tabs(api_request, mode))
        self.get_token_button.disabled = form.request is None
        return form

    def _show_secret_state(self, default: Secret | None) -> None:
        field = self.inputs["client_secret"]
        field.placeholder = _secret_hint(self.defaults, default, typed=self.secret_is_set)
        self.clear_secret_button.disabled = not self.secret_is_set

    def get_token(self) -> Exchange | None:
        """Send the form's request and show the answer (what "Get token" does).

        Returns:
            The exchange, or None when the form is invalid (the panel then says so).
        """
        request = self._form.request
        if request is None:
            self.token_panel.value = error_html("Fix the fields marked in red first.")
            return None
        self.get_token_button.description = "Getting token…"
        self.get_token_button.disabled = True
        try:
            result = exchange(request)
        finally:
            self.get_token_button.description = "Get token"
            self.get_token_button.disabled = False
        self.last_exchange = result
        self.last_api_response = None
        self.token_panel.value = result._repr_html_()
        self.call_api_button.disabled = result.response is None
        self.api_panel.value = ""
        self._update_bundle()
        return result

    def call_api(self) -> ApiResponse | None:
        """Send the last token to the API URL and show the answer (what "Call API" does).

        Returns:
            The answer, or None when there is no token yet (the panel then says so).
        """
        result = self.last_exchange
        if result is None or result.response is None:
            self.api_panel.value = error_html("Get a token first.")
            return None
        answer = call_api(self.api_url.value, result.response.access_token)
        self.last_api_response = answer
        self.api_panel.value = answer._repr_html_()
        self._update_bundle()
        return answer

    def debug_bundle(self) -> str:
        """The redacted debug bundle for the last exchange, as JSON text.

        Raises:
            RuntimeError: before the first "Get token".
        """
        if self.last_exchange is None:
            raise RuntimeError("get a token first: the bundle describes the last exchange")
        return debug_bundle_text(
            self.last_exchange.request, self.last_exchange, self.last_api_response
        )

    def _update_bundle(self) -> None:
        self.bundle_panel.value = snippet_html(self.debug_bundle(), "json")

    def _safely(self, action: Callable[[], _T]) -> _T | None:
        """Run a handler; an unexpected failure becomes one sentence, never a traceback."""
        try:
            return action()
        except Exception as exc:
            self.general_error.value = error_html(
                f"Something went wrong ({type(exc).__name__}): {exc}"
            )
            return None

    # --- display and lifetime -----------------------------------------------------------

    def __repr__(self) -> str:
        return f"Explorer({len(self._tabs)} snippet targets; defaults from {self.defaults.source})"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        return data

    def __enter__(self) -> Explorer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the embedded tenant and demo API it started, and close the widgets."""
        while self._owned:
            self._owned.pop().stop()
        _close_tree(self.widget)


def _snippet_tabs(kind: str) -> widgets.Tab:
    """An empty tab set with the CSS class `kind`: a tab per language, each holding a tab per
    client (target), in `clientcreds.languages()` order."""
    tabs = widgets.Tab(
        children=[
            widgets.Tab(
                children=[widgets.HTML() for _ in names],
                titles=[get_target(name).client for name in names],
            )
            for names in languages().values()
        ],
        titles=list(languages()),
    )
    tabs.add_class(kind)
    return tabs


def snippet_panes(tabs: widgets.Tab) -> list[widgets.HTML]:
    """The pane of every target in a tab set of `_snippet_tabs`, in `clientcreds.targets()`
    order (languages in order, each language's clients in order)."""
    return [pane for language in tabs.children for pane in language.children]


def _show(tabs: widgets.Tab, rendered: list[SnippetTab]) -> list[SnippetTab]:
    """Put each rendered tab's HTML in its widget; return `rendered`."""
    for pane, tab in zip(snippet_panes(tabs), rendered, strict=True):
        pane.value = tab.html
    return rendered


def _input(spec: FieldSpec, defaults: Defaults) -> widgets.ValueWidget:
    style = {"description_width": _LABEL_WIDTH}
    layout = widgets.Layout(width=_INPUT_WIDTH)
    if spec.kind == "choice":
        return widgets.Dropdown(
            options=spec.choices,
            value=getattr(defaults, spec.name),
            description=spec.label,
            style=style,
            layout=layout,
        )
    if spec.kind == "password":
        return _SecretInput(
            value="",
            description=spec.label,
            style=style,
            layout=layout,
            continuous_update=False,
        )
    return widgets.Text(
        value=getattr(defaults, spec.name),
        placeholder=spec.placeholder,
        description=spec.label,
        style=style,
        layout=layout,
        continuous_update=True,
    )


class _SecretInput(widgets.Password):  # type: ignore[misc]
    """A password input that never echoes what is typed back to the page.

    The explorer empties it as soon as a value arrives; without the echo, the typed value
    travels once, from the page to the kernel, and no message or state holds it afterwards.
    """

    value = Unicode(help="String value").tag(sync=True, echo_update=False)


def _secret_hint(defaults: Defaults, default: Secret | None, *, typed: bool) -> str:
    """The secret field's placeholder: which secret Get token sends, and how to change it."""
    if typed:
        return "secret set (hidden): type to replace it, or press Clear"
    if default is not None:
        return f"(default secret from {defaults.source.split(' (')[0]}; type to replace)"
    if defaults.client_secret is not None:
        return "type the secret: the default one is only for its own Domain and Client ID"
    return f"type the Client secret (or set {ENV_VARS['client_secret']})"


def _close_tree(widget: widgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()
