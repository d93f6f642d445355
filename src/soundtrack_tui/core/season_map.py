"""Which season each absolute episode number falls in, for `Pack`.

Kept apart from the model so the model stays a list of types. Episodes are
numbered through the whole show; a season is a run of those numbers. Only
the episodes that have a file name their season, so a number without one is
in the season of the nearest earlier file (season 1 before any), and a
season starts at its first file. Stored as the run starts, so labelling each
row of a long list is a binary search rather than a scan.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SeasonMap:
    """`starts[i]` is the first absolute number of season `seasons[i]`;
    `end` is one past the show's last episode."""

    starts: tuple[int, ...]
    seasons: tuple[int, ...]
    end: int

    @classmethod
    def build(cls, episode_count: int, seasons_by_number: Iterable[tuple[int, int]]) -> SeasonMap:
        """From (number, season) of each episode that has a file, in
        number order."""
        starts, seasons = [1], [1]
        for number, season in seasons_by_number:
            if season == seasons[-1]:
                continue
            if number == starts[-1]:
                seasons[-1] = season  # the first file decides where the run starts
            else:
                starts.append(number)
                seasons.append(season)
        return cls(tuple(starts), tuple(seasons), episode_count + 1)

    def _run(self, number: int) -> int:
        return max(bisect_right(self.starts, number) - 1, 0)

    def season_of(self, number: int) -> int:
        return self.seasons[self._run(number)]

    def number_in_season(self, number: int) -> int:
        return number - self.starts[self._run(number)] + 1

    def numbers_of(self, season: int) -> range:
        """The absolute numbers of `season`; empty if no episode is in it."""
        if season not in self.seasons:
            return range(0)
        index = self.seasons.index(season)
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return range(self.starts[index], end)
