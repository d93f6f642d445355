"""What content format 1.1 adds to the loader's checks: its number, and seasons.

Seasons group episodes without renumbering them: an episode's `number`
stays its place in the whole show, and its `season` (default 1) only says
which group it falls in. So the checks are few: declared seasons count
1, 2, 3... in order, an episode names a declared season, and seasons
never go down as episode numbers go up (a list grouped by season must be
the list in episode order). Kept apart so the loader only assembles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from soundtrack_tui.core.model import FORMAT_VERSIONS, Season
from soundtrack_tui.core.tomlpos import Path as KeyPath

Report = Callable[[KeyPath, str], None]


def readable_format(version: float, report: Report) -> bool:
    """Can this version read a pack of format `version`? Reports when not."""
    if version in FORMAT_VERSIONS:
        return True
    readable = " or ".join(map(str, FORMAT_VERSIONS))
    report(("format",), f"unsupported format {version}; this soundtrack reads format {readable}")
    return False


class SeasonRules:
    """The seasons show.toml declares, and the episodes' seasons seen so far."""

    def __init__(self) -> None:
        self.declared: tuple[Season, ...] = ()
        self.seen: list[tuple[int, int, Report]] = []

    def declare(self, entries: list[dict[str, Any]], report: Report) -> tuple[Season, ...]:
        """The `[[seasons]]` of show.toml (already checked against the
        schema), each numbered by its place in the list."""
        seasons: list[Season] = []
        for index, entry in enumerate(entries):
            number = entry.get("number")
            if number is not None and number != index + 1:
                report(
                    ("seasons", index, "number"),
                    f"is {number} but must be {index + 1}: seasons are numbered 1, 2, 3... in order",
                )
            seasons.append(Season(index + 1, entry.get("title"), entry.get("logline")))
        self.declared = tuple(seasons)
        return self.declared

    def episode_season(self, number: int, values: dict[str, Any], report: Report) -> int | None:
        """The season of episode `number` (from its checked `values`), or
        None, reported, if it names no season the show has."""
        season: int = values.get("season", 1)
        if season < 1:
            report(("season",), "must be 1 or more")
            return None
        if self.declared and season > len(self.declared):
            count = len(self.declared)
            report(("season",), f"season {season} is not declared in show.toml [[seasons]] (1 to {count})")
            return None
        self.seen.append((number, season, report))
        return season

    def check_order(self) -> None:
        """Reports each episode whose season is lower than an earlier one's."""
        highest, highest_number = 0, 0
        for number, season, report in sorted(self.seen, key=lambda seen: seen[0]):
            if season < highest:
                report(
                    ("season",),
                    f"is {season} but episode {highest_number} is in season {highest}; "
                    "seasons may not go down as episode numbers go up",
                )
            elif season > highest:
                highest, highest_number = season, number
