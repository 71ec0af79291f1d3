"""What a target renders: the request with each value a literal or an environment variable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Union, get_args

from clientcreds.core.protocol import (
    MEDIA_TYPES,
    PLACEHOLDER_SECRET,
    PLACEHOLDER_TOKEN,
    SECRET_ENV_VAR,
    TOKEN_ENV_VAR,
)
from clientcreds.exceptions import RenderError
from clientcreds.request.api_request import ApiRequest
from clientcreds.request.token_request import TokenRequest
from clientcreds.request.wire import BodyFormat, WireRequest, build_wire_request
from clientcreds.snippets.code import Code, block

SecretMode = Literal["placeholder", "env", "reveal"]
SECRET_MODES: tuple[SecretMode, ...] = get_args(SecretMode)

#: Why an env-mode snippet stops, after the variable's name. An empty variable counts as unset:
#: no client has an empty secret, and sending one only earns a 401 further on.
MISSING_ENV_REASON = "is not set or empty: export it first"


def missing_env_message(name: str) -> str:
    """What an env-mode snippet writes to stderr, before sending nothing, when `name` is unset.

    Example:
        >>> missing_env_message("AUTH0_CLIENT_SECRET")
        'AUTH0_CLIENT_SECRET is not set or empty: export it first'
    """
    return f"{name} {MISSING_ENV_REASON}"


@dataclass(frozen=True)
class EnvVar:
    """A value the snippet reads from its environment when it runs."""

    name: str


Value = Union[str, EnvVar]  # noqa: UP007 - a runtime alias must work on Python 3.10


@dataclass(frozen=True, kw_only=True)
class ValueSyntax:
    """How one language writes a plan's values: literals, and the variables a snippet reads
    from its environment and checks before it sends anything.

    Each statement is a format string of ``{variable}`` (the snippet's variable), ``{name}``
    (the environment variable's name as it is), ``{quoted_name}`` (the name as a literal),
    ``{message}`` (`missing_env_message` as a literal) and ``{message_line}`` (the message and
    a line break, for a call that adds none); `env_bearer` uses ``{variable}``.

    Attributes:
        quote: The language's string literal of a text.
        read: The statement that reads the environment variable into the snippet's variable.
        if_unset: The line that opens the block run when the variable is unset or empty.
        stop: The block's statements: write the message to stderr, end the snippet.
        end: The line that closes the block, in a language that has one.
        brace_on_own_line: Whether the block opens with ``{`` on a line of its own (C# style).
        camel_case: ``clientSecret`` for ``AUTH0_CLIENT_SECRET``, else ``client_secret``.
        env_bearer: ``Bearer `` and a token read from the environment, as one expression.
    """

    quote: Callable[[str], str]
    read: str
    if_unset: str
    stop: tuple[str, ...]
    end: str | None = "}"
    brace_on_own_line: bool = False
    camel_case: bool = True
    env_bearer: str = '"Bearer " + {variable}'

    def variable(self, name: str) -> str:
        """The snippet's variable for the environment variable `name`, without ``AUTH0_``:
        ``AUTH0_CLIENT_SECRET`` is ``clientSecret`` (or ``client_secret``), ``ACCESS_TOKEN`` is
        ``accessToken`` (or ``access_token``)."""
        snake_case = name.lower().removeprefix("auth0_")
        if not self.camel_case:
            return snake_case
        first, *rest = snake_case.split("_")
        return first + "".join(word.capitalize() for word in rest)

    def expr(self, value: Value) -> str:
        """`value` as an expression: its variable if it is read from the environment, else a
        literal."""
        if isinstance(value, EnvVar):
            return self.variable(value.name)
        return self.quote(value)

    def bearer(self, token: Value) -> str:
        """``Bearer <token>`` as an expression: one literal when the token is one."""
        if isinstance(token, EnvVar):
            return self.env_bearer.format(variable=self.variable(token.name))
        return self.quote(f"Bearer {token}")

    def env_check(self, name: str) -> Code:
        """Read `name` into its variable, or write `missing_env_message` to stderr and stop if
        it is unset or empty; a blank line follows."""
        message = missing_env_message(name)
        fields = {
            "variable": self.variable(name),
            "name": name,
            "quoted_name": self.quote(name),
            "message": self.quote(message),
            "message_line": self.quote(f"{message}\n"),
        }
        test = self.if_unset.format(**fields)
        stop = [statement.format(**fields) for statement in self.stop]
        guard: Code = block(test, stop, self.end)
        if self.brace_on_own_line:
            guard = [test, block("{", stop, self.end)]
        return [self.read.format(**fields), guard, ""]


@dataclass(frozen=True, repr=False)
class Plan:
    """The request as a target sees it, whatever its kind: method, URL, an optional form or
    JSON body of ordered params, optional Basic credentials, an optional bearer token.

    Each value is a literal or an `EnvVar`. A token request is a ``POST`` with a body (and
    Basic credentials with ``client_secret_basic``); an API call is a request without a body
    and with ``Authorization: Bearer``. Its `repr` names the parameters but not their values:
    one may be the revealed secret.

    Attributes:
        url: The URL, already normalised.
        body: ``form``, ``json``, or None for no body (then `params` is empty).
        params: The body's (name, value) pairs, in order.
        basic: HTTP Basic (client id, secret), sent form-encoded per RFC 6749 §2.3.1.
        method: The HTTP method.
        bearer: The token of an ``Authorization: Bearer`` header.
        env_names: The environment variables the snippet reads, each once, in order of first
            use (worked out from the values, not given). A snippet checks each one is set (and
            not empty) before it sends anything.
    """

    url: str
    body: BodyFormat | None
    params: tuple[tuple[str, Value], ...]
    basic: tuple[Value, Value] | None
    method: str = "POST"
    bearer: Value | None = None
    env_names: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, None] = {}  # each name once, in order of first use
        for value in (*(self.basic or ()), self.bearer, *[value for _, value in self.params]):
            if isinstance(value, EnvVar):
                names[value.name] = None
        object.__setattr__(self, "env_names", tuple(names))  # frozen: set once, here

    def __repr__(self) -> str:
        names = ", ".join(name for name, _ in self.params)
        return (
            f"Plan({self.method} {self.url}, {self.body}, params: {names}, "
            f"basic={self.basic is not None}, bearer={self.bearer is not None})"
        )

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` of the body (only for a plan with one)."""
        if self.body is None:
            raise TypeError("this request has no body, so no Content-Type: check plan.body")
        return MEDIA_TYPES[self.body]

    @property
    def reads_env(self) -> bool:
        """Whether any value comes from the environment."""
        return bool(self.env_names)

    def wire_request(self, target: str) -> WireRequest:
        """The exact request, for targets that print literal messages (no environment)."""
        if self.reads_env:
            raise RenderError(
                f"the {target} target is a literal message and cannot read "
                f"{' or '.join(self.env_names)} from the environment: "
                "use secret='placeholder' or secret='reveal'"
            )
        params = [(name, literal(value)) for name, value in self.params]
        basic = (literal(self.basic[0]), literal(self.basic[1])) if self.basic else None
        bearer = None if self.bearer is None else literal(self.bearer)
        return build_wire_request(
            self.url, self.body, params, basic, method=self.method, bearer=bearer
        )


def literal(value: Value) -> str:
    """The value of a literal; an `EnvVar` here is a bug in the calling target."""
    if isinstance(value, EnvVar):
        raise TypeError(f"expected a literal, got the environment variable {value.name}")
    return value


def make_plan(request: TokenRequest | ApiRequest, mode: SecretMode) -> Plan:
    """Resolve the secret (or the token) for `mode` and lay the request out for a target."""
    if mode not in SECRET_MODES:
        raise RenderError(f"secret must be one of {', '.join(SECRET_MODES)}, not {mode!r}")
    if isinstance(request, ApiRequest):
        return _api_plan(request, mode)
    if request.auth_method == "private_key_jwt" or request.client_secret is None:
        raise RenderError(
            "snippets for private_key_jwt are not supported yet: a snippet would have to sign "
            "a fresh client assertion when it runs; use clientcreds.fetch_token(request) or "
            "`clientcreds token` instead"
        )
    client_secret = request.client_secret.reveal()
    secret: Value
    if mode == "placeholder":
        secret = PLACEHOLDER_SECRET
    elif mode == "reveal":
        secret = client_secret
    else:
        if "\x00" in client_secret:
            raise RenderError(
                "client_secret contains a NUL character, which no environment variable can hold: "
                "use secret='reveal'"
            )
        secret = EnvVar(SECRET_ENV_VAR)
    params = tuple(request.body_params(secret))
    basic = (request.client_id, secret) if request.auth_method == "client_secret_basic" else None
    return Plan(request.url, request.body, params, basic)


def _api_plan(request: ApiRequest, mode: SecretMode) -> Plan:
    """An API call: no body, the token as placeholder, environment variable or itself."""
    token: Value
    if mode == "placeholder":
        token = PLACEHOLDER_TOKEN
    elif mode == "env":
        token = EnvVar(TOKEN_ENV_VAR)
    elif request.access_token is None:
        raise RenderError(
            "secret='reveal' needs the access token: give ApiRequest(url, access_token=...), "
            "or use secret='placeholder' or secret='env'"
        )
    else:
        token = _header_safe_token(request.access_token.reveal())
    return Plan(request.url, None, (), None, method=request.method, bearer=token)


def _header_safe_token(token: str) -> str:
    """The token, if every client can send it in a header: printable ASCII, as RFC 6750 says.

    Raises:
        RenderError: for any other character (``é``, an emoji): Node's fetch refuses it and
            requests would send it as Latin-1, so the snippets would disagree.
    """
    if not token.isascii():
        raise RenderError(
            "the access token holds characters outside ASCII, which an Authorization header "
            "cannot carry the same way in every client (RFC 6750 tokens are ASCII): "
            "check the token, or use secret='placeholder' or secret='env'"
        )
    return token
