"""`TokenRequest`: one client-credentials token request, validated, and its exact wire form."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar, get_args

from clientcreds.core.protocol import GRANT_TYPE, JWT_BEARER
from clientcreds.core.secret import Secret
from clientcreds.exceptions import RequestFieldError
from clientcreds.request.endpoint import auth0_issuer, auth0_token_url, checked_token_url
from clientcreds.request.wire import BodyFormat, WireRequest, build_wire_request

if TYPE_CHECKING:
    # The key and the assertion need cryptography: loaded only with private_key_jwt.
    from clientcreds.request.assertion import KeyInput, PrivateKey

AuthMethod = Literal["client_secret_post", "client_secret_basic", "private_key_jwt"]
#: The methods that send the client secret (the snippet targets support these).
SECRET_METHODS: tuple[str, ...] = ("client_secret_post", "client_secret_basic")

_Secret = TypeVar("_Secret")


@dataclass(frozen=True, kw_only=True, init=False)
class TokenRequest:
    """A client-credentials token request (``POST /oauth/token``), checked on creation.

    Args:
        domain: The Auth0 tenant's domain (``tenant.auth0.com``, a custom or regional domain,
            with or without ``https://``), or a loopback base URL for local work.
        token_url: Instead of `domain`, the full token endpoint of another OAuth 2.0 server.
        client_id: The application's Client ID.
        client_secret: The application's Client Secret; kept as a `Secret` that never prints.
            Required for the two secret methods; left out with ``private_key_jwt``.
        audience: The API identifier; required with `domain`, optional with `token_url`.
        scope: Optional space-separated scopes.
        organization: Optional Auth0 organization name or ID.
        auth_method: ``client_secret_post`` (in the body, the default) or
            ``client_secret_basic`` (an ``Authorization: Basic`` header, RFC 6749 §2.3.1), or
            ``private_key_jwt`` (a signed client assertion instead of a secret).
        body: ``form`` (``application/x-www-form-urlencoded``, the default) or ``json``.
        private_key: With ``private_key_jwt``: the application's RSA or EC private key, as PEM
            text or bytes or a `cryptography` key object; kept as a `PrivateKey` that never
            prints.
        key_id: With ``private_key_jwt``: the key's id (``kid``) as registered with the tenant.
        assertion_alg: With ``private_key_jwt``: RS256 (the default for RSA keys), RS384,
            PS256, PS384, ES256 (the default for P-256 keys) or ES384.

    Raises:
        RequestFieldError: naming the invalid field (`.field`) and what to do about it; it
            is a `ValueError` too. A text field that starts or ends with a space or line
            break (a pasted value, which the server would refuse with a 401 or 403) is
            refused here, naming the field and never showing a secret.

    Example:
        >>> req = TokenRequest(domain="tenant.auth0.com", client_id="abc",
        ...                    client_secret="YOUR_CLIENT_SECRET",
        ...                    audience="https://api.example.com/")
        >>> req.url
        'https://tenant.auth0.com/oauth/token'
        >>> req.client_secret
        Secret('**********')
    """

    domain: str | None = None
    token_url: str | None = None
    client_id: str
    client_secret: Secret | None
    audience: str | None = None
    scope: str | None = None
    organization: str | None = None
    auth_method: AuthMethod = "client_secret_post"
    body: BodyFormat = "form"
    private_key: PrivateKey | None = None
    key_id: str | None = None
    assertion_alg: str | None = None

    def __init__(
        self,
        *,
        domain: str | None = None,
        token_url: str | None = None,
        client_id: str,
        client_secret: str | Secret | None = None,
        audience: str | None = None,
        scope: str | None = None,
        organization: str | None = None,
        auth_method: AuthMethod = "client_secret_post",
        body: BodyFormat = "form",
        private_key: KeyInput | PrivateKey | None = None,
        key_id: str | None = None,
        assertion_alg: str | None = None,
    ) -> None:
        values = {
            "domain": domain,
            "token_url": token_url,
            "client_id": client_id,
            "client_secret": None if client_secret is None else _as_secret(client_secret),
            "audience": audience,
            "scope": scope,
            "organization": organization,
            "auth_method": auth_method,
            "body": body,
            "private_key": None if private_key is None else _as_key(private_key),
            "key_id": key_id,
            "assertion_alg": assertion_alg,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self._validate()

    def _validate(self) -> None:
        """Run every check; raise the first problem, with all of them in ``problems``."""
        problems: list[RequestFieldError] = []
        for check in self._checks():
            try:
                check()
            except RequestFieldError as exc:
                problems.append(exc)
        if problems:
            problems[0].problems = tuple(problems)
            raise problems[0]

    def _checks(self) -> list[Callable[[], None]]:
        """The checks, in the order their messages are reported; each raises for one field."""
        return [
            self._check_where,
            lambda: _check_text("client_id", self.client_id, required=True),
            lambda: _check_text("audience", self.audience, required=self.domain is not None),
            lambda: _check_text("scope", self.scope, required=False),
            lambda: _check_text("organization", self.organization, required=False),
            lambda: _check_choice("auth_method", self.auth_method, AuthMethod),
            lambda: _check_choice("body", self.body, BodyFormat),
            self._check_credentials,
        ]

    def _check_where(self) -> None:
        if (self.domain is None) == (self.token_url is None):
            raise RequestFieldError(
                "give exactly one of domain (an Auth0 tenant) or token_url (any OAuth 2.0 server)",
                field="domain" if self.token_url is None else None,
            )
        object.__setattr__(self, "_url", self._checked_url())

    def _check_credentials(self) -> None:
        if self.auth_method == "private_key_jwt":
            self._validate_key()
            return
        secret = None if self.client_secret is None else self.client_secret.reveal()
        _check_text("client_secret", secret, required=True)
        for name in ("private_key", "key_id", "assertion_alg"):
            if getattr(self, name) is not None:
                raise RequestFieldError(
                    f"{name} is only used with auth_method='private_key_jwt': "
                    "leave it out, or set auth_method",
                    field=name,
                )

    def _validate_key(self) -> None:
        if self.client_secret is not None:
            raise RequestFieldError(
                "private_key_jwt authenticates with the key, not client_secret: "
                "leave client_secret out (Auth0 refuses a request with both)",
                field="client_secret",
            )
        if self.private_key is None:
            raise RequestFieldError(
                "private_key is required with auth_method='private_key_jwt': give the "
                "application's private key (PEM text or a cryptography key object)",
                field="private_key",
            )
        _check_text("key_id", self.key_id, required=False)
        self.private_key.check_algorithm(self.signing_alg)

    @property
    def url(self) -> str:
        """The token endpoint: ``https://{domain}/oauth/token``, or `token_url` as checked."""
        url: str = self.__dict__["_url"]
        return url

    def _checked_url(self) -> str:
        if self.domain is not None:
            return auth0_token_url(self.domain)
        assert self.token_url is not None
        return checked_token_url(self.token_url)

    @property
    def signing_alg(self) -> str:
        """The client assertion's algorithm: `assertion_alg`, or the key's default."""
        if self.assertion_alg is not None:
            return self.assertion_alg
        return "RS256" if self.private_key is None else self.private_key.default_algorithm()

    @property
    def issuer(self) -> str | None:
        """Auth0's issuer for a `domain`: the origin with a trailing slash
        (``https://tenant.auth0.com/``); None for a `token_url`, whose issuer only the
        server's discovery document can tell."""
        return None if self.domain is None else auth0_issuer(self.domain)

    @property
    def assertion_audience(self) -> str:
        """The client assertion's ``aud``: the `issuer` for a `domain`, the token endpoint
        itself for a `token_url` (RFC 7523 §3)."""
        return self.issuer or self.url

    def replace(self, **changes: object) -> TokenRequest:
        """Return a copy with some fields changed (and checked again)."""
        current = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return TokenRequest(**{**current, **changes})

    def body_params(
        self, client_secret: _Secret, *, assertion: str | None = None
    ) -> list[tuple[str, str | _Secret]]:
        """The body's (name, value) pairs in the seed's order, with `client_secret` as given.

        The secret is a parameter so a snippet can put a placeholder or an environment
        variable in its place. With ``client_secret_basic`` the credentials are not in the body.
        With ``private_key_jwt``, `assertion` (a signed client assertion) takes the secret's
        place, with ``client_assertion_type``.

        Raises:
            ValueError: for ``private_key_jwt`` without an `assertion`.
        """
        pairs: list[tuple[str, str | _Secret | None]] = [
            ("audience", self.audience),
            ("grant_type", GRANT_TYPE),
        ]
        if self.auth_method == "client_secret_post":
            pairs += [("client_id", self.client_id), ("client_secret", client_secret)]
        elif self.auth_method == "private_key_jwt":
            if assertion is None:
                raise ValueError("private_key_jwt needs a signed client assertion in the body")
            pairs += [
                ("client_id", self.client_id),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion),
            ]
        pairs += [("scope", self.scope), ("organization", self.organization)]
        return [(name, value) for name, value in pairs if value is not None]

    def wire_request(self) -> WireRequest:
        """The exact request this object stands for, secret included (its repr hides it).

        With ``private_key_jwt`` every call signs a new assertion (fresh ``jti``, ``iat`` now,
        valid for 60 s), so two wire requests are never the same.
        """
        if self.auth_method == "private_key_jwt":
            return build_wire_request(
                self.url, self.body, self.body_params("", assertion=self._assertion())
            )
        assert self.client_secret is not None
        secret = self.client_secret.reveal()
        basic = (self.client_id, secret) if self.auth_method == "client_secret_basic" else None
        return build_wire_request(self.url, self.body, self.body_params(secret), basic)

    def _assertion(self) -> str:
        from clientcreds.request.assertion import client_assertion

        assert self.private_key is not None
        return client_assertion(
            self.private_key,
            client_id=self.client_id,
            audience=self.assertion_audience,
            alg=self.signing_alg,
            key_id=self.key_id,
        )


