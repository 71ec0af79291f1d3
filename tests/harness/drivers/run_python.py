"""Run many standalone Python snippets in one interpreter, each as if it were ``python file``.

Reads jobs (code, cwd, env, file) as JSON on stdin; writes one result per job to the file in
argv[1]. Each job gets a fresh ``__main__`` namespace, its own working directory and
environment. With a ``file`` name, the snippet is saved under it, run from it and removed after.
"""

import contextlib
import io
import json
import os
import runpy
import sys
import traceback


def run_file(code: str, name: str) -> None:
    """Save `code` as `name` in the working directory, run it as ``python name``, remove it."""
    with open(name, "w", encoding="utf-8") as file:
        file.write(code)
    try:
        runpy.run_path(name, run_name="__main__")
    finally:
        os.remove(name)


jobs = json.load(sys.stdin)
base_env = dict(os.environ)
results = []
for job in jobs:
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(base_env)
    os.environ.update(job["env"])
    out = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(out):
            if job.get("file"):
                run_file(job["code"], job["file"])
            else:
                exec(compile(job["code"], "<snippet>", "exec"), {"__name__": "__main__"})  # noqa: S102
    except BaseException:
        error = traceback.format_exc()
    results.append({"stdout": out.getvalue(), "error": error})
with open(sys.argv[1], "w", encoding="utf-8") as file:
    json.dump(results, file)
