"""``ruby-nethttp``: its Ruby hazards, each proven by running Ruby or checking the source.

The equivalence property itself (with this target's own check: the exact Content-Type, see
`tests/harness/targets.py`) and env mode without its variable (or with it empty) run for every
target in test_equivalence.py and test_env_unset.py; the runners are in
`tests/harness/ruby_runner.py`. Here: interpolation (``#{…}``, ``#@x``, ``#$x``) never runs,
literals hold exactly their text, every hazard in one batch, Basic credentials form-encoded
before ``basic_auth``, ``URI.encode_www_form``'s order and alphabet, IPv6 and ``localhost``
hosts, a body-less POST without a form ``Content-Type``, a UTF-8 source under the C locale, the
exit status on an HTTP error, and snippets ``ruby -wc`` accepts without a warning.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest, render
from clientcreds.request.wire import build_wire_request, form_quote
from clientcreds.snippets import PLACEHOLDER_SECRET, SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.plan import Plan, make_plan
from clientcreds.snippets.ruby.nethttp import TARGET
from clientcreds.snippets.ruby.quoting import ruby_str
from clientcreds.snippets.target import Recipe
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.proof import (
    AUTH_METHODS,
    BODIES,
    ApiValues,
    api_cases,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.ruby_runner import ruby, ruby_process_runner, ruby_runner, run_ruby_source
from tests.harness.runtimes import Job, Outcome, Runner, run_process
from tests.harness.targets import RUNTIMES
from tests.request.test_assertion import key_request
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]
#: Ruby code a snippet would run if a value were interpolated rather than kept as text.
WRITE_PWNED = '#{File.write("pwned", "")}'
TOUCH_PWNED = "#{`touch pwned`}"

#: Each Ruby hazard as a value: they all travel in one hand-written batch.
HAZARDS = (
    WRITE_PWNED,  # interpolation runs code in a double-quoted literal
    TOUCH_PWNED,  # ... and a command, through backticks
    "#@x #@@x #$x #$0 #$$ #",  # instance, class and global variables interpolate
    "\\",
    '"',
    "'",
    "%q(x) %Q{y} %w[z]",  # percent literals, as text
    "\\u0041 \\u{41} \\x41 \\e \\0",  # escapes, as text: the backslash is kept
    "\x00" + "0",  # NUL then a digit: \0 would start an octal escape
    "a\r\nb\t",
    "\x1b]0;title\x07\x7f",  # ESC (Ruby's \e) and other controls
    "🔑👩‍💻",  # astral characters, shown as themselves in a UTF-8 source
    "\u202e\u2066\u200b\ufeff\u2028\u2029\u0085\u00ad\u00a0",  # bidi, zero-width, separators
    "é日本",
    "%+&=",  # form-encoded when the snippet runs
    "*~ ",  # URI.encode_www_form_component keeps * and writes ~ as %7E, space as +
)
HAZARD_TEXT = "".join(HAZARDS).strip()


@pytest.fixture(scope="module")
def runner() -> Runner:
    return ruby_runner()


def token_request(**fields: str) -> TokenRequest:
    values = {
        "domain": "tenant.auth0.com",
        "client_id": "abc",
        "client_secret": "s3cr3t",
        "audience": "https://api.example.com/",
    }
    return TokenRequest(**{**values, **fields})  # type: ignore[arg-type]


def run_ruby(code: str, cwd: Path) -> Outcome:
    """A test's own Ruby program, run in `cwd`; it must succeed."""
    outcome = run_ruby_source(code, cwd)
    assert outcome.ok, outcome.error
    return outcome


def test_recipe_is_ruby_request_rb() -> None:
    assert TARGET.recipe == Recipe("request.rb", "ruby request.rb")


