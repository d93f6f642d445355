"""Driving `soundtrack serve` in a real Chromium, for the browser tests and
for screenshots/make.py.

Playwright (the Python package) drives Debian's Chromium through
`executable_path`: Playwright's own browser download is not reachable here.

The page draws the terminal on a canvas with xterm.js, so there is no text
in the DOM to read, and textual-serve keeps its xterm `Terminal` to itself.
`expose_terminal` serves textual-serve's script with one change, the
terminal also stored as `window.soundtrackTerminal`, and `screen_text` reads
the screen through xterm's public buffer API. The change is a single
substitution that fails loudly when a new textual-serve words it otherwise.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: two shared cores, and each browser tab starts a Python process.
WAIT_MS = 60_000
START_SECONDS = 60.0
STOP_SECONDS = 30.0

TERMINAL_CREATED = re.compile(r"this\.terminal=new ")
EXPOSED = "this.terminal=window.soundtrackTerminal=new "

SCREEN_TEXT_JS = """() => {
    const terminal = window.soundtrackTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active;
    const rows = [];
    for (let row = 0; row < buffer.length; row++) {
        const line = buffer.getLine(row);
        if (line) rows.push(line.translateToString(true));
    }
    return rows.join("\\n");
}"""


def browser_problem() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def served(*options: str, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`soundtrack serve` on a free loopback port, in a process group of its
    own (so a test can press Ctrl+C on it as a terminal would); yields the
    page's URL and the server process. Stopped with SIGTERM on the way out
    if the test did not stop it."""
    port = port or free_port()
    command = [sys.executable, "-m", "soundtrack_tui", "serve", "--port", str(port), *options]
    server = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(port):
            if server.poll() is not None:
                output = server.stdout.read() if server.stdout else ""
                raise RuntimeError(f"soundtrack serve exited with {server.returncode}: {output}")
            if time.monotonic() > deadline:
                raise RuntimeError("soundtrack serve did not start listening")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if server.stdout:
            server.stdout.close()


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 800) -> Iterator[Page]:
    """A fresh headless Chromium tab that accepts downloads."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(WAIT_MS)
            yield page
        finally:
            browser.close()


def expose_terminal(page: Page) -> None:
    """Serve textual-serve's script to `page` with its terminal exposed."""

    def rewrite(route: Route) -> None:
        response = route.fetch()
        script, count = TERMINAL_CREATED.subn(EXPOSED, response.text())
        if count != 1:
            raise AssertionError(f"textual-serve's script creates its terminal {count} times, expected once")
        route.fulfill(response=response, body=script)

    page.route("**/static/js/textual.js", rewrite)


def open_app(page: Page, url: str, text: str) -> None:
    """Open the served app and wait until its screen shows `text`, with the
    keyboard focused on the terminal."""
    expose_terminal(page)
    page.goto(url)
    wait_for_text(page, text)
    page.locator(".xterm-helper-textarea").focus()


def screen_text(page: Page) -> str:
    """The terminal's screen as text, one line per row."""
    text: str = page.evaluate(SCREEN_TEXT_JS)
    return text


def wait_for_text(page: Page, text: str) -> None:
    page.wait_for_function(f"text => ({SCREEN_TEXT_JS})().includes(text)", arg=text)


def text_position(page: Page, text: str) -> tuple[float, float, float]:
    """Where `text` starts on the page (the middle of its first cell) and
    how wide a cell is, in page pixels."""
    rows = screen_text(page).split("\n")
    row = next(index for index, line in enumerate(rows) if text in line)
    column = rows[row].index(text)  # the screen's text is one cell per character here
    box = page.locator(".xterm-screen").bounding_box()
    assert box is not None
    columns, lines = page.evaluate("[window.soundtrackTerminal.cols, window.soundtrackTerminal.rows]")
    width, height = box["width"] / columns, box["height"] / lines
    return box["x"] + (column + 0.5) * width, box["y"] + (row + 0.5) * height, width


def wait_until(check: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Poll `check` until it holds: the app acts in a process of its own, a
    moment after the key press or signal."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def wait_for_text_gone(page: Page, text: str) -> None:
    page.wait_for_function(f"text => !({SCREEN_TEXT_JS})().includes(text)", arg=text)


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_and_state(int(entry.name))[0] == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to read its status is not)."""
    state = _parent_and_state(pid)[1]
    return state not in ("", "Z")


def _parent_and_state(pid: int) -> tuple[int, str]:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1, ""
    # The command name may hold spaces and parentheses: fields follow the last ")".
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[1]), fields[0]
