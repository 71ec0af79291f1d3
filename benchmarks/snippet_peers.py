"""Ours and httpsnippet's snippets, run on hostile token requests: which send what they should.

For `snippets.py`. One fixed list of token requests (`requests`): a plain control (the seed's
values), then one per hostile value (`HOSTILE`: the issue's example, then pieces of
tests/strategies.py's ``HOSTILE_PIECES`` joined, a few hazards each), each a form-body POST
with ``client_secret_post`` carrying the value in ``client_id``, reversed in
``client_secret`` and after an ``x`` in ``audience`` (as tests/harness/proof.py's
``hazard_values`` does), each aimed at its own loopback capture server. httpsnippet gets each
as a HAR request (same URL, a ``content-type`` header, ``postData.params`` in the wire's order);
clientcreds renders it with ``secret="reveal"``. Each side's snippets then run as one batch by
the same runner of tests/harness/targets.py's ``RUNTIMES``, each job in its own empty directory,
and a case counts when its process ran OK and its server got exactly one request equivalent
(tests/harness/equivalence.py) to the wire request. Both sides are judged alike.

A batch whose every job failed with the same error (a compiled runtime's build failing for one
snippet fails them all) is retried one job at a time, if the control alone runs: one value a
snippet cannot express does not sink the others. Where a runtime's way of running a snippet
does not fit httpsnippet's (`WRAPS`, `THEIR_FILE`), the change made is stated and printed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from clientcreds import TokenRequest, render
from clientcreds.request.wire import WireRequest

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).parent / "node"
if str(ROOT) not in sys.path:  # the harness is imported from the repository's tests package
    sys.path.insert(0, str(ROOT))

from tests.harness import equivalence  # noqa: E402
from tests.harness.capture import Captured, CaptureServer  # noqa: E402
from tests.harness.runtimes import DRIVERS, Job, Outcome, Runner, driver_runner, node  # noqa: E402
from tests.strategies import HOSTILE_PIECES  # noqa: E402

#: The issue's example value (not made of pieces).
ISSUE_VALUE = "q'\"\\$x #{y} é🔑" + "\n" + "%+&="
#: The other hostile values, each named and made of HOSTILE_PIECES (checked in `hostile_values`).
HOSTILE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "shell quoting and substitution",
        (
            *"'\"$`\\",
            "$(touch pwned)",
            "`touch pwned`",
            "'; touch pwned; '",
            '"; touch pwned; "',
            "$'\\x41'",
            "$HOME",
            "${HOME}",
        ),
    ),
    ("backslash escapes", ("\\'", '\\"', "\\\\", "\\n", "\\u0041", "\\x41", "\\{{x}}")),
    (
        "form syntax",
        ("%41", "%2B", "%20", "%%", "%zz", "%0A", "+%20+", "a=b&c=d", *"%+&=#"),
    ),
    (
        "templates and code injection",
        (
            "{{",
            "}}",
            "{{AUTH0_CLIENT_SECRET}}",
            "{{AUTH0_CLIENT_SECRET:json}}",
            "$AUTH0_CLIENT_SECRET",
            '")+open("pwned","w").close()+("',
            "'+open('pwned','w').close()+'",
            "${import('node:fs').then((f) => f.writeFileSync('pwned', ''))}",
            '" + import("node:fs").then((f) => f.writeFileSync("pwned", "")) + "',
            "</script>",
        ),
    ),
    (
        "an option, punctuation, whitespace, controls",
        ("-d", *"!;|(){}[]<>*?~:@/^, \t\n\r\x0b\x0c\x7f", "@pwned", "--data"),
    ),
    (
        "Unicode: astral, joiners, bidi, invisibles, separators",
        (
            *("é", "日本", "🔑", "👩‍💻", "\u200f", "\u200b", "\u2066", "\u00ad", "\u202e"),
            *("\u2028", "\u2029", "\ufeff", "\u00a0", "\x1b]0;title\x07", "é"),
        ),
    ),
    ("a medley", ("'", "\\", "\n", "%0A", '"', "$HOME", "🔑", "&", "\u202e", "`")),
)
#: The plain control's values: the seed's.
CONTROL = ("YOUR_CLIENT_ID", "YOUR_CLIENT_SECRET", "API_IDENTIFIER")
#: The runtime (a name in RUNTIMES) each compared target runs on: the shells under bash.
RUNTIME_OF = {
    "curl": "curl-bash",
    "shell-httpie": "shell-httpie-bash",
    "shell-wget": "shell-wget-bash",
}


def hostile_values() -> list[tuple[str, str]]:
    """(name, value) of every hostile value: the issue's, then each group's pieces joined."""
    for name, pieces in HOSTILE_GROUPS:
        strays = [piece for piece in pieces if piece not in HOSTILE_PIECES]
        assert not strays, f"{name}: not in HOSTILE_PIECES: {strays}"
    return [("the issue's example", ISSUE_VALUE)] + [
        (name, "".join(pieces)) for name, pieces in HOSTILE_GROUPS
    ]


def requests(base_urls: Sequence[str]) -> list[TokenRequest]:
    """The control, then one request per hostile value; request i aimed at ``base_urls[i]``."""
    values = [CONTROL] + [(v, v[::-1], "x" + v) for _, v in hostile_values()]
    return [
        TokenRequest(
            domain=base_url,
            client_id=client_id,
            client_secret=secret,
            audience=audience,
            auth_method="client_secret_post",
            body="form",
        )
        for base_url, (client_id, secret, audience) in zip(base_urls, values, strict=True)
    ]


def har_of(request: TokenRequest) -> dict[str, Any]:
    """The request as httpsnippet's input: a HAR request with the wire's URL and form pairs."""
    wire = request.wire_request()
    pairs = parse_qsl(wire.body.decode(), keep_blank_values=True, strict_parsing=True)
    return {
        "method": wire.method,
        "url": wire.url,
        "httpVersion": "HTTP/1.1",
        "headers": [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
        "queryString": [],
        "cookies": [],
        "headersSize": -1,
        "bodySize": -1,
        "postData": {
            "mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": name, "value": value} for name, value in pairs],
        },
    }


def httpsnippet(args: Sequence[str], payload: dict[str, Any]) -> dict[str, Any]:
    """Run httpsnippet_bench.mjs with `args`, `payload` on stdin; its JSON answer."""
    command = shutil.which("node")
    if command is None or not (NODE_DIR / "node_modules" / "httpsnippet").exists():
        sys.exit("httpsnippet is not installed: run (cd benchmarks/node && npm ci)")
    done = subprocess.run(
        [command, str(NODE_DIR / "httpsnippet_bench.mjs"), *args],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        cwd=NODE_DIR,
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def their_snippets(
    pairs: dict[str, tuple[str, str]], cases: Sequence[TokenRequest]
) -> dict[str, list[str]]:
    """httpsnippet's snippet of every case in every target of `pairs`, keyed by our target."""
    answer = httpsnippet(
        ["--render"], {"hars": [har_of(r) for r in cases], "targets": list(pairs.values())}
    )
    by_case: list[list[str]] = answer["snippets"]
    return {name: [codes[i] for codes in by_case] for i, name in enumerate(pairs)}


