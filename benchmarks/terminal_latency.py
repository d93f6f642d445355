"""Keystroke to screen settled, in a real terminal (tmux).

The in-process UI measure of `run.py` stops its clock when Textual says the
screen is redrawn; what a user waits for is the terminal showing the new
screen, after Textual has written it and the terminal has parsed it. This
module times that: an app runs in tmux at 120x40, "/" opens the search, a
query is typed one key at a time, and each key's figure is the time from
sending it until the screen stopped changing.

How, and why:

* Each session gets its own tmux server (a private socket with a unique
  name, no config file), started with exactly the environment it is given,
  which the app inherits (tmux adds only TMUX, TMUX_PANE and TERM, set to
  the given TERM), and killed on the way out, whatever happens. Before
  that, the app's child processes are waited for, so a first search that
  builds and stores the index in a child finishes its work.
* Keys and captures go through one control-mode client (`tmux -C`) that
  stays attached: a capture costs ~0.1 ms, where starting a
  `tmux capture-pane` process costs ~2 ms. Keys are sent as their bytes
  (`send-keys -H`), so nothing needs quoting.
* The screen is captured when the app writes to the terminal, not on a
  timer: the control client is told of every write (`%output`), and the
  screen can change only then. Polling every 2 ms instead cost a third of
  a CPU core on a two-core machine (tmux rendering the captures ~22 %,
  this runner ~8 %, measured), which the app under test was short of;
  waiting for output costs nothing while the app computes.
* The clock starts just before the key is written to tmux. A change is
  dated by the arrival of the last write before the capture that first
  showed it; the key's figure is its last change, once the screen has not
  changed for `QUIET_S`. Nothing is subtracted: the bare Input app, typed
  the same way, shows what tmux and Textual cost on their own.
* What is compared is the whole screen with its colours and attributes
  (`capture-pane -p -e`: a highlight that moves is a change) and the
  terminal cursor's position, except for the attributes of the row the
  cursor is on: Textual leaves the terminal cursor on the Input's cursor
  cell after every frame, and that cell blinks twice a second, which would
  never let the screen settle. That row's text still counts, and so does
  the cursor moving (a typed space shows only as that).

`run.py` drives it (`--only tmux-typing`); `type_query` is the whole
measure of one session.
"""

from __future__ import annotations

import itertools
import os
import re
import select
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

TERM_SIZE = (120, 40)
TYPED_QUERY = "tarot card"
OPEN_SEARCH_KEY = "/"
QUIET_S = 0.150
# A key whose screen has not settled by then is a failure, not a sample.
KEY_LIMIT_S = 30.0
START_LIMIT_S = 900.0  # a 5,000-episode pack's first start indexes first
START_POLL_S = 0.010

_SESSIONS = itertools.count(1)
_SGR = re.compile(r"\x1b\[[0-9;:]*m")  # all that `capture-pane -e` writes besides text


def tmux_missing() -> str | None:
    """Why the terminal measure cannot run here, or None when it can."""
    return "tmux not found" if shutil.which("tmux") is None else None


@dataclass
class Typed:
    """One session: the time "/" took to settle, and each typed key's."""

    open_ms: float
    key_ms: list[float] = field(default_factory=list)


def type_query(
    argv: Sequence[str],
    env: dict[str, str],
    marker: str,
    query: str = TYPED_QUERY,
    *,
    quiet: float = QUIET_S,
) -> Typed:
    """Start `argv` in a fresh 120x40 tmux pane with exactly `env`, wait
    until `marker` is on screen and the screen has settled, press "/", then
    type `query` a key at a time, each key sent once the previous one's
    screen has settled. Before the session is killed, the app's child
    processes are waited for: a first search may have started one to build
    and store the index, which a later session is meant to find stored.
    Raises if the app dies, never settles, or the typed text is not on
    screen at the end (the keys went somewhere else)."""
    with TmuxPane(argv, env) as pane:
        pane.wait_for(marker)
        _, screen = settle(pane, time.perf_counter(), pane.capture(), quiet=quiet, need_change=False)
        start = time.perf_counter()
        pane.send(OPEN_SEARCH_KEY)
        took, screen = settle(pane, start, screen, quiet=quiet)
        typed = Typed(open_ms=took * 1000)
        for char in query:
            start = time.perf_counter()
            pane.send(char)
            took, screen = settle(pane, start, screen, quiet=quiet)
            typed.key_ms.append(took * 1000)
        text = pane.text()
        if query not in text:
            raise RuntimeError(f"typed {query!r} but it is not on screen:\n{text}")
        pane.wait_children()
    return typed


