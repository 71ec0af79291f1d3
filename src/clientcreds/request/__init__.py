"""The request layer: what to ask for and where, checked, and its exact wire form.

- `token_request`: `TokenRequest`, the client-credentials request, validated on creation.
- `endpoint`: where it goes (an Auth0 domain or any token URL), normalised and checked.
- `wire`: the bytes a server must see (`WireRequest`, form and JSON bodies, Basic credentials).
- `api_request`: `ApiRequest`, the call to your API with the token.
- `parameters`: the parameter table of the reference page.
- `assertion`: ``private_key_jwt``'s key and signed client assertion (loads cryptography, so
  it is imported only when a request uses it).

Standard library only, but for `assertion`.
"""

from clientcreds.request.api_request import ApiRequest
from clientcreds.request.parameters import PARAMETERS, Parameter
from clientcreds.request.token_request import SECRET_METHODS, AuthMethod, TokenRequest
from clientcreds.request.wire import BodyFormat, WireRequest

__all__ = [
    "PARAMETERS",
    "SECRET_METHODS",
    "ApiRequest",
    "AuthMethod",
    "BodyFormat",
    "Parameter",
    "TokenRequest",
    "WireRequest",
]
