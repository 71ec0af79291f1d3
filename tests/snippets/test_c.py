"""``c-libcurl``: its C hazards (issue 12), each proven by compiling under ``-std=c99``.

The equivalence property itself (with this target's own check: ASCII source, see
`tests/harness/targets.py`) and env mode without its variable run for every target in
test_equivalence.py and test_env_unset.py; the runners are in `tests/harness/c_runner.py`.
Here: greedy ``\\x``, trigraphs, NUL (explicit lengths), non-ASCII and invisible characters as
octal bytes, every hazard in one batch, the refusals and IPv6 loopback.
"""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

from clientcreds import RenderError, TokenRequest, render
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR
from clientcreds.snippets.c.libcurl import TARGET
from clientcreds.snippets.c.quoting import c_str
from clientcreds.snippets.target import Recipe
from tests.harness import c_runner as c_runner_module
from tests.harness import equivalence
from tests.harness.c_runner import STRICT, c_runner
from tests.harness.capture import CaptureServer
from tests.harness.proof import (
    AUTH_METHODS,
    BODIES,
    ApiValues,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.runtimes import Job, require
from tests.harness.targets import RUNTIMES
from tests.request.test_assertion import key_request
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]
assert TARGET.recipe is not None
RECIPE: Recipe = TARGET.recipe
#: Every C hazard at once: trigraphs, a hex-looking run after a control, NUL, a digit after
#: a byte that needs an escape, a bidi override, astral and combining characters.
HAZARDS = "a??=b??/c??' \x01" + "7BC\x00" + "0 é1 \u202e\u200b 🔑 e\u0301 \\x41BC \"'%+&="


def test_recipe_is_cc_then_run() -> None:
    assert (RECIPE.filename, RECIPE.command) == (
        "main.c",
        "cc main.c -lcurl -o request && ./request",
    )


@pytest.mark.parametrize("text", [HAZARDS, HAZARDS.replace("\x00", "")], ids=["nul", "no-nul"])
def test_every_hazard_is_sent_exactly(
    text: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One batch with every hazard in every value. With a NUL, env mode is refused (no
    variable holds one); without, the snippet's run-time encoders meet every hazard."""
    api = ApiValues(API_PATHS[-1], None, "PATCH", 'a??=b??/c\\x41BC"%$')
    cases = batch_cases(NAME, hazard_values(text, api), batch_servers)
    assert len(cases) == (8 if "\x00" in text else 12) + 3
    run_batch(NAME, c_runner(), cases, tmp_path / "batch", RUNTIME.checks)


def test_a_missing_libcurl_header_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without curl/curl.h the runners skip with the install hint (fail under REQUIRE_ALL)."""
    monkeypatch.setattr(c_runner_module, "_has_libcurl_header", lambda gcc: False)
    outcomes = (pytest.skip.Exception, pytest.fail.Exception)
    with pytest.raises(outcomes, match=r"curl/curl\.h is not installed"):
        c_runner()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("??=", r'"\?\?="'),
        ("\x01" + "7", r'"\0017"'),
        ("\x00" + "0", r'"\0000"'),
        ("é1", r'"\303\2511"'),
        ("\u202e", r'"\342\200\256"'),
        ('"\\', r'"\"\\"'),
        ("\\x41BC", r'"\\x41BC"'),
        ("a\nb\tc\r", r'"a\nb\tc\r"'),
    ],
)
def test_c_str_escapes_each_hazard(text: str, expected: str) -> None:
    assert c_str(text) == expected


def test_c_literals_hold_exactly_their_bytes_under_c99(tmp_path: Path) -> None:
    """Compiled under -std=c99 (trigraphs honoured), each literal's bytes are the text's UTF-8,
    NUL included, counted with sizeof."""
    gcc = require("gcc", "apt-get install gcc")
    texts = [HAZARDS, *HOSTILE_PIECES, "\x00", "??=??(??)??<??>??!??-??'??/"]
    prints = "".join(
        f"    {{ static const char t[] = {c_str(text)}; dump(t, sizeof t - 1); }}\n"
        for text in texts
    )
    source = tmp_path / "literals.c"
    source.write_text(
        "#include <stdio.h>\n"
        "static void dump(const char *t, size_t n)\n{\n"
        "    for (size_t i = 0; i < n; i++)\n"
        '        printf("%02x", (unsigned char)t[i]);\n'
        '    printf("\\n");\n}\n'
        f"int main(void)\n{{\n{prints}    return 0;\n}}\n"
    )
    program = tmp_path / "literals"
    subprocess.run([gcc, *STRICT, "-o", str(program), str(source)], check=True)
    printed = subprocess.run([str(program)], capture_output=True, text=True, check=True)
    assert printed.stdout.split("\n")[:-1] == [text.encode().hex() for text in texts]


def test_secret_modes_show_the_secret_only_when_revealed() -> None:
    request = TokenRequest(
        domain="tenant.auth0.com", client_id="id", client_secret="real-secret-123", audience="a"
    )
    assert "real-secret-123" in render(request, NAME, secret="reveal")
    for auth_method, body in itertools.product(AUTH_METHODS, BODIES):
        changed = request.replace(auth_method=auth_method, body=body)
        assert PLACEHOLDER_SECRET in render(changed, NAME), "a plain literal users can edit"
        assert "real-secret-123" not in render(changed, NAME)
        shown = render(changed, NAME, secret="env")
        assert "real-secret-123" not in shown
        assert f"getenv({c_str(SECRET_ENV_VAR)})" in shown


def test_refusals_are_only_the_justified_ones() -> None:
    """A NUL secret in env mode (no variable holds one) and private_key_jwt, as every target."""
    request = TokenRequest(
        domain="tenant.auth0.com", client_id="id", client_secret="nul\x00inside", audience="a"
    )
    with pytest.raises(RenderError, match="NUL character, which no environment variable"):
        render(request, NAME, secret="env")
    assert "nul%00inside" in render(request, NAME, secret="reveal")
    with pytest.raises(RenderError, match="snippets for private_key_jwt are not supported yet"):
        render(key_request(), NAME, secret="reveal")


def test_ipv6_loopback_reaches_the_server(tmp_path: Path) -> None:
    with CaptureServer("::1") as server:
        request = TokenRequest(
            domain=server.base_url, client_id="i", client_secret="s", audience="a"
        )
        [outcome] = c_runner()([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())
