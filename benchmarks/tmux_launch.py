"""Launches in a real terminal, timed until a marker string shows: a private
tmux server, one session of TERM_SIZE per launch, polled with capture-pane
every ~10 ms.

Shared by run.py (the tmux first paint of soundtrack and of the bare app,
and the first search of a pack nothing is cached for) and switch_bench.py
(switching shows, compared to that same bare first paint), so that a ratio
between them is of two figures timed alike: same server, same terminal
type, same polling.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from terminal_latency import TERM_SIZE, wait_gone

MARKER_TIMEOUT = 900.0
POLL_S = 0.010
ANSWERED = re.compile(r"\d matches?\b|No visible matches")
"""The search panel's summary once results are in."""


class Tmux:
    """A private tmux server (own socket); each launch is a new session of
    TERM_SIZE."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket, "-u"]
        self.count = 0
        self.run("new-session", "-d", "-s", "keepalive", "-x", "80", "-y", "24", "sleep 86400")

    def run(self, *args: str) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, check=True)
        return done.stdout

    def open(self, command: str) -> TmuxSession:
        """Start `command` in a new session; close it to end it."""
        self.count += 1
        name = f"bench{self.count}"
        width, height = TERM_SIZE
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        pid = int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip() or 0)
        return TmuxSession(self, name, pid)

    def measure(self, command: str, marker: str) -> tuple[float, float]:
        """(seconds to the first non-blank screen, seconds to `marker`), from launch."""
        start = time.perf_counter()
        with self.open(command) as session:
            return session.wait_for(marker, start)

    def first_search(self, command: str, marker: str, query: str) -> tuple[float, float]:
        """(seconds to `marker`, seconds to the search's answer), both from
        launch: "/" and `query` are typed as soon as `marker` shows, as by
        someone who knows what they are looking for. The answer is the
        summary line that counts matches (a count, or "No visible
        matches"); until the index is in, the panel says it is indexing."""
        start = time.perf_counter()
        with self.open(command) as session:
            _, listed = session.wait_for(marker, start)
            session.send("/", *query)
            return listed, session.wait_until(ANSWERED, start)

    def close(self) -> None:
        """Kill the server, then remove its socket, which tmux leaves behind."""
        asked = [*self.base, "display-message", "-p", "#{socket_path}"]
        socket = subprocess.run(asked, capture_output=True, text=True, check=False).stdout.strip()
        subprocess.run([*self.base, "kill-server"], capture_output=True, check=False)
        if socket:
            Path(socket).unlink(missing_ok=True)


class TmuxSession:
    """One launch in a Tmux server: what it shows, keys sent to it. A
    context manager: leaving it kills the session and waits until the app
    has exited, so the next launch starts on a quiet machine."""

    def __init__(self, tmux: Tmux, name: str, pid: int) -> None:
        self.tmux = tmux
        self.name = name
        self.pid = pid

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def screen(self) -> str:
        return self.tmux.run("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        """Press `keys`, named as tmux's send-keys names them ("Enter", "Down", "S")."""
        self.tmux.run("send-keys", "-t", self.name, *keys)

    def wait_until(self, pattern: re.Pattern[str], since: float) -> float:
        """Poll until `pattern` matches the screen: seconds from `since`."""
        while True:
            screen = self.screen()
            now = time.perf_counter() - since
            if pattern.search(screen):
                return now
            if now > MARKER_TIMEOUT:
                raise RuntimeError(f"tmux: {pattern.pattern!r} never appeared:\n{screen}")
            time.sleep(max(0.0, POLL_S - (time.perf_counter() - since - now)))

    def wait_for(self, marker: str, since: float) -> tuple[float, float]:
        """Poll until `marker` is on screen: (seconds to the first non-blank
        screen, seconds to `marker`), both from `since` (a perf_counter)."""
        first = None
        while True:
            screen = self.screen()
            now = time.perf_counter() - since
            if first is None and screen.strip():
                first = now
            if marker in screen:
                return (first if first is not None else now), now
            if now > MARKER_TIMEOUT:
                raise RuntimeError(f"tmux: {marker!r} never appeared:\n{screen}")
            time.sleep(max(0.0, POLL_S - (time.perf_counter() - since - now)))

    def close(self) -> None:
        subprocess.run([*self.tmux.base, "kill-session", "-t", self.name], capture_output=True, check=False)
        wait_gone(self.pid)


def shell_line(env: dict[str, str], cmd: Sequence[str]) -> str:
    """A tmux command line running `cmd` in exactly `env`."""
    assignments = [f"{key}={value}" for key, value in sorted(env.items()) if "\n" not in value]
    return shlex.join(["env", "-i", *assignments, *cmd])
