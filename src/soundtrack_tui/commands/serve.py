"""`soundtrack serve`: the same app in a web browser, through textual-serve.

textual-serve starts one app process per browser tab, by running a shell
command under Textual's web driver; this module decides that command. The
web server (`commands.web_server`) is imported only when serving starts, so
that aiohttp never slows the other commands down.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

from soundtrack_tui.commands.session import Session
from soundtrack_tui.core.files import describe_os_error
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK
from soundtrack_tui.output import error

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
OPEN_NETWORK_WARNING = (
    "soundtrack: serving on {host}: anyone who can reach this address on your network "
    "can read your progress and change it"
)


def session_command(content: str | None, state: str | None, *, spoilers: bool) -> str:
    """The shell command textual-serve runs for each browser session: this
    Python and this package, with the server's pack, state and spoiler
    options.

    `exec` makes the app the very process textual-serve started, so ending
    it ends the session with no shell left behind. The app ignores SIGINT
    (an ignored signal stays ignored through exec, and Python then leaves it
    alone): Ctrl+C in the server's terminal reaches every process of its
    group, and the server, not the signal, ends each session cleanly. In the
    browser Ctrl+C is a key, never a signal."""
    words = [sys.executable, "-m", "soundtrack_tui"]
    if content:
        words += ["--content", str(Path(content).resolve())]
    if state:
        words += ["--state-dir", str(Path(state).resolve())]
    if spoilers:
        words.append("--spoilers")
    return "trap '' INT; exec " + shlex.join(words)


# prctl(2): a signal the kernel sends this process when its parent dies.
PR_SET_PDEATHSIG = 1


def end_with_server() -> None:
    """In a browser session: be sent SIGTERM when the server dies. A server
    stopped by Ctrl+C or SIGTERM ends its sessions itself; one killed
    outright cannot, and the web driver does not notice its input closing,
    so the app would run on with no page. Linux only; elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return


def cmd_serve(session: Session, args: Any) -> int:
    """Serve until Ctrl+C or SIGTERM. The pack is loaded here first so that
    a broken one is one line on the terminal, not a blank browser tab."""
    from soundtrack_tui.commands.web_server import SessionServer, is_loopback

    session.report_notices()
    host: str = args.host
    if not is_loopback(host):
        sys.stderr.write(OPEN_NETWORK_WARNING.format(host=sanitize(host)) + "\n")
    title = sanitize(session.pack.show.title).replace("\n", " ")
    command = session_command(args.content, args.state_dir, spoilers=session.spoilers)
    server = SessionServer(command, host=host, port=args.port, title=title)
    try:
        server.serve()
    except OSError as failure:
        error(f"cannot serve on {sanitize(host)} port {args.port}: {describe_os_error(failure)}")
        return EXIT_CONTENT
    return EXIT_OK
