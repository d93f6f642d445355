"""The command line's grammar: commands, options, and what N, RANGE and
QUERY may be.

argparse only, no core import beyond the sanitizer: parsing runs before
anything else, on every call.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any, NamedTuple, NoReturn

from soundtrack_tui import __version__
from soundtrack_tui.core.sanitize import one_line
from soundtrack_tui.exit_codes import EXIT_USAGE

LEVELS = ("strict", "standard", "off")
CACHE_ACTIONS = ("info", "clear")
IMPORT_KINDS = (
    ("tvmaze", "FILE", "a TVmaze show document saved with ?embed=episodes"),
    ("nfo", "DIR", "a folder holding tvshow.nfo and the episodes' .nfo files"),
)

EPILOG = """\
N is an episode number (3). RANGE is N or two numbers with a dash, both
included (1-3); several may follow each other (soundtrack watched 1-3 5).
In a show with seasons, N may also be an episode of a season (s2e5), and
RANGE a season (s2), an episode of one (s2e5), or a span of either (s1-s2,
s2e3-s2e7); upper or lower case. A season the show lacks exits with 1.
QUERY is one or more words that must all appear; the last may be the start
of a word, and words in double quotes are a phrase (soundtrack search
'"tarot card"').

examples:
  soundtrack                      browse in the terminal
  soundtrack watched 1-2          you have seen the first two episodes
  soundtrack show 3 --spoilers    read episode 3 before watching it
  soundtrack search "sun woo"     every mention of him you may see
  soundtrack level strict         locked episodes show only their number
  soundtrack serve                the app in a web browser, at http://127.0.0.1:8000
  soundtrack new my-show --title "My Show" --episodes 12
  soundtrack add my-show          install a pack; soundtrack shows lists your shows
  soundtrack --show my-show       open it (plain soundtrack opens the show used last)
  soundtrack history import trakt-export.zip --dry-run
  soundtrack import tvmaze show.json my-show
"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        # The message quotes what was typed, which may hold escape codes.
        line = one_line(f"{self.prog}: error: {message} (see {self.prog} --help)")
        self.exit(EXIT_USAGE, line + "\n")


def _number(text: str) -> int:
    # ASCII digits only: int() also reads "٣" or "３", which a user would
    # not know were taken as episode 3.
    stripped = text.strip()
    if not (stripped.isascii() and stripped.lstrip("+-").isdigit()):
        raise argparse.ArgumentTypeError(f"not an episode number: {text!r}")
    value = int(stripped)
    if value < 1:
        raise argparse.ArgumentTypeError(f"episode numbers start at 1: {text!r}")
    return value


def _positive(text: str) -> int:
    """A count such as --limit: a whole number of at least 1, in ASCII digits."""
    stripped = text.strip()
    if not (stripped.isascii() and stripped.lstrip("+").isdigit()) or int(stripped) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(stripped)


# A season (s2) or an episode of one (s2e5); ASCII digits only, as `_number`.
_SEASON_POINT = re.compile(r"[sS]([0-9]+)(?:[eE]([0-9]+))?")

Point = tuple[int | None, int]
"""One end of a RANGE: (None, absolute number), (season, 0) for a whole
season, or (season, number in that season)."""


class EpisodeSpec(NamedTuple):
    """A RANGE as typed; the command resolves the season forms against its pack."""

    text: str
    first: Point
    last: Point


def _point(part: str, text: str) -> Point:
    matched = _SEASON_POINT.fullmatch(part.strip())
    if matched is None:
        return None, _number(part)
    season, episode = int(matched[1]), int(matched[2] or 0)
    if season < 1 or (matched[2] is not None and episode < 1):
        raise argparse.ArgumentTypeError(f"seasons and episodes start at 1: {text!r}")
    return season, episode


def episode_spec(text: str) -> EpisodeSpec:
    """ "3", "1-3", "s2", "s2e5", "s1-s2" or "s2e3-s2e7", checked for form
    and order; what a season holds is only known with the pack."""
    first, dash, last = text.strip().partition("-")
    start = _point(first, text)
    end = _point(last, text) if dash else start
    if start[0] is None or end[0] is None:
        # A number to a season (or back) is only ordered once resolved.
        backwards = start[0] is None and end[0] is None and start[1] > end[1]
    else:
        # A whole season's end is its last episode, whatever its number.
        backwards = (start[0], start[1]) > (end[0], end[1] or start[1])
    if backwards:
        raise argparse.ArgumentTypeError(f"a range runs from low to high: {text!r}")
    return EpisodeSpec(text, start, end)


def episode_point(text: str) -> EpisodeSpec:
    """`show`'s N: an episode number (3) or an episode of a season (s2e5)."""
    point = _point(text, text)
    if point[0] is not None and point[1] == 0:
        raise argparse.ArgumentTypeError(f"name one episode (like s2e5), not a whole season: {text!r}")
    return EpisodeSpec(text, point, point)


def _port(text: str) -> int:
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit() and 1 <= int(stripped) <= 65535):
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {text!r}")
    return int(stripped)


def _count(text: str) -> int:
    value = _number(text)
    if value > 100_000:
        raise argparse.ArgumentTypeError(f"at most 100000 episodes: {text!r}")
    return value


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    """--content, --state-dir and --spoilers work before or after the
    command name."""
    parser.add_argument(
        "--content", metavar="DIR", default=default, help="a pack folder (default: the show used last)"
    )
    parser.add_argument(
        "--show", metavar="ID", default=default, help="a show of your library (soundtrack shows lists them)"
    )
    parser.add_argument(
        "--state-dir", metavar="DIR", default=default, help="where progress is kept (or SOUNDTRACK_STATE_DIR)"
    )
    parser.add_argument(
        "--spoilers",
        action="store_true",
        default=False if default is None else default,
        help="show everything, spoilers included (saves nothing)",
    )


