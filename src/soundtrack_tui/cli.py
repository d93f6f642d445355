"""Command-line entry point.

Kept light on purpose: argparse and the core only. Textual is imported only
when the terminal UI actually starts, so `soundtrack list` and friends stay
fast and usable in pipes and scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence

from soundtrack_tui.arguments import build_parser
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    _prepare_streams()
    args = build_parser().parse_args(argv)
    if sys.stdout is None and args.command:
        sys.stderr.write("soundtrack: standard output is closed; nothing to write to\n")
        return EXIT_CONTENT
    try:
        code = _dispatch(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full device says so here, not at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`soundtrack list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as failure:
        # Writing the output failed (a full device, an I/O error): one line.
        from soundtrack_tui.core.files import describe_os_error

        sys.stderr.write(f"soundtrack: cannot write the output: {describe_os_error(failure)}\n")
        # Whatever is left in the buffer cannot be written either.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CONTENT


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        from soundtrack_tui.commands import check

        return check(args.path or args.content)
    if args.command == "cache":
        from soundtrack_tui.commands.cache import cache_command

        return cache_command(args.action)
    if args.command == "new":
        from soundtrack_tui.commands.new import new_pack

        return new_pack(args.path, args.title, args.episodes)
    if args.command == "import":
        from soundtrack_tui.commands.importing import import_pack

        return import_pack(args.kind, args.source, args.dest)
    if args.command == "history":
        from soundtrack_tui.commands.history import cmd_history

        return cmd_history(args)
    from soundtrack_tui.commands import library_command

    return library_command(args.command, args, _run_ui)


def _prepare_streams() -> None:
    """Text the terminal's encoding cannot show becomes "?" rather than a
    traceback (PYTHONIOENCODING=ascii, a Latin-1 locale), and a closed
    stderr becomes a sink, so reporting a problem never fails."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _run_ui(args: argparse.Namespace) -> int:
    from soundtrack_tui.commands import run_ui

    return run_ui(args.content, args.state_dir, spoilers=args.spoilers)
