"""The explorer's form: its fields, and how their values become a `TokenRequest`.

Every invalid value gets one sentence, attached to the field it is about, so the app can show
it beside that field instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from clientcreds.core.protocol import PLACEHOLDER_SECRET
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


#: Parameter names the form has no input for: a clause suggesting one is left out.
_ABSENT = re.compile(r"\b(token_url|private_key|key_id|assertion_alg)\b")
_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def label(name: str) -> str:
    """The label the form shows for field `name` (the name itself for one it does not have)."""
    return next((spec.label for spec in FIELDS if spec.name == name), name)


def in_form_terms(problem: RequestFieldError) -> str:
    """A field error as the form says it: fields named by their labels, no absent options.

    The library's sentence is kept; its field names become the form's labels (``client_id is
    empty`` reads ``Client ID is empty``), and an alternative naming a parameter the form has
    no input for (``or pass the full endpoint as token_url``) is left out.

    Example:
        >>> from clientcreds.exceptions import RequestFieldError
        >>> in_form_terms(RequestFieldError("client_id is empty: give a value", field="client_id"))
        'Client ID is empty: give a value'
    """
    first, *alternatives = str(problem).split(", or ")
    text = ", or ".join([first, *(a for a in alternatives if not _ABSENT.search(a))])
    if problem.field and text.startswith(problem.field):
        text = label(problem.field) + text[len(problem.field) :]
    return _NAME.sub(lambda m: label(m.group()), text)


@dataclass(frozen=True)
class FormResult:
    """What the form's values make.

    Attributes:
        request: The request, or None when a value is invalid.
        errors: One sentence per invalid field, keyed by field name (``""`` for a problem
            no single field owns).
        secret_mode: The chosen secret mode for the snippets.
        snippet_request: The request the snippets show: `request`, or while only the secret
            is missing, the same request with a stand-in secret (snippets show a placeholder
            or an environment variable in its place, never a value); None otherwise.
    """

    request: TokenRequest | None
    errors: Mapping[str, str] = field(default_factory=dict)
    secret_mode: str = "placeholder"
    snippet_request: TokenRequest | None = None

    @property
    def ok(self) -> bool:
        """True when the values make a valid request."""
        return self.request is not None


def read_form(values: Mapping[str, str], default_secret: Secret | None = None) -> FormResult:
    """Turn the form's values into a `TokenRequest`, or say what is wrong with each field.

    Args:
        values: Text per field name (see `FIELDS`); a missing name counts as empty (the
            auth method and body format then take their defaults).
        default_secret: The secret to use while the password field is empty: give it only
            for the tenant and application it belongs to (see `Defaults.secret_for`).

    Returns:
        The request and secret mode, or the errors by field (every invalid field's).
    """
    mode = values.get("secret_mode", "placeholder")
    errors: dict[str, str] = {}
    if mode not in EXPLORER_SECRET_MODES:
        choices = ", ".join(EXPLORER_SECRET_MODES)
        errors["secret_mode"] = f"{label('secret_mode')} must be one of {choices}"
    fields = _request_fields(values, default_secret)
    if fields["client_secret"] is None:
        errors["client_secret"] = f"{label('client_secret')} is empty: enter your client secret"
        fields["client_secret"] = Secret(PLACEHOLDER_SECRET)
    try:
        request = TokenRequest(**fields)
    except RequestFieldError as exc:
        problems = {p.field or "": in_form_terms(p) for p in exc.problems}
        return FormResult(None, {**problems, **errors}, mode)
    if errors:
        return FormResult(None, errors, mode, snippet_request=request)
    return FormResult(request, {}, mode, snippet_request=request)


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
