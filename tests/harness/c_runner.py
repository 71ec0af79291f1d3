"""C snippets: one ``gcc`` call per batch, then one process per snippet.

Each snippet is saved untouched as ``snippet_<i>/main.c`` in a scratch directory outside every
job's working directory. A one-line wrapper per snippet (``#define main snippet_<i>`` then
``#include`` of that file) makes each its own translation unit, and a driver's ``main`` calls
``snippet_<argv[1]>``: so one ``gcc`` call builds the whole batch into one program, which runs
once per job, in the job's empty working directory with the job's environment. The batch is
compiled strictly (``-std=c99``, where trigraphs are honoured, ``-pedantic -Wall -Wextra
-Werror``); `c_process_runner` runs each snippet the way the recipe tells users to.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tests.harness.runtimes import (
    Job,
    Outcome,
    Runner,
    missing,
    recipe_of,
    require,
    run_each,
    run_process,
)

INSTALL_HINT = "apt-get install gcc libcurl4-openssl-dev"
#: Strict C99, so trigraphs are honoured; -Wno-overlength-strings: hostile values make long
#: literals, which every compiler in use accepts (C99 only promises 4095 bytes).
STRICT = ("-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wno-overlength-strings")


def c_runner() -> Runner:
    """Compile a batch with one ``gcc`` call and run each snippet as its own process."""
    gcc = _gcc()

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="c-batch-") as scratch:
            program = Path(scratch) / "batch"
            failure = _build_batch(gcc, [job.code for job in jobs], program)
            if failure is not None:
                return [Outcome("", failure) for _ in jobs]
            commands = {id(job): [str(program), str(n)] for n, job in enumerate(jobs)}
            return run_each(lambda job: run_process(commands[id(job)], job), jobs)

    return run


def c_process_runner() -> Runner:
    """Build and run each snippet as the recipe says (``cc main.c -lcurl -o request``, then
    ``./request``), building in a scratch directory and running in the job's directory."""
    _gcc()
    recipe = recipe_of("c-libcurl")
    build, sep, launch = recipe.command.partition(" && ")
    assert sep, f"expected 'build && run', got {recipe.command!r}"
    assert launch.startswith("./"), f"expected to run ./program, got {recipe.command!r}"

    def run_one(job: Job) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="c-recipe-") as scratch:
            (Path(scratch) / recipe.filename).write_text(job.code, encoding="utf-8")
            built = subprocess.run(
                ["/bin/sh", "-c", build], cwd=scratch, capture_output=True, text=True, check=False
            )
            if built.returncode != 0:
                return Outcome("", f"build failed: {built.stderr}")
            return run_process([str(Path(scratch) / launch.removeprefix("./"))], job)

    return lambda jobs: run_each(run_one, jobs)


def _gcc() -> str:
    """gcc, once libcurl's header is known to be there (skip or fail as `require` does)."""
    gcc = require("gcc", INSTALL_HINT)
    if not _has_libcurl_header(gcc):
        missing(f"curl/curl.h is not installed: {INSTALL_HINT}")
    return gcc


@cache
def _has_libcurl_header(gcc: str) -> bool:
    probe = subprocess.run(
        [gcc, "-E", "-x", "c", "-", "-o", "/dev/null"],
        input="#include <curl/curl.h>\n",
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0


def _build_batch(gcc: str, sources: Sequence[str], program: Path) -> str | None:
    """Build every snippet into one program; None, or the compiler's complaint."""
    scratch = program.parent
    units = []
    for index, source in enumerate(sources):
        folder = scratch / f"snippet_{index}"
        folder.mkdir()
        (folder / "main.c").write_text(source, encoding="utf-8")
        wrapper = scratch / f"wrap_{index}.c"
        wrapper.write_text(f'#define main snippet_{index}\n#include "{folder}/main.c"\n')
        units.append(str(wrapper))
    (scratch / "driver.c").write_text(_driver(len(sources)))
    built = subprocess.run(
        [gcc, *STRICT, "-o", str(program), str(scratch / "driver.c"), *units, "-lcurl"],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if built.returncode == 0 else f"gcc failed:\n{built.stderr}"


def _driver(count: int) -> str:
    """``main(argc, argv)`` that returns what ``snippet_<argv[1]>()`` returns."""
    names = [f"snippet_{index}" for index in range(count)]
    declarations = "".join(f"int {name}(void);\n" for name in names)
    return (
        "#include <stdlib.h>\n"
        f"{declarations}"
        "int main(int argc, char **argv)\n{\n"
        f"    static int (*const snippets[])(void) = {{{', '.join(names)}}};\n"
        "    return argc == 2 ? snippets[atoi(argv[1])]() : 2;\n"
        "}\n"
    )
