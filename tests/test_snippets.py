"""The snippet registry, the seed page's own request, refusals, and loopback host variants."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from clientcreds import RenderError, TokenRequest, get_target, render, targets
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.runtimes import Job, node_runner, python_runner, shell_runner

SEED = Path(__file__).parents[2] / "shared" / "seed" / "000_4bff6876d630440a.txt"


def seed_request() -> TokenRequest:
    """The seed page's request, with its own placeholder values."""
    return TokenRequest(
        domain="YOUR_DOMAIN",
        client_id="${account.clientId}",
        client_secret="YOUR_CLIENT_SECRET",
        audience="API_IDENTIFIER",
    )


def test_core_targets_are_registered_in_order() -> None:
    assert targets()[:4] == ["http", "curl", "python-requests", "javascript-fetch"]
    assert all(get_target(name).name == name for name in targets())


def test_unknown_target_and_mode_are_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"unknown target 'go'.*choose one of http, curl"):
        render(seed_request(), "go")
    with pytest.raises(ValueError, match="secret must be one of placeholder, env, reveal"):
        render(seed_request(), "curl", secret="plain")  # type: ignore[arg-type]


def test_seed_values_give_the_seeds_parameters() -> None:
    """Rendering the seed's values yields the seed's HTTP body, pair for pair, in order."""
    page = SEED.read_text(encoding="utf-8")
    seed_body = re.search(r"```http\n.*?\n\n(.*?)\n```", page, re.S)
    assert seed_body is not None
    http = render(seed_request(), "http")
    ours = http.split("\n\n", 1)[1]
    assert parse_qsl(ours, strict_parsing=True) == parse_qsl(seed_body[1], strict_parsing=True)
    assert http.startswith("POST /oauth/token HTTP/1.1\nHost: YOUR_DOMAIN\n")
    curl = render(seed_request(), "curl")
    assert "--url 'https://YOUR_DOMAIN/oauth/token'" in curl
    assert "--header 'content-type: application/x-www-form-urlencoded'" in curl


@pytest.mark.parametrize("target", ["http", "curl", "python-requests", "javascript-fetch"])
def test_placeholder_mode_never_shows_the_secret(target: str) -> None:
    request = seed_request().replace(client_secret="real-secret-123")
    for auth_method in ("client_secret_post", "client_secret_basic"):
        for body in ("form", "json"):
            shown = render(request.replace(auth_method=auth_method, body=body), target)
            assert "real-secret-123" not in shown
    assert "real-secret-123" in render(request, target, secret="reveal")


@pytest.mark.parametrize("target", ["curl", "python-requests", "javascript-fetch"])
def test_env_mode_reads_the_environment(target: str) -> None:
    request = seed_request().replace(client_secret="real-secret-123")
    shown = render(request, target, secret="env")
    assert "real-secret-123" not in shown
    assert "AUTH0_CLIENT_SECRET" in shown


def test_http_refuses_env_mode_with_the_reason() -> None:
    with pytest.raises(RenderError, match="literal message and cannot read AUTH0_CLIENT_SECRET"):
        render(seed_request(), "http", secret="env")


@pytest.mark.parametrize("target", ["curl", "python-requests", "javascript-fetch"])
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
