"""Rust snippets: one ``cargo build`` per batch, then each snippet run as its own process.

Building reqwest and its dependencies takes minutes; building a snippet on top of them takes
under a second. Every build here shares one target directory in the system's temporary
directory (`TARGET_DIR`, outside every job's working directory), offline, without debug info,
so the dependencies are compiled once per machine and reused by every batch and every recipe
run: the crates come from ``drivers/rust``, whose ``Cargo.toml`` is the recipe's own (a test
checks it) and whose ``Cargo.lock`` pins them (`INSTALL`: fetched once, with network). The
first batch builds them, or ``python -m tests.harness.rust_runner`` beforehand (`prebuild`).

`rust_runner` copies that package into a scratch directory, saves snippet *i* unchanged as its
binary ``src/bin/s<i>.rs`` (its own ``fn main``, its own ``use`` lines), builds the batch in one
``cargo build`` (a warning fails the batch), and runs each program as its own process in its
job's directory: real exit status and stderr. `rust_recipe_runner` follows the recipe to the
letter: ``main.rs`` and ``Cargo.toml`` in the job's directory, then ``cargo run -q`` there. The
committed ``Cargo.lock`` is put beside them too, as if cargo had just written it, so the run
resolves nothing; all three are removed after, so the test sees only what the snippet left.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clientcreds.request.wire import WireRequest
from clientcreds.snippets.rust.reqwest import RECIPE
from tests.harness.capture import Captured
from tests.harness.proof import Checks
from tests.harness.runtimes import (
    DRIVERS,
    Job,
    Outcome,
    Runner,
    job_env,
    missing,
    recipe_command,
    remove_files,
    require,
    run_each,
    run_process,
    save_recipe_files,
)

MIN_RUST = (1, 88)  # what the locked crates need (icu 2.4, under reqwest 0.13's url)
INSTALL_HINT = (
    "install Rust 1.88 or newer (rustup: https://rustup.rs) and OpenSSL's headers for "
    "native-tls (apt-get install libssl-dev pkg-config)"
)
HARNESS = DRIVERS / "rust"
TARGET_DIR = Path(tempfile.gettempdir()) / "clientcreds-cargo-target"
#: Fetches the crates (with network, once); every build after that is offline.
INSTALL = "cargo fetch --locked --manifest-path tests/harness/drivers/rust/Cargo.toml"
#: A cold build of reqwest's dependencies takes minutes on two busy cores.
BUILD_TIMEOUT = 1200
#: A string literal, or a macro call and its first argument if that is a literal (its format
#: string): scanned in turn, so a literal is skipped whole and no value is taken for a macro.
_LITERAL_OR_MACRO = re.compile(r'"(?:[^"\\]|\\.)*"|\b\w+!\(\s*("(?:[^"\\]|\\.)*")')
#: The only format strings a snippet writes that hold braces (the body, a byte in hex).
_FIXED_FORMATS = frozenset({'"{}"', '"%{byte:02X}"'})


def rust_settings() -> dict[str, str]:
    """The environment of every cargo run here: the user's cargo and rustup homes (a job's
    HOME is its own empty directory), the shared target directory, offline, no debug info, no
    incremental state (each batch is new code), no colours."""
    home = Path.home()
    return {
        "CARGO_HOME": os.environ.get("CARGO_HOME", str(home / ".cargo")),
        "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(home / ".rustup")),
        "CARGO_TARGET_DIR": str(TARGET_DIR),
        "CARGO_NET_OFFLINE": "true",
        "CARGO_PROFILE_DEV_DEBUG": "false",
        "CARGO_INCREMENTAL": "0",
        "CARGO_TERM_COLOR": "never",
    }


@functools.cache
def _checked_cargo() -> tuple[str, str | None]:
    """The ``cargo`` path, and why it cannot build the snippets (None if it can)."""
    path = shutil.which("cargo")
    if path is None:
        return "", f"cargo is not installed: {INSTALL_HINT}"
    shown = _run([path, "--version"], HARNESS).stdout
    found = re.search(r"cargo (\d+)\.(\d+)", shown)
    if found is None or (int(found[1]), int(found[2])) < MIN_RUST:
        return path, f"{shown.strip()} is older than Rust 1.88: {INSTALL_HINT}"
    if shutil.which("pkg-config") is None or _run(["pkg-config", "--exists", "openssl"]).returncode:
        return path, f"OpenSSL's headers are missing: {INSTALL_HINT}"
    fetched = _run([path, "fetch", "--locked", "--offline"], HARNESS)
    if fetched.returncode:
        return path, f"reqwest's crates are not fetched ({fetched.stderr.strip()}): run {INSTALL}"
    return path, None


def cargo() -> str:
    """The ``cargo`` command, Rust 1.88 or newer, with OpenSSL's headers and the harness's
    crates fetched; else skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) saying what to do."""
    require("cargo", INSTALL_HINT)
    path, problem = _checked_cargo()
    if problem is not None:
        missing(problem)
    return path


def _run(command: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=job_env(rust_settings(), Path(tempfile.gettempdir())),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _package(codes: Sequence[str], scratch: Path) -> list[str]:
    """Write the batch package in `scratch`, snippet *i* as ``src/bin/s<i>.rs``: its binaries."""
    for name in ("Cargo.toml", "Cargo.lock"):
        shutil.copyfile(HARNESS / name, scratch / name)
    bins = scratch / "src" / "bin"
    bins.mkdir(parents=True)
    names = [f"s{index}" for index in range(len(codes))]
    for name, code in zip(names, codes, strict=True):
        (bins / f"{name}.rs").write_text(code, encoding="utf-8")
    return names


def _cargo(arguments: Sequence[str], scratch: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [cargo(), *arguments],
        cwd=scratch,
        env=job_env(rust_settings(), scratch),
        capture_output=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )


def build(codes: Sequence[str], scratch: Path) -> tuple[list[Path] | None, str]:
    """Compile every snippet as a binary of one package in `scratch`: (each program, or None
    if the build failed or warned, and cargo's output)."""
    names = _package(codes, scratch)
    done = _cargo(["build", "--quiet", "--locked", *(f"--bin={name}" for name in names)], scratch)
    output = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or "warning" in output:
        return None, output
    programs = []
    for name in names:
        # a link of its own: another build in the shared target directory may replace it
        program = scratch / name
        os.link(TARGET_DIR / "debug" / name, program)
        programs.append(program)
    return programs, output


def clippy(codes: Sequence[str], scratch: Path) -> tuple[int, str]:
    """``cargo clippy`` over the snippets as one package in `scratch`, every warning an error:
    (its exit status, its output)."""
    require("cargo-clippy", "rustup component add clippy")
    names = _package(codes, scratch)
    bins = [f"--bin={name}" for name in names]
    done = _cargo(["clippy", "--quiet", "--locked", *bins, "--", "-D", "warnings"], scratch)
    return done.returncode, done.stderr.decode("utf-8", "replace")


def run_rust_source(code: str, cwd: Path) -> Outcome:
    """A test's own program, the standard library only: compiled by ``rustc`` (a warning is an
    error) in `cwd` and run there; the source and the program are removed after."""
    rustc = require("rustc", INSTALL_HINT)
    cargo()  # the version check
    source, program = cwd / "main.rs", cwd / "main"
    source.write_text(code, encoding="utf-8")
    try:
        compile_job = Job(code, cwd, rust_settings())
        arguments = ["--edition=2024", "-D", "warnings", "-o", str(program), str(source)]
        compiled = run_process([rustc, *arguments], compile_job, BUILD_TIMEOUT)
        return compiled if not compiled.ok else run_process([str(program)], Job(code, cwd))
    finally:
        source.unlink()
        program.unlink(missing_ok=True)


def rust_runner() -> Runner:
    """Build a batch once, then run each snippet as its own process (real exits and stderr)."""
    cargo()

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="rust-batch-") as scratch:
            programs, output = build([job.code for job in jobs], Path(scratch))
            if programs is None:
                return [Outcome("", f"cargo build failed or warned:\n{output}") for _ in jobs]
            commands = {
                id(job): [str(program)] for job, program in zip(jobs, programs, strict=True)
            }
            return run_each(lambda job: run_process(commands[id(job)], job), jobs)

    return run


