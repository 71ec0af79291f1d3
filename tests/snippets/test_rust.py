"""``rust-reqwest``: its Rust hazards, each proven by running Rust or checking the source.

The equivalence property itself (with this target's own checks: no value as a format string,
``Authorization`` and ``Content-Type`` byte for byte, see `tests/harness/targets.py`) and env
mode without its variable (or with it empty) run for every target in test_equivalence.py and
test_env_unset.py; the runners are in `tests/harness/rust_runner.py`. Here: the recipe and the
harness package agree, every hazard in one batch, literals hold exactly their text (``\\x`` only
up to 0x7F, no ``\\$``, no raw bidi control, no lone surrogate), braces never reach a format
string, the client never retries a request, ``form_encode`` is the wire's form encoding, a
variable that is not Unicode counts as unset, an HTTP error status, a transport error, the IPv6
loopback, and snippets rustfmt and clippy accept as they are. Every run also proves the
keep-alive hazard absent: the capture server keeps connections open, and a snippet that waited
on one would meet the runner's timeout.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest, render
from clientcreds.core.protocol import TOKEN_ENV_VAR
from clientcreds.request.wire import build_wire_request, form_quote
from clientcreds.snippets import SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.plan import MISSING_ENV_REASON, Plan
from clientcreds.snippets.rust.quoting import rust_str
from clientcreds.snippets.rust.reqwest import CARGO_TOML, TARGET
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.proof import COMBOS, ApiValues, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Outcome, Runner, require, run_process
from tests.harness.rust_runner import (
    HARNESS,
    clippy,
    fixed_format_strings,
    run_rust_source,
    rust_recipe_runner,
    rust_runner,
    rust_settings,
)
from tests.harness.targets import RUNTIMES
from tests.snippets.golden import CASES, rendered
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]

#: Each Rust hazard as a value: they all travel in one hand-written batch.
HAZARDS = (
    "\x85\xa0\xff",  # above 0x7F, "\x85" does not compile: written \u{85}
    "$ \\$ $HOME",  # "\$" is no escape (a compile error); $ needs none
    "{} {0} {x} {{ }} {:?}",  # braces: a format string would read them, a literal does not
    '"# "## r#"x"#',  # raw strings' hashes would have to outnumber every "# run
    "\\ \\n \\u{41} \\x41 \\0",  # escapes, as text: the backslash is kept
    "\x00" + "0",  # NUL (then a digit: Rust has no octal escape), written \u{0}
    "a\r\nb\t",  # a raw CR is refused in a literal
    "\x1b]0;title\x07\x7f",  # controls and DEL
    "\u202e\u2066\u200b\ufeff\u2028\u2029\u00ad",  # bidi (a raw one is a compile error), and more
    "é日本🔑👩‍💻",  # printable: as themselves in a UTF-8 source
    "%+&=:",  # form-encoded when the snippet runs, Basic credentials by form_encode
    "*~ -._!'()",  # form_encode keeps only -._~ and writes a space as +
)
HAZARD_TEXT = "".join(HAZARDS).strip()


@pytest.fixture(scope="module")
def runner() -> Runner:
    return rust_runner()


def token_request(**fields: str) -> TokenRequest:
    values = {
        "domain": "tenant.auth0.com",
        "client_id": "abc",
        "client_secret": "s3cr3t",
        "audience": "https://api.example.com/",
    }
    return TokenRequest(**{**values, **fields})  # type: ignore[arg-type]


def run_rust(code: str, cwd: Path) -> Outcome:
    """A test's own Rust program, run in `cwd`; it must compile and succeed."""
    outcome = run_rust_source(code, cwd)
    assert outcome.ok, outcome.error
    return outcome


def test_recipe_is_main_rs_beside_its_cargo_toml() -> None:
    recipe = TARGET.recipe
    assert recipe is not None
    assert (recipe.filename, recipe.command) == ("main.rs", "cargo run -q")
    assert recipe.files == (("Cargo.toml", CARGO_TOML),)
    assert 'path = "main.rs"' in CARGO_TOML


