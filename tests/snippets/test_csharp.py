"""``csharp-httpclient``: its C# hazards (issue 12), each proven on Mono or in the source.

The equivalence property itself (with this target's own checks: no greedy ``\\x`` escape and the
exact Content-Type, see `tests/harness/targets.py`) and env mode without its variable run for
every target in test_equivalence.py and test_env_unset.py; the runners are in
`tests/harness/csharp_runner.py`. Here: fixed-width escapes, C#'s line breaks, what
``System.Uri`` rewrites (refused), and the shape ``mcs`` needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clientcreds import ApiRequest, RenderError, TokenRequest
from clientcreds.snippets.csharp.httpclient import TARGET, uri_rewrites
from clientcreds.snippets.csharp.quoting import csharp_str
from clientcreds.snippets.plan import make_plan
from clientcreds.snippets.target import Recipe
from tests.harness.capture import CaptureServer
from tests.harness.csharp_runner import csharp_runner
from tests.harness.literals import CSHARP, assert_literals_hold
from tests.harness.proof import ApiValues, batch_cases, hazard_values, run_batch
from tests.harness.runtimes import Job, Runner
from tests.harness.targets import RUNTIMES
from tests.strategies import API_PATHS, HOSTILE_PIECES

NAME = TARGET.name
RUNTIME = RUNTIMES[NAME]


@pytest.fixture(scope="module")
def runner() -> Runner:
    return csharp_runner()


def test_recipe_compiles_with_mcs_and_runs_on_mono() -> None:
    assert TARGET.recipe == Recipe(
        "Program.cs",
        "mcs -r:System.Net.Http Program.cs && mono Program.exe",
        note=(
            "verified on Mono; on .NET 6+ put it in a console project (`dotnet new console`) "
            "and `dotnet run`"
        ),
    )


#: Each C# hazard of issue 12 as a value: they all travel in one hand-written batch.
HAZARDS = (
    "\\x41BC",  # as text; and a greedy \x escape would swallow the letters after it
    "\x01" + "BC",  # a control then hex digits: escaped with exactly four digits
    "\\u0022",
    "\\",
    '"',
    "a\r\nb",
    "\x00" + "0",
    "\x1b]0;t\x07\x7f",
    "🔑👩‍💻",  # astral: written as themselves, two UTF-16 code units each
    "\U000e0041",  # an astral character that is not printable: \U with eight digits
    "\u202e\u2066\u200b\ufeff\u2028\u2029\u0085\u00ad\u00a0",  # C# line breaks among them
    "!*'() ~+%&=",  # Uri.EscapeDataString and the wire form must agree on each
    '{0} {{ }} @"x" $"{y}"',  # format strings, verbatim and interpolated literal syntax
    "*/ /* //",
)


def test_hazardous_values_survive_every_combination(
    runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One deterministic batch: every hazard in every field of every combination."""
    api = ApiValues(API_PATHS[-1], "q=%22", "PATCH", "\\x41BC\"\\' *~%41`$")
    cases = batch_cases(NAME, hazard_values("".join(HAZARDS), api), batch_servers)
    run_batch(NAME, runner, cases, tmp_path / "batch", RUNTIME.checks)


def test_csharp_str_evaluates_to_the_text(runner: Runner, tmp_path: Path) -> None:
    """Compiled and run, each literal holds exactly its text (UTF-16 code units compared)."""
    assert_literals_hold(runner, CSHARP, [*HAZARDS, *HOSTILE_PIECES, "".join(HAZARDS)], tmp_path)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ('"', '"\\""'),
        ("\\", '"\\\\"'),
        ("\n\r\t", '"\\n\\r\\t"'),
        ("\x00A", '"\\u0000A"'),
        ("\x01BC", '"\\u0001BC"'),
        ("\u202e\u200b\ufeff", '"\\u202e\\u200b\\ufeff"'),
        ("\u0085\u2028\u2029", '"\\u0085\\u2028\\u2029"'),
        ("\U000e0041", '"\\U000e0041"'),
        ("é🔑", '"é🔑"'),
    ],
)
def test_csharp_str_escapes_with_fixed_width_escapes_only(text: str, literal: str) -> None:
    assert csharp_str(text) == literal


def test_csharp_str_never_writes_a_greedy_hex_escape() -> None:
    every_control = "".join(map(chr, range(0x20))) + "\x7f\x85\xad"
    assert "\\x" not in csharp_str(every_control)


def _token_request(**fields: str) -> TokenRequest:
    base = TokenRequest(
        domain="tenant.auth0.com",
        client_id="abc",
        client_secret="s",
        audience="https://api.example.com/",
    )
    return base.replace(**fields)


def test_the_snippet_is_a_class_with_a_synchronous_main_for_mcs() -> None:
    """Mono's ``mcs`` has no top-level statements and no ``async Main``."""
    code = TARGET.render(make_plan(_token_request(), "env"))
    assert re.search(r"^class Program$", code, re.MULTILINE), code
    assert "    static int Main()\n" in code, code
    for newer in ("async", "await", "using var", "string?"):
        assert newer not in code, code


