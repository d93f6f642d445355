"""The plain records every history format is read into and matched against.

Parsers turn their format into `WatchedRow`s; the matcher compares them with
`HistoryShow`s, which the caller builds from whatever it has installed, so
this package depends on no pack model at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

ID_KEYS = ("tvdb", "tmdb", "trakt", "tvmaze", "imdb")
"""The external ids a row or a show may carry; other keys (Trakt's `slug`,
`tvrage`) are ignored."""

# More rows than any real history holds (a show a day for 50 years is about
# 20,000 episodes): the cap only stops a generated file from running forever.
MAX_ROWS = 1_000_000

IdPairs = tuple[tuple[str, int | str], ...]
"""Ids as sorted (key, value) pairs: hashable, so rows can be compared."""

_IMDB = re.compile(r"tt\d{1,12}")


class HistoryError(Exception):
    """The input cannot be imported at all; `str()` is one line saying why.
    Raised before anything is written."""


class WatchedRow(NamedTuple):
    """One "I watched this episode" from any source.

    `number` (the episode's place in the whole show) and `show_id` (the
    pack's id) come only from this program's own export; other sources say
    season and episode numbers and ids. A named tuple rather than a
    dataclass: a long history makes hundreds of thousands, and a tuple is
    built and hashed in C. The show's fields come first, so `row[:SHOW]`
    is the show a row names."""

    show_title: str
    show_year: int | None = None
    show_ids: IdPairs = ()
    show_id: str | None = None
    season: int | None = None
    number_in_season: int | None = None
    number: int | None = None
    episode_ids: IdPairs = ()
    watched_at: str | None = None


SHOW = 4  # how many of WatchedRow's fields describe the show


@dataclass(frozen=True, slots=True)
class HistoryEpisode:
    number: int
    season: int
    number_in_season: int
    ids: Mapping[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistoryShow:
    id: str
    title: str
    year: int | None
    ids: Mapping[str, int | str]
    episodes: tuple[HistoryEpisode, ...]
    by_season: bool = False
    """Whether the program names its episodes "S2 E5" (a show of several seasons)."""


def clean_id(key: str, value: object, where: str) -> int | str | None:
    """One id as stored: a positive int, or `tt` and digits for imdb (lower
    case). None for an empty value; anything else is refused."""
    if value is None or value == "":
        return None
    if key == "imdb":
        if isinstance(value, str) and _IMDB.fullmatch(value.strip().lower()):
            return value.strip().lower()
    elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise HistoryError(f"{where}: the {key} id {str(value)[:40]!r} is not valid")


def id_pairs(raw: object, where: str) -> IdPairs:
    """The known ids of a mapping (a JSON `ids` object), validated."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise HistoryError(f"{where}: ids must be an object")
    pairs = []
    for key in ID_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        # Most ids are plain positive ints: those skip the full check.
        if type(value) is not int or value < 1:
            value = clean_id(key, value, where)
            if value is None:
                continue
        pairs.append((key, value))
    return tuple(pairs)


def check_date(value: object, where: str) -> str:
    """An ISO 8601 date or time (Trakt's `2014-03-31T09:28:53.000Z`, TV
    Time's `2019-05-12 19:20:33`), returned as given once it parses."""
    if isinstance(value, str) and 10 <= len(value) <= 40:
        try:
            # Without its "Z": Python 3.10 does not read one, and the time
            # zone does not matter to whether it is a date.
            dt.datetime.fromisoformat(value[:-1] if value[-1] in "Zz" else value)
            return value
        except ValueError:
            pass
    raise HistoryError(f"{where}: {str(value)[:40]!r} is not a date")


def whole_number(value: object, where: str, *, least: int = 0) -> int:
    """A season or episode number: an int (a JSON int, or ASCII digits in a
    CSV cell) of at least `least`."""
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            value = int(text)
    if isinstance(value, int) and not isinstance(value, bool) and least <= value <= 1_000_000:
        return value
    raise HistoryError(f"{where}: {str(value)[:40]!r} is not a number (at least {least})")