def test_the_batch_package_is_the_recipes() -> None:
    """The batches build what users build: the same manifest, so the same crates and the
    committed lock's versions."""
    assert (HARNESS / "Cargo.toml").read_text(encoding="utf-8") == CARGO_TOML
    lock = (HARNESS / "Cargo.lock").read_text(encoding="utf-8")
    assert 'name = "reqwest"\nversion = "0.13.' in lock


def test_the_recipe_runs_as_users_are_told(tmp_path: Path) -> None:
    """``main.rs`` and ``Cargo.toml`` in an empty folder, ``cargo run -q``: one request, and
    the folder is left as it was (the runner removes what it saved, and nothing else)."""
    with CaptureServer() as server:
        request = token_request(domain=server.base_url, auth_method="client_secret_basic")
        [outcome] = rust_recipe_runner()([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "text", [HAZARD_TEXT, HAZARD_TEXT.replace("\x00", "")], ids=["nul", "no-nul"]
)
def test_hazardous_values_survive_every_combination(
    text: str, runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination. With a NUL, env mode
    is refused for the secret (no variable holds one); without, env mode meets every hazard."""
    api = ApiValues(API_PATHS[-1], "q=%7B%7D%24", "PATCH", '{}{{0}}$\\$"#"r#*~%41')
    cases = batch_cases(NAME, hazard_values(text, api), batch_servers)
    assert len(cases) == (8 if "\x00" in text else 12) + 3
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("\x85", r'"\u{85}"'),  # never \x85, which does not compile
        ("\x7f\x1b", r'"\u{7f}\u{1b}"'),
        ("\x00" + "0", r'"\u{0}0"'),
        ("$", '"$"'),  # never \$
        ("{x}", '"{x}"'),
        ('"#', r'"\"#"'),
        ("\u202e", r'"\u{202e}"'),
        ("\ufeff", r'"\u{feff}"'),
        ("é🔑", '"é🔑"'),
        ('\\"\n\r\t', r'"\\\"\n\r\t"'),
    ],
)
def test_rust_str_writes_each_hazard(text: str, literal: str) -> None:
    assert rust_str(text) == literal


def test_rust_str_refuses_a_lone_surrogate() -> None:
    with pytest.raises(RenderError, match="surrogate"):
        rust_str("a\udc80")


@pytest.mark.parametrize(
    ("literal", "error"),
    [
        (r'"\x85"', "out of range hex escape"),
        (r'"\$"', "unknown character escape"),
        (r'"\u{d800}"', "invalid unicode character escape"),
        ('"\u202e"', "changing visible direction of text present in literal"),
    ],
)
def test_each_hazard_is_real_in_rust(literal: str, error: str, tmp_path: Path) -> None:
    """What `rust_str` never writes does not compile; what it writes instead does (the
    round-trip tests below)."""
    outcome = run_rust_source(f'fn main() {{\n    print!("{{}}", {literal});\n}}\n', tmp_path)
    assert not outcome.ok
    assert error in outcome.stderr, outcome.stderr


def code_points(texts: list[str], cwd: Path) -> list[str]:
    """Each text's code points in hex, as a Rust program holding `rust_str` of it prints them."""
    literals = "".join(f"        {rust_str(text)},\n" for text in texts)
    code = (
        "fn main() {\n"
        f"    let texts: [&str; {len(texts)}] = [\n{literals}    ];\n"
        "    for text in texts {\n"
        "        let points: Vec<String> =\n"
        '            text.chars().map(|c| format!("{:x}", u32::from(c))).collect();\n'
        '        println!("{}", points.join(" "));\n'
        "    }\n"
        "}\n"
    )
    return run_rust(code, cwd).stdout.split("\n")[:-1]


def expected_points(texts: list[str]) -> list[str]:
    return [" ".join(f"{ord(char):x}" for char in text) for text in texts]


def test_rust_str_holds_every_hostile_piece_and_character(tmp_path: Path) -> None:
    """Every hostile piece, and every code point below U+0800 and a few beyond (astral, the
    last), in Rust literals: each holds exactly its text."""
    spans = ["".join(map(chr, range(start, start + 0x80))) for start in range(0, 0x800, 0x80)]
    texts = [*HOSTILE_PIECES, *spans, "\U0001f511\U000e0001\U0010ffff\ufffe\uffff", ""]
    assert code_points(texts, tmp_path) == expected_points(texts)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(), min_size=1, max_size=30))
