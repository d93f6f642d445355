"""Which installed show and episode a row means.

Shows: by id first (the pack's id in our own export, then tvdb, tmdb, trakt,
tvmaze, imdb), then by folded title ("Soundtrack #1" = "soundtrack 1") and
year. Episodes: by id, then by the number in the whole show (our own export
only), then by season and episode number. Marking the wrong episode would
spoil, so a match is refused when the row and the show (or episode) carry
the same kind of id with different values, and a title that several
installed shows share matches none of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from soundtrack_tui.core.history.rows import SHOW, HistoryEpisode, HistoryShow, IdPairs, WatchedRow
from soundtrack_tui.core.textnorm import squash

OWN_ID = "soundtrack"  # the pack id, as our own export carries it


def _conflict(pairs: IdPairs, ids: Mapping[str, int | str]) -> bool:
    return any(key in ids and ids[key] != value for key, value in pairs)


@dataclass(frozen=True)
class _Episodes:
    by_id: dict[tuple[str, int | str], HistoryEpisode]
    by_number: dict[int, HistoryEpisode]
    by_season: dict[tuple[int, int], HistoryEpisode]


class Matcher:
    """Matches rows against a fixed list of shows. Rows name the same few
    shows over and over, so each distinct show description is matched once."""

    def __init__(self, shows: Sequence[HistoryShow]) -> None:
        self._by_id: dict[tuple[str, int | str], HistoryShow] = {}
        self._by_title: dict[str, list[HistoryShow]] = {}
        self._episodes: dict[str, _Episodes] = {}
        self._seen: dict[tuple[object, ...], HistoryShow | None] = {}
        for show in shows:
            self._by_id[(OWN_ID, show.id)] = show
            self._by_id.update(((key, value), show) for key, value in show.ids.items())
            self._by_title.setdefault(squash(show.title), []).append(show)
            self._episodes[show.id] = _Episodes(
                {(key, value): e for e in show.episodes for key, value in e.ids.items()},
                {e.number: e for e in show.episodes},
                {(e.season, e.number_in_season): e for e in show.episodes},
            )

    def show_for(self, row: WatchedRow) -> HistoryShow | None:
        key = row[:SHOW]
        if key not in self._seen:
            self._seen[key] = self._find_show(row)
        return self._seen[key]

    def _find_show(self, row: WatchedRow) -> HistoryShow | None:
        pairs = ((OWN_ID, row.show_id), *row.show_ids) if row.show_id else row.show_ids
        for pair in pairs:
            show = self._by_id.get(pair)
            if show is not None and not _conflict(row.show_ids, show.ids):
                return show
        candidates = [
            show
            for show in self._by_title.get(squash(row.show_title), ())
            if not (row.show_year and show.year and row.show_year != show.year)
            and not _conflict(row.show_ids, show.ids)
        ]
        return candidates[0] if len(candidates) == 1 else None

    def episode_for(self, show: HistoryShow, row: WatchedRow) -> HistoryEpisode | None:
        episodes = self._episodes[show.id]
        if episodes.by_id:
            for pair in row.episode_ids:
                found = episodes.by_id.get(pair)
                if found is not None:
                    return found
        if row.number is not None:
            found = episodes.by_number.get(row.number)
        else:
            found = episodes.by_season.get((row.season, row.number_in_season))  # type: ignore[arg-type]
        if found is None or (found.ids and _conflict(row.episode_ids, found.ids)):
            return None
        return found


def row_label(row: WatchedRow) -> str:
    """How the row names its episode: "S2 E5", or "episode 17"."""
    if row.season is not None and row.number_in_season is not None:
        return f"S{row.season} E{row.number_in_season}"
    return f"episode {row.number}"
