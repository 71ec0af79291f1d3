"""What the tests of the httpx and urllib targets share: their hazards, runs against a server
that answers an error status, and checks of a snippet's source and of its runs.

test_python_httpx.py and test_python_urllib.py each run these against their own target, so
each hazard is proven for both clients by their real runtime.
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from clientcreds import ApiRequest, TokenRequest, render
from clientcreds.core.protocol import TOKEN_ENV_VAR
from clientcreds.request.token_request import AuthMethod
from clientcreds.request.wire import BodyFormat
from clientcreds.snippets import SECRET_ENV_VAR, SECRET_MODES
from clientcreds.snippets.python.quoting import python_str
from tests.harness.capture import REFUSAL_BODY, CaptureServer
from tests.harness.proof import (
    ApiValues,
    Checks,
    api_cases,
    batch_cases,
    hazard_values,
    run_batch,
)
from tests.harness.runtimes import Job, Outcome, Runner, missing, run_process
from tests.snippets import golden
from tests.strategies import API_PATHS

#: The hazards of the issue for the Python targets, as values: all travel in one batch.
HAZARDS = (
    "\\",  # a lone backslash must not escape the closing quote
    '"',  # the literal's own quote
    "'",  # the other quote stays as it is
    '"""',  # a triple quote must not open a docstring
    "{x} {{x}} {",  # f-string fields and escaped braces: no snippet formats a string
    "\\N{DASH}",  # as text: must not become a named escape (an unknown name is a SyntaxError)
    "\x00" + "0",  # NUL, then a digit: an octal escape must not swallow it
    "a\r\nb",  # CR/LF end a line of source
    "\u2028\u2029",  # separators: str.splitlines breaks on them
    "🔑👩‍💻",  # astral characters, and a zero-width joiner
    "\u202e\u2066",  # bidi override and isolate: shown as escapes, never raw
    "é",  # UTF-8 in the body, never Latin-1
    "%+&=",  # form-encoded when the snippet runs
    "* ~",  # the wire form keeps ~, encodes * and writes a space as +
)
#: The API call of the hazard batch: an odd path and query, a hostile printable-ASCII token.
HAZARD_API = ApiValues(API_PATHS[-1], "q=%7Bx%7D%22%5CN%7BDASH%7D", "PATCH", "\\N{DASH}\"{x}\\'*~")


def run_hazard_batch(
    target: str, runner: Runner, servers: list[CaptureServer], root: Path, checks: Checks
) -> None:
    """Every hazard in every field of every combination, and in the API call, as one batch."""
    cases = batch_cases(target, hazard_values("".join(HAZARDS), HAZARD_API), servers)
    run_batch(target, runner, cases, root, checks)


def literal_code_points(texts: list[str], tmp_path: Path) -> list[list[int]]:
    """Each text as `python_str` writes it, evaluated by a python3 process: its code points."""
    literals = "".join(f"    {python_str(text)},\n" for text in texts)
    code = (
        "import json\n\n"
        f"TEXTS = [\n{literals}]\n"
        "print(json.dumps([[ord(char) for char in text] for text in TEXTS]))\n"
    )
    (tmp_path / "literals.py").write_text(code, encoding="utf-8")
    outcome = run_process([sys.executable, "literals.py"], Job(code, tmp_path))
    assert outcome.ok, outcome.error
    code_points: list[list[int]] = json.loads(outcome.stdout)
    return code_points


def token_request(
    base_url: str, auth_method: AuthMethod, body: BodyFormat, **fields: str
) -> TokenRequest:
    """A plain token request to `base_url`, with `fields` overriding its values."""
    values = {"client_id": "id", "client_secret": "s3cr3t", "audience": "https://api/", **fields}
    return TokenRequest(domain=base_url, auth_method=auth_method, body=body, **values)


COMBOS: list[tuple[AuthMethod, BodyFormat]] = [
    (auth_method, body)
    for auth_method in ("client_secret_post", "client_secret_basic")
    for body in ("form", "json")
]


def env_jobs(target: str, base_url: str, root: Path, value: str) -> list[Job]:
    """Every env-mode snippet (each combination, and the API call), its variable set to
    `value`, each in its own empty directory."""
    snippets = [
        (render(token_request(base_url, *combo), target, secret="env"), SECRET_ENV_VAR)
        for combo in COMBOS
    ]
    snippets.append((render(ApiRequest(base_url + "/api"), target, secret="env"), TOKEN_ENV_VAR))
    jobs = []
    for index, (code, variable) in enumerate(snippets):
        cwd = root / f"job-{index}"
        cwd.mkdir(parents=True)
        jobs.append(Job(code, cwd, {variable: value}))
    return jobs


