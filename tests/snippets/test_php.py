"""``php-curl`` and ``php-guzzle``: their PHP hazards, each proven by running PHP.

The equivalence property itself, and env mode without its variable, run for every target in
test_equivalence.py and test_env_unset.py (the runners: `tests/harness/php_runner.py`). Here:
the recipes; every hazard in one batch per target, under Debian's php.ini and under a hostile
one (``arg_separator.output = "&amp;"``, no ``$_ENV``); `php_str` run by PHP on hostile and
drawn texts (no interpolation of ``$x``, ``{$x}``, ``${x}``; ``\\x`` only below 0x80; NUL, CR,
LF, bidi marks escaped); ``http_build_query`` against the wire's form encoding; a secret of
``0``; text that is not UTF-8 in a JSON body; an error status; no value in a ``//`` comment.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcreds import ApiRequest, RenderError, TokenRequest, get_target, render
from clientcreds.request.wire import BodyFormat, form_encode
from clientcreds.snippets import SECRET_ENV_VAR
from clientcreds.snippets.php.quoting import php_str
from clientcreds.snippets.plan import MISSING_ENV_REASON
from clientcreds.snippets.target import Recipe
from tests.harness.capture import CaptureServer
from tests.harness.php_runner import guzzle_settings, php
from tests.harness.proof import (
    AUTH_METHODS,
    BODIES,
    ApiValues,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.runtimes import Job, Outcome, Runner
from tests.harness.targets import RUNTIMES
from tests.strategies import API_PATHS, HOSTILE_PIECES

TARGETS = ("php-curl", "php-guzzle")

#: Each PHP hazard of the issue as a value: all of them travel in one hand-written batch.
HAZARDS = (
    "$x",  # simple interpolation in a double-quoted string
    "{$x}",  # complex interpolation
    "${x}",  # the older (deprecated in 8.2) interpolation
    "\\",  # the escape character, and the end of a single-quoted string's \\'
    '"',  # ends a double-quoted string
    "'",  # ends a single-quoted string
    "\\u{41}",  # as text, not PHP 7's Unicode escape
    "\\x41",  # as text, not a byte escape
    "?>",  # ends PHP mode (outside a string, and in a // comment)
    "<?php",  # opens PHP mode
    "\x00" + "0",  # NUL, then a digit a greedy octal or hex escape would swallow
    "\r\n",  # line breaks, escaped
    "🔑👩‍💻",  # astral characters and a zero-width joiner
    "\u202e",  # a bidi override, never shown raw
    "é",  # UTF-8 in the source
    "\x85\u00a0",  # above 0x7F: \\u{85}, never the lone byte \\x85
    "%+&=",  # form encoding's own characters
    "#{y}",  # Ruby's interpolation, plain text in PHP
    "\x7f\x01" + "7",  # controls below 0x80 as \\xNN, a hex digit after
)
HAZARD_TEXT = "".join(HAZARDS)
#: The API call's token: printable ASCII, with every hazard that a header can carry.
HAZARD_TOKEN = "$x {$x} ${x} \\ \" ' \\u{41} \\x41 ?> <?php #{y} %+&="


@pytest.fixture(scope="module", params=TARGETS)
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def runner(name: str) -> Runner:
    return RUNTIMES[name].batch()


def test_php_curl_recipe_is_php_request_php() -> None:
    assert get_target("php-curl").recipe == Recipe(
        "request.php",
        "php request.php",
        note="Needs PHP's curl extension (Debian: apt-get install php-cli php-curl).",
    )


def test_php_guzzle_recipe_installs_guzzle_with_composer() -> None:
    """The snippet requires what ``composer require`` writes, and the recipe says so."""
    recipe = get_target("php-guzzle").recipe
    assert recipe is not None
    assert (recipe.filename, recipe.command, recipe.files) == ("request.php", "php request.php", ())
    assert "composer require guzzlehttp/guzzle" in recipe.note
    assert "vendor/autoload.php" in recipe.note
    code = render(ApiRequest("https://api.example.com/"), "php-guzzle")
    assert code.startswith("<?php\n\nrequire 'vendor/autoload.php';\n")


@pytest.mark.parametrize("text", [HAZARD_TEXT, HAZARD_TEXT.replace("\x00", "")])
def test_every_hazard_is_sent_exactly(
    name: str, runner: Runner, text: str, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """One batch with every hazard in every value. With a NUL, env mode is refused (no
    variable holds one); without, the values read with getenv meet every hazard."""
    api = ApiValues(API_PATHS[-1], "q=%F0%9F%94%91", "PATCH", HAZARD_TOKEN)
    cases = batch_cases(name, hazard_values(text, api), batch_servers)
    assert len(cases) == (8 if "\x00" in text else 12) + 3
    run_batch(name, runner, cases, tmp_path / "batch")


HOSTILE_INI = 'arg_separator.output = "&amp;"\nvariables_order = "GPCS"\n'


def with_ini(name: str, runner: Runner, ini_dir: Path) -> Runner:
    """`runner` with `ini_dir`'s ini files read after PHP's own (and Guzzle's)."""
    scan = guzzle_settings()["PHP_INI_SCAN_DIR"] if name == "php-guzzle" else ""
    extra = {"PHP_INI_SCAN_DIR": f"{scan}:{ini_dir}"}
    return lambda jobs: runner([Job(job.code, job.cwd, {**job.env, **extra}) for job in jobs])


def test_hostile_ini_does_what_it_says(tmp_path: Path) -> None:
    """The control for the next test: under it, ``http_build_query`` without its separator
    argument joins with ``&amp;``, and ``$_ENV`` misses a variable ``getenv`` sees."""
    (tmp_path / "hostile.ini").write_text(HOSTILE_INI, encoding="utf-8")
    code = "echo http_build_query(['a' => 1, 'b' => 2]), ' ', count($_ENV), ' ', getenv('X');"
    done = subprocess.run(
        [php(), "-r", code],
        env={"PHP_INI_SCAN_DIR": f":{tmp_path}", "X": "seen"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "a=1&amp;b=2 0 seen"


def test_hazards_survive_a_hostile_php_ini(
    name: str, runner: Runner, batch_servers: list[CaptureServer], tmp_path: Path
) -> None:
    """``arg_separator.output = "&amp;"`` (the snippets pass ``'&'``) and ``variables_order``
    without ``E`` (the snippets read ``getenv``, never ``$_ENV``)."""
    ini_dir = tmp_path / "ini"
    ini_dir.mkdir()
    (ini_dir / "hostile.ini").write_text(HOSTILE_INI, encoding="utf-8")
    api = ApiValues("/", None, "GET", HAZARD_TOKEN)
    text = HAZARD_TEXT.replace("\x00", "")
    cases = batch_cases(name, hazard_values(text, api), batch_servers)
    run_batch(name, with_ini(name, runner, ini_dir), cases, tmp_path / "batch")


def run_php(program: str, tmp_path: Path) -> str:
    """Run `program` (a PHP file's text) with every error shown on stderr; its stdout."""
    path = tmp_path / "program.php"
    path.write_text(program, encoding="utf-8")
    done = subprocess.run(
        [php(), "-d", "error_reporting=-1", "-d", "display_errors=stderr", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode(errors="replace")
    return done.stdout.decode()


def php_values(texts: list[str], tmp_path: Path) -> list[str]:
    """Each text's `php_str` literal as PHP reads it, back as text (from its bytes' hex), with
    ``$x`` and ``$y`` defined so that an interpolation would show."""
    lines = "".join(f"echo bin2hex({php_str(text)}), PHP_EOL;\n" for text in texts)
    program = f"<?php\n\n$x = 'INTERPOLATED';\n$y = 'INTERPOLATED';\n{lines}"
    return [bytes.fromhex(line).decode() for line in run_php(program, tmp_path).splitlines()]


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("$x", "'$x'"),
        ("{$x}", "'{$x}'"),
        ("${x}", "'${x}'"),
        ("\\", "'\\\\'"),
        ('"', "'\"'"),
        ("'", "'\\''"),
        ("\\u{41}", "'\\\\u{41}'"),
        ("\\x41", "'\\\\x41'"),
        ("?><?php", "'?><?php'"),
        ("\x00" + "0", '"\\x000"'),
        ("\r\n", '"\\r\\n"'),
        ("🔑", "'🔑'"),
        ("👩\u200d💻", '"👩\\u{200d}💻"'),
        ("\u202e", '"\\u{202e}"'),
        ("é", "'é'"),
        ("%+&=", "'%+&='"),
        ("#{y}", "'#{y}'"),
        ("\x85", '"\\u{85}"'),  # not \x85: that is a byte, and alone not UTF-8
        ("$x {$x} ${x}\n", '"\\$x {\\$x} \\${x}\\n"'),
        ("\\u{41}\\x41\"'\t", '"\\\\u{41}\\\\x41\\"\'\\t"'),
    ],
)
def test_php_str_writes_each_hazard(text: str, literal: str, tmp_path: Path) -> None:
    """The literal is the one shown, and PHP reads it back as the text."""
    assert php_str(text) == literal
    assert php_values([text], tmp_path) == [text]


def test_php_str_holds_every_hostile_piece(tmp_path: Path) -> None:
    """Each hostile piece alone, and all of them in one double-quoted literal."""
    texts = [*HOSTILE_PIECES, *HAZARDS, HAZARD_TEXT, "".join(HOSTILE_PIECES)]
    assert php_values(texts, tmp_path) == texts


@settings(max_examples=20, deadline=None)
@given(texts=st.lists(st.text(), min_size=1, max_size=30))
def test_php_str_holds_any_text(texts: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Drawn texts, thirty to a PHP run: each read back exactly, none shown with a character
    that is not printable."""
    for text in texts:
        assert all(c.isprintable() for c in php_str(text)), php_str(text)
    assert php_values(texts, tmp_path_factory.mktemp("php")) == texts


def test_php_str_refuses_a_lone_surrogate() -> None:
    with pytest.raises(RenderError, match="surrogate"):
        php_str("a\ud800")


def test_urlencode_is_the_wire_form_encoding_but_for_tilde(tmp_path: Path) -> None:
    """``http_build_query`` (``urlencode``, RFC 1738) of every character up to U+00FF and some
    beyond, run in PHP, is the wire's form encoding byte for byte, except that ``~`` is written
    ``%7E``: the same value once decoded, so the same request as equivalence defines it."""
    text = "".join(map(chr, range(1, 0x100))) + "日本🔑\u202e"
    pairs = [(text, text[::-1]), ("~", ""), ("", "x")]
    array = ", ".join(f"{php_str(k)} => {php_str(v)}" for k, v in pairs)
    printed = run_php(f"<?php\n\necho http_build_query([{array}], '', '&');\n", tmp_path)
    assert printed == form_encode(pairs).decode().replace("~", "%7E")


def test_no_value_is_ever_in_a_comment() -> None:
    """A ``//`` or ``#`` comment ends at ``?>``, so no value may be in one: every comment of
    every combination, with every hazard in every value, is one of the snippets' fixed
    comments, each on a line of its own (no code line ends in a comment)."""
    fixed = {
        "// RFC 6749 §2.3.1: form-encode the id and secret before Basic auth",
        "// '&' explicitly: php.ini's arg_separator.output may be '&amp;'",
    }
    seen: set[str] = set()
    for target in TARGETS:
        for auth_method in AUTH_METHODS:
            for body in BODIES:
                request = TokenRequest(
                    domain="tenant.auth0.com",
                    client_id=HAZARD_TEXT,
                    client_secret=HAZARD_TEXT,
                    audience=HAZARD_TEXT,
                    auth_method=auth_method,
                    body=body,
                )
                for mode in ("placeholder", "reveal"):
                    code = render(request, target, secret=mode)
                    lines = [line.strip() for line in code.split("\n")]
                    seen |= {line for line in lines if line.startswith(("//", "#"))}
    assert seen == fixed


def token_request(base_url: str, body: BodyFormat) -> TokenRequest:
    return TokenRequest(
        domain=base_url, client_id="abc", client_secret="unused", audience="a", body=body
    )


def run_env_snippet(runner: Runner, code: str, secret: str, cwd: Path) -> Outcome:
    cwd.mkdir()
    [outcome] = runner([Job(code, cwd, {SECRET_ENV_VAR: secret})])
    assert list(cwd.iterdir()) == []
    return outcome


@pytest.mark.parametrize("body", BODIES)
def test_a_secret_of_zero_is_a_secret(
    name: str, runner: Runner, body: BodyFormat, tmp_path: Path
) -> None:
    """``"0"`` is falsy in PHP: a snippet testing ``!$secret`` or ``empty()`` would take it
    for a missing variable. The snippets test ``=== false || === ''``, and send it."""
    with CaptureServer() as server:
        code = render(token_request(server.base_url, body), name, secret="env")
        outcome = run_env_snippet(runner, code, "0", tmp_path / "job")
        [captured] = server.take()
    assert outcome.ok, outcome.error
    sent = captured.body.decode()
    assert (
        ("client_secret=0" in sent) if body == "form" else json.loads(sent)["client_secret"] == "0"
    )


def test_json_of_text_that_is_not_utf8_stops_the_snippet(
    name: str, runner: Runner, tmp_path: Path
) -> None:
    """A secret that is not UTF-8 (the byte 0xFF, from the environment) has no JSON form:
    ``json_encode`` would return ``false``; the snippets throw instead and send nothing."""
    with CaptureServer() as server:
        code = render(token_request(server.base_url, "json"), name, secret="env")
        outcome = run_env_snippet(runner, code, "\udcff", tmp_path / "job")  # os.fsencode: 0xFF
        assert server.take() == []
    assert outcome.exit_status not in (0, None), outcome
    assert MISSING_ENV_REASON not in outcome.stderr, "stopped for another reason: the control"
    assert "access_token" not in outcome.stdout


def test_an_error_status_prints_the_body_and_fails(
    name: str, runner: Runner, refusing_server: CaptureServer, tmp_path: Path
) -> None:
    """Guzzle would throw on a 4xx (``http_errors``) and curl would not care: both snippets
    print the answer and exit with status 1."""
    codes = [
        render(token_request(refusing_server.base_url, "form"), name),
        render(ApiRequest(refusing_server.base_url + "/api"), name),
    ]
    jobs = [Job(code, tmp_path / f"job-{n}") for n, code in enumerate(codes)]
    for job in jobs:
        job.cwd.mkdir()
    for outcome in runner(jobs):
        assert outcome.exit_status == 1, outcome
        assert "access_denied" in outcome.stdout
