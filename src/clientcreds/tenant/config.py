"""What a tenant holds: applications, APIs, client grants, organisations and limits.

A `TenantConfig` is built in Python (`add_client`, `add_api`, `grant`, `add_organization`) or read
from a TOML or JSON file with `TenantConfig.from_file`::

    [[apis]]
    identifier = "https://api.example.com/"
    signing_alg = "RS256"          # RS256 (default), PS256 or HS256
    scopes = ["read:things"]

    [[clients]]
    client_id = "my-service"
    client_secret = "..."          # generated per start when absent

    [[grants]]
    client_id = "my-service"
    audience = "https://api.example.com/"
    scopes = ["read:things"]

Secrets are kept as `Secret` and never appear in a repr.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from clientcreds.core.secret import Secret

SigningAlg = Literal["RS256", "PS256", "HS256"]
TokenProfile = Literal["auth0", "rfc9068"]
OrganizationUsage = Literal["deny", "allow", "require"]

DEFAULT_LIFETIME = 86400
MAX_LIFETIME = 2592000
DEMO_CLIENT_ID = "demo-m2m-app"
DEMO_AUDIENCE = "https://demo-api.clientcreds.local/"
DEMO_SCOPES = ("read:demo", "write:demo")


def generate_secret() -> Secret:
    """A fresh 64-character client secret, like the ones Auth0 generates."""
    return Secret(secrets.token_urlsafe(48))


@dataclass
class Client:
    """An application (a machine-to-machine client).

    Attributes:
        client_id: The Client ID.
        client_secret: The Client Secret; generated when not given. `None` for a client that
            authenticates only with ``private_key_jwt``.
        name: A display name.
        grant_types: The grant types enabled for it; without ``client_credentials`` its
            requests fail with ``unauthorized_client``.
        public_keys: Public keys for ``private_key_jwt``: PEM text or JWK dicts.
        default_organization: An organisation name or id used when a request gives none
            and its grant allows organisations.
        quota_per_hour: Optional M2M token quota per hour.
        quota_per_day: Optional M2M token quota per day.
    """

    client_id: str
    client_secret: Secret | None = field(default_factory=generate_secret)
    name: str = ""
    grant_types: tuple[str, ...] = ("client_credentials",)
    public_keys: tuple[str | dict[str, Any], ...] = ()
    default_organization: str | None = None
    quota_per_hour: int | None = None
    quota_per_day: int | None = None

    def __post_init__(self) -> None:
        _check_name("client_id", self.client_id)
        where = f"client {self.client_id!r}"
        if self.client_secret is not None:
            self.client_secret = _secret(f"{where}: client_secret", self.client_secret)
        _check_text(f"{where}: name", self.name)
        if self.default_organization is not None:
            _check_name(f"{where}: default_organization", self.default_organization)
        self.grant_types = _texts(f"{where}: grant_types", self.grant_types)
        self.public_keys = tuple(self.public_keys)
        for key in self.public_keys:
            if not isinstance(key, (str, dict)):
                raise ValueError(f"{where}: public_keys must hold PEM text or JWK tables")
        for name in ("quota_per_hour", "quota_per_day"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"client {self.client_id!r}: {name} must be a positive integer")


@dataclass
class Api:
    """An API (a resource server), named by its identifier: the token's audience.

    Attributes:
        identifier: The API identifier (the ``audience``).
        name: A display name.
        signing_alg: ``RS256`` (default), ``PS256`` or ``HS256`` (with `signing_secret`).
        signing_secret: The HS256 secret; generated when not given.
        token_lifetime: ``exp - iat`` in seconds (86400 by default, at most 2592000).
        profile: ``auth0`` (``azp``, ``gty``) or ``rfc9068`` (``typ: at+jwt``, ``client_id``,
            ``jti``).
        rbac: Whether RBAC is on; with `add_permissions`, tokens carry ``permissions``.
        add_permissions: "Add permissions in the access token" (needs `rbac`).
        scopes: The scopes (permissions) the API defines; empty means any granted scope.
    """

    identifier: str
    name: str = ""
    signing_alg: SigningAlg = "RS256"
    signing_secret: Secret = field(default_factory=generate_secret)
    token_lifetime: int = DEFAULT_LIFETIME
    profile: TokenProfile = "auth0"
    rbac: bool = False
    add_permissions: bool = False
    scopes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_name("identifier", self.identifier)
        where = f"API {self.identifier!r}"
        self.signing_secret = _secret(f"{where}: signing_secret", self.signing_secret)
        _check_text(f"{where}: name", self.name)
        _check_choice(f"API {self.identifier!r}: signing_alg", self.signing_alg, SigningAlg)
        _check_choice(f"API {self.identifier!r}: profile", self.profile, TokenProfile)
        lifetime = self.token_lifetime
        if not isinstance(lifetime, int) or not 1 <= lifetime <= MAX_LIFETIME:
            raise ValueError(
                f"API {self.identifier!r}: token_lifetime must be 1 to {MAX_LIFETIME} seconds"
            )
        self.scopes = _texts(f"{where}: scopes", self.scopes)


@dataclass
class Grant:
    """A client grant: the application may get tokens for the API with these scopes.

    Attributes:
        client_id: The application.
        audience: The API identifier.
        scopes: The granted scopes; every token carries all of them.
        organization_usage: ``deny`` (default), ``allow`` or ``require`` an ``organization``.
        allow_any_organization: Any organisation of the tenant may be used, not only those
            listed in `organizations`.
        organizations: Names or ids of the organisations associated with this grant.
    """

    client_id: str
    audience: str
    scopes: tuple[str, ...] = ()
    organization_usage: OrganizationUsage = "deny"
    allow_any_organization: bool = False
    organizations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.scopes = _texts("grant scopes", self.scopes)
        self.organizations = _texts("grant organizations", self.organizations)
        _check_choice("grant organization_usage", self.organization_usage, OrganizationUsage)


@dataclass
class Organization:
    """An organisation: tokens issued for it carry ``org_id`` and ``org_name``.

    Attributes:
        name: The organisation's name (lowercase, as Auth0 requires).
        id: Its id (``org_`` and 16 characters); generated when not given.
    """

    name: str
    id: str = field(default_factory=lambda: "org_" + secrets.token_hex(8))

    def __post_init__(self) -> None:
        _check_name("organization name", self.name)
        if self.name != self.name.lower():
            raise ValueError(f"organization name {self.name!r} must be lowercase")


@dataclass
class Limits:
    """The tenant's request limits.

    Attributes:
        burst: Token requests a client may make at once (Auth0 free tier: 30). Requests that
            fail before the client is authenticated are counted apart, per source address and
            claimed client, with the same burst and rate, so they cannot use up the client's.
        per_second: Sustained token requests per second per client (Auth0 free tier: 30).
        max_body: The largest request body accepted, in bytes.
        max_connections: Connections served at once (one thread each); when all are busy,
            the longest-idle keep-alive connection is closed, or new ones wait.
        idle_timeout: Seconds a keep-alive connection may stay silent before it is closed.
        request_timeout: Seconds to receive a whole request (line, headers and body) from
            its first byte; a slower one is answered 408 and closed.
    """

    burst: int = 30
    per_second: float = 30.0
    max_body: int = 64 * 1024
    max_connections: int = 128
    idle_timeout: float = 15.0
    request_timeout: float = 10.0

    def __post_init__(self) -> None:
        for name in ("burst", "max_body", "max_connections"):
            _check_number(f"limits: {name}", getattr(self, name), integer=True)
        for name in ("per_second", "idle_timeout", "request_timeout"):
            _check_number(f"limits: {name}", getattr(self, name), integer=False)
        if self.burst < 1 or self.max_body < 1024 or self.max_connections < 1:
            raise ValueError(
                "limits: burst >= 1, max_body >= 1024 and max_connections >= 1 required"
            )


class TenantConfig:
    """The tenant's applications, APIs, grants and organisations; safe to change while serving.

    Args:
        demo: Add the demo application (``demo-m2m-app``) and demo API, granted
            ``read:demo write:demo``.
        limits: Rate limits and the body size limit.
        default_audience: The tenant's default audience, used when a request has none.
        resource_parameter: Accept RFC 8707 ``resource`` when ``audience`` is absent (Auth0's
            resource-parameter compatibility profile; on here, off by default on Auth0).
    """

    def __init__(
        self,
        *,
        demo: bool = True,
        limits: Limits | None = None,
        default_audience: str | None = None,
        resource_parameter: bool = True,
    ) -> None:
        self.limits = limits or Limits()
        self.default_audience = default_audience
        self.resource_parameter = resource_parameter
        self.clients: dict[str, Client] = {}
        self.apis: dict[str, Api] = {}
        self.grants: dict[tuple[str, str], Grant] = {}
        self.organizations: dict[str, Organization] = {}
        self._lock = threading.Lock()
        if demo:
            self.add_api(Api(DEMO_AUDIENCE, name="Demo API", scopes=DEMO_SCOPES))
            self.add_client(Client(DEMO_CLIENT_ID, name="Demo M2M application"))
            self.grant(DEMO_CLIENT_ID, DEMO_AUDIENCE, DEMO_SCOPES)

    def __repr__(self) -> str:
        return (
            f"TenantConfig({len(self.clients)} clients, {len(self.apis)} APIs, "
            f"{len(self.grants)} grants, {len(self.organizations)} organizations)"
        )

    def add_client(self, client: Client) -> Client:
        """Add (or replace) an application and return it."""
        with self._lock:
            self.clients[client.client_id] = client
        return client

    def add_api(self, api: Api) -> Api:
        """Add (or replace) an API and return it."""
        with self._lock:
            self.apis[api.identifier] = api
        return api

    def add_organization(self, organization: Organization) -> Organization:
        """Add (or replace) an organisation and return it."""
        with self._lock:
            self.organizations[organization.id] = organization
        return organization

    def grant(
        self,
        client_id: str,
        audience: str,
        scopes: Iterable[str] = (),
        **options: Any,
    ) -> Grant:
        """Let `client_id` get tokens for the API `audience` with `scopes`.

        Args:
            client_id: An application of this tenant.
            audience: An API identifier of this tenant.
            scopes: The granted scopes (a space-separated string or an iterable).
            **options: `Grant` fields: ``organization_usage``, ``allow_any_organization``,
                ``organizations``.

        Raises:
            ValueError: for an unknown application, API, scope or organisation.
        """
        scope_list = tuple(scopes.split() if isinstance(scopes, str) else scopes)
        grant = Grant(client_id, audience, scope_list, **options)
        self._check_grant(grant)
        with self._lock:
            self.grants[(client_id, audience)] = grant
        return grant

    def find_organization(self, name_or_id: str) -> Organization | None:
        """The organisation with this id, or with this name (names compare case-insensitively)."""
        found = self.organizations.get(name_or_id)
        if found is not None:
            return found
        lowered = name_or_id.lower()
        return next((o for o in self.organizations.values() if o.name == lowered), None)

    def _check_grant(self, grant: Grant) -> None:
        if grant.client_id not in self.clients:
            raise ValueError(f"grant: no application {grant.client_id!r}: add_client it first")
        api = self.apis.get(grant.audience)
        if api is None:
            raise ValueError(f"grant: no API {grant.audience!r}: add_api it first")
        unknown = [s for s in grant.scopes if api.scopes and s not in api.scopes]
        if unknown:
            raise ValueError(f"grant: API {api.identifier!r} defines no scopes {unknown}")
        for org in grant.organizations:
            if self.find_organization(org) is None:
                raise ValueError(f"grant: no organization {org!r}: add_organization it first")

    @classmethod
    def from_file(cls, path: str | Path) -> TenantConfig:
        """Read a configuration from a ``.toml`` or ``.json`` file.

        Raises:
            ValueError: for a missing or malformed file, an unknown key, or (on Python 3.10) a
                TOML file, which needs `tomllib`: use JSON there.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(f"tenant config: no such file: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"tenant config: cannot read {path}: {exc}") from None
        return cls.from_dict(_parse(path, text), source=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "config") -> TenantConfig:
        """Build a configuration from plain data (the parsed file's shape).

        Raises:
            ValueError: naming the bad key or value.
        """
        allowed = {"demo", "default_audience", "resource_parameter", "limits"}
        lists = {"apis", "clients", "organizations", "grants"}
        _check_keys(source, data, allowed | lists)
        try:
            config = cls(
                demo=bool(data.get("demo", True)),
                limits=Limits(**_section(source, "limits", data.get("limits", {}), Limits)),
                default_audience=data.get("default_audience"),
                resource_parameter=bool(data.get("resource_parameter", True)),
            )
            for item in _items(source, data, "apis"):
                config.add_api(Api(**_section(source, "apis", item, Api)))
            for item in _items(source, data, "clients"):
                config.add_client(Client(**_section(source, "clients", item, Client)))
            for item in _items(source, data, "organizations"):
                config.add_organization(
                    Organization(**_section(source, "organizations", item, Organization))
                )
            for item in _items(source, data, "grants"):
                options = dict(_section(source, "grants", item, Grant))
                config.grant(options.pop("client_id"), options.pop("audience"), **options)
        except TypeError as exc:
            raise ValueError(f"{source}: {exc}") from None
        return config


def _parse(path: Path, text: str) -> Mapping[str, Any]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"tenant config: {path} is not valid JSON: {exc}") from None
    elif suffix == ".toml":
        data = _parse_toml(path, text)
    else:
        raise ValueError(f"tenant config: {path} must be a .toml or .json file")
    if not isinstance(data, dict):
        raise ValueError(f"tenant config: {path} must hold a table (an object) at the top")
    return data


