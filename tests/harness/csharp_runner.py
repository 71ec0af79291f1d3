"""C# snippets on Mono: one ``mcs`` and one ``mono`` per batch, or the recipe per snippet.

`csharp_runner` wraps snippet *i* (a whole ``Program.cs``) in ``namespace N<i> { … }``, the only
change, compiles the batch with the driver ``drivers/RunCsharp.cs`` in one ``mcs`` call into a
scratch directory outside every job's working directory, and runs the driver in one ``mono``
process, which calls each snippet's ``Main`` in turn in the job's directory and environment. A
snippet never calls ``Environment.Exit`` (it returns its status from ``Main``), so one snippet
cannot end the batch. `csharp_recipe_runner` runs each snippet as users are told to, the
target's recipe (``mcs … Program.cs && mono Program.exe``) as its own shell process: real exit
status and stderr.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePath

from clientcreds.core.protocol import SECRET_ENV_VAR, TOKEN_ENV_VAR
from tests.harness.runtimes import (
    DRIVERS,
    Job,
    Outcome,
    Runner,
    job_env,
    recipe_of,
    require,
    run_each,
)

INSTALL_HINT = "apt-get install mono-mcs mono-runtime libmono-system-net-http4.0-cil"
#: Variables a snippet reads: a job sees one only if it sets it, never from the test's own env.
SNIPPET_VARIABLES = (SECRET_ENV_VAR, TOKEN_ENV_VAR)


def csharp_runner() -> Runner:
    """Compile a batch in one ``mcs`` (warnings are errors) and run it in one ``mono``."""
    mcs = require("mcs", INSTALL_HINT)
    mono = require("mono", INSTALL_HINT)

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="csharp-batch-") as scratch:
            folder = Path(scratch)
            failure = _compile(mcs, [job.code for job in jobs], folder)
            if failure is not None:
                return [Outcome("", failure) for _ in jobs]
            return _run_batch(mono, jobs, folder)

    return run


def csharp_recipe_runner() -> Runner:
    """Run each snippet as its own process by the recipe, in its job's working directory.

    The directory holds the recipe's file while it runs; the file and the compiled program are
    then removed, so a test can check that the snippet left nothing else behind.
    """
    recipe = recipe_of("csharp-httpclient")
    require("mcs", INSTALL_HINT)
    require("mono", INSTALL_HINT)
    shell = require("sh", "apt-get install dash")
    program = PurePath(recipe.filename).stem + ".exe"

    def run_one(job: Job) -> Outcome:
        source = job.cwd / recipe.filename
        source.write_text(job.code, encoding="utf-8")
        try:
            done = subprocess.run(
                [shell, "-c", recipe.command],
                cwd=job.cwd,
                env=snippet_env(job.env, job.cwd),
                capture_output=True,
                timeout=120,
                check=False,
            )
        finally:
            source.unlink()
            (job.cwd / program).unlink(missing_ok=True)
        stdout = done.stdout.decode("utf-8", "replace")
        stderr = done.stderr.decode("utf-8", "replace")
        error = None if done.returncode == 0 else f"exit {done.returncode}: {stderr!r} {stdout!r}"
        return Outcome(stdout, error, stderr, done.returncode)

    return lambda jobs: run_each(run_one, jobs)


def snippet_env(extra: dict[str, str], home: Path) -> dict[str, str]:
    """`job_env`, without any variable a snippet reads unless `extra` sets it."""
    env = job_env(extra, home)
    for name in SNIPPET_VARIABLES:
        if name not in extra:
            env.pop(name, None)
    return env


def wrapped(code: str, index: int) -> str:
    """Snippet `index` in its own namespace, so a batch's ``Program`` classes do not clash."""
    return f"namespace N{index}\n{{\n{code}}}\n"


def _compile(mcs: str, codes: Sequence[str], folder: Path) -> str | None:
    """Compile the driver and every snippet into ``batch.exe``; the compiler's output if not."""
    sources = [str(DRIVERS / "RunCsharp.cs")]
    for index, code in enumerate(codes):
        path = folder / f"N{index}.cs"
        path.write_text(wrapped(code, index), encoding="utf-8")
        sources.append(path.name)
    done = subprocess.run(
        [mcs, "-r:System.Net.Http", "-warnaserror+", "-main:Driver", "-out:batch.exe", *sources],
        cwd=folder,
        env=snippet_env({}, folder),
        capture_output=True,
        timeout=120,
        check=False,
    )
    if done.returncode == 0:
        return None
    output = done.stdout + done.stderr
    return f"mcs failed: {output.decode(errors='replace')}"


def _run_batch(mono: str, jobs: Sequence[Job], folder: Path) -> list[Outcome]:
    """Run ``batch.exe`` once over every job and read back each one's status and output."""
    lines = ["\t".join(map(_encode, [str(job.cwd), *_pairs(job.env)])) for job in jobs]
    (folder / "jobs.txt").write_text("".join(f"{line}\n" for line in lines), encoding="ascii")
    done = subprocess.run(
        [mono, "batch.exe", str(folder / "jobs.txt"), str(folder / "results.txt")],
        cwd=folder,
        env=snippet_env({}, folder),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"driver failed: {done.stderr.decode(errors='replace')}"
    results = (folder / "results.txt").read_text(encoding="ascii").splitlines()
    assert len(results) == len(jobs), results
    return [_outcome(line) for line in results]


def _pairs(env: dict[str, str]) -> list[str]:
    """The job's variables as name, value, name, value…; HOME is the driver's to set."""
    return [part for name, value in env.items() if name != "HOME" for part in (name, value)]


def _outcome(line: str) -> Outcome:
    status_text, stdout_b64, stderr_b64 = line.split("\t")
    status = int(status_text)
    stdout, stderr = _decode(stdout_b64), _decode(stderr_b64)
    error = None if status == 0 else f"status {status}: {stderr!r}"
    return Outcome(stdout, error, stderr, status)


def _encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode(text: str) -> str:
    return base64.b64decode(text).decode("utf-8", "replace")
