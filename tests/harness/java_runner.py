"""Java snippets: one ``javac`` per batch and one JVM per distinct environment.

Each snippet is a ``Main.java``; the batch puts snippet *i* in package ``p<i>`` (a line the
harness prepends, nothing else changes), compiles them all with the driver
``drivers/RunJava.java`` in one ``javac`` call into a scratch directory outside every job's
working directory, then runs the driver once per distinct job environment (a JVM cannot change
its own), in the first job's empty working directory. A `classpath` (jars such as OkHttp's) is
given to both ``javac`` and ``java``. A snippet that exits (only on a missing variable or an
error status) ends its JVM: it and the rest of its group report that exit.
``java_recipe_runner`` runs each snippet as users do, ``java Main.java`` (the recipe).
"""

from __future__ import annotations

import base64
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clientcreds.snippets.java.httpclient import RECIPE
from tests.harness.runtimes import (
    DRIVERS,
    Job,
    Outcome,
    Runner,
    job_env,
    recipe_runner,
    require,
)

INSTALL_HINT = "apt-get install openjdk-17-jdk-headless (JDK 17 or newer)"
#: Quicker start for short-lived JVMs; no effect on what a snippet sends.
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")


def java_runner(classpath: Sequence[Path] = ()) -> Runner:
    """Compile a batch in one ``javac`` and run it in one JVM per distinct environment, with
    `classpath` (jars the snippets use) beside the compiled classes."""
    javac = require("javac", INSTALL_HINT)
    java = require("java", INSTALL_HINT)

    def run(jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="java-batch-") as scratch:
            classes = Path(scratch) / "classes"
            failure = _compile(javac, jobs, Path(scratch), [classes, *classpath])
            if failure is not None:
                return [Outcome("", failure) for _ in jobs]
            outcomes: dict[int, Outcome] = {}
            for indexes in _groups(jobs):
                group = _run_group(java, jobs, indexes, [classes, *classpath], Path(scratch))
                outcomes.update(zip(indexes, group, strict=True))
        return [outcomes[index] for index in range(len(jobs))]

    return run


def java_recipe_runner() -> Runner:
    """Each snippet as users run it: saved as ``Main.java``, then ``java Main.java``."""
    require("javac", INSTALL_HINT)
    return recipe_runner(RECIPE, {"java": require("java", INSTALL_HINT)})


def _compile(javac: str, jobs: Sequence[Job], scratch: Path, classpath: list[Path]) -> str | None:
    """Compile every snippet (snippet i as package p<i>) and the driver into the first entry
    of `classpath`, against the rest; the error, if any."""
    sources = [DRIVERS / "RunJava.java"]
    for index, job in enumerate(jobs):
        source = scratch / "src" / f"p{index}" / "Main.java"
        source.parent.mkdir(parents=True)
        source.write_text(f"package p{index};\n{job.code}", encoding="utf-8")
        sources.append(source)
    classes, *jars = classpath
    done = subprocess.run(
        [javac, "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8", "-nowarn", "-d", str(classes)]
        + (["-cp", os.pathsep.join(map(str, jars))] if jars else [])
        + [str(source) for source in sources],
        cwd=scratch,
        capture_output=True,
        timeout=300,
        check=False,
    )
    if done.returncode == 0:
        return None
    return f"javac failed: {done.stderr.decode('utf-8', 'replace')}"


def _groups(jobs: Sequence[Job]) -> list[list[int]]:
    """The jobs' indexes, grouped by identical environment, in order of first appearance."""
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for index, job in enumerate(jobs):
        groups.setdefault(tuple(sorted(job.env.items())), []).append(index)
    return list(groups.values())


def _run_group(
    java: str, jobs: Sequence[Job], indexes: list[int], classpath: list[Path], scratch: Path
) -> list[Outcome]:
    """One JVM for the jobs at `indexes` (same environment), in the first one's directory."""
    first = jobs[indexes[0]]
    results = scratch / f"results-{indexes[0]}.txt"
    done = subprocess.run(
        [java, *JVM_FLAGS, "-cp", os.pathsep.join(map(str, classpath)), "RunJava", str(results)]
        + [f"p{index}.Main" for index in indexes],
        cwd=first.cwd,
        env=job_env(first.env, first.cwd),
        capture_output=True,
        timeout=120,
        check=False,
    )
    lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
    outcomes = [_outcome(line) for line in lines]
    stopped = f"the JVM exited {done.returncode}: {done.stderr.decode('utf-8', 'replace')!r}"
    outcomes += [Outcome("", stopped) for _ in indexes[len(outcomes) :]]
    left = sorted(path.name for path in first.cwd.iterdir())
    if left:
        return [Outcome(o.stdout, f"the batch left files: {left}") for o in outcomes]
    return outcomes


def _outcome(line: str) -> Outcome:
    status, stdout, error = line.split(" ")
    text = base64.b64decode(stdout).decode("utf-8", "replace")
    return Outcome(text, None if status == "ok" else base64.b64decode(error).decode("utf-8"))
