"""TV Time's GDPR export: `tracking-prod-records-v2.csv`, a row per episode
marked watched.

Column names changed between export generations, so each field accepts the
names known to have been used, and the summary says which columns were
read. Other columns are ignored (the file has many, some personal). Cells
are only ever read as text: a cell such as `=cmd|...` is a title that
matches nothing, never a formula.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from soundtrack_tui.core.history.rows import (
    MAX_ROWS,
    HistoryError,
    WatchedRow,
    check_date,
    clean_id,
    whole_number,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("series_name",),
    "tvdb_show": ("s_id",),
    "tvdb_episode": ("ep_id",),
    "season": ("season_number", "s_no"),
    "episode": ("episode_number", "ep_no"),
    "watched_at": ("created_at",),
}
"""For each field, the column names it may have, newest first."""

REQUIRED = ("season", "episode")


@dataclass(frozen=True)
class Columns:
    """Where each field is in a row (None: the file has no such column)."""

    index: dict[str, int | None]
    names: tuple[str, ...]  # the columns read, as the header spells them

    def cell(self, row: Sequence[str], field: str) -> str:
        at = self.index[field]
        return "" if at is None else row[at].strip()


def find_columns(header: Sequence[str], name: str) -> Columns:
    folded = [cell.strip().lower() for cell in header]
    index: dict[str, int | None] = {}
    for field, choices in COLUMNS.items():
        index[field] = next((folded.index(choice) for choice in choices if choice in folded), None)
    missing = [field for field in REQUIRED if index[field] is None]
    if missing or (index["title"] is None and index["tvdb_show"] is None):
        found = ", ".join(cell[:30] for cell in header[:12]) or "nothing"
        raise HistoryError(
            f"{name} is not a TV Time tracking file: it needs series_name or s_id, season_number "
            f"(or s_no) and episode_number (or ep_no); its columns are {found}"
        )
    used = tuple(header[i].strip() for i in sorted(i for i in index.values() if i is not None))
    return Columns(index, used)


def tvtime_rows(reader: Iterator[list[str]], header: Sequence[str], name: str) -> Iterator[WatchedRow]:
    """The rows of a TV Time CSV whose `header` has been read from `reader`
    (a `csv.reader`, whose `line_num` says where a bad row is)."""
    columns = find_columns(header, name)
    for count, row in enumerate(reader, 1):
        if count > MAX_ROWS:
            raise HistoryError(f"{name} holds more than {MAX_ROWS:,} rows; refusing it")
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield _row(row, columns, len(header))
        except HistoryError as exc:
            raise HistoryError(f"{name} line {getattr(reader, 'line_num', count + 1):,}: {exc}") from None


def _row(row: Sequence[str], columns: Columns, width: int) -> WatchedRow:
    if len(row) < width:
        raise HistoryError(f"{len(row)} cells, where the header has {width}")
    show_id = clean_id("tvdb", columns.cell(row, "tvdb_show"), "s_id")
    episode_id = clean_id("tvdb", columns.cell(row, "tvdb_episode"), "ep_id")
    watched_at = columns.cell(row, "watched_at")
    return WatchedRow(
        show_title=columns.cell(row, "title"),
        show_ids=(("tvdb", show_id),) if show_id is not None else (),
        season=whole_number(columns.cell(row, "season"), "season"),
        number_in_season=whole_number(columns.cell(row, "episode"), "episode"),
        episode_ids=(("tvdb", episode_id),) if episode_id is not None else (),
        watched_at=check_date(watched_at, "created_at") if watched_at else None,
    )


def described(name: str, header: Sequence[str]) -> str:
    """Which file and columns a TV Time import read."""
    return f"{name} (columns {', '.join(find_columns(header, name).names)})"