@pytest.mark.parametrize(
    "text", [HAZARD_TEXT, HAZARD_TEXT.replace("\x00", "")], ids=["nul", "no-nul"]
)
def test_hazardous_values_survive_every_combination(
    text: str, runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One fixed batch: every hazard in every field of every combination. With a NUL, env mode
    is refused for the secret (no variable holds one); without, env mode meets every hazard."""
    api = ApiValues(API_PATHS[-1], "q=%23%7B1%7D", "PATCH", '#{`touch pwned`}#@x#$0"\\*~%41')
    cases = batch_cases(NAME, hazard_values(text, api), batch_servers)
    assert len(cases) == (8 if "\x00" in text else 12) + 3
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


def test_interpolation_is_real_in_ruby_and_absent_from_snippets(
    runner: Runner, tmp_path: Path
) -> None:
    """The control first: a plain double-quoted literal of these values runs them. Then the
    snippet, in every mode and body, sends them as text and leaves its directory empty."""
    control = tmp_path / "control"
    control.mkdir()
    run_ruby(f'print "{WRITE_PWNED}"\nprint "{TOUCH_PWNED}"\n', control)
    assert (control / "pwned").exists()

    with CaptureServer() as server:
        combos = list(itertools.product(("placeholder", "env", "reveal"), AUTH_METHODS, BODIES))
        jobs, requests = [], []
        for index, (mode, auth_method, body) in enumerate(combos):
            request = TokenRequest(
                domain=server.base_url,
                client_id=WRITE_PWNED,
                client_secret=TOUCH_PWNED,
                audience=f"{TOUCH_PWNED} #@x #$0",
                auth_method=auth_method,
                body=body,
            )
            code = render(request, NAME, secret=mode)  # type: ignore[arg-type]
            env = {SECRET_ENV_VAR: TOUCH_PWNED} if mode == "env" else {}
            (cwd := tmp_path / str(index)).mkdir()
            jobs.append(Job(code, cwd, env))
            shown = request.replace(client_secret=PLACEHOLDER_SECRET)
            requests.append(shown if mode == "placeholder" else request)
        outcomes = runner(jobs)
        captured = server.take()
    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    for job in jobs:
        assert list(job.cwd.iterdir()) == [], job.code
    received = sorted(map(repr, map(equivalence.of_captured, captured)))
    assert received == sorted(repr(equivalence.of_wire(r.wire_request())) for r in requests)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("#{x}", r'"\#{x}"'),
        ("#@x#$y#", r'"\#@x\#$y\#"'),
        ("\x00" + "0", r'"\u{0}0"'),  # braces end the escape: the digit stays a digit
        ("\x1b", r'"\u{1b}"'),
        ("\u202e\u200b\ufeff\u2028", r'"\u{202e}\u{200b}\u{feff}\u{2028}"'),
        ("\U000e0001", r'"\u{e0001}"'),  # astral and not printable: one escape
        ("é🔑", '"é🔑"'),  # printable: as it is, in the UTF-8 source
        ('"\\\n\r\t', r'"\"\\\n\r\t"'),
        ("\\u0041", r'"\\u0041"'),
        ("%q(x)'", '"%q(x)\'"'),
    ],
)
def test_ruby_str_escapes_each_hazard(text: str, literal: str) -> None:
    assert ruby_str(text) == literal


def test_ruby_str_refuses_a_lone_surrogate() -> None:
    with pytest.raises(RenderError, match="surrogate"):
        ruby_str("a\ud800")


def ruby_values(texts: list[str], cwd: Path) -> list[str]:
    """Each text through `ruby_str`, evaluated by Ruby, back as the hex of its UTF-8 bytes
    (after checking Ruby holds it as valid UTF-8)."""
    literals = ",\n".join(ruby_str(text) for text in texts)
    code = (
        f"[\n{literals}\n].each do |text|\n"
        '  raise "not UTF-8" unless text.encoding == Encoding::UTF_8 && text.valid_encoding?\n'
        '  puts text.unpack1("H*")\n'
        "end\n"
    )
    return run_ruby(code, cwd).stdout.splitlines()


def test_ruby_str_evaluates_to_the_text(tmp_path: Path) -> None:
    """Run by Ruby, each literal of a hostile text holds exactly its bytes, and nothing runs."""
    texts = [*HAZARDS, *HOSTILE_PIECES, HAZARD_TEXT]
    assert ruby_values(texts, tmp_path) == [text.encode().hex() for text in texts]
    assert list(tmp_path.iterdir()) == []


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(st.text(), min_size=1, max_size=40))
def test_ruby_str_evaluates_to_any_text(texts: list[str], tmp_path: Path) -> None:
    assert ruby_values(texts, tmp_path) == [text.encode().hex() for text in texts]


def test_basic_auth_does_not_form_encode_so_the_snippet_does(
    runner: Runner, tmp_path: Path
) -> None:
    """``basic_auth`` base64-encodes ``id:secret`` as it is (the control: a ``:`` in the id
    makes the split ambiguous, ``é`` is not ASCII); the snippet form-encodes each part first,
    so the header is base64 of ASCII that decodes (RFC 6749 §2.3.1) to the id and secret."""
    client_id, secret = "a:b%+é *~&=", ":%+ é#{x}"
    control = run_ruby(
        'require "net/http"\nrequest = Net::HTTP::Get.new("/")\n'
        f"request.basic_auth({ruby_str(client_id)}, {ruby_str(secret)})\n"
        'print request["Authorization"]\n',
        tmp_path,
    )
    raw = base64.b64decode(control.stdout.removeprefix("Basic "))
    assert raw == f"{client_id}:{secret}".encode()

    with CaptureServer() as server:
        request = TokenRequest(
            domain=server.base_url,
            client_id=client_id,
            client_secret=secret,
            audience="a",
            auth_method="client_secret_basic",
        )
        [outcome] = runner([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    sent = captured.header("Authorization")
    assert sent is not None
    joined = base64.b64decode(sent.removeprefix("Basic ")).decode("ascii")
    # Ruby's form encoding: the wire form's, but for * (kept) and ~ (escaped)
    ruby_form = [
        form_quote(part).replace("%2A", "*").replace("~", "%7E") for part in (client_id, secret)
    ]
    assert joined == ":".join(ruby_form)
    assert tuple(unquote_plus(part, errors="strict") for part in joined.split(":")) == (
        client_id,
        secret,
    )


def test_encode_www_form_keeps_order_and_decodes_to_the_text(tmp_path: Path) -> None:
    """``URI.encode_www_form`` keeps a hash's order; its component encoding differs from the
    wire form only on ``*`` (kept) and ``~`` (``%7E``), writes a space as ``+``, and strictly
    form-decodes to the text, for every character up to U+00FF and some beyond."""
    text = "".join(map(chr, range(1, 0x100))) + "日本🔑\u202e"
    outcome = run_ruby(
        'require "uri"\n'
        'puts URI.encode_www_form(z: "1", a: "2", m: "3")\n'
        'puts URI.encode_www_form_component("* ~")\n'
        f"puts URI.encode_www_form_component({ruby_str(text)})\n",
        tmp_path,
    )
    order, alphabet, encoded = outcome.stdout.splitlines()
    assert order == "z=1&a=2&m=3"
    assert alphabet == "*+%7E"
    assert encoded == form_quote(text).replace("%2A", "*").replace("~", "%7E")
    assert unquote_plus(encoded, errors="strict") == text


def test_body_pairs_keep_their_order_in_the_source() -> None:
    for body in BODIES:
        request = token_request(body=body, scope="read:things", organization="org_1")
        plan = make_plan(request, "env")
        code = TARGET.render(plan)
        positions = [code.index(f"\n  {name}: ") for name, _ in plan.params]
        assert positions == sorted(positions)


@pytest.mark.parametrize(("listen", "host"), [("::1", None), ("127.0.0.1", "localhost")])
def test_loopback_hosts(runner: Runner, listen: str, host: str | None, tmp_path: Path) -> None:
    """``[::1]`` and ``localhost`` URLs reach the server with the Host the wire request has."""
    with ExitStack() as stack:
        servers = [stack.enter_context(CaptureServer(listen)) for _ in SECRET_MODES]
        cases = list(api_cases(NAME, ApiValues("/api?x=1", None, "POST", "t#{x}"), servers, host))
        run_batch(NAME, runner, cases, tmp_path / "api", RUNTIME.checks)


def test_ipv6_token_request_sends_a_bracketed_host(runner: Runner, tmp_path: Path) -> None:
    with CaptureServer("::1") as server:
        request = TokenRequest(
            domain=server.base_url, client_id="i", client_secret="s", audience="a"
        )
        [outcome] = runner([Job(render(request, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert captured.header("Host") == f"[::1]:{server.port}"
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())


def test_a_request_built_from_the_uri_drops_the_ipv6_brackets(tmp_path: Path) -> None:
    """The control for `test_loopback_hosts`: ``Net::HTTP::Get.new(uri)`` writes ``Host: ::1:PORT``
    (ruby/net-http issue 73), and ``uri.host`` keeps brackets ``getaddrinfo`` refuses."""
    with CaptureServer("::1") as server:
        outcome = run_ruby(
            'require "net/http"\n'
            f'uri = URI("{server.base_url}/")\n'
            "request = Net::HTTP::Get.new(uri)\n"
            "Net::HTTP.start(uri.hostname, uri.port) { |http| http.request(request) }\n"
            "begin\n"
            "  Net::HTTP.start(uri.host, uri.port) { }\n"
            "rescue SocketError\n"
            '  print "uri.host refused"\n'
            "end\n",
            tmp_path,
        )
        [captured] = server.take()
    assert captured.header("Host") == f"::1:{server.port}"
    assert outcome.stdout == "uri.host refused"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_call_without_a_body_sends_no_content_type(
    method: str, runner: Runner, tmp_path: Path
) -> None:
    """``Net::HTTP::Post`` without a body sends an empty form (the control); the snippet sends
    ``Content-Length: 0`` and no ``Content-Type``."""
    with CaptureServer() as server:
        run_ruby(
            'require "net/http"\n'
            f'uri = URI("{server.base_url}/")\n'
            f"request = Net::HTTP::{method.capitalize()}.new(uri.request_uri)\n"
            "Net::HTTP.start(uri.hostname, uri.port) { |http| http.request(request) }\n",
            tmp_path,
        )
        [control] = server.take()
        api_call = ApiRequest(f"{server.base_url}/things", method, access_token="t")  # type: ignore[arg-type]
        [outcome] = runner([Job(render(api_call, NAME, secret="reveal"), tmp_path)])
        [captured] = server.take()
    assert control.header("Content-Type") == "application/x-www-form-urlencoded"
    assert outcome.ok, outcome.error
    assert (captured.method, captured.body) == (method, b"")
    assert captured.header("Content-Length") == "0"
    assert captured.header("Content-Type") is None


def test_a_utf8_source_and_environment_work_under_the_c_locale(
    batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """A Ruby source file is UTF-8 whatever the locale; under ``LC_ALL=C`` a variable read from
    the environment is bytes (ASCII-8BIT), which the form and JSON encoders take as UTF-8."""
    cases = batch_cases(
        NAME, hazard_values("é🔑 \u202e日本", ApiValues("/", None, "GET", "t")), batch_servers
    )
    c_locale = ruby_process_runner()

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        return c_locale(
            [Job(job.code, job.cwd, {**job.env, "LC_ALL": "C", "LANG": "C"}) for job in jobs]
        )

    run_batch(NAME, run, cases, tmp_path / "batch", RUNTIME.checks)


@pytest.mark.parametrize("make_runner", [ruby_runner, ruby_process_runner], ids=["fork", "recipe"])
def test_an_error_status_prints_the_body_and_exits_non_zero(
    make_runner: object, refusing_server: CaptureServer, tmp_path: Path
) -> None:
    run: Runner = make_runner()  # type: ignore[operator]
    base = refusing_server.base_url
    token = render(token_request(domain=base), NAME, secret="reveal")
    api = render(ApiRequest(base + "/things", access_token="t"), NAME, secret="reveal")
    jobs = []
    for index, code in enumerate((token, api)):
        (cwd := tmp_path / str(index)).mkdir()
        jobs.append(Job(code, cwd))
    for outcome in run(jobs):
        assert outcome.exit_status == 1, outcome
        assert "access_denied" in outcome.stdout


def rendered_variants() -> Iterator[str]:
    """A snippet of every shape: each auth method, body and secret mode, hostile values, and
    an API call of each method in each mode."""
    hostile = token_request(client_id=HAZARD_TEXT.replace("\x00", ""), scope="a b")
    for mode, auth_method, body in itertools.product(SECRET_MODES, AUTH_METHODS, BODIES):
        yield render(hostile.replace(auth_method=auth_method, body=body), NAME, secret=mode)
    for method, mode in itertools.product(("GET", "POST", "PUT", "PATCH", "DELETE"), SECRET_MODES):
        api_call = ApiRequest("https://api.example.com/x?y=1", method, access_token="t")  # type: ignore[arg-type]
        yield render(api_call, NAME, secret=mode)


def test_snippets_compile_without_a_warning(tmp_path: Path) -> None:
    """``ruby -wc`` (syntax check, every warning on) says ``Syntax OK`` and nothing else."""
    path = ruby()
    script = tmp_path / "request.rb"
    for code in rendered_variants():
        script.write_text(code, encoding="utf-8")
        checked = run_process([path, "-wc", str(script)], Job(code, tmp_path))
        assert (checked.exit_status, checked.stdout, checked.stderr) == (0, "Syntax OK\n", ""), code


def test_secret_modes_show_the_secret_only_when_revealed() -> None:
    request = token_request(client_secret="real-secret-123")
    assert "real-secret-123" in render(request, NAME, secret="reveal")
    for auth_method, body in itertools.product(AUTH_METHODS, BODIES):
        changed = request.replace(auth_method=auth_method, body=body)
        assert PLACEHOLDER_SECRET in render(changed, NAME)
        assert "real-secret-123" not in render(changed, NAME)
        shown = render(changed, NAME, secret="env")
        assert "real-secret-123" not in shown
        assert f'ENV.fetch({ruby_str(SECRET_ENV_VAR)}, "")' in shown


def test_refusals_are_only_the_justified_ones() -> None:
    """A NUL secret in env mode (no variable holds one) and private_key_jwt, as every target."""
    request = token_request(client_secret="nul\x00inside")
    with pytest.raises(RenderError, match="NUL character, which no environment variable"):
        render(request, NAME, secret="env")
    assert '"nul\\u{0}inside"' in render(request, NAME, secret="reveal")
    with pytest.raises(RenderError, match="snippets for private_key_jwt are not supported yet"):
        render(key_request(), NAME, secret="reveal")


def test_the_batch_driver_loads_nothing_a_snippet_needs(runner: Runner, tmp_path: Path) -> None:
    """Each forked child starts as bare as ``ruby request.rb``: a snippet without its
    ``require "json"`` fails in the batch too, with its own exit status and stderr."""
    with CaptureServer() as server:
        code = render(token_request(domain=server.base_url, body="json"), NAME, secret="reveal")
        assert 'require "json"\n' in code
        [outcome] = runner([Job(code.replace('require "json"\n', ""), tmp_path)])
        assert server.take() == []
    assert outcome.exit_status == 1
    assert "NoMethodError" in outcome.stderr
    assert "to_json" in outcome.stderr


@pytest.mark.parametrize("body", BODIES)
def test_a_name_that_is_not_an_identifier_is_a_quoted_key(
    body: str, runner: Runner, tmp_path: Path
) -> None:
    """Every name the library sends is an identifier (``grant_type:``); any other is written as
    a quoted symbol (``"a-b":``), which interpolates like a string, so it is quoted the same."""
    names = ("grant_type", "a-b", "#{`touch pwned`}", "é 1")
    with CaptureServer() as server:
        plan = Plan(server.base_url + "/", body, tuple((n, n) for n in names), None)  # type: ignore[arg-type]
        code = TARGET.render(plan)
        [outcome] = runner([Job(code, tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert "\n  grant_type: " in code
    assert '\n  "a-b": ' in code
    expected = build_wire_request(plan.url, plan.body, [(n, n) for n in names])
    assert equivalence.of_captured(captured) == equivalence.of_wire(expected)
    assert list(tmp_path.iterdir()) == []
