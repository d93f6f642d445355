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
from typing import NoReturn

from soundtrack_tui import __version__
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        # The message quotes what was typed, which may hold escape codes.
        line = sanitize(f"{self.prog}: error: {message} (see {self.prog} --help)").replace("\n", " ")
        self.exit(EXIT_USAGE, line + "\n")


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    """--content and --state-dir work before or after the command name."""
    parser.add_argument(
        "--content", metavar="DIR", default=default, help="a pack folder (default: the bundled Soundtrack #1)"
    )
    parser.add_argument(
        "--state-dir", metavar="DIR", default=default, help="where progress is kept (or SOUNDTRACK_STATE_DIR)"
    )


def _positive(text: str) -> int:
    # ASCII digits only: int() also reads "٣" or "３", which a user would
    # not know were taken as episode 3.
    stripped = text.strip()
    if not (stripped.isascii() and stripped.lstrip("+-").isdigit()):
        raise argparse.ArgumentTypeError(f"not an episode number: {text!r}")
    value = int(stripped)
    if value < 1:
        raise argparse.ArgumentTypeError(f"episode numbers start at 1: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="soundtrack",
        description="A spoiler-aware browser for the K-drama Soundtrack #1. "
        "Without a command, starts the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"soundtrack {__version__}")
    _common(parser)
    parser.add_argument("--spoilers", action="store_true", help="show everything, spoilers included")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    keep = argparse.SUPPRESS

    def command(
        name: str, help: str, *, spoilers: bool = False, json: bool = False
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        _common(sub, keep)
        if spoilers:
            sub.add_argument("--spoilers", action="store_true", default=keep, help="show everything")
        if json:
            sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    command("list", "the episodes, with watched and locked marks", json=True)
    show = command("show", "one episode, as far as your progress allows", spoilers=True, json=True)
    show.add_argument("number", type=_positive, metavar="N")
    search = command("search", "search recaps, characters and reviews", spoilers=True, json=True)
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=_positive, default=50, help="most results to print (default 50)")
    for name, verb in (
        ("watched", "mark episodes as watched"),
        ("unwatched", "mark episodes as not watched"),
    ):
        command(name, verb).add_argument("numbers", type=_positive, nargs="+", metavar="N")
    command("story", "the story so far as Markdown, safe to share", spoilers=True, json=True)
    command("tracks", "the show's soundtrack, as far as your progress allows", spoilers=True, json=True)
    check = commands.add_parser(
        "check", help="validate a content pack", description="validate a content pack"
    )
    check.add_argument("path", nargs="?", metavar="PATH", help="pack folder (default: the bundled pack)")
    check.add_argument("--content", metavar="DIR", default=keep, help=argparse.SUPPRESS)
    return parser


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
    if args.command:
        from soundtrack_tui.commands import run

        return run(args.command, args)
    return _run_ui(args)


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
