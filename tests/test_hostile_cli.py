"""Hostile pack text through every CLI command: inert, literal, no escapes out.

The fixture pack in tests/fixtures/hostile/ carries OSC title and clipboard
writes, OSC 8 links, CSI and 8-bit C1 sequences, bidi overrides, Rich markup
and emoji codes. None of it may reach the terminal as anything but text.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from runner import run_soundtrack
from soundtrack_tui import commands
from soundtrack_tui.cli import main

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
# Anything a terminal would act on, except the SGR colour codes Rich emits.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")
MARKUP = (
    "[@click=app.quit]CLICK-QUIT[/] [/bold] [link=file:///etc/passwd]LINK-PASSWD[/link] "
    "[$accent]ACCENT :warning:"
)

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "1", "--spoilers"],
    ["show", "1", "--spoilers", "--json"],
    ["show", "2"],
    ["search", "click", "--spoilers"],
    ["search", "CLICK-QUIT"],
    ["search", "recap", "--json", "--spoilers"],
    ["story", "--spoilers"],
    ["check", str(HOSTILE)],
]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    argv = args if args[0] == "check" else [*args, "--content", str(HOSTILE)]
    return run_soundtrack(*argv, state=tmp_path)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_plain_output_is_inert(args: list[str], tmp_path: Path) -> None:
    result = _run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert not FORBIDDEN.search(result.stdout + result.stderr)


def test_markup_is_printed_literally(tmp_path: Path) -> None:
    result = _run(["show", "1", "--spoilers"], tmp_path)
    assert MARKUP in result.stdout
    assert "\ufffd]0;PWNED-TITLE\ufffd" in result.stdout  # the payload, defused and visible


def test_locked_text_never_printed(tmp_path: Path) -> None:
    result = _run(["search", "secret-word"], tmp_path)
    assert "secret" not in result.stdout.replace("secret-word'", "")
    assert "1 more match in locked episode 2" in result.stdout


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "args",
    [["show", "1", "--spoilers"], ["list"], ["search", "click", "--spoilers"]],
    ids=" ".join,
)
def test_styled_output_only_adds_colour(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal Rich styles the output; the only escapes are SGR."""
    terminal = _FakeTerminal()
    monkeypatch.setenv("SOUNDTRACK_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(commands.Output, "__init__", _bind_terminal(terminal))
    assert main([*args, "--content", str(HOSTILE)]) == 0
    text = terminal.getvalue()
    assert SGR.search(text), "expected styled output on a terminal"
    without_colour = SGR.sub("", text)
    assert "\x1b" not in without_colour
    assert not FORBIDDEN.search(without_colour)
    if args[0] == "show":
        assert "[@click=app.quit]CLICK-QUIT[/]" in without_colour
        assert ":warning:" in without_colour


def _bind_terminal(terminal: io.StringIO):  # type: ignore[no-untyped-def]
    original = commands.Output.__init__

    def init(self: commands.Output, stream: object = None) -> None:
        original(self, terminal)

    return init