def _library_commands(commands: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """add, remove and shows: the library of installed packs."""
    add = command("add", "install a pack folder or a .zip of one into your library")
    add.add_argument("path", metavar="PATH", help="the pack folder or .zip")
    remove = command("remove", "remove an installed show (your progress in it is kept)")
    remove.add_argument("id", metavar="ID", help="the show's id (soundtrack shows lists them)")
    remove.add_argument("--yes", action="store_true", help="really remove it")
    command("shows", "the shows in your library, with your progress", json=True)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="soundtrack",
        description="A spoiler-aware browser for the K-drama Soundtrack #1. "
        "Without a command, starts the terminal UI.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"soundtrack {__version__}")
    _common(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    keep = argparse.SUPPRESS

    def command(name: str, help: str, *, json: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(sub, keep)
        if json:
            sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    command("list", "the episodes, with watched and locked marks", json=True)
    show = command("show", "one episode, as far as your progress allows", json=True)
    show.add_argument("number", type=episode_point, metavar="N")
    search = command("search", "search recaps, characters, reviews and songs", json=True)
    search.add_argument("query", nargs="+", metavar="QUERY")
    most = search.add_mutually_exclusive_group()
    most.add_argument("--limit", type=_positive, default=50, help="most results to print (default 50)")
    most.add_argument("--all", action="store_true", help="every visible result")
    for name, verb in (
        ("watched", "mark episodes as watched"),
        ("unwatched", "mark episodes as not watched"),
    ):
        command(name, verb).add_argument("ranges", type=episode_spec, nargs="+", metavar="RANGE")
    command("story", "the story so far as Markdown, safe to share", json=True)
    command("tracks", "the show's soundtrack, as far as your progress allows", json=True)
    command("characters", "the characters you have met, as far as your progress allows", json=True)
    level = command("level", "show or set how much a locked episode shows")
    level.add_argument("level", nargs="?", choices=LEVELS, metavar="LEVEL", help=" | ".join(LEVELS))
    serve = command("serve", "the same app in a web browser (textual-serve), on this machine by default")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    _library_commands(commands, command)
    _history(command("history", "bring your watch history in from Trakt or TV Time, or take it out"))
    check = commands.add_parser(
        "check", help="validate a content pack", description="validate a content pack"
    )
    check.add_argument("path", nargs="?", metavar="PATH", help="pack folder (default: the bundled pack)")
    check.add_argument("--content", metavar="DIR", default=keep, help=argparse.SUPPRESS)
    new = commands.add_parser(
        "new",
        help="start a new content pack that check accepts",
        description="write a skeleton pack (show.toml, one file per episode, characters.toml) to fill in",
    )
    new.add_argument("path", metavar="DIR", help="the folder to create; it must not exist yet")
    new.add_argument("--title", required=True, help="the show's title")
    new.add_argument("--episodes", type=_count, required=True, metavar="N", help="how many episodes")
    importing = commands.add_parser(
        "import",
        help="start a pack from a saved TVmaze show document or Kodi/Jellyfin NFO files",
        description="write a new pack folder from data you saved; episode summaries become gated recaps",
    )
    kinds = importing.add_subparsers(dest="kind", metavar="KIND", required=True, parser_class=_Parser)
    for kind, source, what in IMPORT_KINDS:
        sub = kinds.add_parser(kind, help=what, description=f"write a new pack folder from {what}")
        sub.add_argument("source", metavar=source, help=what)
        sub.add_argument("dest", metavar="DEST", help="the pack folder to create; it must not exist yet")
    cache = commands.add_parser(
        "cache",
        help="where the cache of parsed packs is and what it holds; cache clear empties it",
        description="The cache keeps parsed packs and search indexes so that a big pack opens at once "
        "(the packs used last are kept). Clearing it is always safe: the next start reads the pack again.",
    )
    cache.add_argument(
        "action",
        nargs="?",
        choices=CACHE_ACTIONS,
        default="info",
        metavar="ACTION",
        help="info (the default): the folder, its size and each pack; clear: delete every entry",
    )
    return parser


def _history(history: argparse.ArgumentParser) -> None:
    """`history import FILE [--show ID] [--dry-run]` and `history export
    [--json|--csv]`."""
    actions = history.add_subparsers(
        dest="history_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    keep = argparse.SUPPRESS
    into = actions.add_parser(
        "import",
        help="mark what a Trakt, TV Time or soundtrack export says you watched (only adds marks)",
        description="Mark as watched the episodes a history says you have seen: Trakt's watched-history.json "
        "or its export zip, TV Time's GDPR export zip, or a file from soundtrack history export. "
        "Nothing is ever unmarked, and nothing is written if the file has a problem.",
    )
    _common(into, keep)
    into.add_argument("file", metavar="FILE", help="the export: a .zip, .json or .csv")
    into.add_argument("--dry-run", action="store_true", help="print what would be marked; write nothing")
    out = actions.add_parser(
        "export",
        help="print your watched episodes of every installed show, with their ids",
        description="Print your watched episodes, with the shows' and episodes' ids, as JSON (the default) "
        "or CSV; history import reads either back.",
    )
    _common(out, keep)
    shape = out.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="JSON (the default)")
    shape.add_argument("--csv", action="store_true", help="CSV, one row per watched episode")
