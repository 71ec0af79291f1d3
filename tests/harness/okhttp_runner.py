"""``java-okhttp`` snippets: JDK 17+ with OkHttp 4's three jars.

The jars (OkHttp, Okio, the Kotlin standard library: exactly the three the recipe's note names)
live outside the repository, in ``~/.cache/clientcreds/okhttp/lib`` (``CLIENTCREDS_OKHTTP_LIB``
overrides), put there once by Maven from ``tests/harness/okhttp/pom.xml`` (`INSTALL`); after
that, no network is needed. `okhttp_runner` is `java_runner` with the jars on its classpath:
one ``javac`` per batch, one JVM per distinct environment. `okhttp_recipe_runner` follows the
recipe to the letter: ``Main.java`` and a ``lib/`` folder of links to the jars are put in the
job's directory, ``java -cp 'lib/*' Main.java`` runs there, and both are removed after (a
``lib/`` the snippet wrote into is left, for the test to see).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from clientcreds.request.wire import WireRequest
from clientcreds.snippets.java.okhttp import RECIPE
from tests.harness.capture import Captured
from tests.harness.java_runner import INSTALL_HINT, java_runner
from tests.harness.runtimes import (
    Job,
    Outcome,
    Runner,
    missing,
    recipe_command,
    remove_files,
    require,
    run_each,
    run_process,
    save_recipe_files,
)

#: The jars the recipe's note tells users to put in ``lib/``, and no others.
JARS = ("okhttp-4.12.0.jar", "okio-jvm-3.6.0.jar", "kotlin-stdlib-1.8.21.jar")
POM = Path(__file__).parent / "okhttp" / "pom.xml"
MIN_JAVA = 17
#: A JVM compiles the snippet in memory before it runs (about 2 s of CPU): room on 2 busy cores.
PROCESS_TIMEOUT = 60


def lib_dir() -> Path:
    """Where the jars are: ``CLIENTCREDS_OKHTTP_LIB``, else ``~/.cache/clientcreds/okhttp/lib``."""
    configured = os.environ.get("CLIENTCREDS_OKHTTP_LIB")
    return Path(configured) if configured else Path.home() / ".cache/clientcreds/okhttp/lib"


def install_command(lib: Path) -> str:
    """The Maven command that puts the jars in `lib` (once, with network; offline after)."""
    return (
        f"mvn -q -B -f {POM} dependency:copy-dependencies "
        f"-DincludeArtifactIds=okhttp,okio-jvm,kotlin-stdlib -DoutputDirectory={lib}"
    )


def okhttp_jars() -> list[Path]:
    """The three jars, or skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) saying how to fetch
    them."""
    lib = lib_dir()
    jars = [lib / name for name in JARS]
    absent = [jar.name for jar in jars if not jar.is_file()]
    if absent:
        missing(f"{', '.join(absent)} not in {lib}: run {install_command(lib)}")
    return jars


def okhttp_runner() -> Runner:
    """A batch in one ``javac`` and one JVM per distinct environment, OkHttp on the classpath."""
    java()
    return java_runner(okhttp_jars())


def okhttp_recipe_runner() -> Runner:
    """Each snippet as users run it: ``Main.java`` beside ``lib/`` with the jars, then
    ``java -cp 'lib/*' Main.java``, one process per snippet (real exit status and stderr)."""
    jars = okhttp_jars()
    command = ["/bin/sh", "-c", recipe_command(RECIPE, {"java": java()})]

    def run_one(job: Job) -> Outcome:
        saved = save_recipe_files(job, RECIPE)
        lib = link_lib(job.cwd, jars)
        try:
            return run_process(command, job, PROCESS_TIMEOUT)
        finally:
            remove_files(saved)
            unlink_lib(lib, jars)

    return lambda jobs: run_each(run_one, jobs)


def java() -> str:
    """The ``java`` launcher of a JDK (``javac`` beside it) 17 or newer, or skip (fail in CI)."""
    require("javac", INSTALL_HINT)
    launcher = require("java", INSTALL_HINT)
    shown = subprocess.run([launcher, "-version"], capture_output=True, text=True, check=True)
    found = re.search(r'version "(\d+)', shown.stderr)
    if found is None or int(found[1]) < MIN_JAVA:
        missing(f"java is older than {MIN_JAVA} ({shown.stderr.splitlines()[:1]}): {INSTALL_HINT}")
    return launcher


def link_lib(cwd: Path, jars: Sequence[Path]) -> Path:
    """``lib/`` in `cwd`, holding a link to each jar, where the recipe says the jars are."""
    lib = cwd / "lib"
    lib.mkdir()
    for jar in jars:
        (lib / jar.name).symlink_to(jar)
    return lib


def unlink_lib(lib: Path, jars: Sequence[Path]) -> None:
    """Remove what `link_lib` made; anything else in ``lib/`` stays, and so does ``lib/``."""
    for jar in jars:
        (lib / jar.name).unlink(missing_ok=True)
    if not any(lib.iterdir()):
        lib.rmdir()


def okhttp_sends_exactly(captured: Captured, expected: WireRequest) -> None:
    """HTTP/1.1 without an upgrade, and ``Authorization`` and ``Content-Type`` byte for byte.

    A form body's bytes are not compared: ``FormBody`` percent-encodes more than the wire form
    (a space as ``%20``, ``~``, ``!``), and equivalence compares the decoded pairs.
    """
    assert captured.version == "HTTP/1.1", f"sent {captured.version}"
    assert captured.header("Upgrade") is None, "asked to upgrade"
    headers = dict(expected.headers)
    for name in ("Authorization", "Content-Type"):
        sent, wanted = captured.header(name), headers.get(name)
        assert sent == wanted, f"{name}: sent {sent!r}, not {wanted!r}"
