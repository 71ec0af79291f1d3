"""The embedded tenant: an Auth0-compatible authorization server for client credentials.

`LocalTenant` runs it on 127.0.0.1; `TenantConfig` and its parts (`Client`, `Api`, `Grant`,
`Organization`, `Limits`) describe what it holds; `FIDELITY` says, case by case, how closely
its answers follow Auth0's.
"""

from __future__ import annotations

from clientcreds.tenant.config import Api, Client, Grant, Limits, Organization, TenantConfig
from clientcreds.tenant.local import LocalTenant
from clientcreds.tenant.refusals import FIDELITY, FidelityRow

__all__ = [
    "FIDELITY",
    "Api",
    "Client",
    "FidelityRow",
    "Grant",
    "Limits",
    "LocalTenant",
    "Organization",
    "TenantConfig",
]
