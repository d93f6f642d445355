"""The installed shows as the history matcher sees them."""

from __future__ import annotations

from collections.abc import Iterable

from soundtrack_tui.core.history.rows import HistoryEpisode, HistoryShow
from soundtrack_tui.core.model import Pack


def history_shows(packs: Iterable[Pack]) -> list[HistoryShow]:
    """One `HistoryShow` per pack, with every episode the show has (a mark
    may be kept for an episode whose recap is not written yet). A pack of
    format 1 is one season without external ids, so only its title, year
    and episode numbers can match."""
    return [
        HistoryShow(
            id=pack.show.id,
            title=pack.show.title,
            year=pack.show.year,
            ids={},
            episodes=tuple(HistoryEpisode(number, 1, number) for number in pack.numbers),
        )
        for pack in packs
    ]
