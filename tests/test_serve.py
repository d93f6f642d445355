"""`soundtrack serve` without a browser: where it listens, what it says,
the command each session runs, and which requests it refuses."""

from __future__ import annotations

import http.client
import io
import shlex
import socket
import sys
from pathlib import Path

import pytest

from browser import served
from runner import run_soundtrack
from soundtrack_tui.commands.serve import session_command
from soundtrack_tui.commands.terminal import WEB_DRIVER, terminal_problem
from soundtrack_tui.commands.web_server import is_loopback

WEBSOCKET_HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "my-laptop", ""])
def test_addresses_others_can_reach(host: str) -> None:
    assert not is_loopback(host)


def test_each_session_runs_this_python_with_the_servers_options(tmp_path: Path) -> None:
    pack = tmp_path / "my pack; rm -rf ~"
    command = session_command(str(pack), "state", spoilers=True)
    setup, _, app = command.partition("; exec ")
    assert setup == "trap '' INT"
    assert shlex.split(app) == [
        sys.executable,
        *("-m", "soundtrack_tui", "--content", str(pack.resolve())),
        *("--state-dir", str(Path("state").resolve()), "--spoilers"),
    ]


def test_the_bundled_pack_session_takes_no_pack_option() -> None:
    command = session_command(None, None, spoilers=False)
    assert shlex.split(command.partition("; exec ")[2]) == [sys.executable, "-m", "soundtrack_tui"]


def test_a_web_session_needs_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert terminal_problem() is not None
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    assert terminal_problem() is None


def test_another_driver_still_needs_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.linux_driver:LinuxDriver")
    assert terminal_problem() is not None


def test_a_network_address_is_warned_about(tmp_path: Path) -> None:
    # 192.0.2.1 is reserved for documentation: never this machine's, so the
    # bind fails after the warning and nothing is ever exposed.
    result = run_soundtrack("serve", "--host", "192.0.2.1", "--port", "8000", state=tmp_path)
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "soundtrack: serving on 192.0.2.1: anyone who can reach this address on your network "
        "can read your progress and change it"
    )
    assert lines[1].startswith("soundtrack: cannot serve on 192.0.2.1 port 8000: ")
    assert len(lines) == 2 and result.returncode == 1


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_soundtrack("serve", "--port", str(port), state=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"soundtrack: cannot serve on 127.0.0.1 port {port}: address already in use\n"


@pytest.mark.parametrize("port", ["0", "65536", "http", "８０"])
def test_a_bad_port_is_a_usage_error(port: str, tmp_path: Path) -> None:
    result = run_soundtrack("serve", "--port", port, state=tmp_path)
    assert result.returncode == 2
    assert "not a port number" in result.stderr


def test_a_missing_pack_is_one_line_before_serving(tmp_path: Path) -> None:
    result = run_soundtrack("serve", "--content", str(tmp_path / "nothing"), state=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_the_page_is_titled_and_served_only_to_loopback_names(tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, _server):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        page = _get(port, "/", {"Host": f"localhost:{port}"})
        assert page.status == 200
        html = page.read().decode()
        assert "<title>Soundtrack #1</title>" in html
        # Its URLs name the server as the browser did.
        assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in html
        # A page of another site, its name rebound to 127.0.0.1.
        assert _get(port, "/", {"Host": f"attacker.example:{port}"}).status == 403
        assert _get(port, "/ws", {"Host": f"attacker.example:{port}", **WEBSOCKET_HANDSHAKE}).status == 403


def test_a_session_starts_only_from_the_servers_own_page(tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, _server):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        own = {"Host": f"127.0.0.1:{port}", **WEBSOCKET_HANDSHAKE}
        foreign = _get(port, "/ws", {**own, "Origin": "http://attacker.example"})
        assert foreign.status == 403
        accepted = _get(port, "/ws", {**own, "Origin": f"http://127.0.0.1:{port}"})
        assert accepted.status == 101
        accepted.close()
