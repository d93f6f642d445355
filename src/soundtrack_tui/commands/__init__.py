"""What each CLI command does. No Textual here: the UI is imported lazily.

Every command asks the spoiler policy what it may print, exactly as the
terminal UI does, so `soundtrack show 3` can never reveal more than the
recap pane would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from soundtrack_tui.commands.check import check
from soundtrack_tui.commands.episodes import cmd_level, cmd_list, cmd_show, cmd_unwatched, cmd_watched
from soundtrack_tui.commands.library import choose_show, cmd_add, cmd_remove, cmd_shows
from soundtrack_tui.commands.people import cmd_characters
from soundtrack_tui.commands.reading import cmd_search, cmd_story, cmd_tracks
from soundtrack_tui.commands.serve import cmd_serve
from soundtrack_tui.commands.session import CommandError, Session, pack_path
from soundtrack_tui.commands.terminal import run_ui, terminal_problem
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from soundtrack_tui.output import Output, error

__all__ = [
    "COMMANDS",
    "EXIT_CONTENT",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandError",
    "Output",
    "Session",
    "check",
    "library_command",
    "pack_path",
    "run",
    "run_ui",
    "terminal_problem",
]

COMMANDS = {
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "watched": cmd_watched,
    "unwatched": cmd_unwatched,
    "story": cmd_story,
    "tracks": cmd_tracks,
    "characters": cmd_characters,
    "level": cmd_level,
    "serve": cmd_serve,
}


LIBRARY_COMMANDS = {"add": cmd_add, "remove": cmd_remove, "shows": cmd_shows}


def library_command(command: str | None, args: Any, run_ui: Callable[[Any], int]) -> int:
    """The library's own commands, or any other once `--show` or the show
    used last has named its pack (the UI's too, through `run_ui`)."""
    if command in LIBRARY_COMMANDS:
        return LIBRARY_COMMANDS[command](args)
    try:
        choose_show(args)
    except CommandError as failure:
        error(str(failure))
        return failure.code
    return run(command, args) if command else run_ui(args)


def run(command: str, args: Any) -> int:
    """Run a data command; every expected failure becomes one stderr line."""
    try:
        session = Session.open(args.content, args.state_dir, getattr(args, "spoilers", False))
        session.show = getattr(args, "show", None)
        try:
            return COMMANDS[command](session, args)
        finally:
            session.report_notices()
    except CommandError as failure:
        error(str(failure))
        return failure.code