def rust_recipe_runner() -> Runner:
    """Run each snippet as users are told (``main.rs`` beside ``Cargo.toml``, ``cargo run
    -q``), one process per snippet, one after another: every recipe run builds the same
    program in the shared target directory, and runs it after cargo lets go of its lock."""
    command = ["/bin/sh", "-c", recipe_command(RECIPE, {"cargo": cargo()})]

    def run_one(job: Job) -> Outcome:
        saved = save_recipe_files(job, RECIPE)
        lock = job.cwd / "Cargo.lock"
        shutil.copyfile(HARNESS / "Cargo.lock", lock)
        try:
            with_settings = Job(job.code, job.cwd, {**rust_settings(), **job.env})
            return run_process(command, with_settings, BUILD_TIMEOUT)
        finally:
            remove_files([*saved, lock])

    return lambda jobs: [run_one(job) for job in jobs]


def fixed_format_strings(code: str) -> None:
    """A snippet never uses a value as a format string: the only ones holding braces are the
    snippet's own (``"{}"`` for the body, ``"%{byte:02X}"`` in ``form_encode``)."""
    for token in _LITERAL_OR_MACRO.finditer(code):
        literal = token[1]
        if literal is not None and ("{" in literal or "}" in literal):
            assert literal in _FIXED_FORMATS, f"format string {literal}:\n{code}"


def rust_sends_exactly(captured: Captured, expected: WireRequest) -> None:
    """``Authorization`` and ``Content-Type`` byte for byte: ``form_encode`` is the wire's form
    encoding exactly, and reqwest sets the media types without parameters."""
    headers = dict(expected.headers)
    assert captured.header("Authorization") == headers.get("Authorization")
    assert captured.header("Content-Type") == headers.get("Content-Type")


#: What a Rust snippet shows and sends beyond equivalence.
RUST_CHECKS = Checks(fixed_format_strings, rust_sends_exactly)


def prebuild() -> str | None:
    """Build reqwest's dependencies into `TARGET_DIR` once, as every batch builds them (CI runs
    this after `INSTALL`); the reason it cannot, or None."""
    problem = _checked_cargo()[1]
    if problem is not None:
        return problem
    with tempfile.TemporaryDirectory(prefix="rust-prebuild-") as scratch:
        programs, output = build(["fn main() {}\n"], Path(scratch))
    return None if programs else f"cargo build failed:\n{output}"


if __name__ == "__main__":
    import sys

    sys.exit(prebuild())
