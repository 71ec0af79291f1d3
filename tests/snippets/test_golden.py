"""What users copy is committed: every target's snippet for each golden case matches its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snippets import golden


@pytest.mark.parametrize(("target", "case"), list(golden.every_case()))
def test_snippet_matches_its_golden_file(target: str, case: str) -> None:
    diff = golden.difference(target, case)
    assert diff == "", f"{diff}\nif the change is meant, run {golden.REWRITE_COMMAND} and review"


def test_every_golden_file_belongs_to_a_target_and_case() -> None:
    """A renamed target or case leaves no stale golden file behind."""
    expected = {golden.golden_path(target, case) for target, case in golden.every_case()}
    stale = sorted(set(golden.GOLDEN.glob("*/*.txt")) - expected)
    assert stale == [], f"stale golden files: {stale}"


def test_a_changed_snippet_shows_as_a_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison is real: a snippet that differs from its file gives a diff naming both."""
    monkeypatch.setattr(golden, "rendered", lambda target, case: "something else\n")
    diff = golden.difference("curl", "seed")
    assert "-curl --request POST" in diff
    assert "+something else" in diff


def test_rewrite_writes_what_render_gives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The rewrite command writes each snippet as rendered, and then nothing differs."""
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    assert golden.main(["--rewrite"]) == 0
    assert golden.main([]) == 0
    case_file = tmp_path / "curl" / "env.txt"
    assert case_file.read_text(encoding="utf-8") == golden.rendered("curl", "env")
