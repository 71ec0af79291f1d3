"""``clientcreds tenant``: runs in the foreground, prints the demo app's AUTH0_* lines."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from clientcreds.cli import build_parser, main
from clientcreds.cli.tenant_command import run


def exports(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            values[name] = shlex.split(value)[0]
    return values


def test_prints_exports_and_serves(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["tenant"])
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(run(args, stop)))
    thread.start()
    output = ""
    deadline = time.monotonic() + 10
    while "AUTH0_AUDIENCE" not in output and time.monotonic() < deadline:
        time.sleep(0.05)
        output += capsys.readouterr().out
    values = exports(output)
    try:
        response = requests.get(values["AUTH0_DOMAIN"] + "/.well-known/jwks.json", timeout=10)
        assert response.status_code == 200
    finally:
        stop.set()
        thread.join(10)
    assert codes == [0]
    assert values["AUTH0_CLIENT_ID"] == "demo-m2m-app"


def test_ctrl_c_stops_with_exit_0(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "clientcreds", "tenant"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        values = exports("".join(lines))
        assert set(values) == {
            "AUTH0_DOMAIN",
            "AUTH0_CLIENT_ID",
            "AUTH0_CLIENT_SECRET",
            "AUTH0_AUDIENCE",
        }
        form = {
            "grant_type": "client_credentials",
            "client_id": values["AUTH0_CLIENT_ID"],
            "client_secret": values["AUTH0_CLIENT_SECRET"],
            "audience": values["AUTH0_AUDIENCE"],
        }
        response = requests.post(values["AUTH0_DOMAIN"] + "/oauth/token", data=form, timeout=10)
        assert response.status_code == 200
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_bad_config_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tenant", "--config", str(tmp_path / "none.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_port_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tenant", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