def assert_a_lone_surrogate_is_not_sent(target: str, process_runner: Runner, root: Path) -> None:
    """Every env-mode snippet, its variable the byte 0xFF (which Python reads as a lone
    surrogate): nothing is sent, and each snippet fails on encoding it."""
    with CaptureServer() as server:
        jobs = env_jobs(target, server.base_url, root, "\udcff")  # the byte 0xFF
        outcomes = process_runner(jobs)
        assert server.take() == []
    for outcome in outcomes:
        assert outcome.exit_status not in (0, None), outcome
        assert "UnicodeEncodeError" in outcome.stderr, outcome


def assert_no_warning(target: str, process_runner: Runner, root: Path) -> None:
    """Every env-mode snippet runs under ``PYTHONWARNINGS=error`` and sends its request."""
    with CaptureServer() as server:
        jobs = env_jobs(target, server.base_url, root, "s3cr3t")
        for job in jobs:
            job.env["PYTHONWARNINGS"] = "error"
        outcomes = process_runner(jobs)
        assert len(server.take()) == len(jobs)
    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]


#: What the error server answers with: Auth0's refusal of a wrong secret.
ERROR_BODY = REFUSAL_BODY.decode()


def error_status_outcomes(target: str, runner: Runner, status: int, root: Path) -> list[Outcome]:
    """Each combination and the API call, run as its own process against a server that
    answers `status`; each must have sent its request."""
    with CaptureServer(status=status, body=REFUSAL_BODY) as server:
        base_url = server.base_url
        jobs = [
            Job(render(token_request(base_url, *combo), target, secret="reveal"), root / f"t{n}")
            for n, combo in enumerate(COMBOS)
        ]
        api = ApiRequest(base_url + "/api", access_token="token")
        jobs.append(Job(render(api, target, secret="reveal"), root / "api"))
        for job in jobs:
            job.cwd.mkdir(parents=True)
        outcomes = runner(jobs)
        received = server.take()
    assert len(received) == len(jobs), received
    return outcomes


def ruff() -> str:
    """The ruff of this environment (a dev dependency), or skip (fail in CI)."""
    path = Path(sys.executable).with_name("ruff")
    if not path.exists():
        missing("ruff is not installed: pip install -e '.[dev]'")
    return str(path)


def assert_golden_snippets_are_ruff_clean(target: str, root: Path) -> None:
    """The target's golden snippets pass ruff's default lint and import order, and are
    ruff-formatted."""
    for case in golden.CASES:
        (root / f"{case}.py").write_text(golden.rendered(target, case), encoding="utf-8")
    # python_str always writes double quotes (as python-requests shows them), where ruff
    # would switch to single quotes for a value holding more " than '.
    exclude = ["--exclude", "hostile.py"]
    for command in (["check", "--select", "E,F,W,I"], ["format", "--check", *exclude]):
        done = subprocess.run(
            [ruff(), *command, "--isolated", str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


#: A path and a query of every character a URL may hold unescaped, and escapes.
EVERY_URL_CHARACTER = "/-._~!$&'()*+,;=:@%2F%41/x?q=-._~!$&'()*+,;=:@/?%7B%25"


def run_url_cases(target: str, runner: Runner, root: Path) -> None:
    """The API call to ``127.0.0.1`` and ``[::1]``, on every awkward path and query: each
    request target must arrive byte for byte as the URL has it (the proof's equivalence
    compares it exactly). Three paths a batch, each in another secret mode, so that the
    servers (each slow to shut down) are few."""
    paths = (*API_PATHS, EVERY_URL_CHARACTER)
    for host in ("127.0.0.1", "::1"):
        with ExitStack() as stack:
            servers = [stack.enter_context(CaptureServer(host)) for _ in SECRET_MODES]
            for start in range(0, len(paths), len(servers)):
                cases = [
                    list(api_cases(target, ApiValues(path, None, "GET", "token"), servers))[k]
                    for k, path in enumerate(paths[start : start + len(servers)])
                ]
                run_batch(target, runner, cases, root / f"{host.replace(':', '_')}-{start}")
