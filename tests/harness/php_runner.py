"""PHP snippets: ``php request.php``, one process per snippet, exactly as the recipes say.

The PHP CLI starts in a few tens of milliseconds, and a snippet ends with ``exit``, so there is
no batch process to share: the batch runners and the process runners are the same recipe runner.

Guzzle's recipe tells users to ``composer require guzzlehttp/guzzle`` in the snippet's folder,
which writes the ``vendor/autoload.php`` the snippet requires. The tests use Debian's
``php-guzzlehttp-guzzle`` instead, offline: a ``vendor/autoload.php`` that loads Debian's
autoloader is kept outside every job's directory (in the system's temporary directory), and
PHP finds it through ``include_path``, which PHP searches for a relative ``require`` before the
script's folder, set in an extra ini file (``PHP_INI_SCAN_DIR``, whose leading ``:`` keeps the
distribution's own ini files). The snippet itself, and the command, are untouched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from tests.harness.runtimes import Job, Runner, missing, recipe_of, recipe_runner, require

MIN_PHP = (8, 0)
#: The property's default examples: each batch is 15 PHP processes (about 25 ms each, Guzzle's
#: autoloading a little more), so 50 examples take under a minute on two busy cores.
PHP_EXAMPLES = 50
INSTALL_HINT = "apt-get install php-cli php-curl"
GUZZLE_HINT = "apt-get install php-guzzlehttp-guzzle (Guzzle 7)"
#: What Debian's package names its autoloader, relative to PHP's include_path.
DEBIAN_GUZZLE = "GuzzleHttp/autoload.php"
_SHIM = Path(tempfile.gettempdir()) / "clientcreds-php"


def php() -> str:
    """The ``php`` CLI, 8.0 or newer, with the curl extension, or skip (fail under
    ``CLIENTCREDS_REQUIRE_ALL=1``)."""
    path = require("php", INSTALL_HINT)
    version, curl = _probe(path, "echo PHP_VERSION, ' ', extension_loaded('curl') ? 1 : 0;").split()
    if tuple(int(part) for part in version.split(".")[:2]) < MIN_PHP:
        missing(f"PHP {version} is older than 8.0: {INSTALL_HINT}")
    if curl != "1":
        missing(f"PHP's curl extension is not loaded: {INSTALL_HINT}")
    return path


@cache
def _probe(php: str, code: str) -> str:
    """What ``php -r code`` prints (one run per question per session)."""
    return subprocess.run(
        [php, "-r", code], capture_output=True, text=True, check=True, timeout=30
    ).stdout


def php_curl_runner() -> Runner:
    """Each ``php-curl`` snippet as its recipe says, one process per snippet."""
    return recipe_runner(recipe_of("php-curl"), {"php": php()})


def guzzle_settings() -> dict[str, str]:
    """The environment that lets ``require 'vendor/autoload.php'`` find Debian's Guzzle 7, or
    skip (fail under ``CLIENTCREDS_REQUIRE_ALL=1``) if it is not installed."""
    path = php()
    autoloader = _probe(path, f"echo stream_resolve_include_path('{DEBIAN_GUZZLE}');")
    if not autoloader:
        missing(f"Guzzle is not installed: {GUZZLE_HINT}")
    version = "echo GuzzleHttp\\ClientInterface::MAJOR_VERSION;"
    major = _probe(path, f"require '{autoloader}'; {version}")
    if major != "7":
        missing(f"Guzzle {major} is installed, not 7: {GUZZLE_HINT}")
    include_path = _probe(path, "echo get_include_path();")
    _write(_SHIM / "vendor" / "autoload.php", f"<?php\n\nrequire_once '{autoloader}';\n")
    _write(_SHIM / "ini" / "clientcreds.ini", f'include_path = "{include_path}:{_SHIM}"\n')
    return {"PHP_INI_SCAN_DIR": f":{_SHIM / 'ini'}"}


def _write(path: Path, text: str) -> None:
    """Write `path` whole, so a concurrent test run never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def guzzle_runner() -> Runner:
    """Each ``php-guzzle`` snippet as its recipe says, one process per snippet, with Guzzle
    where ``composer require`` would have put it."""
    settings = guzzle_settings()
    run = recipe_runner(recipe_of("php-guzzle"), {"php": php()})
    return lambda jobs: run([Job(job.code, job.cwd, {**settings, **job.env}) for job in jobs])