class Screen(Protocol):
    """What `settle` watches (a TmuxPane, or a scripted one in tests)."""

    @property
    def output_at(self) -> float:
        """When the latest write of the app to the terminal was seen."""
        ...

    def wait_output(self, timeout: float) -> bool:
        """Block until the app writes, or `timeout` seconds; did it write?"""
        ...

    def capture(self) -> str: ...


def settle(
    pane: Screen,
    since: float,
    screen: str,
    *,
    quiet: float = QUIET_S,
    limit: float = KEY_LIMIT_S,
    need_change: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, str]:
    """Wait until the pane's screen has not changed for `quiet` seconds.
    Returns the seconds from `since` to the last change, and the final
    screen. `screen` is what the pane showed before; with `need_change`, a
    screen that never differs from it is an error (a typed key always
    shows), and so is one still changing after `limit` seconds. A change
    is dated by `pane.output_at` right after the capture that showed it:
    the arrival of the last write the capture could see."""
    changed_at: float | None = None
    quiet_from = clock()
    while True:
        now = clock()
        if now - quiet_from >= quiet and (changed_at is not None or not need_change):
            return (changed_at if changed_at is not None else since) - since, screen
        if now - since >= limit:
            what = "never changed" if changed_at is None else "kept changing"
            raise TimeoutError(f"the screen {what} for {limit:.0f} s:\n{screen}")
        wait = quiet - (now - quiet_from) if now - quiet_from < quiet else limit - (now - since)
        if not pane.wait_output(max(wait, 0.0)):
            continue
        shown = pane.capture()
        if shown != screen:
            screen, changed_at, quiet_from = shown, pane.output_at, clock()


