"""``clientcreds snippet`` and ``clientcreds targets``: output, defaults, secrets, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clientcreds import TokenRequest, render, targets
from clientcreds.cli import main
from clientcreds.snippets import languages

SECRET = "cli-secret-'$x"


@pytest.fixture(autouse=True)
def no_auth0_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_all_prints_the_seed_request_in_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "snippet", "--all")
    assert code == 0
    placeholders = TokenRequest(
        domain="YOUR_DOMAIN",
        client_id="YOUR_CLIENT_ID",
        client_secret="YOUR_CLIENT_SECRET",
        audience="API_IDENTIFIER",
    )
    for name in targets():
        assert render(placeholders, name).rstrip() in out


def test_flags_win_over_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_DOMAIN", "env.auth0.com")
    monkeypatch.setenv("AUTH0_CLIENT_ID", "env-id")
    monkeypatch.setenv("AUTH0_AUDIENCE", "env-aud")
    code, out, _ = run(capsys, "snippet", "curl", "--client-id", "flag-id")
    assert code == 0
    assert "https://env.auth0.com/oauth/token" in out
    assert "client_id=flag-id" in out
    assert "audience=env-aud" in out


def test_secret_from_environment_only_shown_with_reveal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", SECRET)
    code, out, _ = run(capsys, "snippet", "python-requests")
    assert (code, SECRET in out) == (0, False)
    code, out, _ = run(capsys, "snippet", "python-requests", "--secret", "reveal")
    assert code == 0
    assert '"client_secret": "cli-secret-\'$x"' in out


def test_secret_from_file_drops_one_trailing_newline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "secret"
    path.write_text("from-file\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "snippet", "http", "--secret", "reveal", "--client-secret-file", str(path)
    )
    assert code == 0
    assert out.rstrip().endswith("client_secret=from-file")


@pytest.mark.parametrize("text", ["from-file \n", "from-file\n\n", " from-file"])
def test_secret_from_file_with_more_whitespace_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    path = tmp_path / "secret"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(
        capsys, "snippet", "http", "--secret", "reveal", "--client-secret-file", str(path)
    )
    assert (code, out) == (2, "")
    assert err == (
        "clientcreds: error: --client-secret-file has a leading or trailing space or line "
        "break: remove it\n"
    )


def test_secret_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("piped-secret\n"))
    code, out, _ = run(capsys, "snippet", "curl", "--secret", "reveal", "--client-secret-file", "-")
    assert code == 0
    assert "client_secret=piped-secret'" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "snippet", "--all", "--json", "--secret", "placeholder")
    assert code == 0
    assert list(json.loads(out)) == targets()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snippet", "curl", "--domain", "http://example.com"], "plain http://"),
        (["snippet", "curl", "--secret", "reveal"], "no client secret"),
        (["snippet", "http", "--secret", "env"], "cannot read AUTH0_CLIENT_SECRET"),
        (["snippet", "curl", "--client-secret-file", "/nonexistent/x"], "no such file"),
        (["snippet", "curl", "--scope", ""], "scope is empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("clientcreds: error: ")
    assert message in err


def test_targets_lists_every_target_under_its_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "targets")
    assert code == 0
    listed: dict[str, list[str]] = {}
    for line in out.splitlines():
        if line.startswith("  "):
            list(listed.values())[-1].append(line.split()[0])
        else:
            listed[line] = []
    assert {title: tuple(names) for title, names in listed.items()} == languages()
    assert [name for names in listed.values() for name in names] == targets()


def test_the_installed_command_runs_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clientcreds", "snippet", "curl", "--domain", "a b"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "must not contain spaces" in done.stderr
