"""Command-line entry point.

Kept light on purpose: argparse and the core only. Textual is imported only
when the terminal UI actually starts, so `soundtrack list` and friends stay
fast and usable in pipes and scripts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from soundtrack_tui import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", metavar="DIR", help="a pack folder (default: the bundled Soundtrack #1)")
    parser.add_argument("--state-dir", metavar="DIR", help="where progress is kept (or SOUNDTRACK_STATE_DIR)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="soundtrack",
        description="A spoiler-aware browser for the K-drama Soundtrack #1. "
        "Without a command, starts the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"soundtrack {__version__}")
    _common(parser)
    parser.add_argument("--spoilers", action="store_true", help="start with spoilers shown")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="validate a content pack")
    check.add_argument("path", nargs="?", metavar="PATH", help="pack folder (default: the bundled pack)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            from soundtrack_tui.commands import check

            return check(args.path or args.content)
        return _run_ui(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`soundtrack list | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run_ui(args: argparse.Namespace) -> int:
    from soundtrack_tui.commands import run_ui

    return run_ui(args.content, args.state_dir, spoilers=args.spoilers)
