"""``clientcreds snippet --api-url``: the call to an API with the token, and ``--recipe``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientcreds import ApiRequest, get_target, render, targets
from clientcreds.cli import main

URL = "https://api.example.com/things"
TOKEN = "token-'$x"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_all_prints_the_api_call_in_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "snippet", "--all", "--api-url", URL)
    assert code == 0
    for name in targets():
        assert render(ApiRequest(URL), name).rstrip() in out
    assert "YOUR_ACCESS_TOKEN" in out


@pytest.mark.parametrize("name", targets())
def test_one_target_prints_exactly_the_snippet(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, "snippet", name, "--api-url", URL, "--method", "DELETE")
    assert (code, err) == (0, "")
    assert out == render(ApiRequest(URL, "DELETE"), name).rstrip() + "\n"


def test_reveal_reads_the_token_file_or_access_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    argv = ["snippet", "curl", "--api-url", URL, "--secret", "reveal"]
    code, out, _ = run(capsys, *argv, "--access-token-file", str(path))
    assert (code, out) == (0, render(ApiRequest(URL, access_token=TOKEN), "curl", "reveal") + "\n")
    monkeypatch.setenv("ACCESS_TOKEN", TOKEN)
    assert run(capsys, *argv)[:2] == (0, out)
    code, out, _ = run(capsys, "snippet", "curl", "--api-url", URL)
    assert (code, TOKEN in out) == (0, False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--api-url", "http://api.example.com/"], "--api-url: plain http://"),
        (["--api-url", "api.example.com"], "--api-url 'api.example.com' is not an absolute URL"),
        (["--api-url", URL, "--secret", "reveal"], "--secret reveal needs the access token"),
        (["--api-url", URL, "--domain", "x.auth0.com"], "--domain describes the token request"),
        (["--method", "POST"], "--method applies only to the API call: add --api-url URL"),
        (["--access-token-file", "t"], "--access-token-file applies only to the API call"),
        (
            ["--api-url", URL, "--secret", "reveal", "--access-token-file", "/nonexistent/t"],
            "--access-token-file: no such file",
        ),
        (["--api-url", URL, "--secret", "env"], "cannot read ACCESS_TOKEN"),
    ],
)
def test_bad_input_is_one_line_in_flag_terms(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "snippet", "http", *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("clientcreds: error: ")
    assert message in err


def test_a_token_in_the_environment_with_spaces_is_named_by_its_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCESS_TOKEN", " padded")
    code, _, err = run(capsys, "snippet", "curl", "--api-url", URL, "--secret", "reveal")
    assert code == 2
    assert err.startswith("clientcreds: error: $ACCESS_TOKEN is empty or has spaces")
    assert "padded" not in err


@pytest.mark.parametrize("name", targets())
def test_recipe_goes_to_stderr_and_stdout_stays_the_snippet(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, "snippet", name, "--recipe")
    assert code == 0
    assert out == run(capsys, "snippet", name)[1]
    recipe = get_target(name).recipe
    if recipe is None:
        assert err == ""
        return
    lines = err.splitlines()
    assert lines[0] == f"save as: {recipe.filename}"
    assert f"run: {recipe.command}" in lines
    assert all(f"with {file}:" in lines for file, _ in recipe.files)
    assert not any(line.startswith("#") for line in lines)


def test_recipe_with_all_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "snippet", "--all", "--recipe", "--api-url", URL)
    assert code == 0
    for name in targets():
        recipe = get_target(name).recipe
        assert recipe is None or f"run: {recipe.command}" in out
    code, out, _ = run(capsys, "snippet", "--all", "--recipe", "--json")
    data = json.loads(out)
    assert list(data) == targets()
    for name, entry in data.items():
        recipe = get_target(name).recipe
        assert (entry["recipe"] or {}).get("command") == (recipe and recipe.command)
