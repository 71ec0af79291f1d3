"""``node-native`` and ``node-axios``: their Node hazards, each proven by a run.

The equivalence property itself and env mode without its variable run for every target in
test_equivalence.py and test_env_unset.py (the runners: `tests/harness/node_runner.py`). Here,
for both targets: every hazard in one batch; `js_str` literals read back exactly by Node (as
an ES module and as CommonJS); the answer printed verbatim with a non-zero exit on an HTTP error
status (for ``javascript-fetch`` too); HTTPS and IPv6 loopback URLs; a prompt exit although the
server keeps the connection open; Basic credentials form-encoded before base64. For
``node-native``: the module follows the URL's scheme, ``Content-Length`` counts UTF-8 bytes,
``URLSearchParams`` is a form encoding. For ``node-axios``: how axios resolves from an empty
directory (``NODE_PATH``), that its ``auth`` option sends the text as given, its form and JSON
bodies and Content-Types, and no Content-Type on a POST without a body. Every test id names its
target, so ``-k node-native`` or ``-k node-axios`` selects them.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, unquote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, TokenRequest, get_target, render
from clientcreds.request.api_request import API_METHODS, ApiMethod
from clientcreds.snippets import languages
from clientcreds.snippets.javascript.quoting import js_str
from tests.harness import equivalence
from tests.harness.capture import CaptureServer
from tests.harness.node_runner import NODE_MODULES, NODE_PACKAGES, axios_modules
from tests.harness.proof import ApiValues, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Runner, node, require, run_process
from tests.harness.targets import RUNTIMES
from tests.harness.tls_front import TlsFront, self_signed_context
from tests.strategies import API_PATHS, HOSTILE_PIECES

TARGETS = ("node-native", "node-axios")
#: What each target tells users: save as, run with.
RECIPES = {
    "node-native": ("request.mjs", "node request.mjs"),
    "node-axios": ("request.cjs", "node request.cjs"),
}

#: Every Node hazard the issue names, as a value: all travel in one hand-written batch.
HAZARDS = (
    "${x}",  # a template literal would interpolate: every value is a double-quoted literal
    "`",  # a backtick would end a template literal (only the env bearer uses one, unquoted)
    "\\",  # the escape character itself
    '"',  # the literal's own quote
    "'",  # the other quote: harmless in a double-quoted literal, but a tempting bug
    "</script>",  # harmless in a file Node runs; only an inline HTML script would care
    "\u2028\u2029",  # line terminators inside a string before ES2019: escaped, never raw
    "\x00" + "0",  # NUL: \x00, not \0 (a digit after \0 is an octal escape, an error in ESM)
    "\r\n",  # CR and LF: escaped, a raw one would end the line
    "🔑👩‍💻",  # astral characters and a zero-width joiner (escaped: it is invisible)
    "\u202e\u2066\u200b\ufeff\u00a0\x85",  # bidi, zero-width, BOM, NBSP, NEL: never shown raw
    "é日本",  # UTF-8: Content-Length counts bytes, not UTF-16 units
    "%+&=",  # form syntax: encoded by URLSearchParams or encodeURIComponent when it runs
    "*~ -._!()",  # form encoding keeps *-._ and writes a space as +; URLSearchParams encodes ~
    "a:b",  # a colon in the Basic id would end it if the id were not form-encoded first
    "__proto__",  # a value only: parameter names are fixed identifiers, never this key
)
TEXT = "".join(HAZARDS)
#: The API call: a path with reserved and shell-hostile characters, a token hostile to quoting.
API = ApiValues(API_PATHS[-1], "q=%F0%9F%94%91", "PATCH", "${x}`\\\"'</script>%41*~ :")


def runner_of(target: str, *, process: bool = False) -> Runner:
    """The target's batch runner, or with `process` its one-process-per-snippet runner."""
    runtime = RUNTIMES[target]
    return runtime.process() if process else runtime.batch()


@pytest.mark.parametrize("target", TARGETS)
def test_recipe_saves_and_runs_one_file(target: str) -> None:
    recipe = get_target(target).recipe
    assert recipe is not None
    assert (recipe.filename, recipe.command) == RECIPES[target]