def _parse_toml(path: Path, text: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"tenant config: {path} is not valid TOML: {exc}") from None
    raise ValueError(
        f"tenant config: {path} is TOML, which needs Python 3.11 or later: "
        "use a JSON file with the same keys on Python 3.10"
    )


def _items(source: str, data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{source}: {key} must be a list of tables")
    return value


def _section(source: str, key: str, item: Any, kind: type) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"{source}: each entry of {key} must be a table")
    _check_keys(f"{source}: {key}", item, {f.name for f in fields(kind)})
    return {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}; known keys are {sorted(allowed)}")


def _check_name(what: str, value: object) -> None:
    if not isinstance(value, str) or not value or not value.isprintable():
        raise ValueError(f"{what} must be non-empty printable text, not {value!r}")


def _check_text(what: str, value: object) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, not {type(value).__name__}")


def _texts(what: str, values: object) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"{what} must be a list of text")
    result: list[str] = []
    for value in values:
        _check_name(what, value)
        result.append(str(value))
    return tuple(result)


def _secret(what: str, value: object) -> Secret:
    """`value` as a `Secret`, from non-empty text."""
    if isinstance(value, str):
        value = Secret(value)
    if not isinstance(value, Secret) or not value.reveal():
        shown = "empty" if isinstance(value, Secret) else type(value).__name__
        raise ValueError(f"{what} must be non-empty text, not {shown}")
    return value


def _check_number(what: str, value: object, *, integer: bool) -> None:
    wrong_kind = isinstance(value, bool) or (integer and not isinstance(value, int))
    if wrong_kind or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        kind = "a positive integer" if integer else "a positive number"
        raise ValueError(f"{what} must be {kind}, not {value!r}")


def _check_choice(what: str, value: object, choices: object) -> None:
    allowed = get_args(choices)
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(map(repr, allowed))}, not {value!r}")