@pytest.mark.parametrize("body", ["form", "json"])
def test_the_content_type_is_exactly_the_media_type(body: str) -> None:
    code = TARGET.render(make_plan(_token_request(body=body), "placeholder"))
    media_type = "application/json" if body == "json" else "application/x-www-form-urlencoded"
    assert f"new MediaTypeHeaderValue({csharp_str(media_type)})" in code, code
    assert "new StringContent(" not in code, code
    assert "FormUrlEncodedContent" not in code, code


def test_basic_credentials_are_form_encoded_before_base64() -> None:
    code = TARGET.render(make_plan(_token_request(auth_method="client_secret_basic"), "env"))
    assert 'string credentials = Form("abc") + ":" + Form(clientSecret);' in code, code
    assert "Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))" in code, code


def test_the_helpers_appear_only_where_used() -> None:
    api = TARGET.render(make_plan(ApiRequest("https://api.example.com/"), "env"))
    assert "static string Form(" not in api, api
    assert "static string Json(" not in api, api
    assert "using System.Text;" not in api, api
    json_post = TARGET.render(make_plan(_token_request(body="json"), "env"))
    assert "static string Json(" in json_post, json_post
    assert "static string Form(" not in json_post, json_post


def test_patch_uses_a_method_mono_has() -> None:
    code = TARGET.render(make_plan(ApiRequest("https://api.example.com/", "PATCH"), "env"))
    assert 'new HttpMethod("PATCH")' in code, code


#: Pieces of URLs around what ``System.Uri`` rewrites: the escapes it may unescape, others it
#: keeps, and well-formed, ill-formed and bidi UTF-8 escapes.
URL_PIECES = ("%21", "%27", "%28%29", "%2A", "%3A", "%2F", "%25", "%22", "%3F", "%5B", "%7B")
UTF8_PIECES = (
    "",
    "%FF",
    "%C3",
    "%ED%A0%80",
    "%C0%AF",
    "%F4%90%80%80",
    "%25C3%A9",
    "%C3%A9",
    "%EF%BF%BF",
    "%F3%A0%80%81",
    "%E2%81%A6",
    "%E2%80%8D",
    *(f"%E2%80%{code}" for code in ("8E", "8F", "AA", "AB", "AC", "AD", "AE")),
)


def test_uri_rewrites_says_exactly_what_system_uri_changes(runner: Runner, tmp_path: Path) -> None:
    """Run on Mono: ``new Uri(url).PathAndQuery`` differs from the URL's exactly when
    `uri_rewrites` says so, the reason the target refuses those URLs."""
    tails = [
        f"/p{piece}{utf8}?q={utf8}"
        for piece in ("", *URL_PIECES)
        for utf8 in UTF8_PIECES
        if piece or utf8
    ]
    tails += [f"/p{utf8}?q={piece}" for piece in URL_PIECES for utf8 in UTF8_PIECES if utf8]
    literals = "".join(f"            {csharp_str(tail)},\n" for tail in tails)
    code = (
        "using System;\n\n"
        "class Program\n{\n"
        "    static int Main()\n    {\n"
        f"        string[] tails =\n        {{\n{literals}        }};\n"
        "        foreach (string tail in tails)\n        {\n"
        '            Uri uri = new Uri("http://127.0.0.1:9" + tail);\n'
        '            Console.WriteLine(uri.PathAndQuery == tail ? "same" : "changed");\n'
        "        }\n"
        "        return 0;\n"
        "    }\n}\n"
    )
    [outcome] = runner([Job(code, tmp_path)])
    assert outcome.ok, outcome.error
    changed = [line == "changed" for line in outcome.stdout.splitlines()]
    assert changed == [uri_rewrites(tail) for tail in tails]
    assert any(changed), "the samples must include URLs System.Uri rewrites"


@pytest.mark.parametrize("escape", ["%E2%80%8E", "%e2%80%8f", "%E2%80%AE", "%C3%A9%27"])
def test_a_url_system_uri_would_change_is_refused(escape: str) -> None:
    request = ApiRequest(f"https://api.example.com/a?q={escape}")
    with pytest.raises(RenderError, match="Uri would send"):
        TARGET.render(make_plan(request, "placeholder"))


def test_escapes_system_uri_keeps_are_rendered() -> None:
    kept = ApiRequest("https://api.example.com/a%2F?q=%E2%80%8D%E2%80%AF%E2%81%A6%22")
    assert "%E2%81%A6" in TARGET.render(make_plan(kept, "placeholder"))


def test_a_bearer_token_outside_visible_ascii_is_refused() -> None:
    request = ApiRequest("https://api.example.com/", access_token="t\u00f6ken")
    with pytest.raises(RenderError, match="ASCII"):
        TARGET.render(make_plan(request, "reveal"))
