"""The explorer's form: its fields, and how their values become a `TokenRequest`.

Every invalid value gets one sentence, attached to the field it is about, so the app can show
it beside that field instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from clientcreds.core.secret import Secret
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.token_request import SECRET_METHODS, TokenRequest

FieldKind = Literal["text", "password", "choice"]

#: The secret modes the explorer offers. ``reveal`` is left out on purpose: the snippets are
#: on screen, and the password field's value must never be shown.
EXPLORER_SECRET_MODES: tuple[str, ...] = ("placeholder", "env")

_REQUEST_FIELDS = (
    "domain",
    "client_id",
    "client_secret",
    "audience",
    "scope",
    "organization",
    "auth_method",
    "body",
)
_OPTIONAL = ("audience", "scope", "organization")


@dataclass(frozen=True)
class FieldSpec:
    """One input of the form.

    Attributes:
        name: The `TokenRequest` field (or ``secret_mode``).
        label: The label shown beside the input.
        kind: ``text``, ``password`` or ``choice``.
        choices: The allowed values of a ``choice``.
        placeholder: The hint shown in an empty text input.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[str, ...] = ()
    placeholder: str = ""


#: The form's inputs, in display order.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("domain", "Domain", placeholder="tenant.auth0.com"),
    FieldSpec("client_id", "Client ID", placeholder="your application's Client ID"),
    FieldSpec("client_secret", "Client secret", "password"),
    FieldSpec("audience", "Audience", placeholder="https://api.example.com/"),
    FieldSpec("scope", "Scope", placeholder="optional: read:things write:things"),
    FieldSpec("organization", "Organization", placeholder="optional: org name or org_ id"),
    FieldSpec("auth_method", "Auth method", "choice", SECRET_METHODS),
    FieldSpec("body", "Body format", "choice", ("form", "json")),
    FieldSpec("secret_mode", "Secret in snippets", "choice", EXPLORER_SECRET_MODES),
)


@dataclass(frozen=True)
class FormResult:
    """What the form's values make.

    Attributes:
        request: The request, or None when a value is invalid.
        errors: One sentence per invalid field, keyed by field name (``""`` for a problem
            no single field owns).
        secret_mode: The chosen secret mode for the snippets.
    """

    request: TokenRequest | None
    errors: Mapping[str, str] = field(default_factory=dict)
    secret_mode: str = "placeholder"

    @property
    def ok(self) -> bool:
        """True when the values make a valid request."""
        return self.request is not None


def read_form(values: Mapping[str, str], default_secret: Secret | None = None) -> FormResult:
    """Turn the form's values into a `TokenRequest`, or say what is wrong with each field.

    Args:
        values: Text per field name (see `FIELDS`); a missing name counts as empty (the
            auth method and body format then take their defaults).
        default_secret: The secret to use while the password field is empty.

    Returns:
        The request and secret mode, or the errors by field.
    """
    mode = values.get("secret_mode", "placeholder")
    errors: dict[str, str] = {}
    if mode not in EXPLORER_SECRET_MODES:
        errors["secret_mode"] = f"secret mode must be one of {', '.join(EXPLORER_SECRET_MODES)}"
    fields = _request_fields(values, default_secret)
    if fields["client_secret"] is None:
        errors["client_secret"] = "client_secret is required: type the application's secret"
    if errors:
        return FormResult(None, errors, mode)
    try:
        return FormResult(TokenRequest(**fields), {}, mode)
    except RequestFieldError as exc:
        return FormResult(None, {p.field or "": str(p) for p in exc.problems}, mode)


def _request_fields(values: Mapping[str, str], default_secret: Secret | None) -> dict[str, Any]:
    fields: dict[str, Any] = {name: values.get(name, "") for name in _REQUEST_FIELDS}
    fields["auth_method"] = fields["auth_method"] or "client_secret_post"
    fields["body"] = fields["body"] or "form"
    for name in _OPTIONAL:
        if fields[name] == "":
            fields[name] = None
    typed = fields["client_secret"]
    fields["client_secret"] = Secret(typed) if typed else default_secret
    return fields
