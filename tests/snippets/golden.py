"""Golden files: what users copy, committed, so a reviewer sees every change to it.

For a handful of fixed requests, each target's snippet is kept under
``tests/snippets/golden/<target>/<case>.txt`` (a refusal as ``refused: <reason>``);
``test_golden.py`` compares `render()` with them. After a deliberate change, or for a new
target, rewrite them and review the diff::

    .venv/bin/python -m tests.snippets.golden --rewrite
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from clientcreds import ApiRequest, RenderError, TokenRequest, render, targets
from clientcreds.snippets import SecretMode
from tests.data import seed_page

GOLDEN = Path(__file__).parent / "golden"
REWRITE_COMMAND = ".venv/bin/python -m tests.snippets.golden --rewrite"


def _token(**fields: str) -> TokenRequest:
    """A token request to an Auth0 tenant with hostile-free values, overridden by `fields`."""
    values = {
        "domain": "tenant.auth0.com",
        "client_id": "abc123",
        "client_secret": "s3cr3t",
        "audience": "https://api.example.com/",
    }
    return TokenRequest(**{**values, **fields})  # type: ignore[arg-type]


def _seed() -> TokenRequest:
    """The seed page's request, with its own placeholder values."""
    return TokenRequest(
        domain="YOUR_DOMAIN",
        client_id=seed_page.PLACEHOLDERS["client_id"],
        client_secret=seed_page.PLACEHOLDERS["client_secret"],
        audience=seed_page.PLACEHOLDERS["audience"],
    )


def _api() -> ApiRequest:
    return ApiRequest("https://api.example.com/things?limit=10", access_token="eyJhbGciOi.x.y")


#: Each case: a name, how to build its request, and the secret mode it is rendered in.
CASES: dict[str, tuple[Callable[[], TokenRequest | ApiRequest], SecretMode]] = {
    "seed": (_seed, "placeholder"),
    "basic": (
        lambda: _token(auth_method="client_secret_basic", scope="read:things"),
        "placeholder",
    ),
    "json": (lambda: _token(body="json", organization="org_123"), "placeholder"),
    "env": (_token, "env"),
    "env-basic-json": (lambda: _token(auth_method="client_secret_basic", body="json"), "env"),
    "hostile": (
        lambda: _token(client_id='it\'s "$HOME" `x` #{y} {{z}}', client_secret="é🔑\u202e\n%+&="),
        "reveal",
    ),
    "api-call": (_api, "placeholder"),
    "api-call-env": (_api, "env"),
    "api-call-reveal": (_api, "reveal"),
}


def golden_path(target: str, case: str) -> Path:
    """Where the golden file of `target` for `case` lives."""
    return GOLDEN / target / f"{case}.txt"


def rendered(target: str, case: str) -> str:
    """The snippet for `case` in `target` today, or ``refused: <reason>``."""
    make_request, mode = CASES[case]
    try:
        return render(make_request(), target, secret=mode)
    except RenderError as exc:
        return f"refused: {exc}\n"


def every_case() -> Iterator[tuple[str, str]]:
    """Each (target, case), for every registered target."""
    for target in targets():
        for case in CASES:
            yield target, case


def difference(target: str, case: str) -> str:
    """A unified diff from the golden file to today's snippet; empty if they agree."""
    path = golden_path(target, case)
    if not path.exists():
        return f"{path} is missing: run {REWRITE_COMMAND}"
    golden = path.read_text(encoding="utf-8")
    lines = difflib.unified_diff(
        golden.splitlines(keepends=True),
        rendered(target, case).splitlines(keepends=True),
        f"{path} (golden)",
        f"render({case!r}, {target!r})",
    )
    return "".join(lines)


def rewrite() -> list[Path]:
    """Write every golden file from today's snippets; returns the files that changed."""
    changed = []
    for target, case in every_case():
        path = golden_path(target, case)
        text = rendered(target, case)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Check the golden files (exit 1 on a difference), or rewrite them with ``--rewrite``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rewrite", action="store_true", help="write today's snippets")
    args = parser.parse_args(argv)
    if args.rewrite:
        for path in rewrite():
            print(f"rewrote {path}")
        return 0
    diffs = [diff for target, case in every_case() if (diff := difference(target, case))]
    print("\n".join(diffs) or "every golden file matches")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