# --- what httpsnippet's snippets need to run at all, each change stated ---------------------


def _java_main(imports: str) -> Callable[[str], str]:
    def wrap(code: str) -> str:
        return (
            f"{imports}\npublic class Main {{\npublic static void main(String[] args) "
            f"throws Exception {{\n{code}\n}}\n}}\n"
        )

    return wrap


def _c_main(code: str) -> str:
    return f"#include <curl/curl.h>\n\nint main(void)\n{{\n{code}\nreturn (int)ret;\n}}\n"


#: The usings a .NET 6+ top-level program gets implicitly, that httpsnippet's code uses.
_IMPLICIT_USINGS = ("System", "System.Collections.Generic", "System.Net.Http")
_USING = re.compile(r"^using [\w.]+;$")


def _csharp_program(code: str) -> str:
    lines = code.split("\n")
    count = next((i for i, line in enumerate(lines) if not _USING.match(line)), len(lines))
    usings = [f"using {name};" for name in _IMPLICIT_USINGS] + lines[:count]
    body = "\n".join(lines[count:])
    return (
        "\n".join(usings) + "\n\nclass Program\n{\nstatic int Main()\n{\nRun().Wait();\n"
        "return 0;\n}\n\nstatic async System.Threading.Tasks.Task Run()\n{\n" + body + "\n}\n}\n"
    )


