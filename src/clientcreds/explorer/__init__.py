"""The explorer: fill in a tenant, watch every snippet update, get a token and see what it means.

`Explorer` is the ipywidgets app (``Explorer()`` in a notebook cell shows it). The rest of this
package is plain Python the app is built from, usable without widgets:

- `Defaults`: what the form starts with, from ``AUTH0_*`` or the embedded tenant;
- `read_form`: form values to a `TokenRequest`, or one sentence per invalid field;
- `render_tabs`: every snippet target, highlighted;
- `exchange`: send the request and keep what came back (`Exchange`), verified;
- `call_api`: send the token to an API (`ApiResponse`); `DemoApi` is a loopback API to try;
- `debug_bundle`: the redacted support-ticket text.

Only `Explorer` needs ipywidgets, and it is imported on first use, so
``import clientcreds.explorer`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clientcreds.core.protocol import ENV_VARS
from clientcreds.explorer.api import ApiResponse, call_api
from clientcreds.explorer.bundle import debug_bundle, debug_bundle_text
from clientcreds.explorer.defaults import Defaults
from clientcreds.explorer.demo_api import DemoApi
from clientcreds.explorer.form import (
    EXPLORER_SECRET_MODES,
    FIELDS,
    FieldSpec,
    FormResult,
    read_form,
)
from clientcreds.explorer.round_trip import Exchange, exchange, issuer_of
from clientcreds.explorer.tabs import SnippetTab, highlight, render_tabs

if TYPE_CHECKING:
    from clientcreds.explorer.app import Explorer

__all__ = [
    "ENV_VARS",
    "EXPLORER_SECRET_MODES",
    "FIELDS",
    "ApiResponse",
    "Defaults",
    "DemoApi",
    "Exchange",
    "Explorer",
    "FieldSpec",
    "FormResult",
    "SnippetTab",
    "call_api",
    "debug_bundle",
    "debug_bundle_text",
    "exchange",
    "highlight",
    "issuer_of",
    "read_form",
    "render_tabs",
]


def __getattr__(name: str) -> Any:
    # ipywidgets is an optional extra: the widget app is imported when it is first asked for.
    if name == "Explorer":
        try:
            from clientcreds.explorer.app import Explorer
        except ImportError as exc:
            raise ImportError(
                f"the explorer needs ipywidgets ({exc}): pip install 'clientcreds[notebook]'"
            ) from None
        return Explorer
    raise AttributeError(f"module 'clientcreds.explorer' has no attribute {name!r}")