def _as_secret(value: str | Secret) -> Secret:
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise RequestFieldError(
            f"client_secret must be text, not {type(value).__name__}", field="client_secret"
        )
    return Secret(value)


def _as_key(value: KeyInput | PrivateKey) -> PrivateKey:
    from clientcreds.request.assertion import PrivateKey

    return PrivateKey(value)


def _check_text(name: str, value: object, *, required: bool) -> None:
    if value is None:
        if required:
            hint = " (your API's identifier in the Auth0 dashboard)" if name == "audience" else ""
            raise RequestFieldError(f"{name} is required: give it{hint}", field=name)
        return
    if not isinstance(value, str):
        raise RequestFieldError(f"{name} must be text, not {type(value).__name__}", field=name)
    if value == "":
        what = "give a value" if required else "give a value or leave it out"
        raise RequestFieldError(f"{name} is empty: {what}", field=name)
    if value != value.strip():  # pasted with a space or newline: it would end in a 401 or 403
        raise RequestFieldError(
            f"{name} has a leading or trailing space or line break: remove it", field=name
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise RequestFieldError(
            f"{name} contains U+{ord(bad):04X}, a lone surrogate that no HTTP request can carry: "
            "check how the value was read",
            field=name,
        ) from None


def _check_choice(name: str, value: object, choices: object) -> None:
    allowed = get_args(choices)
    if value not in allowed:
        raise RequestFieldError(
            f"{name} must be one of {', '.join(map(repr, allowed))}, not {value!r}", field=name
        )
