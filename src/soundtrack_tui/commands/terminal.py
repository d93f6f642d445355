"""Starting the terminal browser: only where there is a terminal."""

from __future__ import annotations

import os
import sys

from soundtrack_tui.commands.session import pack_path
from soundtrack_tui.exit_codes import EXIT_USAGE
from soundtrack_tui.output import error

# What textual-serve sets in each browser session's environment: Textual then
# talks to the web page over stdin and stdout, which are pipes by design.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def is_web_session() -> bool:
    """True in a browser session that `soundtrack serve` started."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def terminal_problem() -> str | None:
    """Why the UI cannot start here, or None. Textual does not notice a
    missing terminal: it would write escape codes into the pipe and hang.
    Under `soundtrack serve` there is no terminal and none is needed."""
    if is_web_session():
        return None
    streams = (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    # A closed stream is None, or a file whose isatty() raises.
    not_terminals = [name for name, stream in streams if not _is_terminal(stream)]
    if len(not_terminals) == 1:
        return f"{not_terminals[0]} is not a terminal"
    if not_terminals:
        names = ", ".join(not_terminals[:-1]) + f" and {not_terminals[-1]}"
        return f"{names} are not terminals"
    term = os.environ.get("TERM", "")
    if term in ("", "dumb"):
        return f"TERM is {'empty' if not term else 'dumb'}"
    return None


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return False


def run_ui(content: str | None, state: str | None, *, spoilers: bool) -> int:
    problem = terminal_problem()
    if problem:
        error(
            f"the browser needs a terminal ({problem}); without one, use "
            "soundtrack list, show N, search QUERY, story, watched N or check"
        )
        return EXIT_USAGE
    if is_web_session():
        from soundtrack_tui.commands.serve import end_with_server

        end_with_server()
    from soundtrack_tui.ui.app import run as run_app

    code: int = run_app(pack_path(content), state, spoilers=spoilers)
    return code