def test_rust_str_holds_any_text(texts: list[str]) -> None:
    """Any text hypothesis draws, thirty literals to a compile."""
    with tempfile.TemporaryDirectory(prefix="rust-literals-") as folder:
        assert code_points(texts, Path(folder)) == expected_points(texts)


def test_form_encode_is_the_wire_form_encoding(tmp_path: Path) -> None:
    """The snippet's ``form_encode`` of every character up to U+00FF and some beyond, run in
    Rust, is exactly `form_quote` (``-._~`` kept, a space as ``+``), so the Basic credentials
    are the wire's byte for byte."""
    snippet = render(token_request(auth_method="client_secret_basic"), NAME)
    helper = snippet[snippet.index("\n/// Form-encodes") :]
    text = "".join(map(chr, range(0x100))) + "日本🔑\u202e"
    code = f'fn main() {{\n    print!("{{}}", form_encode({rust_str(text)}));\n}}\n{helper}'
    assert run_rust(code, tmp_path).stdout == form_quote(text)


def test_no_value_is_ever_a_format_string() -> None:
    """Values with braces stay in literals; only the snippet's own format strings hold any.
    The check itself fails on a value used as one."""
    request = token_request(client_id="{}", client_secret="{0}}", audience="{{x}}")
    for mode in ("placeholder", "env", "reveal"):
        for auth_method in ("client_secret_post", "client_secret_basic"):
            for body in ("form", "json"):
                changed = request.replace(auth_method=auth_method, body=body)
                fixed_format_strings(render(changed, NAME, secret=mode))
    with pytest.raises(AssertionError, match="format"):
        fixed_format_strings('fn main() {\n    println!("{}{x}");\n}\n')


def every_kind_of_snippet() -> list[str]:
    """A token request in each secret mode, client authentication and body, and the API call
    in each secret mode."""
    tokens = [
        render(token_request(auth_method=auth_method, body=body), NAME, secret=mode)
        for mode, auth_method, body in COMBOS
    ]
    api = ApiRequest("https://api.example.com/things", access_token="t")
    return tokens + [render(api, NAME, secret=mode) for mode in SECRET_MODES]


def test_every_snippet_builds_a_client_that_never_retries() -> None:
    """reqwest 0.13 retries some failed requests by itself (protocol NACKs): each snippet's
    client turns that off, so it sends exactly one request."""
    for code in every_kind_of_snippet():
        chain = [line.strip() for line in code.splitlines() if not line.strip().startswith("//")]
        start = next(n for n, line in enumerate(chain) if "reqwest::blocking::Client" in line)
        assert chain[start : start + 3] == [
            "let response = reqwest::blocking::Client::builder()",
            ".retry(reqwest::retry::never())",
            ".build()?",
        ], code


def test_a_secret_with_nul_is_revealed_but_not_read_from_the_environment() -> None:
    """A Rust string holds NUL, an environment variable cannot."""
    request = token_request(client_secret="nul\x00inside")
    assert '"nul\\u{0}inside"' in render(request, NAME, secret="reveal")
    with pytest.raises(RenderError, match="NUL character"):
        render(request, NAME, secret="env")


