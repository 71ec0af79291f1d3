"""Every snippet target's runtime, in one table: how the proof runs it, and what else it checks.

A `Runtime` is named (after its target, or the target and the runtime where one target runs
in several), names its target, the runner that proves a batch (`batch`: one compile or one
interpreter per batch where the runtime allows), the runner that runs each snippet as its own
process exactly as its recipe tells users (`process`: real exit status and stderr, for env mode
without its variable), how many hypothesis examples the property draws by default (a compiled
runtime costs more per example; ``CLIENTCREDS_EXAMPLES`` overrides every default), and the
target's own `Checks`, which also say what it refuses beyond what every target does and why.
Adding a target adds a row here; tests/snippets/test_equivalence.py and test_env_unset.py then
cover it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from clientcreds import ApiRequest, TokenRequest
from clientcreds.request.wire import WireRequest
from clientcreds.snippets import SecretMode
from clientcreds.snippets.csharp.httpclient import uri_rewrites
from tests.harness import httpx_urllib_runner as pyclients
from tests.harness import node_runner as nodejs
from tests.harness import shell_runner as shells
from tests.harness.c_runner import c_process_runner, c_runner
from tests.harness.capture import Captured
from tests.harness.csharp_runner import csharp_recipe_runner, csharp_runner
from tests.harness.go_runner import go_recipe_runner, go_runner
from tests.harness.java_runner import java_recipe_runner, java_runner
from tests.harness.okhttp_runner import okhttp_recipe_runner, okhttp_runner, okhttp_sends_exactly
from tests.harness.php_runner import PHP_EXAMPLES, guzzle_runner, php_curl_runner
from tests.harness.proof import Checks
from tests.harness.ruby_runner import ruby_process_runner, ruby_runner
from tests.harness.runtimes import (
    Runner,
    http_runner,
    node_process_runner,
    node_runner,
    python_process_runner,
    python_runner,
    shell_runner,
)
from tests.harness.rust_runner import RUST_CHECKS, rust_recipe_runner, rust_runner


@dataclass(frozen=True)
class Runtime:
    """How one target's snippets are run (by one runtime: curl runs under bash and sh) and
    checked."""

    name: str
    target: str
    batch: Callable[[], Runner]
    process: Callable[[], Runner]
    examples: int = 100
    checks: Checks = field(default_factory=Checks)

    @property
    def max_examples(self) -> int:
        """The examples to draw: ``CLIENTCREDS_EXAMPLES``, else this runtime's default."""
        return int(os.environ.get("CLIENTCREDS_EXAMPLES", str(self.examples)))


def ascii_source(language: str) -> Callable[[str], None]:
    """A check that the source is ASCII (everything else written as escapes)."""

    def check(code: str) -> None:
        assert code.isascii(), (
            f"a {language} snippet is ASCII, every other character escaped:\n{code}"
        )

    return check


def no_greedy_hex_escape(code: str) -> None:
    """C#'s ``\\x`` takes one to four hex digits, so a snippet never writes one."""
    assert "\\x" not in code.replace("\\\\", ""), f"a C# \\x escape is greedy:\n{code}"


def same_content_type(captured: Captured, expected: WireRequest) -> None:
    """The Content-Type exactly, parameters included (equivalence compares the media type)."""
    assert captured.header("Content-Type") == dict(expected.headers).get("Content-Type")


def java_sends_exactly(captured: Captured, expected: WireRequest) -> None:
    """HTTP/1.1 without an upgrade; a form body and the ``Authorization`` header byte for byte
    (``URLEncoder`` alone differs from the wire form on ``*`` and ``~``)."""
    assert captured.version == "HTTP/1.1", f"sent {captured.version}"
    assert captured.header("Upgrade") is None, "asked to upgrade"
    headers = dict(expected.headers)
    if headers.get("Content-Type") == "application/x-www-form-urlencoded":
        assert captured.body == expected.body
    assert captured.header("Authorization") == headers.get("Authorization")


def reads_the_environment(mode: SecretMode, request: TokenRequest | ApiRequest) -> bool:
    """``http`` refuses env mode: a literal message has no environment."""
    return mode == "env"


def system_uri_rewrites(mode: SecretMode, request: TokenRequest | ApiRequest) -> bool:
    """C# refuses a URL ``System.Uri`` would send changed (proven by execution in
    test_csharp.py)."""
    return uri_rewrites(request.url)


