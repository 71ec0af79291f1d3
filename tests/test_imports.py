"""Imports that cost nothing, names that load on first use, and no import circle between layers.

Each cost check runs in a fresh interpreter, so what this test process has already imported
cannot hide a heavy import.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

import clientcreds

PACKAGE = Path(clientcreds.__file__).parent
#: What the light paths must never load.
HEAVY = ("requests", "urllib3", "jwt", "cryptography", "httpx", "ipywidgets")
SNIPPET_ARGS = [
    "snippet",
    "curl",
    "--domain",
    "tenant.auth0.com",
    "--client-id",
    "abc",
    "--audience",
    "https://api.example.com/",
]


def run_fresh(code: str) -> list[str]:
    """Run `code` in a fresh, isolated interpreter; return the heavy packages it loaded."""
    probe = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        loaded = {{name.partition(".")[0] for name in sys.modules}}
        print(json.dumps(sorted(loaded & set({HEAVY!r}))))
        """)
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_import_clientcreds_loads_only_the_standard_library() -> None:
    assert run_fresh("import clientcreds") == []


def test_building_and_rendering_every_target_in_every_mode_stays_light() -> None:
    code = """
        from clientcreds import RenderError, TokenRequest, render, render_all, targets
        from clientcreds.snippets import SECRET_MODES

        request = TokenRequest(domain="tenant.auth0.com", client_id="abc",
                               client_secret="s3cret", audience="https://api.example.com/")
        assert list(render_all(request)) == targets()
        failed = []
        for mode in SECRET_MODES:
            for name in targets():
                try:
                    render(request, name, secret=mode)
                except RenderError:  # raw HTTP cannot read an environment variable
                    failed.append((name, mode))
        assert failed == [("http", "env")], failed
        """
    assert run_fresh(code) == []


@pytest.mark.parametrize("argv", [SNIPPET_ARGS, ["targets"]], ids=["snippet curl", "targets"])
def test_light_commands_stay_light(argv: list[str]) -> None:
    code = f"""
        from clientcreds.cli import main
        assert main({argv!r}) == 0
        """
    assert run_fresh(code) == []


def test_a_heavy_command_is_seen_loading_its_client() -> None:
    """The probe can fail: ``token --help`` builds the token command, which needs requests."""
    code = """
        from clientcreds.cli import main
        try:
            main(["token", "--help"])
        except SystemExit:
            pass
        """
    assert "requests" in run_fresh(code)


def test_every_public_name_resolves_lazily() -> None:
    code = """
        import clientcreds
        lazy = set(clientcreds._LAZY)
        assert lazy <= set(clientcreds.__all__), lazy - set(clientcreds.__all__)
        assert not lazy & set(vars(clientcreds)), "loaded before first use"
        assert set(clientcreds.__all__) <= set(dir(clientcreds))
        for name in clientcreds.__all__:
            assert getattr(clientcreds, name) is not None, name
        assert clientcreds.fetch_token.__module__ == "clientcreds.client.fetch"
        """
    assert set(run_fresh(code)) >= {"requests", "jwt", "cryptography", "httpx"}


# --- no import circle between layers ---------------------------------------------------------


def module_name(path: Path) -> str:
    """``src/clientcreds/client/fetch.py`` → ``clientcreds.client.fetch``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The first component under ``clientcreds`` (the package itself is ``clientcreds``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_time_nodes(body: list[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported.

    Function bodies are skipped (they run later), and so are ``if TYPE_CHECKING:`` blocks
    (they never run); class bodies, ``try`` and other blocks run at import time.
    """
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from import_time_nodes(list(node.orelse))
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from import_time_nodes(list(ast.iter_child_nodes(node)))


def imported_modules(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The clientcreds modules an import statement names (resolving relative imports)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        names = [base]
    return [name for name in names if name.partition(".")[0] == "clientcreds"]


def layer_graph() -> dict[str, dict[str, str]]:
    """Layer → layer it imports at import time → one import that does so (``file:line``)."""
    graph: dict[str, dict[str, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in import_time_nodes(list(tree.body)):
            for target in imported_modules(node, module, path.name == "__init__.py"):
                source, sink = layer(module), layer(target)
                if source != sink:
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                    graph.setdefault(source, {}).setdefault(sink, where)
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One cycle of `graph` as a closed path ``[a, b, ..., a]``, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in graph.get(node, {}):
            found = visit(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": "x"}, "b": {"c": "y"}, "c": {"a": "z"}, "d": {"a": "w"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": "x"}, "b": {"c": "y"}}) is None


def test_the_graph_sees_module_level_imports_only() -> None:
    source = textwrap.dedent("""
        from __future__ import annotations
        from typing import TYPE_CHECKING
        from clientcreds.core import protocol
        from . import sibling
        try:
            from clientcreds.tokens import decoding
        except ImportError:
            from clientcreds.views import display
        if TYPE_CHECKING:
            from clientcreds.client import fetch
        def later():
            from clientcreds.tenant import local
        class Kept:
            from clientcreds.response import exchange
        """)
    nodes = import_time_nodes(list(ast.parse(source).body))
    found = {m for n in nodes for m in imported_modules(n, "clientcreds.cli.common", False)}
    assert found == {
        "clientcreds.core",
        "clientcreds.cli",
        "clientcreds.tokens",
        "clientcreds.views",
        "clientcreds.response",
    }


def test_no_import_circle_between_layers() -> None:
    graph = layer_graph()
    assert "cli" in graph
    assert graph["cli"]  # the CLI imports other layers at module level
    cycle = find_cycle(graph)
    if cycle:
        steps = [f"{a} → {b} ({graph[a][b]})" for a, b in pairwise(cycle)]
        pytest.fail("import circle between layers:\n  " + "\n  ".join(steps))


#: What each layer may import at import time: the table of docs/architecture.md. The faces
#: (cli, explorer, the package's own __init__ and __main__) may import any layer.
LOWER_LAYERS: dict[str, set[str]] = {
    "core": set(),
    "exceptions": set(),
    "request": {"core", "exceptions"},
    "snippets": {"core", "exceptions", "request"},
    "response": {"core", "exceptions"},
    "client": {"core", "exceptions", "request", "response"},
    "tokens": {"core", "exceptions"},
    "views": {"core", "exceptions"},
    "tenant": {"core", "exceptions", "request", "response"},
}
FACES = {"cli", "explorer", "clientcreds", "__main__"}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    graph = layer_graph()
    assert set(graph) - FACES <= set(LOWER_LAYERS), "a new layer needs a row in LOWER_LAYERS"
    wrong = [
        f"{source} → {sink} ({where})"
        for source, sinks in sorted(graph.items())
        if source not in FACES
        for sink, where in sorted(sinks.items())
        if sink not in LOWER_LAYERS[source]
    ]
    assert not wrong, "a layer imports one it may not:\n  " + "\n  ".join(wrong)
