"""A page of snippets for a reader's own values: what the docs site's "Your values" form shows.

The site runs this module in the browser (Pyodide), so every tab a reader sees is what
`render()` gives for their values, with no second implementation. `render_page` takes the
form's text fields and the snippet sets on the page (each described as its build-time marker
describes it, e.g. ``auth_method=client_secret_basic`` or ``kind=api``) and returns every
snippet, every refusal and, for each invalid field, the library's own sentence.

There is no secret field: the snippets show the placeholder or read the secret from the
environment (``secret`` is ``placeholder`` or ``env``, never ``reveal``). Like the CLI, a field
left empty shows the reference page's placeholder.

This module, like the whole snippet path, imports only the standard library.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, TypeVar

from clientcreds.core.protocol import (
    PLACEHOLDER_SECRET,
    PLACEHOLDERS,
    SECRET_ENV_VAR,
    TOKEN_ENV_VAR,
)
from clientcreds.exceptions import RenderError, RequestFieldError
from clientcreds.request.api_request import API_METHODS, ApiRequest
from clientcreds.request.token_request import SECRET_METHODS, TokenRequest
from clientcreds.request.wire import form_quote
from clientcreds.snippets import get_target, targets
from clientcreds.snippets.plan import SecretMode, make_plan

#: The call to an API a snippet set shows unless its marker or the form gives a URL.
API_EXAMPLE_URL = "https://api.example.com/things"
#: The secret modes a web page may offer: never ``reveal``, since a page has no secret.
PAGE_SECRET_MODES: tuple[SecretMode, ...] = ("placeholder", "env")

_T = TypeVar("_T")
FieldKind = Literal["text", "choice"]
FieldFor = Literal["token", "api", "both"]


@dataclass(frozen=True)
class FormField:
    """One input of the "Your values" form.

    Attributes:
        name: The request field it sets (``domain``, ``url``, ...), or ``secret`` for the
            snippets' secret mode.
        label: What the form calls it.
        kind: ``text`` or ``choice``.
        choices: A choice's (value, label) pairs; the first is the default.
        placeholder: What an empty text input shows (and, for the token request's fields,
            what the snippets show while it is empty).
        applies_to: ``token`` (the token request), ``api`` (the call to an API) or ``both``.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""
    applies_to: FieldFor = "token"


#: The form's inputs, in display order. No secret: a secret never belongs in a web page.
FIELDS: tuple[FormField, ...] = (
    FormField("domain", "Domain", placeholder=PLACEHOLDERS["domain"]),
    FormField("client_id", "Client ID", placeholder=PLACEHOLDERS["client_id"]),
    FormField("audience", "Audience", placeholder=PLACEHOLDERS["audience"]),
    FormField("scope", "Scope", placeholder="optional: read:things write:things"),
    FormField("organization", "Organization", placeholder="optional: org name or org_ id"),
    FormField(
        "auth_method",
        "Client authentication",
        "choice",
        (
            (SECRET_METHODS[0], "In the body (client_secret_post)"),
            (SECRET_METHODS[1], "Basic header (client_secret_basic)"),
        ),
    ),
    FormField("body", "Body format", "choice", (("form", "Form"), ("json", "JSON"))),
    FormField(
        "secret",
        "Secret in the snippets",
        "choice",
        (
            ("placeholder", f"Placeholder ({PLACEHOLDER_SECRET})"),
            ("env", "Read from the environment"),
        ),
        applies_to="both",
    ),
    FormField("url", "API URL", placeholder=API_EXAMPLE_URL, applies_to="api"),
    FormField("method", "Method", "choice", tuple((m, m) for m in API_METHODS), applies_to="api"),
)
_BY_NAME = {spec.name: spec for spec in FIELDS}
_TOKEN_FIELDS = tuple(f.name for f in FIELDS if f.applies_to == "token")
_OPTIONAL = ("scope", "organization")


@dataclass(frozen=True)
class SetRender:
    """One snippet set of the page, rendered for the reader's values.

    Attributes:
        snippets: Each target's snippet, exactly as `render()` gives it, in `targets()`
            order; a target that cannot carry the request is left out.
        refusals: Each refusing target's `RenderError` sentence.
        reads: The environment variable the snippets read the secret (or, for an API call,
            the token) from in ``env`` mode; None in ``placeholder`` mode.
    """

    snippets: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)
    reads: str | None = None


@dataclass(frozen=True)
class PageRender:
    """Everything the form changes on a page.

    Attributes:
        errors: The library's sentence for each invalid field, by field name (``""`` for a
            problem no single field owns). While there is one, the sets that need the field
            are None.
        sets: Each snippet set in page order, or None when its request is invalid.
        basic: How the ``Authorization: Basic`` header is built from the reader's Client ID
            (see `basic_header_text`), or None while the Client ID is invalid.
    """

    errors: dict[str, str]
    sets: tuple[SetRender | None, ...]
    basic: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data for the page's script."""
        return {
            "errors": self.errors,
            "sets": [
                None
                if s is None
                else {"snippets": s.snippets, "refusals": s.refusals, "reads": s.reads}
                for s in self.sets
            ],
            "basic": self.basic,
        }


def parse_options(text: str) -> dict[str, str]:
    """A marker's ``key=value`` pairs (the ``data-cc-request`` of a snippet set).

    Example:
        >>> parse_options("kind=api method=POST")
        {'kind': 'api', 'method': 'POST'}
    """
    return dict(pair.split("=", 1) for pair in text.split())


