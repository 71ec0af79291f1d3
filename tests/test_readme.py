"""The README's layout section names exactly what is in the tree."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "clientcreds"


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_the_layout_lists_every_layer_of_the_package() -> None:
    listed = set(re.findall(r"^  ([a-z_]+(?:/|\.py))", layout_block(), re.MULTILINE))
    present = {
        f"{path.name}/" if path.is_dir() else path.name
        for path in PACKAGE.iterdir()
        if not path.name.startswith("__") and (path.is_dir() or path.suffix == ".py")
        if path.name != "py.typed"
    }
    assert listed == present


def test_the_layout_lists_every_top_level_folder() -> None:
    listed = set(re.findall(r"^([a-z]+)/", layout_block(), re.MULTILINE))
    present = {"src", "docs", "notebooks", "tests", "benchmarks"}
    assert listed == present
    assert all((ROOT / name).is_dir() for name in present)
