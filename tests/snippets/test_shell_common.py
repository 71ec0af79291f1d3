"""What the HTTPie and Wget snippets share (`clientcreds.snippets.shell.common`), proven by
running bash and dash: `shell_word` and `shell_join` give each shell exactly the text meant,
and the run-time encodings (form encoding with od, tr and sed; JSON string contents with od
and awk) carry every byte of a secret read from the environment. And what every Shell target
(curl, HTTPie, Wget) does on an HTTP error status, run as users run it.

The targets themselves, and their own hazards, are in test_shell_httpie.py and
test_shell_wget.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcreds import TokenRequest
from clientcreds.snippets.code import layout
from clientcreds.snippets.plan import EnvVar, Plan, make_plan
from clientcreds.snippets.shell.common import INDENT, encoded_variable, encodings, prelude
from clientcreds.snippets.shell.quoting import ShellVariable, shell_join, shell_word
from tests.harness.runtimes import job_env, require
from tests.harness.shell_runner import ENCODING_TOOLS, ERROR_BODY, error_status_outcomes
from tests.harness.targets import RUNTIMES
from tests.strategies import HOSTILE_PIECES

SHELLS = ("bash", "sh")
#: What an environment variable can hold: any text but NUL (and no lone surrogate, which has
#: no UTF-8 form).
env_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
#: Values whose encoding is easy to get wrong: trailing line breaks (which $(...) strips),
#: more than 16 equal bytes (od prints ``*`` for a repeated line without -v), the controls,
#: DEL and bytes above 0x7F, quotes and backslashes, shell and HTTPie syntax.
ENCODING_EDGES = (
    "\n",
    "a\n\n",
    "\r\n",
    "x" * 40,
    "".join(map(chr, range(1, 0x20))) + "\x7f",
    "é🔑\u202e\u2028\ufeff\u00a0",
    "\"\\'`$(touch pwned)${HOME}",
    "@/etc/hostname",
    "-x",
    "%+&=#*~ :=:==;",
)


def run_shell(shell: str, script: str, env: dict[str, str] | None = None) -> bytes:
    """What `script` writes to stdout under `shell` (bash or dash), which must exit 0."""
    done = subprocess.run(
        [require(shell, "apt-get install bash dash"), "-c", script],
        env=job_env(env or {}, Path("/nonexistent")),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def printed_words(shell: str, words: list[str], env: dict[str, str] | None = None) -> list[bytes]:
    """Each word as the shell passes it to a command: ``printf '%s\\0' WORD...``."""
    out = run_shell(shell, "printf '%s\\0' " + " ".join(words), env)
    return out.split(b"\0")[:-1]


@pytest.mark.parametrize("shell", SHELLS)
def test_shell_word_is_each_hostile_piece(shell: str) -> None:
    pieces = [piece for piece in HOSTILE_PIECES if "\x00" not in piece]
    words = printed_words(shell, [shell_word(piece) for piece in pieces])
    assert words == [piece.encode() for piece in pieces]


@pytest.mark.parametrize("shell", SHELLS)
@given(texts=st.lists(env_text, min_size=1, max_size=5))
def test_shell_word_is_any_text(shell: str, texts: list[str]) -> None:
    words = printed_words(shell, [shell_word(text) for text in texts])
    assert words == [text.encode() for text in texts]


#: A literal part, or the value of a variable (v0, v1, ...) to expand.
join_parts = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_PIECES).filter(lambda piece: "\x00" not in piece),
        env_text.map(lambda text: ("", text)),
        st.sampled_from(["a", "_", "9", "{", "}"]),  # a name character after $name
    ),
    max_size=6,
)


@pytest.mark.parametrize("shell", SHELLS)
@given(drawn=join_parts)
def test_shell_join_is_literals_and_variables(
    shell: str, drawn: list[str | tuple[str, str]]
) -> None:
    """Literals stay literal, each variable expands to its value whole: in double quotes when
    every literal allows it, else single-quoted literals beside double-quoted variables."""
    parts: list[str | ShellVariable] = []
    env: dict[str, str] = {}
    expected = ""
    for index, part in enumerate(drawn):
        if isinstance(part, tuple):
            name = f"v{index}"
            parts.append(ShellVariable(name))
            env[name] = part[1]
            expected += part[1]
        else:
            parts.append(part)
            expected += part
    [word] = printed_words(shell, [shell_join(parts)], env)
    assert word == expected.encode()


@pytest.mark.parametrize(
    ("parts", "word"),
    [
        (["a=1&b=", ShellVariable("b")], '"a=1&b=$b"'),
        ([ShellVariable("b"), "_x"], '"${b}_x"'),  # $b_x would be another variable
        (['{"b": "', ShellVariable("b"), '"}'], '\'{"b": "\'"$b"\'"}\''),
        (["a!", ShellVariable("b")], "'a!'\"$b\""),  # ! in double quotes is bash history
        (["it's"], "'it'\\''s'"),
        ([], "''"),
    ],
)
def test_shell_join_chooses_the_quotes(parts: list[str | ShellVariable], word: str) -> None:
    assert shell_join(parts) == word


def test_shell_join_refuses_a_name_the_shell_would_not_read() -> None:
    with pytest.raises(ValueError, match="not a shell variable name"):
        shell_join(["a", ShellVariable("$(touch pwned)")])


def encoding_plan(body: str, auth_method: str = "client_secret_post") -> Plan:
    """An env-mode plan whose secret goes in a `body` body (or in Basic)."""
    request = TokenRequest(
        domain="tenant.auth0.com",
        client_id="id",
        client_secret="s",
        audience="a",
        body=body,  # type: ignore[arg-type]
        auth_method=auth_method,  # type: ignore[arg-type]
    )
    return make_plan(request, "env")


def encoded(shell: str, plan: Plan, secret: str) -> bytes:
    """The run-time encoding of `secret` the plan's prelude leaves in ``$client_secret``."""
    script = layout(prelude(plan), INDENT) + 'printf %s "$client_secret"\n'
    return run_shell(shell, script, {"AUTH0_CLIENT_SECRET": secret})


