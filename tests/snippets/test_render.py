"""The snippet registry, the seed page's own request, refusals, and loopback host variants."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from clientcreds import RenderError, TokenRequest, get_target, render, targets
from clientcreds.core.protocol import PLACEHOLDERS
from clientcreds.snippets import languages
from tests.data import seed_page
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.proof import assert_nothing_hidden
from tests.harness.runtimes import (
    Job,
    http_runner,
    node_runner,
    python_runner,
    shell_runner,
    wire_bytes,
)

#: Characters that would hide what a snippet sends if shown raw: bidi overrides and isolates,
#: zero-width and byte-order marks, line and paragraph separators, a soft hyphen, controls.
INVISIBLE = "\u202e\u2066\u200f\u200b\u200d\ufeff\u2028\u2029\u00ad\u00a0\x1b\x7f\x85"


def seed_request() -> TokenRequest:
    """The seed page's request, with its own placeholder values (``YOUR_DOMAIN`` for its domain)."""
    return TokenRequest(
        domain="YOUR_DOMAIN",
        client_id=seed_page.PLACEHOLDERS["client_id"],
        client_secret=seed_page.PLACEHOLDERS["client_secret"],
        audience=seed_page.PLACEHOLDERS["audience"],
    )


def test_core_targets_are_registered_in_order() -> None:
    core = ["http", "curl", "python-requests", "javascript-fetch"]
    assert [name for name in targets() if name in core] == core
    assert all(get_target(name).name == name for name in targets())


def test_unknown_target_and_mode_are_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"unknown target 'go'.*choose one of http, curl"):
        render(seed_request(), "go")
    with pytest.raises(ValueError, match="secret must be one of placeholder, env, reveal"):
        render(seed_request(), "curl", secret="plain")  # type: ignore[arg-type]


def test_seed_values_give_the_seeds_parameters() -> None:
    """Rendering the seed's values yields the seed's HTTP body, pair for pair, in order."""
    seed_pairs = parse_qsl(seed_page.HTTP_BODY, strict_parsing=True)
    http = render(seed_request(), "http")
    ours = http.split("\n\n", 1)[1]
    assert parse_qsl(ours, strict_parsing=True) == seed_pairs
    assert sorted(name for name, _ in seed_pairs) == sorted(seed_page.REQUIRED_PARAMETERS)
    request_line = f"{seed_page.METHOD} {seed_page.PATH} HTTP/1.1"
    assert http.startswith(f"{request_line}\nHost: YOUR_DOMAIN\n")
    assert f"\nContent-Type: {seed_page.CONTENT_TYPE}\n" in http
    curl = render(seed_request(), "curl")
    assert f"--url 'https://YOUR_DOMAIN{seed_page.PATH}'" in curl
    assert f"--header 'content-type: {seed_page.CONTENT_TYPE}'" in curl


def test_library_placeholders_are_the_seeds() -> None:
    """Where the seed's placeholder is a plain word, the library shows the same word."""
    for field in ("client_secret", "audience"):
        assert PLACEHOLDERS[field] == seed_page.PLACEHOLDERS[field]


@pytest.mark.parametrize("target", targets())
def test_placeholder_mode_never_shows_the_secret(target: str) -> None:
    request = seed_request().replace(client_secret="real-secret-123")
    for auth_method in ("client_secret_post", "client_secret_basic"):
        for body in ("form", "json"):
            shown = render(request.replace(auth_method=auth_method, body=body), target)
            assert "real-secret-123" not in shown
    assert "real-secret-123" in render(request, target, secret="reveal")


@pytest.mark.parametrize("target", [name for name in targets() if name != "http"])
def test_env_mode_reads_the_environment(target: str) -> None:
    request = seed_request().replace(client_secret="real-secret-123")
    shown = render(request, target, secret="env")
    assert "real-secret-123" not in shown
    assert "AUTH0_CLIENT_SECRET" in shown


def test_http_refuses_env_mode_with_the_reason() -> None:
    with pytest.raises(RenderError, match="literal message and cannot read AUTH0_CLIENT_SECRET"):
        render(seed_request(), "http", secret="env")


@pytest.mark.parametrize("target", [name for name in targets() if name != "http"])
def test_env_mode_refuses_a_secret_no_environment_can_hold(target: str) -> None:
    request = seed_request().replace(client_secret="nul\x00inside")
    with pytest.raises(RenderError, match="NUL character, which no environment variable"):
        render(request, target, secret="env")
    assert render(request, target, secret="reveal")


@pytest.mark.parametrize(
    ("host", "make_runner", "target"),
    [
        (host, runner, target)
        for host in ("127.0.0.1", "::1")
        for target, runner in [
            ("curl", lambda: shell_runner("bash")),
            ("python-requests", python_runner),
            ("javascript-fetch", node_runner),
        ]
    ],
)
def test_loopback_hosts_reach_the_server(
    host: str, make_runner: object, target: str, tmp_path: Path
) -> None:
    """``http://127.0.0.1:PORT`` and ``http://[::1]:PORT`` work in every runtime."""
    runner = make_runner()  # type: ignore[operator]
    with CaptureServer(host) as server:
        request = TokenRequest(
            domain=server.base_url, client_id="id", client_secret="s", audience="a"
        )
        [outcome] = runner([Job(render(request, target, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())


def invisible_request(domain: str, auth_method: str, body: str) -> TokenRequest:
    """A request with every invisible character in each value a snippet shows."""
    return TokenRequest(
        domain=domain,
        client_id=f"id{INVISIBLE}id",
        client_secret=f"secret{INVISIBLE}secret",
        audience=f"aud{INVISIBLE}aud",
        scope=f"read{INVISIBLE}read",
        auth_method=auth_method,  # type: ignore[arg-type]
        body=body,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("target", targets())
@pytest.mark.parametrize("body", ["form", "json"])
@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
def test_snippets_show_no_invisible_character(target: str, body: str, auth_method: str) -> None:
    """A snippet never hides what it sends: such characters are escaped, never shown raw."""
    request = invisible_request("tenant.auth0.com", auth_method, body)
    for mode in ("placeholder", "reveal") + (() if target == "http" else ("env",)):
        assert_nothing_hidden(target, render(request, target, secret=mode))


@pytest.mark.parametrize("body", ["form", "json"])
@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
def test_http_escaped_body_is_still_the_same_request(
    body: str, auth_method: str, tmp_path: Path
) -> None:
    """The escaped message is valid HTTP/1.1 (Content-Length = the bytes shown) and the
    server sees the request `wire_request()` describes."""
    with CaptureServer() as server:
        request = invisible_request(server.base_url, auth_method, body)
        shown = render(request, "http", secret="reveal")
        wire_bytes(shown)  # raises if Content-Length is not the shown body's length
        [outcome] = http_runner()([Job(shown, tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())


def test_targets_are_listed_language_by_language() -> None:
    """Tabs group targets by language: the registry keeps each language's targets together."""
    assert [name for names in languages().values() for name in names] == targets()
    assert all(get_target(name).client for name in targets())