def _php_autoload(code: str) -> str:
    return code.replace("<?php\n", "<?php\n\nrequire 'vendor/autoload.php';\n", 1)


#: Our target → (the wrapping applied to httpsnippet's snippet, what it is). Nothing inside the
#: snippet is touched or re-indented: the wrapper only adds lines before and after it.
WRAPS: dict[str, tuple[Callable[[str], str], str]] = {
    "http": (
        lambda code: code.replace("\r\n", "\n"),
        "its lines end in CRLF: written with LF, which the recipe's `openssl s_client -crlf` "
        "sends as CRLF, so the bytes sent are httpsnippet's own",
    ),
    "java-httpclient": (
        _java_main("import java.net.URI;\nimport java.net.http.*;\n"),
        "a fragment: put in `public class Main { public static void main(String[] args) "
        "throws Exception { … } }` after `import java.net.URI; import java.net.http.*;`",
    ),
    "java-okhttp": (
        _java_main("import okhttp3.*;\n"),
        "a fragment: the same class Main and main, after `import okhttp3.*;`",
    ),
    "csharp-httpclient": (
        _csharp_program,
        "top-level statements (C# 9; Mono's mcs has none): its `using` lines, then the "
        "statements as the body of `static async Task Run()` in `class Program`, whose "
        "`static int Main()` is `Run().Wait(); return 0;`; plus the implicit usings of a "
        ".NET 6 program it relies on (System, System.Collections.Generic, System.Net.Http)",
    ),
    "c-libcurl": (
        _c_main,
        "a fragment: `#include <curl/curl.h>` and `int main(void) { … return (int)ret; }`",
    ),
    "php-guzzle": (
        _php_autoload,
        "no autoloader: `require 'vendor/autoload.php';` added after `<?php`, as Guzzle's own "
        "docs (and our snippet) do",
    ),
}
#: Our target → (a change that makes httpsnippet's snippet run here, what it is): run on the
#: side and reported apart, never counted in the table, to show what the values alone do.
VARIANTS: dict[str, tuple[Callable[[str], str], str]] = {
    "shell-httpie": (
        lambda code: code.replace("http ", "http --ignore-stdin ", 1),
        "with `--ignore-stdin` (which HTTPie's error asks for) after `http`",
    ),
    "node-axios": (
        lambda code: f"(async () => {{\n{code}\n}})();\n",
        "its code put in `(async () => { … })();`",
    ),
}
#: Our target → (the file name httpsnippet's snippet needs, why) where our recipe's differs.
THEIR_FILE: dict[str, tuple[str, str]] = {
    "node-native": ("request.cjs", "CommonJS (`require`), so saved as request.cjs, not .mjs"),
}


def their_runner(target: str) -> Runner:
    """The runner for httpsnippet's snippets of `target`: ours, or ours with `THEIR_FILE`."""
    if target in THEIR_FILE:
        filename = THEIR_FILE[target][0]
        return driver_runner([node(), "--no-warnings", str(DRIVERS / "run_node.mjs")], filename)
    return our_runner(target)


def our_runner(target: str) -> Runner:
    """The batch runner of RUNTIMES for `target` (may raise pytest's skip if it is missing)."""
    from tests.harness.targets import RUNTIMES

    runner: Runner = RUNTIMES[RUNTIME_OF.get(target, target)].batch()
    return runner


# --- running and judging ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    """One job run: its outcome, what its server got, what it left in its directory."""

    outcome: Outcome
    captured: list[Captured]
    left: list[str]


