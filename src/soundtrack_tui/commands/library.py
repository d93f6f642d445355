"""`add`, `remove`, `shows`, and which show a command uses: `--show ID`,
`--content DIR`, else the show used last."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from soundtrack_tui.commands.session import CommandError
from soundtrack_tui.core import library
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from soundtrack_tui.output import Output, error, print_json


def choose_show(args: argparse.Namespace) -> None:
    """Point `args.content` at the pack the command will use, and
    `args.show` at its library id (None for a folder given by --content or
    the bundled show by default). Using a show by id makes it the one used
    last. Raises `CommandError` for a usage or lookup problem."""
    show: str | None = getattr(args, "show", None)
    content: str | None = getattr(args, "content", None)
    state: str | None = getattr(args, "state_dir", None)
    if show is not None and content is not None:
        raise CommandError("--show and --content name the pack two ways; pass one of them", EXIT_USAGE)
    if content is not None:
        return
    remember = show is not None
    show = show if show is not None else library.last_show(state)
    if show is None:
        return
    try:
        path = library.pack_for(show)
    except library.LibraryError as failure:
        raise CommandError(failure.lines[0]) from None
    if remember:
        library.remember_show(show, state)
    if path != bundled_pack():
        args.content = str(path)
    args.show = show


def cmd_add(args: Any) -> int:
    try:
        show = library.install(Path(args.path), args.state_dir)
    except library.LibraryError as failure:
        for line in failure.lines:
            error(line)
        return EXIT_CONTENT
    Output().line((f"Added {show.id}: {show.title}, {show.episode_count} episodes ({show.progress})", ""))
    Output().line((f"Open it with: soundtrack --show {show.id}", "dim"))
    return EXIT_OK


def cmd_remove(args: Any) -> int:
    if not args.yes:
        try:
            path = library.pack_for(args.id)
        except library.LibraryError as failure:
            error(failure.lines[0])
            return EXIT_CONTENT
        if path == bundled_pack():
            error(f"{args.id} is the bundled show; it is always in the library")
            return EXIT_CONTENT
        error(f"this would remove {args.id} ({path}); your progress is kept. Pass --yes to remove it")
        return EXIT_USAGE
    try:
        library.remove(args.id)
    except library.LibraryError as failure:
        error(failure.lines[0])
        return EXIT_CONTENT
    except OSError as failure:
        from soundtrack_tui.core.files import describe_os_error

        error(f"cannot remove {args.id}: {describe_os_error(failure)}")
        return EXIT_CONTENT
    Output().line((f"Removed {args.id}; your progress in it is kept.", ""))
    return EXIT_OK


def cmd_shows(args: Any) -> int:
    shows = library.list_shows(args.state_dir)
    last = library.last_show(args.state_dir) or library.bundled_id()
    if args.json:
        print_json(
            [
                {
                    "id": show.id,
                    "title": show.title,
                    "episodes": show.episode_count,
                    "seasons": show.seasons,
                    "watched": show.watched,
                    "bundled": show.bundled,
                    "last_used": show.id == last,
                    "path": str(show.path),
                }
                for show in shows
            ]
        )
        return EXIT_OK
    rows = [
        [
            (("* " if show.id == last else "  ") + show.id, "bold" if show.id == last else ""),
            (show.title, ""),
            (str(show.episode_count), ""),
            (show.progress, "dim"),
        ]
        for show in shows
    ]
    out = Output()
    out.table(["  ID", "TITLE", "EPISODES", "PROGRESS"], rows)
    out.line(("* the show used last: plain soundtrack opens it; --show ID picks another", "dim"))
    return EXIT_OK