COMPILED_EXAMPLES = 10
#: The first targets' runtimes cost 0.2-0.5 s an example (measured in CI's --durations): 50
#: keeps the whole test command inside its budget with 19 targets; each CI run draws anew.
FIRST_TARGETS_EXAMPLES = 50

RUNTIMES: dict[str, Runtime] = {
    runtime.name: runtime
    for runtime in (
        Runtime(
            "http",
            "http",
            http_runner,
            http_runner,
            FIRST_TARGETS_EXAMPLES,
            Checks(refuses=reads_the_environment),
        ),
        Runtime("curl-bash", "curl", lambda: shell_runner("bash"), lambda: shell_runner("bash")),
        Runtime("curl-sh", "curl", lambda: shell_runner("sh"), lambda: shell_runner("sh")),
        Runtime(
            "shell-httpie-bash", "shell-httpie", shells.httpie("bash"), shells.httpie("bash"), 10
        ),
        Runtime("shell-httpie-sh", "shell-httpie", shells.httpie("sh"), shells.httpie("sh"), 10),
        Runtime("shell-wget-bash", "shell-wget", shells.wget("bash"), shells.wget("bash"), 100),
        Runtime("shell-wget-sh", "shell-wget", shells.wget("sh"), shells.wget("sh"), 100),
        Runtime(
            "python-requests",
            "python-requests",
            python_runner,
            python_process_runner,
            FIRST_TARGETS_EXAMPLES,
        ),
        Runtime(
            "python-httpx",
            "python-httpx",
            pyclients.httpx_runner,
            pyclients.httpx_process_runner,
            20,  # each httpx call builds a client and loads its CA bundle: 0.2 s a snippet
            pyclients.HTTPX_CHECKS,
        ),
        Runtime(
            "python-urllib",
            "python-urllib",
            pyclients.urllib_runner,
            pyclients.urllib_process_runner,
            75,
            pyclients.URLLIB_CHECKS,
        ),
        Runtime(
            "javascript-fetch",
            "javascript-fetch",
            node_runner,
            node_process_runner,
            FIRST_TARGETS_EXAMPLES,
        ),
        Runtime(
            "node-native",
            "node-native",
            nodejs.native_runner,
            nodejs.native_process_runner,
            checks=Checks(sent=same_content_type),
        ),
        Runtime(
            "node-axios",
            "node-axios",
            nodejs.axios_runner,
            nodejs.axios_process_runner,
            nodejs.AXIOS_EXAMPLES,
        ),
        Runtime("go-native", "go-native", go_runner, go_recipe_runner, COMPILED_EXAMPLES),
        Runtime(
            "java-httpclient",
            "java-httpclient",
            java_runner,
            java_recipe_runner,
            COMPILED_EXAMPLES,
            Checks(ascii_source("Java"), java_sends_exactly),
        ),
        Runtime(
            "java-okhttp",
            "java-okhttp",
            okhttp_runner,
            okhttp_recipe_runner,
            COMPILED_EXAMPLES,
            Checks(ascii_source("Java"), okhttp_sends_exactly),
        ),
        Runtime(
            "csharp-httpclient",
            "csharp-httpclient",
            csharp_runner,
            csharp_recipe_runner,
            COMPILED_EXAMPLES,
            Checks(no_greedy_hex_escape, same_content_type, system_uri_rewrites),
        ),
        Runtime(
            "c-libcurl",
            "c-libcurl",
            c_runner,
            c_process_runner,
            COMPILED_EXAMPLES,
            Checks(ascii_source("C")),
        ),
        Runtime("php-curl", "php-curl", php_curl_runner, php_curl_runner, PHP_EXAMPLES),
        Runtime("php-guzzle", "php-guzzle", guzzle_runner, guzzle_runner, PHP_EXAMPLES),
        Runtime(
            "ruby-nethttp",
            "ruby-nethttp",
            ruby_runner,
            ruby_process_runner,
            20,  # each snippet a forked ruby loading net/http: about 1 s of CPU an example
            Checks(sent=same_content_type),
        ),
        Runtime(
            "rust-reqwest",
            "rust-reqwest",
            rust_runner,
            rust_recipe_runner,
            COMPILED_EXAMPLES,
            RUST_CHECKS,
        ),
    )
}
