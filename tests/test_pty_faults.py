"""The browser on a real pty under faults a pilot cannot reproduce: keys
that arrive in one write, signals from outside, absurd COLUMNS and LINES.

Built on the harness of `test_pty.py`. Every wait is bounded and the child
is killed in a `finally`, so a hang fails the test instead of blocking CI.
"""

from __future__ import annotations

import ctypes
import json
import os
import pty
import signal
import subprocess
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest

from soundtrack_tui.commands.terminal import honest_size_environment
from test_pty import SOUNDTRACK, Terminal, child_env, set_size

STTY_FLAGS = termios.ECHO | termios.ICANON


@pytest.fixture
def three_episodes(tmp_path: Path) -> Path:
    """A valid pack of three episodes, as `soundtrack new` writes it."""
    pack = tmp_path / "three"
    env = child_env(tmp_path, None)
    made = subprocess.run(
        [str(SOUNDTRACK), "new", str(pack), "--title", "Three", "--episodes", "3"],
        env=env,
        capture_output=True,
        timeout=30,
    )
    assert made.returncode == 0, made.stderr
    return pack


@pytest.fixture
def browser(tmp_path: Path, three_episodes: Path) -> Iterator[Terminal]:
    env = child_env(tmp_path, "xterm-256color")
    term = Terminal([str(SOUNDTRACK), "--content", str(three_episodes)], env)
    try:
        term.wait_for("Episodes")
        term.settle()
        yield term
    finally:
        term.close()


def saved_progress(tmp_path: Path) -> dict[str, object]:
    """The one pack's progress in the state folder."""
    document = json.loads((tmp_path / "state" / "progress.json").read_text(encoding="utf-8"))
    (progress,) = document["packs"].values()
    assert isinstance(progress, dict)
    return progress


def quit_cleanly(term: Terminal) -> None:
    term.send(b"q")
    assert term.wait_exit() == 0


# -- keys that arrive together ---------------------------------------------------


def test_a_key_sent_with_a_move_acts_on_the_episode_moved_to(tmp_path: Path, browser: Terminal) -> None:
    """`j w` in one write (a paste, a fast typist, SSH): episode 2 is marked."""
    at = browser.mark()
    browser.send(b"jw")
    browser.wait_for("marked watched", since=at)
    quit_cleanly(browser)
    assert saved_progress(tmp_path)["watched"] == [2]


def test_moves_back_then_a_mark_does_not_unlock_where_the_cursor_was(
    tmp_path: Path, browser: Terminal
) -> None:
    browser.press(b"j", b"j")  # to episode 3, one key at a time
    at = browser.mark()
    browser.send(b"kkw")
    browser.wait_for("marked watched", since=at)
    quit_cleanly(browser)
    progress = saved_progress(tmp_path)
    assert progress["watched"] == [1]
    assert progress["last_episode"] == 1


def test_a_jump_then_a_queued_move_ends_where_the_last_key_says(tmp_path: Path, browser: Terminal) -> None:
    """`j 3 w`: the move's message is still queued when 3 jumps; the
    selection must end on 3, not go back to 2 when that message lands."""
    at = browser.mark()
    browser.send(b"j3w")
    browser.wait_for("marked watched", since=at)
    browser.settle()
    quit_cleanly(browser)
    progress = saved_progress(tmp_path)
    assert progress["watched"] == [3]
    assert progress["last_episode"] == 3


# -- signals from outside ----------------------------------------------------------


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminating_signal_restores_the_terminal_and_keeps_the_place(
    tmp_path: Path, browser: Terminal, number: signal.Signals
) -> None:
    """Like q: the terminal is given back (alternate screen and mouse off,
    echo and line editing on), the selection is saved, exit 128+signal."""
    browser.press(b"j")  # to episode 2; the save timer has not fired yet
    modes = termios.tcgetattr(browser.master)[3]
    assert modes & STTY_FLAGS == 0, "the app should have put the tty in raw mode"
    at = browser.mark()
    os.kill(browser.process.pid, number)
    assert browser.wait_exit() == 128 + number
    modes = termios.tcgetattr(browser.master)[3]
    assert modes & STTY_FLAGS == STTY_FLAGS, "echo and canonical mode are back on"
    tail = browser.output[at:]
    assert b"\x1b[?1049l" in tail, "the alternate screen is left"
    assert b"\x1b[?1000l" in tail, "mouse reporting is off"
    assert saved_progress(tmp_path)["last_episode"] == 2


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_caught_by_another_thread_ends_the_idle_app_in_order(
    browser: Terminal, number: signal.Signals
) -> None:
    """The kernel may hand a process's signal to any of its threads, and
    Python runs handlers on the main thread only, asleep in an idle app's
    event loop. Sent to one of Textual's own threads, the signal must still
    end the app at once, the orderly way (the terminal given back), not
    wait for a key that may never come."""
    pid = browser.process.pid
    others = sorted(int(task) for task in os.listdir(f"/proc/{pid}/task") if int(task) != pid)
    assert others, "Textual runs its input and output on threads of their own"
    at = browser.mark()
    assert ctypes.CDLL(None, use_errno=True).tgkill(pid, others[0], number) == 0
    assert browser.wait_exit() == 128 + number
    assert b"\x1b[?1049l" in browser.output[at:], "the alternate screen is left: an orderly exit"


@pytest.mark.parametrize("burst", [0, 400], ids=["idle", "mid-draw"])
def test_the_terminal_going_away_ends_the_app(browser: Terminal, burst: int) -> None:
    """A terminal closed under the app (a window closed, tmux killed, SSH
    dropped), idle or while a burst of keys is still being drawn: its
    writes fail and SIGHUP comes. The app ends with 128+SIGHUP; it must not
    wait for ever on output nobody will read."""
    browser.send(b"jk" * (burst // 2))
    browser.hang_up()
    assert browser.wait_exit() == 128 + signal.SIGHUP


# -- sizes the terminal does not have ------------------------------------------------


def test_huge_columns_and_lines_are_clamped_and_q_still_quits(tmp_path: Path, three_episodes: Path) -> None:
    env = child_env(tmp_path, "xterm-256color") | {"COLUMNS": "99999", "LINES": "99999"}
    term = Terminal([str(SOUNDTRACK), "--content", str(three_episodes)], env)
    try:
        term.wait_for("Episodes")
        term.settle()
        term.send(b"q")
        assert term.wait_exit() == 0
    finally:
        term.close()


@pytest.mark.parametrize(
    ("given", "reported", "expected"),
    [
        ({"COLUMNS": "99999", "LINES": "99999"}, (120, 40), {}),
        ({"COLUMNS": "0", "LINES": "many"}, (120, 40), {}),
        ({"COLUMNS": "80", "LINES": "24"}, (120, 40), {"COLUMNS": "80", "LINES": "24"}),
        ({}, (9000, 9000), {"COLUMNS": "500", "LINES": "200"}),
        ({"COLUMNS": "99999"}, None, {"COLUMNS": "500", "LINES": "200"}),
    ],
)
def test_the_browser_sees_no_size_the_terminal_does_not_have(
    given: dict[str, str], reported: tuple[int, int] | None, expected: dict[str, str]
) -> None:
    environ = dict(given)
    if reported is None:
        honest_size_environment(environ, None)
    else:
        master, slave = pty.openpty()
        try:
            set_size(slave, *reported)
            with os.fdopen(os.dup(slave), "w") as stream:
                honest_size_environment(environ, stream)
        finally:
            os.close(master)
            os.close(slave)
    assert environ == expected