@dataclass(frozen=True)
class Verdict:
    """Whether a case ran and sent an equivalent request; why not; files it left (``pwned``)."""

    ok: bool
    reason: str = ""
    left: tuple[str, ...] = ()
    sent_equivalent: bool = False  # one equivalent request, whether or not the job ended OK


def _run(runner: Runner, codes: Sequence[str], servers: Sequence[CaptureServer]) -> list[Ran]:
    """Run `codes` as one batch, job i in its own empty directory, aimed at ``servers[i]``."""
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as scratch:
        jobs = [Job(code, Path(scratch) / f"job-{n}") for n, code in enumerate(codes)]
        for job in jobs:
            job.cwd.mkdir()
        try:
            outcomes = runner(jobs)
        except (AssertionError, subprocess.SubprocessError, OSError) as exc:  # a driver died
            outcomes = [Outcome("", f"the runner failed: {exc}") for _ in jobs]
        return [
            Ran(outcome, server.take(), sorted(p.name for p in job.cwd.iterdir()))
            for outcome, server, job in zip(outcomes, servers, jobs, strict=True)
        ]


def run_cases(runner: Runner, codes: Sequence[str], servers: Sequence[CaptureServer]) -> list[Ran]:
    """`_run`, retried one job at a time if every job failed alike and the control (job 0)
    runs alone: a batch build that one snippet broke fails every job with the same error."""
    ran = _run(runner, codes, servers)
    errors = {r.outcome.error for r in ran}
    if len(ran) < 2 or None in errors or len(errors) > 1:
        return ran
    control = _run(runner, codes[:1], servers[:1])
    if not control[0].outcome.ok:  # fails whatever the value: does not run here as given
        error = f"as the plain control: {brief(error_text(control[0].outcome))}"
        return control + [Ran(Outcome("", error), r.captured, r.left) for r in ran[1:]]
    return control + [
        _run(runner, [c], [s])[0] for c, s in zip(codes[1:], servers[1:], strict=True)
    ]


def judge(ran: Ran, expected: WireRequest) -> Verdict:
    """OK if the job ran without error and its server got one request equivalent to
    `expected`; otherwise why not."""
    left = tuple(ran.left)
    equivalent, why = _equivalent(ran.captured, expected)
    if ran.outcome.error is None:
        return Verdict(equivalent, why, left, equivalent)
    failed = f"failed: {brief(error_text(ran.outcome))}"
    if len(ran.captured) != 1:
        return Verdict(False, failed, left)
    # what it sent says more than how it ended
    reason = f"{why}; then {failed}" if why else f"sent an equivalent request, then {failed}"
    return Verdict(False, reason, left, equivalent)


def _equivalent(captured: list[Captured], expected: WireRequest) -> tuple[bool, str]:
    if len(captured) != 1:
        return False, f"sent {len(captured)} requests"
    try:
        got = equivalence.of_captured(captured[0])
    except (AssertionError, UnicodeDecodeError, ValueError) as exc:
        return False, f"sent a malformed request: {brief(str(exc))}"
    want = equivalence.of_wire(expected)
    if got == want:
        return True, ""
    for field in fields(want):
        sent, wanted = getattr(got, field.name), getattr(want, field.name)
        if sent != wanted:
            return False, f"not equivalent: {_difference(field.name, sent, wanted)}"
    return False, "not equivalent"


def _difference(name: str, sent: Any, wanted: Any) -> str:
    if name == "body" and isinstance(sent, list) and isinstance(wanted, list):
        for index, pair in enumerate(wanted):
            got = sent[index] if index < len(sent) else None
            if got is None:
                return f"{len(wanted) - len(sent)} form pairs missing, {shorten(pair[0])} first"
            if got[0] != pair[0]:
                return f"form pair {index + 1} is named {shorten(got[0])}, not {shorten(pair[0])}"
            if got != pair:
                return f"{pair[0]} differs {_where(got[1], pair[1])}"
        return f"{len(sent) - len(wanted)} extra form pairs, {shorten(sent[len(wanted)])} first"
    return f"{name} is {shorten(sent)}, not {shorten(wanted)}"


