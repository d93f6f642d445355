"""The installed shows as the history matcher sees them."""

from __future__ import annotations

from collections.abc import Iterable

from soundtrack_tui.core.history.rows import HistoryEpisode, HistoryShow
from soundtrack_tui.core.model import Pack


def history_shows(packs: Iterable[Pack]) -> list[HistoryShow]:
    """One `HistoryShow` per pack, with every episode the show has (a mark
    may be kept for an episode whose recap is not written yet), its season
    and place in it, and the external ids the pack gives (format 1.1), so
    a history can match by id before title."""
    return [
        HistoryShow(
            id=pack.show.id,
            title=pack.show.title,
            year=pack.show.year,
            ids=dict(pack.show.ids),
            episodes=tuple(_episode(pack, number) for number in pack.numbers),
            by_season=pack.has_seasons,
        )
        for pack in packs
    ]


def _episode(pack: Pack, number: int) -> HistoryEpisode:
    episode = pack.episodes.get(number)
    ids = dict(episode.ids) if episode is not None else {}
    return HistoryEpisode(number, pack.season_of(number), pack.number_in_season(number), ids)