class TmuxPane:
    """One app in a pane of its own private tmux server, driven through a
    control-mode client. A context manager: leaving it kills the server and
    waits until the app has exited, so the next session starts on a quiet
    machine."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.session = f"soundtrack-typing-{os.getpid()}-{next(_SESSIONS)}"
        self._env = env  # for every tmux call: TMUX_TMPDIR says where the server is
        self.output_at = 0.0
        self.pid = 0
        self._socket: Path | None = None
        self._base = ["tmux", "-L", self.session, "-u", "-f", os.devnull]
        self._client: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._lines: deque[bytes] = deque()
        self._unseen_output = False
        width, height = TERM_SIZE
        # tmux gives panes its default-terminal as TERM, whatever env says.
        term = ("set-option", "-g", "default-terminal", env.get("TERM", "xterm-256color"))
        start = ("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), *argv)
        keep = ("set-option", "-t", self.session, "remain-on-exit", "on")  # a crash stays readable
        try:
            subprocess.run(
                [*self._base, "start-server", ";", *term, ";", *start, ";", *keep],
                env=self._env,
                check=True,
                capture_output=True,
            )
            self._client = subprocess.Popen(
                [*self._base, "-C", "attach-session", "-t", self.session],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
                env=self._env,
            )
            self._reply()  # what attach-session itself answers
            self._socket = Path(self._command("display-message -p '#{socket_path}'")[0])
            self.pid = int(self._command("display-message -p '#{pane_pid}'")[0])
            size = self._command("display-message -p '#{window_width}x#{window_height}'")[0]
            if size != f"{width}x{height}":
                raise RuntimeError(f"tmux made the pane {size}, not {width}x{height}")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> TmuxPane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the app shows

    def text(self) -> str:
        """The pane's text, without attributes."""
        return "\n".join(self._command(f"capture-pane -p -t {self.session}"))

    def capture(self) -> str:
        """The screen as `settle` compares it: the cursor position, then
        every row with its attributes except the cursor's, which blinks
        (see the module's docstring), as plain text. Both are read by one
        command list, which tmux runs with no output parsed in between."""
        cursor, rows = self._commands(
            f"display-message -p -t {self.session} '#{{cursor_x}},#{{cursor_y}}'",
            f"capture-pane -p -e -t {self.session}",
        )
        row = int(cursor[0].partition(",")[2])
        if 0 <= row < len(rows):
            rows[row] = _SGR.sub("", rows[row])
        self._unseen_output = False  # whatever was noted before the reply is in it
        return "\n".join([*cursor, *rows])

    def wait_output(self, timeout: float) -> bool:
        """Block until the app has written something not yet captured (or
        `timeout` seconds); then read whatever else has already arrived, so
        that `output_at` is the latest write."""
        end = time.perf_counter() + timeout
        while not self._unseen_output:
            line = self._line(end - time.perf_counter())
            if line is None:
                return False
            self._note(line)
        while (line := self._line(0.0)) is not None:
            self._note(line)
        self._unseen_output = False
        return True

    def wait_for(self, marker: str, limit: float = START_LIMIT_S) -> None:
        """Poll until `marker` is on screen."""
        end = time.perf_counter() + limit
        while True:
            screen = self.text()
            if marker in screen:
                return
            if self._dead() or time.perf_counter() > end:
                raise RuntimeError(f"{marker!r} never appeared:\n{screen}")
            time.sleep(START_POLL_S)

    def wait_children(self, limit: float = START_LIMIT_S) -> None:
        wait_children(self.pid, limit)

    # -- what the user does

    def send(self, text: str) -> None:
        """Type `text` as its UTF-8 bytes, as a terminal would send them."""
        self._command(f"send-keys -t {self.session} -H " + " ".join(f"{b:02x}" for b in text.encode()))

    def close(self) -> None:
        """Detach the control client (end of its input), then kill the
        server (one with a control client still attached waits for it and
        does not exit), then remove its socket, which tmux leaves behind."""
        client, self._client = self._client, None
        if client is not None:
            for pipe in (client.stdin, client.stdout):
                if pipe is not None:
                    pipe.close()
            try:
                client.wait(5)
            except subprocess.TimeoutExpired:
                client.kill()
                client.wait()
        subprocess.run([*self._base, "kill-server"], capture_output=True, check=False, env=self._env)
        wait_gone(self.pid)
        if self._socket is not None:
            self._socket.unlink(missing_ok=True)

    # -- the control protocol

    def _dead(self) -> bool:
        return self._command(f"display-message -p -t {self.session} '#{{pane_dead}}'")[0] == "1"

    def _command(self, line: str) -> list[str]:
        return self._commands(line)[0]

    def _commands(self, *commands: str) -> list[list[str]]:
        """Run `commands` as one command list; each one's output lines."""
        client = self._client
        if client is None or client.stdin is None:
            raise RuntimeError("the tmux pane is closed")
        client.stdin.write(" ; ".join(commands).encode() + b"\n")
        replies = []
        for command in commands:
            ok, lines = self._reply()
            if not ok:
                raise RuntimeError(f"tmux {command!r}: {' '.join(lines)}")
            replies.append(lines)
        return replies

    def _reply(self) -> tuple[bool, list[str]]:
        """The next reply block, `%begin T N F` ... `%end T N F` (or
        `%error`). Notifications come only between blocks: output before
        `%begin` is in what the command sees. A line inside is the end only
        when it repeats the block's time and number: a pane row may itself
        start with "%end"."""
        opened: list[bytes] | None = None
        lines: list[str] = []
        while True:
            raw = self._next_line()
            words = raw.split(b" ")
            if opened is None:
                if words[0] == b"%begin":
                    opened = words[1:3]
                else:
                    self._note(raw)
                continue
            if words[0] in (b"%end", b"%error") and words[1:3] == opened:
                return words[0] == b"%end", lines
            lines.append(raw.decode("utf-8", "replace"))

    def _note(self, line: bytes) -> None:
        if line.startswith(b"%output "):
            self.output_at = time.perf_counter()
            self._unseen_output = True
        elif line.startswith(b"%exit"):
            raise RuntimeError("tmux detached the control client (the session is gone)")

    def _next_line(self) -> bytes:
        while not self._lines:
            self._read(None)
        return self._lines.popleft()

    def _line(self, timeout: float) -> bytes | None:
        """The client's next line, or None when none came within `timeout`
        seconds."""
        end = time.perf_counter() + timeout
        while not self._lines:
            if not self._read(max(0.0, end - time.perf_counter())):
                return None
        return self._lines.popleft()

    def _read(self, timeout: float | None) -> bool:
        """Read what the client has written, waiting up to `timeout`
        seconds (None: as long as it takes); did anything come?"""
        client = self._client
        assert client is not None and client.stdout is not None
        fd = client.stdout.fileno()
        if not select.select([fd], [], [], timeout)[0]:
            return False
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise RuntimeError("tmux closed the control client (the server is gone)")
        *complete, self._buffer = (self._buffer + chunk).split(b"\n")
        self._lines.extend(complete)
        return True


def wait_children(pid: int, limit: float = START_LIMIT_S) -> None:
    """Wait until process `pid` has no child process (Linux: read from
    /proc; elsewhere this cannot tell, and returns)."""
    end = time.perf_counter() + limit
    while _children(pid) and time.perf_counter() < end:
        time.sleep(START_POLL_S)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (name) state ppid ...": the name may hold spaces and parentheses
            fields = stat.read_text(encoding="utf-8", errors="replace").rpartition(")")[2].split()
        except OSError:  # the process is gone
            continue
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def wait_gone(pid: int, limit: float = 10.0) -> None:
    """Let a killed app finish exiting before the next launch starts."""
    end = time.monotonic() + limit
    while pid > 0 and time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.01)
