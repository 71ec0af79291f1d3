"""Node's ``node-native`` and ``node-axios`` snippets: one Node process per batch, or one per
snippet as its recipe says.

The batch runners hand every job to the driver ``drivers/run_node.mjs``, which saves each
snippet under its recipe's file name in the job's empty directory and imports it there.

axios comes from npm, pinned by ``drivers/node/package.json`` and its ``package-lock.json``;
``npm ci`` in that folder installs it into ``drivers/node/node_modules`` (ignored by git).
The ``node-axios`` snippet is CommonJS (``request.cjs``), so its ``require("axios")`` finds
that folder through ``NODE_PATH``, as it finds the folder ``npm install axios`` fills for a
user: the snippet itself is saved and run untouched in an empty directory.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.harness.runtimes import (
    DRIVERS,
    Job,
    Runner,
    driver_runner,
    missing,
    node,
    recipe_of,
    recipe_runner,
)

NODE_PACKAGES = DRIVERS / "node"
NODE_MODULES = NODE_PACKAGES / "node_modules"
NPM_CI = "(cd tests/harness/drivers/node && npm ci --no-audit --no-fund)"
#: Loading axios costs each batch's Node about half a second: fewer examples keep the property
#: near a minute.
AXIOS_EXAMPLES = 40


def native_runner() -> Runner:
    """Node 18+ running a batch of ``node-native`` snippets, each saved as its recipe's file."""
    filename = recipe_of("node-native").filename
    return driver_runner([node(), "--no-warnings", str(DRIVERS / "run_node.mjs")], filename)


def native_process_runner() -> Runner:
    """Node 18+, one process per ``node-native`` snippet as its recipe says."""
    return recipe_runner(recipe_of("node-native"), {"node": node()})


def axios_modules() -> Path:
    """The ``node_modules`` folder holding axios, or skip (fail under
    ``CLIENTCREDS_REQUIRE_ALL=1``) if ``npm ci`` has not filled it."""
    if not (NODE_MODULES / "axios" / "package.json").is_file():
        missing(f"axios is not installed for the tests: run {NPM_CI}")
    return NODE_MODULES


def axios_runner() -> Runner:
    """Node 18+ running a batch of ``node-axios`` snippets, ``require("axios")`` resolved
    through ``NODE_PATH``."""
    modules = axios_modules()
    env = _env()
    filename = recipe_of("node-axios").filename
    command = [env, f"NODE_PATH={modules}", node(), "--no-warnings", str(DRIVERS / "run_node.mjs")]
    return driver_runner(command, filename)


def axios_process_runner() -> Runner:
    """Node 18+, one process per ``node-axios`` snippet as its recipe says (``node
    request.cjs``), with ``NODE_PATH`` naming the installed axios."""
    modules = axios_modules()
    run = recipe_runner(recipe_of("node-axios"), {"node": node()})
    return lambda jobs: run(
        [Job(job.code, job.cwd, {"NODE_PATH": str(modules), **job.env}) for job in jobs]
    )


def _env() -> str:
    """The ``env`` command, which sets ``NODE_PATH`` for the batch driver alone."""
    path = shutil.which("env")
    assert path is not None, "no env command: coreutils is missing"
    return path
