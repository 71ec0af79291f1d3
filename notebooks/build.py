"""Execute the notebooks top to bottom and write them back with deterministic outputs.

    .venv/bin/python notebooks/build.py              # every notebook
    .venv/bin/python notebooks/build.py 03           # those whose name contains "03"

Each notebook runs in a fresh kernel of this Python (nbclient), without ``AUTH0_*`` in its
environment, so it uses the embedded tenant. Then, before writing:

- widget state is not stored (it would hold every widget's value) and widget views are
  dropped, leaving their text; the explorer is live only in a running kernel;
- execution timings and counts are made stable, and consecutive prints are one output;
- every output goes through `sanitize.cfg`'s patterns (ports, tokens, key ids, times), the
  same ones nbval uses when it compares a fresh run with these outputs.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SANITIZE = HERE / "sanitize.cfg"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def patterns(path: Path = SANITIZE) -> list[tuple[re.Pattern[str], str]]:
    """The (regex, replacement) pairs of an nbval sanitize file, in order."""
    found = re.findall(r"^regex: (.*)$\n^replace: (.*)$", path.read_text(), flags=re.MULTILINE)
    return [(re.compile(regex), replace) for regex, replace in found]


def sanitize(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    """Apply every rule in order, as nbval does."""
    for regex, replace in rules:
        text = regex.sub(replace, text)
    return text


def clean_output(output: Any, rules: list[tuple[re.Pattern[str], str]]) -> None:
    """Sanitize one output in place and drop its widget view."""
    if "text" in output:
        output["text"] = sanitize(output["text"], rules)
    data = output.get("data")
    if data is not None:
        data.pop(WIDGET_VIEW, None)
        for mime, value in data.items():
            if isinstance(value, str):
                data[mime] = sanitize(value, rules)
    output.get("metadata", {}).clear()


def merge_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive outputs of one stream: how prints are split depends on timing."""
    merged: list[Any] = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.get("output_type") == last.get("output_type") == "stream"
            and output.get("name") == last.get("name")
        ):
            last["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def execute(path: Path) -> None:
    """Run one notebook and write it back, cleaned."""
    notebook = nbformat.read(path, as_version=4)
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AUTH0_")}
    try:
        NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(HERE)}},
            store_widget_state=False,
            record_timing=False,
        ).execute()
    finally:
        os.environ.update(saved)
    rules = patterns()
    notebook.metadata.pop("widgets", None)
    for count, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = count + 1
        cell.metadata.pop("execution", None)
        cell.outputs = merge_streams(cell.outputs)
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count + 1
            clean_output(output, rules)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    """Execute the notebooks named (by substring) in `argv`, or all of them."""
    paths = sorted(HERE.glob("[0-9][0-9]-*.ipynb"))
    chosen = [p for p in paths if not argv or any(a in p.name for a in argv)]
    for path in chosen:
        print(f"executing {path.name}", flush=True)
        execute(path)
    return 0 if chosen else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