def test_a_variable_that_is_not_unicode_counts_as_unset(runner: Runner, tmp_path: Path) -> None:
    """``env::var`` fails on a value that is not UTF-8 (here the byte 0xFF): the snippet stops
    as if the variable were unset, and sends nothing; with a valid value, the control sends."""
    with CaptureServer() as server:
        codes = [
            (render(token_request(domain=server.base_url), NAME, secret="env"), SECRET_ENV_VAR),
            (render(ApiRequest(server.base_url + "/api"), NAME, secret="env"), TOKEN_ENV_VAR),
        ]
        jobs = [
            Job(code, tmp_path / f"{m}-{n}", {variable: value})
            for m, value in enumerate(("\udcff", "ok"))  # os.fsencode: \udcff is the byte 0xFF
            for n, (code, variable) in enumerate(codes)
        ]
        for job in jobs:
            job.cwd.mkdir()
        outcomes = runner(jobs)
        assert len(server.take()) == 2
    for job, outcome in zip(jobs[:2], outcomes[:2], strict=True):
        assert outcome.exit_status == 1, outcome
        assert MISSING_ENV_REASON in outcome.stderr, outcome
        assert next(iter(job.env)) in outcome.stderr
    assert all(outcome.ok for outcome in outcomes[2:]), outcomes


def test_an_error_status_prints_the_body_and_exits_non_zero(
    runner: Runner, refusing_server: CaptureServer, tmp_path: Path
) -> None:
    """reqwest does not fail on a 4xx by itself: the snippet prints the answer, then exits 1."""
    codes = [
        render(token_request(domain=refusing_server.base_url), NAME),
        render(ApiRequest(refusing_server.base_url + "/api"), NAME),
    ]
    jobs = [Job(code, tmp_path / f"job-{n}") for n, code in enumerate(codes)]
    for job in jobs:
        job.cwd.mkdir()
    for outcome in runner(jobs):
        assert outcome.exit_status == 1, outcome
        assert "access_denied" in outcome.stdout


def test_another_method_compiles_and_a_transport_error_exits_1(
    runner: Runner, tmp_path: Path
) -> None:
    """A method reqwest has no shortcut for goes through ``.request(method, url)``; a request
    that cannot be sent (nothing listens on the port) ends ``main`` with its error: status 1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    plan = Plan(f"http://127.0.0.1:{port}/", None, (), None, method="OPTIONS", bearer="t")
    code = TARGET.render(plan)
    assert f'.request("OPTIONS".parse()?, "http://127.0.0.1:{port}/")' in code
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.exit_status == 1, outcome
    assert outcome.stderr.startswith("Error: "), outcome.stderr


def test_ipv6_loopback_reaches_the_server(runner: Runner, tmp_path: Path) -> None:
    """``http://[::1]:PORT``: reqwest sends ``Host: [::1]:PORT``, for a token request and an
    API call alike."""
    with CaptureServer("::1") as server:
        token = token_request(domain=server.base_url, auth_method="client_secret_basic")
        api = ApiRequest(server.base_url + "/api?q=1", "DELETE", access_token="t0k")
        api_wire = build_wire_request(api.url, None, (), method="DELETE", bearer="t0k")
        requests: tuple[TokenRequest | ApiRequest, ...] = (token, api)
        jobs = [
            Job(render(request, NAME, secret="reveal"), tmp_path / str(n))
            for n, request in enumerate(requests)
        ]
        for job in jobs:
            job.cwd.mkdir()
        outcomes = runner(jobs)
        captured = server.take()
    assert all(outcome.ok for outcome in outcomes), outcomes
    seen = sorted((equivalence.of_captured(c) for c in captured), key=lambda c: c.method)
    assert seen == [equivalence.of_wire(api_wire), equivalence.of_wire(token.wire_request())]


def test_snippets_are_rustfmt_clean(tmp_path: Path) -> None:
    """What users copy is laid out as ``rustfmt`` (edition 2024) would lay it out."""
    rustfmt = require("rustfmt", "rustup component add rustfmt")
    paths = []
    for case in CASES:
        path = tmp_path / f"{case.replace('-', '_')}.rs"
        path.write_text(rendered(NAME, case), encoding="utf-8")
        paths.append(str(path))
    checked = run_process(
        [rustfmt, "--check", "--edition=2024", *paths], Job("", tmp_path, rust_settings())
    )
    assert checked.ok, checked.stdout


def test_snippets_are_clippy_clean(tmp_path: Path) -> None:
    """clippy, every warning an error, has nothing to say about any golden snippet."""
    codes = [rendered(NAME, case) for case in CASES]
    status, output = clippy(codes, tmp_path)
    assert status == 0, output
