"""`LocalTenant`: an Auth0-compatible authorization server for client credentials, on loopback.

It serves ``POST /oauth/token``, ``/.well-known/jwks.json`` and
``/.well-known/openid-configuration`` at ``http://127.0.0.1:PORT`` and comes with a demo
application and API, so a ready request is one call away::

    with LocalTenant() as tenant:
        request = tenant.token_request()     # a clientcreds.TokenRequest for the demo app

The HTTP server and the signing keys are created by `start` (the heavy imports happen there),
so importing `clientcreds` stays cheap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientcreds.core.loopback import BackgroundService
from clientcreds.core.protocol import DISCOVERY_PATH, JWKS_PATH, TOKEN_PATH, issuer_for
from clientcreds.core.secret import Secret
from clientcreds.request.token_request import TokenRequest
from clientcreds.tenant.config import (
    DEMO_AUDIENCE,
    DEMO_CLIENT_ID,
    Api,
    Client,
    Grant,
    Organization,
    TenantConfig,
    generate_secret,
)

if TYPE_CHECKING:
    from clientcreds.tenant.server import TenantServer
    from clientcreds.tenant.signing import KeyRing


class LocalTenant(BackgroundService["TenantServer"]):
    """An embedded tenant on 127.0.0.1: a context manager, or `start` and `stop`.

    `start` binds 127.0.0.1, creates the signing keys and serves in a background thread; the
    demo application gets a new secret on every start. A tenant never stopped is stopped at
    interpreter exit (see `BackgroundService`).

    Args:
        config: Applications, APIs and grants; by default a `TenantConfig` with the demo
            application and API.
        port: The port to listen on; 0 (the default) picks a free one.
        clock: Time source in seconds since the epoch, for the tokens' ``iat`` and the rate
            limiter (replaceable in tests).

    Example:
        >>> with LocalTenant() as tenant:
        ...     tenant.issuer == tenant.domain + "/"
        True
    """

    def __init__(
        self,
        config: TenantConfig | None = None,
        *,
        port: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config if config is not None else TenantConfig()
        self._port = port
        self._clock = clock
        self._last_server: TenantServer | None = None
        self._keys: KeyRing | None = None

    @classmethod
    def from_file(cls, path: str | Path, **options: Any) -> LocalTenant:
        """A tenant configured from a TOML or JSON file (see `TenantConfig.from_file`).

        Raises:
            ValueError: for a missing or invalid file.
        """
        return cls(TenantConfig.from_file(path), **options)

    def __repr__(self) -> str:
        where = self.domain if self.running else "stopped"
        return f"LocalTenant({where}, {self.config!r})"

    service_name = "tenant"

    def _create_server(self) -> TenantServer:
        """The bound server, with new signing keys (and a new demo secret)."""
        from clientcreds.tenant.endpoints import Endpoints
        from clientcreds.tenant.server import TenantServer
        from clientcreds.tenant.signing import KeyRing

        demo = self.config.clients.get(DEMO_CLIENT_ID)
        if demo is not None:
            demo.client_secret = generate_secret()

        def endpoints(issuer: str) -> Endpoints:
            self._keys = KeyRing(issuer, self._clock)
            for api in self.config.apis.values():
                if api.signing_alg != "HS256":
                    self._keys.current(api.signing_alg)
            return Endpoints(self.config, issuer, self._keys, self._clock)

        server = TenantServer(endpoints, self._port, self.config.limits)
        self._last_server = server
        return server

    @property
    def port(self) -> int:
        """The port the tenant listens on."""
        return self._running().port

    @property
    def domain(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT``: what `TokenRequest(domain=...)` takes."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        """The tokens' ``iss``: the base URL with Auth0's trailing slash."""
        return issuer_for(self.domain)

    @property
    def token_url(self) -> str:
        """The token endpoint, ``http://127.0.0.1:PORT/oauth/token``."""
        return self.domain + TOKEN_PATH

    @property
    def jwks_uri(self) -> str:
        """The JWKS URL, ``http://127.0.0.1:PORT/.well-known/jwks.json``."""
        return self.domain + JWKS_PATH

    @property
    def discovery_url(self) -> str:
        """The discovery document's URL (``/.well-known/openid-configuration``)."""
        return self.domain + DISCOVERY_PATH

    @property
    def demo_client(self) -> Client:
        """The demo application (``demo-m2m-app``).

        Raises:
            RuntimeError: if the configuration has no demo application.
        """
        client = self.config.clients.get(DEMO_CLIENT_ID)
        if client is None:
            raise RuntimeError("this tenant has no demo application (TenantConfig(demo=False))")
        return client

    @property
    def demo_api(self) -> Api:
        """The demo API, ``https://demo-api.clientcreds.local/``.

        Raises:
            RuntimeError: if the configuration has no demo API.
        """
        api = self.config.apis.get(DEMO_AUDIENCE)
        if api is None:
            raise RuntimeError("this tenant has no demo API (TenantConfig(demo=False))")
        return api

    @property
    def client_id(self) -> str:
        """The demo application's Client ID."""
        return self.demo_client.client_id

    @property
    def client_secret(self) -> Secret:
        """The demo application's Client Secret (new on every start)."""
        secret = self.demo_client.client_secret
        assert secret is not None
        return secret

    @property
    def audience(self) -> str:
        """The demo API's identifier."""
        return self.demo_api.identifier

    def token_request(self, client: Client | str | None = None, **fields: Any) -> TokenRequest:
        """A ready `TokenRequest` for the demo application (or `client`) and the demo API.

        Args:
            client: Another application with a secret; the demo application by default.
            **fields: `TokenRequest` fields to set or override (``audience``, ``scope``,
                ``organization``, ``auth_method``, ``body``).

        Raises:
            RuntimeError: if the tenant is not running.
            ValueError: for a client without a secret, or an invalid field.
        """
        app = self.demo_client if client is None else self._client(client)
        if app.client_secret is None:
            raise ValueError(f"application {app.client_id!r} has no secret: use private_key_jwt")
        values: dict[str, Any] = {
            "domain": self.domain,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        }
        if DEMO_AUDIENCE in self.config.apis:
            values["audience"] = DEMO_AUDIENCE
        return TokenRequest(**{**values, **fields})

    def add_client(self, client_id: str, **fields: Any) -> Client:
        """Add an application; its secret is generated unless given.

        Args:
            client_id: The Client ID.
            **fields: `Client` fields (``client_secret``, ``grant_types``, ``public_keys``,
                ``default_organization``, ``quota_per_hour``, ``quota_per_day``, ``name``).
        """
        if "client_secret" in fields and isinstance(fields["client_secret"], str):
            fields["client_secret"] = Secret(fields["client_secret"])
        return self.config.add_client(Client(client_id, **fields))

    def add_api(self, identifier: str, **fields: Any) -> Api:
        """Add an API; its signing key exists from then on (and is in the JWKS).

        Args:
            identifier: The API identifier (the audience).
            **fields: `Api` fields (``signing_alg``, ``signing_secret``, ``token_lifetime``,
                ``profile``, ``rbac``, ``add_permissions``, ``scopes``, ``name``).
        """
        api = self.config.add_api(Api(identifier, **fields))
        if self._keys is not None and api.signing_alg != "HS256":
            self._keys.current(api.signing_alg)
        return api

    def grant(
        self, client: Client | str, api: Api | str, scopes: Iterable[str] | str = (), **options: Any
    ) -> Grant:
        """Let `client` get tokens for `api` with `scopes` (see `TenantConfig.grant`)."""
        client_id = client if isinstance(client, str) else client.client_id
        audience = api if isinstance(api, str) else api.identifier
        return self.config.grant(client_id, audience, scopes, **options)

    def add_organization(self, name: str, id: str | None = None) -> Organization:
        """Add an organisation (its id is generated unless given)."""
        org = Organization(name) if id is None else Organization(name, id)
        return self.config.add_organization(org)

    def rotate_keys(self, grace: float | None = 600.0) -> list[str]:
        """Sign new tokens with new keys; the old keys stay in the JWKS for `grace` seconds.

        Args:
            grace: Seconds the old keys stay published; `None` keeps them until `retire_keys`.

        Returns:
            The new keys' ``kid`` values.

        Raises:
            RuntimeError: if the tenant is not running.
        """
        self._running()
        assert self._keys is not None
        return [key.kid for key in self._keys.rotate(grace)]

    def retire_keys(self) -> None:
        """Stop publishing rotated-out keys now (tokens they signed no longer verify)."""
        self._running()
        assert self._keys is not None
        self._keys.retire()

    def jwks(self) -> dict[str, Any]:
        """The JWKS document the tenant publishes now.

        Raises:
            RuntimeError: if the tenant is not running.
        """
        self._running()
        assert self._keys is not None
        return self._keys.jwks()

    @property
    def internal_errors(self) -> list[str]:
        """Requests of the last run that hit a bug in the tenant (answered with a JSON 500)."""
        server = self._server or self._last_server
        return [] if server is None else list(server.internal_errors)

    def _client(self, client: Client | str) -> Client:
        client_id = client if isinstance(client, str) else client.client_id
        found = self.config.clients.get(client_id)
        if found is None:
            raise ValueError(f"no application {client_id!r} in this tenant")
        return found
