"""Starting the terminal browser: only where there is a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from typing import IO

from soundtrack_tui.commands.session import pack_path
from soundtrack_tui.exit_codes import EXIT_USAGE
from soundtrack_tui.output import MAX_WIDTH, error

MAX_LINES = 200

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
    honest_size_environment(os.environ, sys.__stdout__)
    if is_web_session():
        from soundtrack_tui.commands.serve import end_with_server

        end_with_server()
    from soundtrack_tui.ui.launch import run as run_app

    code: int = run_app(pack_path(content), state, spoilers=spoilers)
    return code


def honest_size_environment(environ: MutableMapping[str, str], terminal: IO[str] | None) -> None:
    """Keep COLUMNS and LINES only where they are a size the terminal has.

    Textual reads its size through `shutil.get_terminal_size`, which
    prefers these variables to the terminal: `COLUMNS=99999` had it lay out
    a screen of billions of cells at 100% CPU, deaf to q, and 0 or a word
    is no size at all. A value that is not a number from 1 to what the
    terminal reports is dropped, so Textual follows the terminal, resizes
    included; a smaller one is a deliberate choice and stays. A terminal
    that reports more than `MAX_WIDTH` x `MAX_LINES` (or nothing) is held
    to that size."""
    try:
        reported = tuple(os.get_terminal_size(terminal.fileno())) if terminal is not None else (0, 0)
    except (AttributeError, OSError, ValueError):
        reported = (0, 0)
    for name, size, most in zip(("COLUMNS", "LINES"), reported, (MAX_WIDTH, MAX_LINES), strict=True):
        limit = min(size, most) if size > 0 else most
        wanted = environ.get(name, "").strip()
        if wanted.isascii() and wanted.isdigit() and 1 <= int(wanted) <= limit:
            continue
        if size == limit:
            environ.pop(name, None)  # the terminal's own size, which Textual reads
        else:
            environ[name] = str(limit)
