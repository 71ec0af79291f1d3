"""Ruby snippets: one ``ruby`` per batch, forking a process per snippet; or one ``ruby`` each.

``ruby request.rb`` spends about 200 ms starting (RubyGems, mostly) before a snippet's first
line, 50 ms more for ``net/http``. `ruby_runner` pays the start once per batch: each snippet is
saved as the recipe's file in its job's directory and ``drivers/run_ruby.rb`` forks one child
per job, which takes the job's directory and environment and loads that file. The driver
requires nothing before forking, so each child starts as bare as ``ruby request.rb`` and loads
``net/http`` (and ``json``) itself; each is its own process, with its own exit status and
stderr. `ruby_process_runner` runs the recipe itself, one process per snippet.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.harness.runtimes import (
    DRIVERS,
    Job,
    Outcome,
    Runner,
    job_env,
    missing,
    recipe_of,
    recipe_runner,
    remove_files,
    require,
    save_recipe_files,
)

MIN_RUBY = (3, 1)
INSTALL_HINT = "apt-get install ruby (Ruby 3.1 or newer; net/http and json come with it)"
TARGET = "ruby-nethttp"


def ruby() -> str:
    """The ``ruby`` command, 3.1 or newer, or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``)."""
    path = require("ruby", INSTALL_HINT)
    version = subprocess.run(
        [path, "--disable-gems", "-e", "print RUBY_VERSION"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if tuple(int(part) for part in version.split(".")[:2]) < MIN_RUBY:
        missing(f"ruby {version} is older than 3.1: {INSTALL_HINT}")
    return path


def ruby_runner() -> Runner:
    """Run a batch in one ``ruby`` that forks a process per snippet (real exits and stderr)."""
    path = ruby()
    recipe = recipe_of(TARGET)

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="ruby-batch-") as scratch:
            saved = []
            for index, job in enumerate(jobs):
                saved += save_recipe_files(job, recipe)
                _write_job(Path(scratch) / str(index), job)
            try:
                done = subprocess.run(
                    [path, str(DRIVERS / "run_ruby.rb"), scratch, recipe.filename, str(len(jobs))],
                    cwd=scratch,
                    env=job_env({}, Path(scratch)),
                    capture_output=True,
                    timeout=120,
                    check=False,
                )
            finally:
                remove_files(saved)
            driver_error = done.stderr.decode("utf-8", "replace")
            assert done.returncode == 0, f"the Ruby driver failed: {driver_error}"
            statuses = [int(status) for status in done.stdout.split()]
            return [_outcome(Path(scratch) / str(n), s) for n, s in enumerate(statuses)]

    return run


def ruby_process_runner() -> Runner:
    """Each snippet as users run it: saved as ``request.rb``, then ``ruby request.rb``."""
    return recipe_runner(recipe_of(TARGET), {"ruby": ruby()})


def _write_job(base: Path, job: Job) -> None:
    """The job's directory and its whole environment (NUL-terminated entries) for the driver."""
    base.with_suffix(".cwd").write_text(str(job.cwd), encoding="utf-8")
    env = job_env(job.env, job.cwd)
    entries = b"".join(f"{name}={value}\0".encode() for name, value in env.items())
    base.with_suffix(".env").write_bytes(entries)


def _outcome(base: Path, status: int) -> Outcome:
    stdout = base.with_suffix(".out").read_bytes().decode("utf-8", "replace")
    stderr = base.with_suffix(".err").read_bytes().decode("utf-8", "replace")
    error = None if status == 0 else f"exit {status}: {stderr!r}"
    return Outcome(stdout, error, stderr, status)


def run_ruby_source(code: str, cwd: Path) -> Outcome:
    """Run `code` (not a snippet: a test's own program, read from stdin) with ``ruby`` in
    `cwd`."""
    done = subprocess.run(
        [ruby(), "-"],
        input=code.encode(),
        cwd=cwd,
        env=job_env({}, cwd),
        capture_output=True,
        timeout=60,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    error = None if done.returncode == 0 else f"exit {done.returncode}: {stderr!r}"
    return Outcome(done.stdout.decode("utf-8", "replace"), error, stderr, done.returncode)
