"""Go snippets: one ``go build`` per batch, then each snippet run as its own process.

Linking is what a Go build pays for per binary, so a batch links once: each snippet becomes a
package of one module (its ``package main`` renamed, its ``func main`` renamed ``Main``, nothing
else touched) and a small dispatcher runs the one named on its command line. Every job still
runs as its own process, with its own exit status and stderr, in its own empty working
directory. `go_recipe_runner` runs a snippet exactly as its recipe tells users (``go run
main.go``), to check the renaming hides nothing.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.harness.runtimes import (
    Job,
    Outcome,
    Runner,
    job_env,
    missing,
    recipe_of,
    recipe_runner,
    require,
    run_each,
    run_process,
)

MIN_GO = (1, 21)
INSTALL_HINT = (
    "install Go 1.21 or newer (apt-get install golang-go; on Debian 12 from bookworm-backports)"
)
_CACHE = Path(tempfile.gettempdir()) / "clientcreds-go"
_MODULE = "clientcreds.test/snippets"
_ENTRY = re.compile(r"^package main\n(.*\n)?func main\(\) \{\n", re.DOTALL)


#: Every build offline (no proxy, no toolchain download), without a C compiler, with the cache
#: kept in the system's temporary directory so it stays warm from one test run to the next,
#: and the go command's own files (its telemetry counters) there too, not in the job's HOME.
GO_SETTINGS = {
    "XDG_CONFIG_HOME": str(_CACHE / "config"),
    "GOCACHE": str(_CACHE / "cache"),
    "GOPATH": str(_CACHE / "path"),
    "GOENV": "off",
    "GOFLAGS": "-mod=mod",
    "GOPROXY": "off",
    "GOTOOLCHAIN": "local",
    "CGO_ENABLED": "0",
}


def go() -> str:
    """The ``go`` command, 1.21 or newer, or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``)."""
    path = require("go", INSTALL_HINT)
    version = subprocess.run([path, "version"], capture_output=True, text=True, check=True)
    found = re.search(r"go(\d+)\.(\d+)", version.stdout)
    if found is None or (int(found[1]), int(found[2])) < MIN_GO:
        missing(f"{version.stdout.strip()} is older than Go 1.21: {INSTALL_HINT}")
    return path


def as_package(code: str, name: str) -> str:
    """The snippet as package `name` with an exported ``Main``: the only two changes made.

    Raises:
        ValueError: if the snippet does not start ``package main`` or has no ``func main()``.
    """
    if not _ENTRY.match(code) or code.count("\nfunc main() {\n") != 1:
        raise ValueError("a Go snippet must start with `package main` and have one func main()")
    renamed = code.replace("\nfunc main() {\n", "\nfunc Main() {\n")
    return f"package {name}\n" + renamed.removeprefix("package main\n")


def _dispatcher(names: Sequence[str]) -> str:
    imports = "".join(f'\t"{_MODULE}/{name}"\n' for name in names)
    entries = "".join(f'\t"{name}": {name}.Main,\n' for name in names)
    return (
        f'package main\n\nimport (\n\t"os"\n\n{imports})\n\n'
        f"var mains = map[string]func(){{\n{entries}}}\n\n"
        "func main() {\n\tmains[os.Args[1]]()\n}\n"
    )


def build(codes: Sequence[str], scratch: Path) -> tuple[Path | None, str]:
    """Compile every snippet into one program in `scratch`: (its path, or None, build output)."""
    names = [f"s{index}" for index in range(len(codes))]
    (scratch / "go.mod").write_text(f"module {_MODULE}\n\ngo 1.21\n", encoding="utf-8")
    for name, code in zip(names, codes, strict=True):
        (scratch / name).mkdir()
        (scratch / name / "main.go").write_text(as_package(code, name), encoding="utf-8")
    (scratch / "run").mkdir()
    (scratch / "run" / "main.go").write_text(_dispatcher(names), encoding="utf-8")
    program = scratch / "snippets"
    done = subprocess.run(
        [go(), "build", "-o", str(program), "./run"],
        cwd=scratch,
        env=job_env(GO_SETTINGS, scratch),
        capture_output=True,
        timeout=600,  # a cold cache compiles the standard library first
        check=False,
    )
    output = done.stderr.decode("utf-8", "replace")
    return (program if done.returncode == 0 else None), output


def go_runner() -> Runner:
    """Build a batch once, then run each snippet as its own process (real exits and stderr)."""
    go()

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="go-batch-") as scratch:
            program, output = build([job.code for job in jobs], Path(scratch))
            if program is None:
                return [Outcome("", f"go build failed:\n{output}") for _ in jobs]
            commands = {id(job): [str(program), f"s{n}"] for n, job in enumerate(jobs)}
            return run_each(lambda job: run_process(commands[id(job)], job), jobs)

    return run


def go_recipe_runner() -> Runner:
    """Run each snippet as users are told (``go run main.go``), one process per snippet, with
    the offline settings and warm cache of the batch builds."""
    run = recipe_runner(recipe_of("go-native"), {"go": go()})
    return lambda jobs: run([Job(job.code, job.cwd, {**GO_SETTINGS, **job.env}) for job in jobs])