def render_page(values: Mapping[str, str], sets: Sequence[str]) -> PageRender:
    """Render every snippet set of a page for the form's values.

    Args:
        values: The form's text by field name (see `FIELDS`); a missing or empty token
            field shows the reference page's placeholder, as the CLI does, and an empty
            scope or organization is left out. The API call's fields (``url``, ``method``)
            are read only when a set shows an API call.
        sets: Each set's marker options, e.g. ``""``, ``"auth_method=client_secret_basic"``
            or ``"kind=api"``; a marker's own fields win over the form's.

    Returns:
        The snippets, refusals and field errors.
    """
    errors: dict[str, str] = {}
    given = values.get("secret") or PAGE_SECRET_MODES[0]
    mode = next((m for m in PAGE_SECRET_MODES if m == given), None)
    if mode is None:
        choices = ", ".join(map(repr, PAGE_SECRET_MODES))
        errors["secret"] = f"secret must be one of {choices} on a web page, not {given!r}"
    token_fields = _token_fields(values)
    api_fields = {"url": values.get("url") or None, "method": values.get("method") or None}
    base = _checked(lambda: TokenRequest(**token_fields), errors)
    kinds = [parse_options(marker).get("kind", "token") for marker in sets]
    api = _checked(lambda: _api_request(api_fields), errors) if "api" in kinds else None
    rendered: list[SetRender | None] = []
    for marker in sets:
        options = parse_options(marker)
        kind = options.pop("kind", "token")
        request: TokenRequest | ApiRequest | None = None
        if kind == "api" and api is not None:
            request = _checked(partial(_api_request, {**api_fields, **options}), {})
        elif kind != "api" and base is not None:
            request = _checked(partial(TokenRequest, **{**token_fields, **options}), {})
        rendered.append(None if request is None or mode is None else render_set(request, mode))
    basic = None if base is None else basic_header_text(base.client_id)
    return PageRender(errors, tuple(rendered), basic)


def render_page_json(text: str) -> str:
    """`render_page` with JSON in and out, for JavaScript: ``{"values": {...}, "sets": [...]}``
    in, `PageRender.to_dict` out."""
    data = json.loads(text)
    page = render_page(
        {str(k): str(v) for k, v in data["values"].items() if v is not None},
        [str(s) for s in data["sets"]],
    )
    return json.dumps(page.to_dict(), ensure_ascii=False)


def render_set(request: TokenRequest | ApiRequest, mode: SecretMode) -> SetRender:
    """Every target's snippet for `request` (laid out once), or its refusal."""
    plan = make_plan(request, mode)
    snippets: dict[str, str] = {}
    refusals: dict[str, str] = {}
    for name in targets():
        try:
            snippets[name] = get_target(name).render(plan)
        except RenderError as exc:
            refusals[name] = refusal_text(exc, request, name, mode)
    variable = SECRET_ENV_VAR if isinstance(request, TokenRequest) else TOKEN_ENV_VAR
    return SetRender(snippets, refusals, variable if mode == "env" else None)


def refusal_text(
    exc: RenderError, request: TokenRequest | ApiRequest, name: str, mode: SecretMode
) -> str:
    """Why a tab has no snippet, in the page's terms: a target that cannot read the
    environment is offered the placeholder (a page has no ``reveal``), else the library's
    sentence as it is."""
    if mode != "env":
        return str(exc)
    try:
        get_target(name).render(make_plan(request, "placeholder"))
    except RenderError as other:
        return str(other)
    reason = str(exc).partition(":")[0]
    return f"{reason}: choose the placeholder under “{_BY_NAME['secret'].label}” to see this tab"


def basic_header_text(client_id: str) -> str:
    """How the ``client_secret_basic`` header is built (RFC 6749 §2.3.1), step by step, with
    the secret's placeholder: each part form-encoded, joined by ``:``, then base64.

    Example:
        >>> print(basic_header_text("my app"))
        client_id, form-encoded:      my+app
        client_secret, form-encoded:  YOUR_CLIENT_SECRET
        joined by a colon:            my+app:YOUR_CLIENT_SECRET
        base64 of that:               bXkrYXBwOllPVVJfQ0xJRU5UX1NFQ1JFVA==
        the header:                   Authorization: Basic bXkrYXBwOllPVVJfQ0xJRU5UX1NFQ1JFVA==
    """
    parts = (form_quote(client_id), form_quote(PLACEHOLDER_SECRET))
    joined = ":".join(parts)
    encoded = base64.b64encode(joined.encode("ascii")).decode("ascii")
    rows = (
        ("client_id, form-encoded:", parts[0]),
        ("client_secret, form-encoded:", parts[1]),
        ("joined by a colon:", joined),
        ("base64 of that:", encoded),
        ("the header:", f"Authorization: Basic {encoded}"),
    )
    return "\n".join(f"{name:<30}{value}" for name, value in rows)


def _token_fields(values: Mapping[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: values.get(name) or None for name in _TOKEN_FIELDS}
    for name in ("domain", "client_id", "audience"):
        fields[name] = fields[name] or PLACEHOLDERS[name]
    for name in ("auth_method", "body"):
        fields[name] = fields[name] or _BY_NAME[name].choices[0][0]
    for name in _OPTIONAL:
        fields[name] = fields[name] or None
    return {**fields, "client_secret": PLACEHOLDER_SECRET}


def _api_request(fields: Mapping[str, str | None]) -> ApiRequest:
    return ApiRequest(fields["url"] or API_EXAMPLE_URL, fields["method"] or "GET")  # type: ignore[arg-type]


def _checked(make: Callable[[], _T], errors: dict[str, str]) -> _T | None:
    """What `make()` builds, or None with each field's sentence added to `errors`."""
    try:
        return make()
    except RequestFieldError as exc:
        for problem in exc.problems:
            errors.setdefault(problem.field or "", str(problem))
        return None