def test_the_encoding_tools_are_installed() -> None:
    for tool, package in ENCODING_TOOLS.items():
        require(tool, f"apt-get install {package}")


@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("secret", ENCODING_EDGES)
def test_form_encoding_carries_every_byte(shell: str, secret: str, auth_method: str) -> None:
    """In a form body and in Basic: ``%xx`` for every byte, decoding to the secret exactly."""
    body = "form" if auth_method == "client_secret_post" else "json"  # Basic: form-encoded
    out = encoded(shell, encoding_plan(body, auth_method), secret)
    assert out == "".join(f"%{byte:02x}" for byte in secret.encode()).encode()
    assert unquote_to_bytes(out) == secret.encode()


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("secret", ENCODING_EDGES)
def test_json_escaping_carries_every_character(shell: str, secret: str) -> None:
    """A JSON string's contents: valid JSON (controls escaped) whose value is the secret."""
    out = encoded(shell, encoding_plan("json"), secret)
    assert json.loads(b'"' + out + b'"') == secret


@pytest.mark.parametrize("shell", SHELLS)
@given(secret=env_text.filter(bool))
def test_run_time_encodings_carry_any_text(shell: str, secret: str) -> None:
    assert unquote_to_bytes(encoded(shell, encoding_plan("form"), secret)) == secret.encode()
    assert json.loads(b'"' + encoded(shell, encoding_plan("json"), secret) + b'"') == secret


def test_a_value_needed_in_two_encodings_gets_two_variables() -> None:
    """Not a plan `make_plan` builds, but the helpers must not mix the two up if one does."""
    secret = EnvVar("AUTH0_CLIENT_SECRET")
    plan = Plan("https://t.example/token", "json", (("client_secret", secret),), ("id", secret))
    assert encodings(plan) == [("AUTH0_CLIENT_SECRET", "json"), ("AUTH0_CLIENT_SECRET", "form")]
    names = {encoded_variable(plan, name, encoding).name for name, encoding in encodings(plan)}
    assert names == {"client_secret_json", "client_secret_form"}


#: Each Shell target's exit status on each answer status, and what it prints: the body as it
#: came, nothing added.
ERROR_STATUS_EXITS = [
    ("curl", 200, 0, ERROR_BODY),
    ("curl", 401, 22, ERROR_BODY),  # --fail-with-body: 22 on 400 or more, the body printed too
    ("curl", 500, 22, ERROR_BODY),
    ("shell-httpie", 200, 0, ERROR_BODY),
    ("shell-httpie", 401, 4, ERROR_BODY),  # --check-status: 4 for a 4xx, 5 for a 5xx
    ("shell-httpie", 403, 4, ERROR_BODY),
    ("shell-httpie", 500, 5, ERROR_BODY),
    ("shell-wget", 200, 0, ERROR_BODY),
    ("shell-wget", 400, 8, ERROR_BODY),  # --content-on-error: the body, then 8 (server error)
    ("shell-wget", 403, 8, ERROR_BODY),
    ("shell-wget", 500, 8, ERROR_BODY),
    ("shell-wget", 401, 6, b""),  # Wget 1.21 takes a 401 for failed credentials, drops its body
]


@pytest.mark.parametrize(
    ("target", "status", "exit_status", "printed"),
    ERROR_STATUS_EXITS,
    ids=[f"{target}-{status}" for target, status, _, _ in ERROR_STATUS_EXITS],
)
def test_the_answer_is_printed_as_it_came_and_an_error_status_exits_non_zero(
    target: str, status: int, exit_status: int, printed: bytes, tmp_path: Path
) -> None:
    """A token request and an API call, each run under sh as its recipe says, against a server
    answering `status`: the answer on stdout as it came, and the target's exit status."""
    runner = RUNTIMES[f"{target}-sh"].process()
    for outcome in error_status_outcomes(target, runner, status, tmp_path):
        assert outcome.stdout.encode() == printed, outcome.stderr
        assert outcome.exit_status == exit_status, outcome.stderr