@pytest.mark.parametrize("text", [TEXT, TEXT.replace("\x00", "")], ids=["nul", "no-nul"])
@pytest.mark.parametrize("target", TARGETS)
def test_every_hazard_is_sent_exactly(
    target: str, text: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One batch with every hazard in every value. With NUL, env mode is refused (no variable
    holds one); without, the values read from the environment meet every hazard at run time."""
    cases = batch_cases(target, hazard_values(text, API), batch_servers)
    assert len(cases) == (8 if "\x00" in text else 12) + 3
    run_batch(target, runner_of(target), cases, tmp_path / "batch", RUNTIMES[target].checks)


# -- js_str, read back by Node --------------------------------------------------------------


def node_reads(texts: list[str], folder: Path, filename: str) -> list[str]:
    """What Node holds for each `js_str` literal, in a file called `filename` (``.mjs``: an ES
    module, strict; ``.cjs``: CommonJS), as JSON (which keeps every code point)."""
    literals = ",\n".join(js_str(text) for text in texts)
    source = f"process.stdout.write(JSON.stringify([\n{literals}\n]));\n"
    path = folder / filename
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [node(), str(path)], capture_output=True, timeout=30, check=False, cwd=folder
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return json.loads(done.stdout.decode("utf-8"))  # type: ignore[no-any-return]


#: Hand-picked hostile texts: every hazard, each hostile piece, every control and Latin-1
#: character, and the line terminators and bidi marks around a digit.
LITERALS = [
    *HAZARDS,
    *HOSTILE_PIECES,
    "".join(map(chr, range(0x100))),
    "\x00" + "1" + "\x07" + "8",
    "\u2028\u2029\u200e\u200f\u061c\U000e0001\U0010ffff",
]


def literals_file(target: str) -> str:
    """A file of literals of the kind the target's recipe saves: ``.mjs`` or ``.cjs``."""
    return "literals" + Path(RECIPES[target][0]).suffix


@pytest.mark.parametrize("target", TARGETS)
def test_js_str_hostile_pieces_read_back_exactly(target: str, tmp_path: Path) -> None:
    assert node_reads(LITERALS, tmp_path, literals_file(target)) == LITERALS


@pytest.mark.parametrize("target", TARGETS)
def test_js_str_any_text_reads_back_exactly(target: str) -> None:
    """Any Unicode text (hypothesis draws no lone surrogate; TokenRequest refuses one)."""

    @settings(max_examples=15, deadline=None)
    @given(texts=st.lists(st.text(), min_size=1, max_size=40))
    def reads_back(texts: list[str]) -> None:
        with tempfile.TemporaryDirectory(prefix="js-str-") as scratch:
            assert node_reads(texts, Path(scratch), literals_file(target)) == texts

    reads_back()


# -- the answer: printed verbatim, a non-zero exit on an error status -------------------------


#: JSON as no serialiser writes it: odd spacing, an escape, a key order. Printed verbatim, it
#: proves the snippet prints the body as it came, not a parsed and re-serialised object.
ODD_JSON = b'{ "error" :"access_denied",\n  "error_description":"Unauthorized \\u00e9 \xc3\xa9" }'


def token_request(url: str, **fields: str) -> TokenRequest:
    return TokenRequest(
        **{
            "domain": url,
            "client_id": "id",
            "client_secret": "s",
            "audience": "a",
            **fields,
        }  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("status", [200, 401, 500])
@pytest.mark.parametrize("target", languages()["JavaScript"])
def test_the_answer_is_printed_verbatim_and_an_error_status_exits_non_zero(
    target: str, status: int, tmp_path: Path
) -> None:
    """In every JavaScript target, a token request and an API call print the body as it came
    (UTF-8, formatting kept) and exit 1 on 400 or more, 0 below, run as users run them."""
    with CaptureServer(status=status, body=ODD_JSON) as server:
        base = server.base_url
        codes = [
            render(token_request(base), target, secret="reveal"),
            render(ApiRequest(base + "/api", "DELETE", access_token="t"), target, "reveal"),
        ]
        jobs = []
        for index, code in enumerate(codes):
            (tmp_path / str(index)).mkdir()
            jobs.append(Job(code, tmp_path / str(index)))
        outcomes = runner_of(target, process=True)(jobs)
        assert len(server.take()) == 2
    for outcome in outcomes:
        assert outcome.stdout == ODD_JSON.decode() + "\n", outcome.stderr
        assert outcome.exit_status == (1 if status >= 400 else 0), outcome.stderr


# -- where the request goes: HTTPS, IPv6, and a prompt exit ----------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_an_https_url_is_sent_over_tls(target: str, tmp_path: Path) -> None:
    """An ``https://`` token URL goes over TLS (for ``node-native``, through ``node:https``);
    the test's certificate is self-signed, so only here Node is told not to verify it."""
    openssl = require("openssl", "apt-get install openssl")
    context = self_signed_context(openssl)
    server = CaptureServer(body=ODD_JSON, close=True)  # the front relays until it closes
    with server, TlsFront(context, ("127.0.0.1", server.port)) as front:
        request = token_request(f"https://127.0.0.1:{front.port}")
        code = render(request, target, secret="reveal")
        job = Job(code, tmp_path, {"NODE_TLS_REJECT_UNAUTHORIZED": "0"})
        [outcome] = runner_of(target, process=True)([job])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert outcome.stdout == ODD_JSON.decode() + "\n"
    assert captured.target == "/oauth/token"
    assert request.client_secret is not None
    assert parse_qsl(captured.body.decode()) == [
        (name, value) for name, value in request.body_params(request.client_secret.reveal())
    ]
    if target == "node-native":
        assert code.startswith('import https from "node:https";\n')
        assert "https.request(" in code


@pytest.mark.parametrize("target", TARGETS)
def test_an_ipv6_loopback_url_reaches_the_server(target: str, tmp_path: Path) -> None:
    """``http://[::1]:PORT``: the host is ``::1`` without brackets to connect, ``[::1]:PORT``
    in the Host header."""
    with CaptureServer("::1") as server:
        request = token_request(server.base_url, auth_method="client_secret_basic")
        [outcome] = runner_of(target)([Job(render(request, target, "reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert captured.header("Host") == f"[::1]:{server.port}"
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())


@pytest.mark.parametrize("target", TARGETS)
def test_the_process_ends_although_the_server_keeps_the_connection(
    target: str, tmp_path: Path
) -> None:
    """The capture server speaks HTTP/1.1 and keeps every connection open; Node 19+'s agent
    keeps it alive too, but unreferenced, so the snippet still ends once it has printed (a
    snippet that waited would hit the timeout)."""
    with CaptureServer() as server:
        code = render(token_request(server.base_url), target, secret="reveal")
        (tmp_path / RECIPES[target][0]).write_text(code, encoding="utf-8")
        env = {"NODE_PATH": str(axios_modules())} if target == "node-axios" else {}
        outcome = run_process([node(), RECIPES[target][0]], Job(code, tmp_path, env), timeout=4)
        assert len(server.take()) == 1
    assert outcome.ok, outcome.error


# -- Basic credentials: form-encoded, then base64 --------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_basic_credentials_are_form_encoded_before_base64(target: str, tmp_path: Path) -> None:
    """An id with ``:`` and both parts with form syntax: the header holds exactly one raw
    colon (the id's is ``%3A``), and each part form-decodes back (RFC 6749 §2.3.1)."""
    client_id, secret = "a:b +%2B&é", "c:d+ %41🔑"
    with CaptureServer() as server:
        request = token_request(
            server.base_url,
            client_id=client_id,
            client_secret=secret,
            auth_method="client_secret_basic",
        )
        [outcome] = runner_of(target)([Job(render(request, target, "reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    scheme, _, encoded = (captured.header("Authorization") or "").partition(" ")
    joined = base64.b64decode(encoded, validate=True).decode("ascii")
    assert scheme == "Basic"
    assert joined.count(":") == 1
    sent_id, _, sent_secret = joined.partition(":")
    assert (unquote_plus(sent_id), unquote_plus(sent_secret)) == (client_id, secret)


# -- node-native: the module, Content-Length, URLSearchParams --------------------------------


@pytest.mark.parametrize("target", ["node-native"])
@pytest.mark.parametrize(
    ("url", "module"),
    [("https://tenant.auth0.com", "https"), ("http://127.0.0.1:8080", "http")],
)
def test_the_module_follows_the_scheme(target: str, url: str, module: str) -> None:
    code = render(token_request(url), target)
    assert code.startswith(f'import {module} from "node:{module}";\n')
    assert f"\nconst request = {module}.request(" in code
    other = "http" if module == "https" else "https"
    assert f"{other}." not in code.replace(url, "")


@pytest.mark.parametrize("body", ["form", "json"])
@pytest.mark.parametrize("target", ["node-native"])
def test_content_length_counts_utf8_bytes_and_nothing_is_chunked(
    target: str, body: str, tmp_path: Path
) -> None:
    """Values of two-, three- and four-byte characters: a Content-Length in UTF-16 units would
    cut the body short. No ``Transfer-Encoding``: the body is never chunked."""
    with CaptureServer() as server:
        request = token_request(server.base_url, audience="é日本🔑" * 50, body=body)
        [outcome] = runner_of(target)([Job(render(request, target, "reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert captured.header("Transfer-Encoding") is None
    assert captured.header("Content-Length") == str(len(captured.body))
    assert equivalence.of_captured(captured) == equivalence.of_wire(request.wire_request())


@pytest.mark.parametrize("target", ["node-native"])
def test_the_content_length_header_is_what_keeps_the_body_unchunked(
    target: str, tmp_path: Path
) -> None:
    """``request.end(body)`` alone would let Node count the body; a user who writes it with
    ``request.write(body)`` first still sends it unchunked thanks to the header, and without
    the header Node chunks it (the control), which the equivalence rejects."""
    with CaptureServer() as server:
        code = render(token_request(server.base_url, audience="é🔑", body="json"), target)
        written = code.replace("request.end(body);", "request.write(body);\nrequest.end();")
        no_header = written.replace('    "content-length": Buffer.byteLength(body),\n', "")
        assert no_header != written != code
        outcomes = []
        for index, variant in enumerate((written, no_header)):
            (tmp_path / str(index)).mkdir()
            outcomes += runner_of(target)([Job(variant, tmp_path / str(index))])
        with_header, without = server.take()
    # The control's chunks stay unread on its connection (the capture server reads no chunked
    # body), so its run may end in a parse error after the answer: only what was sent counts.
    assert outcomes[0].ok, outcomes[0].error
    assert with_header.header("Transfer-Encoding") is None
    assert with_header.header("Content-Length") == str(len(with_header.body))
    assert without.header("Transfer-Encoding") == "chunked"


@pytest.mark.parametrize("target", ["node-native"])
def test_url_search_params_is_a_form_encoding_in_order(target: str, tmp_path: Path) -> None:
    """Every character up to U+00FF and some beyond, in names and values, in an order no sort
    gives: Node's ``URLSearchParams`` text form-decodes to the same pairs in the same order
    (it writes ``~`` as ``%7E`` and a space as ``+``, which decode the same)."""
    text = "".join(map(chr, range(1, 0x100))) + "日本🔑\u202e\u2028"
    pairs = [("z", text), ("a", "*~ +"), ("m", ""), ("a", text[::-1])]
    source = f"process.stdout.write(new URLSearchParams({json.dumps(pairs)}).toString());\n"
    (tmp_path / "form.mjs").write_text(source, encoding="utf-8")
    done = subprocess.run(
        [node(), "form.mjs"], cwd=tmp_path, capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    encoded = done.stdout.decode("ascii")
    assert parse_qsl(encoded, keep_blank_values=True, strict_parsing=True) == pairs
    assert "*" in encoded.split("&")[1]
    assert encoded.split("&")[1].startswith("a=*%7E+%2B")


# -- node-axios: resolution, auth, bodies, Content-Type --------------------------------------


@pytest.mark.parametrize("target", ["node-axios"])
def test_axios_resolves_only_through_node_path(target: str, tmp_path: Path) -> None:
    """The snippet runs as a standalone file in an empty directory: without ``NODE_PATH``
    nothing around it provides axios (so the proof's runs really use ``NODE_PATH``, as a user's
    run uses the ``node_modules`` that ``npm install axios`` fills)."""
    code = render(token_request("http://127.0.0.1:9"), target)
    job = Job(code, tmp_path, {"NODE_PATH": ""})
    (tmp_path / RECIPES[target][0]).write_text(code, encoding="utf-8")
    outcome = run_process([node(), RECIPES[target][0]], job)
    assert outcome.exit_status not in (0, None)
    assert "Cannot find module 'axios'" in outcome.stderr


@pytest.mark.parametrize("target", ["node-axios"])
def test_the_installed_axios_is_the_locked_one(target: str) -> None:
    """``npm ci`` installed exactly what package-lock.json pins (package.json pins it too)."""
    lock = json.loads((NODE_PACKAGES / "package-lock.json").read_text(encoding="utf-8"))
    axios_modules()
    installed = json.loads((NODE_MODULES / "axios" / "package.json").read_text("utf-8"))
    pinned = json.loads((NODE_PACKAGES / "package.json").read_text("utf-8"))
    locked = lock["packages"]["node_modules/axios"]["version"]
    assert installed["version"] == locked == pinned["dependencies"]["axios"]
    assert get_target(target).runtime.endswith(".".join(locked.split(".")[:2]))


def run_axios(source: str, folder: Path, port: int) -> None:
    """Run a small CommonJS script with axios against the capture server on `port`."""
    (folder / "probe.cjs").write_text(
        f"const axios = require('axios');\nconst url = 'http://127.0.0.1:{port}/';\n{source}",
        encoding="utf-8",
    )
    job = Job("", folder, {"NODE_PATH": str(axios_modules())})
    outcome = run_process([node(), "probe.cjs"], job)
    (folder / "probe.cjs").unlink()
    assert outcome.ok, outcome.error


@pytest.mark.parametrize("target", ["node-axios"])
def test_axios_auth_sends_the_text_as_given(target: str, tmp_path: Path) -> None:
    """axios joins ``username:password`` and base64-encodes it, changing nothing: it does not
    form-encode (RFC 6749 §2.3.1), nor decode what the snippet encoded. Both halves of why the
    snippet passes ``encodeURIComponent`` of each part."""
    with CaptureServer() as server:
        run_axios(
            "axios.post(url, 'x', { auth: { username: 'a:b%20+', password: 'c d%3A' } });\n",
            tmp_path,
            server.port,
        )
        [captured] = server.take()
    scheme, _, encoded = (captured.header("Authorization") or "").partition(" ")
    assert (scheme, base64.b64decode(encoded).decode()) == ("Basic", "a:b%20+:c d%3A")
    basic = token_request("tenant.auth0.com", auth_method="client_secret_basic")
    assert "username: encodeURIComponent(" in render(basic, target)


@pytest.mark.parametrize("target", ["node-axios"])
def test_axios_bodies_and_content_types(target: str, tmp_path: Path) -> None:
    """A ``URLSearchParams`` body goes as the form it serialises to, with the form media type
    and ``charset=utf-8`` (a parameter, which equivalence does not compare; UTF-8 is what the
    body is); a plain object goes as JSON, its members in order, as ``application/json``."""
    with CaptureServer() as server:
        for body in ("form", "json"):
            request = token_request(server.base_url, body=body, audience="é z*~", scope="b a")
            [outcome] = runner_of(target)([Job(render(request, target, "reveal"), tmp_path)])
            assert outcome.ok, outcome.error
            [captured] = server.take()
            media_type, _, parameter = (captured.header("Content-Type") or "").partition(";")
            assert media_type == dict(request.wire_request().headers)["Content-Type"]
            assert parameter == ("charset=utf-8" if body == "form" else "")
            assert request.client_secret is not None
            expected = request.body_params(request.client_secret.reveal())
            if body == "form":
                decoded = parse_qsl(captured.body.decode("utf-8"), strict_parsing=True)
            else:
                decoded = json.loads(captured.body, object_pairs_hook=list)
            assert decoded == list(expected)


@pytest.mark.parametrize("method", API_METHODS)
@pytest.mark.parametrize("target", ["node-axios"])
def test_a_call_without_a_body_sends_no_content_type(
    target: str, method: ApiMethod, tmp_path: Path
) -> None:
    """axios gives POST, PUT and PATCH a form Content-Type even without a body; the snippet
    turns it off (``"content-type": false``), so no method sends one."""
    with CaptureServer() as server:
        request = ApiRequest(server.base_url + "/things", method, access_token="t")
        [outcome] = runner_of(target)([Job(render(request, target, "reveal"), tmp_path)])
        [captured] = server.take()
    assert outcome.ok, outcome.error
    assert captured.header("Content-Type") is None
    assert captured.body == b""
