"""The CLI's exit codes: which class of error ends a command with which code."""

from __future__ import annotations

import pytest

from clientcreds.cli import COMMANDS, build_parser, main
from clientcreds.cli.common import exit_code
from clientcreds.exceptions import (
    JwksError,
    KeyNotFoundError,
    OAuthError,
    RenderError,
    RequestFieldError,
    TokenFormatError,
    TokenResponseError,
    TransportError,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (OAuthError(401, "access_denied"), 1),
        (TokenResponseError("an HTML page", status=200, content_type="text/html"), 3),
        (TransportError("refused", kind="connection", url="https://t/oauth/token"), 3),
        (JwksError("could not fetch https://t/jwks"), 3),
        (KeyNotFoundError("no key"), 1),
        (RequestFieldError("domain is required", field="domain"), 2),
        (RenderError("cannot carry it"), 2),
        (TokenFormatError("2 segments"), 2),
        (ValueError("--port must be 0 to 65535"), 2),
        (FileNotFoundError("no such file"), 2),
    ],
)
def test_each_error_class_has_its_exit_code(error: Exception, code: int) -> None:
    assert exit_code(error) == code


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for line in ("0  success", "1  a negative answer", "2  bad usage", "3  the server gave no"):
        assert line in out


def test_the_full_parser_has_every_command() -> None:
    commands = next(a for a in build_parser()._actions if isinstance(a.choices, dict))
    assert isinstance(commands.choices, dict)
    assert list(commands.choices) == list(COMMANDS)


def test_an_unknown_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["nope"])
    assert caught.value.code == 2
    assert "choose from 'snippet', 'targets', 'token', 'decode', 'verify', 'tenant'" in (
        capsys.readouterr().err
    )