def _where(sent: str, wanted: str) -> str:
    """Where two strings first differ, and a few characters of each from just before there."""
    pairs = zip(sent, wanted, strict=False)
    index = next((n for n, (a, b) in enumerate(pairs) if a != b), min(len(sent), len(wanted)))
    start = max(0, index - 6)
    return (
        f"at character {index}: sent {shorten(sent[start : index + 10], 30)}, "
        f"expected {shorten(wanted[start : index + 10], 30)}"
    )


def shorten(value: Any, limit: int = 60) -> str:
    """`value`'s repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: A compiler's error line: rustc (``error[E0432]:``), javac and gcc (``file:1: error:``), go
#: (``syntax error:``), mcs (``error CS1010:``); HTTPie's usage message too (``error:``).
_COMPILER_ERROR = re.compile(r"(^|: |syntax )error(\[E\d+\])?:|\berror CS\d+:")


def brief(error: str, limit: int = 110) -> str:
    """One line of an error, paths cut: a traceback's last line, else a compiler's first error,
    else the last line naming an error (a runtime's fatal one), else the last line."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    if not lines:
        return "(no message)"
    compiler = [n for n, line in enumerate(lines) if _COMPILER_ERROR.search(line)]
    named = [line for line in lines if re.search(r"error|exception|fatal", line, re.IGNORECASE)]
    if lines[0].startswith("Traceback"):
        line = lines[-1]
    elif compiler:  # an "error:" alone (HTTPie's usage message) says it on the next lines
        first = compiler[0]
        line = " ".join(lines[first : first + 3]) if lines[first].endswith(":") else lines[first]
    else:
        line = named[-1] if named else lines[-1]
    line = re.sub(r"^[0-9A-F]{12,}:", "", line)  # OpenSSL's thread id
    line = re.sub(r"(/[\w.-]+)*/(tmp|var)/[^\s:'\"]*/", "", line)
    line = re.sub(r"file://\S*/", "", line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_text(outcome: Outcome) -> str:
    """What a failed job said: its stderr if it has one of its own, else the runner's error."""
    return outcome.stderr if outcome.stderr.strip() else (outcome.error or "")


@dataclass
class Side:
    """One side's verdicts on every case (the control first), and the seconds its run took."""

    verdicts: list[Verdict]
    seconds: float
    skipped: str = ""  # why the runtime is missing, if it is

    @property
    def hostile_ok(self) -> int:
        return sum(v.ok for v in self.verdicts[1:])

    @property
    def hostile_sent_only(self) -> int:
        """Hostile cases that sent an equivalent request but did not end OK."""
        return sum(v.sent_equivalent and not v.ok for v in self.verdicts[1:])

    @property
    def control_ok(self) -> bool:
        return bool(self.verdicts) and self.verdicts[0].ok


def run_side(
    make_runner: Callable[[], Runner],
    codes: Sequence[str],
    cases: Sequence[TokenRequest],
    servers: Sequence[CaptureServer],
) -> Side:
    """Make the runner (a missing runtime is skipped), run `codes`, judge every case."""
    import time

    import pytest

    try:
        runner = make_runner()
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        return Side([], 0.0, str(getattr(exc, "msg", exc)))
    start = time.perf_counter()
    ran = run_cases(runner, codes, servers)
    seconds = time.perf_counter() - start
    verdicts = [judge(r, case.wire_request()) for r, case in zip(ran, cases, strict=True)]
    return Side(verdicts, seconds)


def ours_of(target: str, cases: Sequence[TokenRequest]) -> list[str]:
    """Our snippet of every case in `target`, the secret written out."""
    return [render(case, target, secret="reveal") for case in cases]


def theirs_as_run(target: str, codes: Sequence[str], variant: bool = False) -> list[str]:
    """httpsnippet's snippets as they are run: wrapped where `WRAPS` says so, and changed as
    `VARIANTS` says if `variant`."""
    changes = [WRAPS.get(target), VARIANTS.get(target) if variant else None]
    for change in changes:
        if change is not None:
            codes = [change[0](code) for code in codes]
    return list(codes)
