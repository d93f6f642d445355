"""What content format 1.1 adds to the loader's checks: its number, seasons,
external ids, and an episode without a logline.

Seasons group episodes without renumbering them: an episode's `number`
stays its place in the whole show, and its `season` (default 1) only says
which group it falls in. So the checks are few: declared seasons count
1, 2, 3... in order, an episode names a declared season, and seasons
never go down as episode numbers go up (a list grouped by season must be
the list in episode order). A format 1 pack may use none of this: a
soundtrack that reads only format 1 would reject it with puzzling unknown
keys, where the format number says plainly what the pack needs. Kept apart
so the loader only assembles.
"""

from __future__ import annotations

from typing import Any, Protocol

from soundtrack_tui.core.errors import Severity
from soundtrack_tui.core.external_ids import ExternalIds, id_problem
from soundtrack_tui.core.model import FORMAT_VERSIONS, Season
from soundtrack_tui.core.tomlpos import Path as KeyPath

# The keys format 1.1 adds, in show.toml and in an episode file.
SHOW_KEYS_1_1 = ("seasons", "ids")
EPISODE_KEYS_1_1 = ("season", "ids")


class Report(Protocol):
    def __call__(self, path: KeyPath, message: str, severity: Severity = Severity.ERROR) -> None: ...


def readable_format(version: float, report: Report) -> bool:
    """Can this version read a pack of format `version`? Reports when not."""
    if version in FORMAT_VERSIONS:
        return True
    readable = " or ".join(map(str, FORMAT_VERSIONS))
    report(("format",), f"unsupported format {version}; this soundtrack reads format {readable}")
    return False


def _needs_1_1(version: float | None, values: dict[str, Any], keys: tuple[str, ...], report: Report) -> None:
    if version is None or version != 1:
        return  # 1.1, or unknown because show.toml has errors of its own
    for key in keys:
        if key in values:
            # An array of tables has no place of its own: its first entry's number has.
            place: KeyPath = (key, 0, "number") if key == "seasons" else (key,)
            report(place, "needs format = 1.1 in show.toml (format 1 has no seasons or ids)")


def external_ids(table: dict[str, Any], report: Report) -> ExternalIds:
    """The `[ids]` table (already checked against the schema), each id
    checked for its database; a bad one is reported and left out."""
    ids: dict[str, int | str] = {}
    for key, value in table.items():
        if (problem := id_problem(key, value)) is not None:
            report(("ids", key), problem)
        else:
            ids[key] = value
    return ids


class FormatRules:
    """The pack's format and declared seasons, and the seasons its episodes
    name, as the loader meets them."""

    def __init__(self) -> None:
        self.version: float | None = None
        self.declared: tuple[Season, ...] = ()
        self.show_report: Report | None = None
        self.seen: list[tuple[int, int, bool, Report]] = []

    def show_fields(self, version: float | None, values: dict[str, Any], report: Report) -> dict[str, Any]:
        """`format`, `seasons` and `ids` of the Show, from show.toml's checked values."""
        self.version = version
        self.show_report = report
        _needs_1_1(version, values, SHOW_KEYS_1_1, report)
        self.declared = self._declare(values.get("seasons", []), report)
        ids = external_ids(values.get("ids", {}), report)
        return {"format": version or 1, "seasons": self.declared, "ids": ids}

    def _declare(self, entries: list[dict[str, Any]], report: Report) -> tuple[Season, ...]:
        """The `[[seasons]]` of show.toml, each numbered by its place in the list."""
        seasons: list[Season] = []
        for index, entry in enumerate(entries):
            number = entry.get("number")
            if number is not None and number != index + 1:
                report(
                    ("seasons", index, "number"),
                    f"is {number} but must be {index + 1}: seasons are numbered 1, 2, 3... in order",
                )
            seasons.append(Season(index + 1, entry.get("title"), entry.get("logline")))
        return tuple(seasons)

    def episode_fields(
        self, number: int, values: dict[str, Any], report: Report, later: Report
    ) -> dict[str, Any] | None:
        """`season`, `ids` and `logline` of episode `number`, from its
        checked values; None, reported, if it names no season the show has.
        `later` reports in the same file once every episode is read (see
        `check_seasons`): one that does not hold on to the file's text."""
        _needs_1_1(self.version, values, EPISODE_KEYS_1_1, report)
        logline = values.get("logline", "")
        if not logline:
            report(("title",), "has no logline beside it: the list shows the title alone", Severity.WARNING)
        season: int = values.get("season", 1)
        if season < 1:
            report(("season",), "must be 1 or more")
            return None
        if self.declared and season > len(self.declared):
            count = len(self.declared)
            report(("season",), f"season {season} is not declared in show.toml [[seasons]] (1 to {count})")
            return None
        self.seen.append((number, season, "season" in values, later))
        ids = external_ids(values.get("ids", {}), report)
        return {"season": season, "ids": ids, "logline": logline}

    def check_seasons(self) -> None:
        """Once every episode is read: reports each episode whose season is
        lower than an earlier one's, and warns of a declared season no
        episode is in."""
        highest, highest_number = 0, 0
        for number, season, written, report in sorted(self.seen, key=lambda seen: seen[0]):
            if season < highest:
                said = f"is {season}" if written else "is not given, so 1,"
                report(
                    ("season",) if written else ("number",),
                    f"{said} but episode {highest_number} is in season {highest}; "
                    "seasons may not go down as episode numbers go up",
                )
            elif season > highest:
                highest, highest_number = season, number
        named = {season for _, season, _, _ in self.seen}
        for declared in self.declared:
            if declared.number not in named and self.show_report is not None:
                self.show_report(
                    ("seasons", declared.number - 1, "number"),
                    f"season {declared.number} has no episode: no episode file names it",
                    Severity.WARNING,
                )
