"""The installed `soundtrack` under a real pseudo-terminal, on the hostile pack.

Everything else drives the app through Textual's headless pilot; this is the
one place the bytes that reach a terminal are checked: the whole session
(start, every pane, search, story, help, spoilers, watched, digits, window
resizes, quit) is recorded from the pty master, and none of the payloads the
pack carries (OSC 0 title, OSC 52 clipboard, OSC 8 link, CSI, 8-bit C1, bidi
override) may appear in it. The app's own drawing sequences are expected.

Also the refusals: with TERM empty or dumb, even on a real pty, `soundtrack`
exits 2 at once with one plain line.

Every wait is bounded, so a hang fails the test instead of blocking CI, and
the child is killed in a `finally`.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SOUNDTRACK = Path(sys.executable).parent / "soundtrack"
TIMEOUT = 20.0

# setsid() has already run (start_new_session); make the pty the controlling
# terminal, as a login shell would, so a window-size change delivers SIGWINCH.
LAUNCHER = (
    "import fcntl, os, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "os.execv(sys.argv[1], sys.argv[1:])\n"
)

# Payloads of the pack, as bytes that would act if they reached the terminal.
FORBIDDEN = {
    "OSC 0 window title": re.compile(rb"\x1b\]0;"),
    "OSC 2 window title": re.compile(rb"\x1b\]2;"),
    "the injected title": re.compile(rb"\x1b\][0-9]*;?PWNED"),
    "OSC 52 clipboard": re.compile(rb"\x1b\]52;"),
    "OSC 8 link to evil.example": re.compile(rb"\x1b\]8;[^;\x07\x1b]*;[^\x07\x1b]*evil\.example"),
    "OSC 8 link to /etc/passwd": re.compile(rb"\x1b\]8;[^;\x07\x1b]*;[^\x07\x1b]*passwd"),
    "the injected CSI": re.compile(rb"\x1b\[2J\x1b\[31mRED|\x1b\[31mRED"),
    "C1 CSI (U+009B)": re.compile(rb"\xc2\x9b"),
    "C1 OSC (U+009D)": re.compile(rb"\xc2\x9d"),
    "raw 8-bit C1 title": re.compile(rb"\x9d0;C1-TITLE"),
    "bidi override U+202E": re.compile(b"\xe2\x80\xae"),
}

# What a terminal does not print: CSI (with private and intermediate bytes),
# OSC/DCS/APC strings, and two-byte escapes like ESC 7 or ESC =.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[ -/]*[0-~]"
)


def visible(data: bytes) -> str:
    """The printable text in `data`, escape sequences removed."""
    return _ESCAPES.sub(b"", data).decode("utf-8", errors="replace")


def set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def child_env(tmp_path: Path, term: str | None) -> dict[str, str]:
    """The environment minus anything that changes how Textual draws, with
    every folder the app could write to under `tmp_path`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR", "TERM")
        and not key.startswith(("TEXTUAL", "XDG_", "SOUNDTRACK_"))
    }
    home = tmp_path / "home"
    for name in ("state", "config", "cache"):
        (tmp_path / name).mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        SOUNDTRACK_STATE_DIR=str(tmp_path / "state"),
        SOUNDTRACK_CONFIG_DIR=str(tmp_path / "config"),
        SOUNDTRACK_CACHE_DIR=str(tmp_path / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    if term is not None:
        env["TERM"] = term
    return env


class Terminal:
    """A child process on a pty, its whole output recorded by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int = 120, rows: int = 40) -> None:
        self.master, slave = pty.openpty()
        set_size(slave, columns, rows)
        self._lock = threading.Lock()
        self._output = bytearray()
        self._closed = threading.Event()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, *argv],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None and not self._pending():
                        return
                    continue
                try:
                    chunk = os.read(self.master, 65536)
                except OSError as exc:  # EIO: every slave end is closed
                    if exc.errno in (errno.EIO, errno.EBADF):
                        return
                    raise
                if not chunk:
                    return
                with self._lock:
                    self._output += chunk
        finally:
            self._closed.set()

    def _pending(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], 0)
        return bool(ready)

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def mark(self) -> int:
        with self._lock:
            return len(self._output)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def resize(self, columns: int, rows: int) -> None:
        set_size(self.master, columns, rows)

    def wait_for(self, text: str, since: int = 0, timeout: float = TIMEOUT) -> None:
        """Until `text` is visible in what was written after offset `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in visible(self.output[since:]):
                return
            if self.process.poll() is not None and self._closed.is_set():
                break
            time.sleep(0.05)
        tail = visible(self.output[since:])[-2000:]
        raise AssertionError(
            f"{text!r} never appeared (exit code {self.process.poll()}); last output:\n{tail}"
        )

    def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Until nothing has been written for `quiet` seconds (or `timeout`:
        a blinking cursor never goes quiet, and that is not an error)."""
        deadline = time.monotonic() + timeout
        last, since = self.mark(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.mark()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def press(self, *keys: bytes, quiet: float = 0.2) -> None:
        """One key at a time, letting the app redraw in between (a lone ESC
        must not merge with the next key into an Alt sequence)."""
        for key in keys:
            self.send(key)
            self.settle(quiet)

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            tail = visible(self.output)[-2000:]
            raise AssertionError(f"still running {timeout:g} s later; last output:\n{tail}") from None
        self._closed.wait(timeout)
        return code

    def hang_up(self) -> None:
        """Close the terminal under the child, as a closed window, a killed
        tmux or a dropped SSH connection does: its writes fail from now on,
        and the kernel sends its session SIGHUP."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        if self.process.poll() is None:
            with_group = True
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                with_group = False
            if not with_group:
                self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        self._closed.wait(TIMEOUT)
        self._reader.join(TIMEOUT)
        self.hang_up()


def soundtrack(tmp_path: Path, *args: str, term: str | None = "xterm-256color") -> Terminal:
    assert SOUNDTRACK.exists(), f"the soundtrack script is not installed next to {sys.executable}"
    return Terminal([str(SOUNDTRACK), *args], child_env(tmp_path, term))


@pytest.fixture(scope="module")
def hostile_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Terminal, bytes, Path]]:
    """One whole session on the hostile pack, shared by the tests below:
    (terminal, output recorded before q, state folder)."""
    tmp_path = tmp_path_factory.mktemp("pty")
    term = soundtrack(tmp_path, "--content", str(HOSTILE), "--spoilers")
    try:
        yield term, _browse(term), tmp_path / "state"
    finally:
        term.close()


def _browse(term: Terminal) -> bytes:
    """Every pane and overlay, then resizes, then q; returns the output
    recorded up to just before q."""
    term.wait_for("CLICK-QUIT")
    term.wait_for("Episodes")
    term.settle()

    term.press(b"\t", b"\t", b"\t", b"\t")  # recap, characters, reviews, back to the list
    term.press(b"j", b"k", b"\r")  # down, up, open in the recap pane
    term.press(b"\x1b[Z")  # shift+tab

    at = term.mark()
    term.send(b"/")
    term.send(b"click")
    term.wait_for("matches", since=at)
    term.press(b"\x1b[B", b"j", b"k")  # into the results and back up
    term.press(b"\x1b")  # close the search

    at = term.mark()
    term.send(b"f")
    term.wait_for("Story so far", since=at)
    term.press(b"j", b"\x1b")

    at = term.mark()
    term.send(b"?")
    term.wait_for("Everywhere", since=at)
    term.press(b"\x1b")

    at = term.mark()
    term.send(b"s")
    term.wait_for("Spoiler level", since=at)
    term.settle()

    at = term.mark()
    term.send(b"w")
    term.wait_for("marked watched", since=at)
    term.press(b"2", b"3", b"1", b"9")

    # A real SIGWINCH: the narrow header is the short form.
    at = term.mark()
    term.resize(30, 8)
    term.wait_for("1/3 \u2713", since=at)
    for columns, rows in ((1, 1), (300, 100), (2, 2), (80, 24), (120, 40)):
        term.resize(columns, rows)
        term.settle()
    term.press(b"\t")
    assert term.process.poll() is None, f"exited early with {term.process.returncode}"
    before_quit = term.output
    term.send(b"q")
    return before_quit


def test_a_whole_session_quits_with_zero(hostile_session: tuple[Terminal, bytes, Path]) -> None:
    term, _, state = hostile_session
    assert term.wait_exit() == 0
    # The terminal is given back: alternate screen left, cursor shown.
    tail = term.output[-4096:]
    assert b"\x1b[?1049l" in tail
    assert b"\x1b[?25h" in tail
    # Nothing the session did was lost: "w" marked episode 1 watched.
    saved = json.loads((state / "progress.json").read_text(encoding="utf-8"))
    assert 1 in saved["packs"]["hostile"]["watched"]


def test_no_payload_reaches_the_terminal(hostile_session: tuple[Terminal, bytes, Path]) -> None:
    term, _, _ = hostile_session
    term.wait_exit()
    output = term.output
    assert b"\x1b[" in output, "expected the app's own drawing sequences"
    found = {name: pattern.search(output) for name, pattern in FORBIDDEN.items()}
    leaked = {name: output[max(0, m.start() - 40) : m.end() + 40] for name, m in found.items() if m}
    assert not leaked, leaked


def test_pack_text_is_shown_literally(hostile_session: tuple[Terminal, bytes, Path]) -> None:
    term, before_quit, _ = hostile_session
    term.wait_exit()
    text = visible(before_quit)
    # Markup is text, and so are the defused escapes (U+FFFD where ESC was).
    for literal in ("[@click=app.quit]CLICK-QUIT[/]", "[link=file:///etc/passwd]", "[$accent]ACCENT"):
        assert literal in text, literal
    assert "\ufffd]0;PWNED-TITLE\ufffd" in text
    # Hangul, emoji and CJK survive.
    assert "한선우" in text


def test_the_patterns_catch_the_raw_payloads() -> None:
    """The check above is not vacuous: written unsanitized, the pack's
    text would trip every payload pattern."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    raw = tomllib.loads((HOSTILE / "show.toml").read_text(encoding="utf-8"))
    text = (raw["synopsis"] + " \x1b]8;;file:///etc/passwd\x1b\\x\x1b]2;t\x07").encode()
    missed = [name for name, pattern in FORBIDDEN.items() if not pattern.search(text)]
    assert missed == []


def _refusal(tmp_path: Path, term: str | None) -> tuple[int, bytes]:
    session = soundtrack(tmp_path, "--content", str(HOSTILE), term=term)
    try:
        code = session.wait_exit()
        return code, session.output
    finally:
        session.close()


@pytest.mark.parametrize(
    ("term", "why"), [("dumb", "TERM is dumb"), ("", "TERM is empty"), (None, "TERM is empty")]
)
def test_a_dumb_or_missing_term_exits_2_with_one_plain_line(
    tmp_path: Path, term: str | None, why: str
) -> None:
    code, output = _refusal(tmp_path, term)
    assert code == 2
    assert b"\x1b" not in output and b"\x9b" not in output
    lines = output.decode("utf-8").splitlines()
    assert len(lines) == 1, lines
    assert "needs a terminal" in lines[0] and why in lines[0]
    assert "soundtrack list" in lines[0]
    # Nothing was written: the refusal comes before any state is touched.
    assert not any((tmp_path / "state").iterdir())


def _with_terminal_stdin(tmp_path: Path, **streams: Any) -> subprocess.CompletedProcess[bytes]:
    """The browser started with a terminal on stdin and `streams` (stdout,
    stderr: a pty end, a file or PIPE) for the others."""
    master, slave = pty.openpty()
    chosen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    chosen = {name: slave if stream == "pty" else stream for name, stream in chosen.items()}
    try:
        return subprocess.run(
            [str(SOUNDTRACK), "--content", str(HOSTILE)],
            stdin=slave,
            env=child_env(tmp_path, "xterm-256color"),
            timeout=TIMEOUT,
            **chosen,
        )
    finally:
        os.close(slave)
        os.close(master)


def test_a_terminal_on_stdin_but_a_pipe_on_stdout_exits_2(tmp_path: Path) -> None:
    """`soundtrack | less`: stdin is the terminal, stdout is not. Exit 2 at
    once, nothing on stdout, one plain line on stderr."""
    result = _with_terminal_stdin(tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    [line] = result.stderr.decode("utf-8").splitlines()
    assert "stdout and stderr are not terminals" in line
    assert b"\x1b" not in result.stderr


def test_a_redirected_stderr_alone_keeps_the_browser_from_drawing_into_it(tmp_path: Path) -> None:
    """`soundtrack 2>log` would draw the whole UI into the log while the
    terminal stayed blank: the check names the one stream at fault."""
    log = tmp_path / "log"
    with open(log, "wb") as sink:
        result = _with_terminal_stdin(tmp_path, stdout="pty", stderr=sink)
    assert result.returncode == 2
    [line] = log.read_text(encoding="utf-8").splitlines()
    assert "(stderr is not a terminal)" in line
    assert "\x1b" not in log.read_text(encoding="utf-8")
