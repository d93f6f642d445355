"""Trakt's `watched-history.json`: a JSON array of plays, each with
`watched_at`, `type` ("episode" or "movie"), `episode{season, number, ids}`
and `show{title, year, ids}`.

A long history is hundreds of megabytes of JSON: it is read a few items at
a time (`jsonarray`), and each item becomes a small row before the next
are decoded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from soundtrack_tui.core.history.jsonarray import json_array_items
from soundtrack_tui.core.history.rows import (
    MAX_ROWS,
    HistoryError,
    IdPairs,
    WatchedRow,
    check_date,
    id_pairs,
    whole_number,
)


def trakt_rows(stream: BinaryIO, name: str, skipped: Counter[str]) -> Iterator[WatchedRow]:
    """A row per episode play; movies are counted in `skipped`."""
    # A history names the same few shows thousands of times: their ids and
    # titles are validated once and shared between rows.
    shows: dict[object, tuple[str, int | None, IdPairs]] = {}
    for index, item in enumerate(json_array_items(stream, name), 1):
        if index > MAX_ROWS:
            raise HistoryError(f"{name} holds more than {MAX_ROWS:,} rows; refusing it")
        try:
            row = _row(item, shows)
        except HistoryError as exc:
            raise HistoryError(f"{name} item {index:,}: {exc}") from None
        if row is None:
            skipped["movie play"] += 1
        else:
            yield row


def _row(item: object, shows: dict[object, tuple[str, int | None, IdPairs]]) -> WatchedRow | None:
    if not isinstance(item, dict):
        raise HistoryError("not an object")
    kind = item.get("type")
    if kind == "movie":
        return None
    if kind != "episode":
        raise HistoryError(f"type {str(kind)[:20]!r} is neither episode nor movie")
    episode, show = item.get("episode"), item.get("show")
    if not isinstance(episode, dict) or not isinstance(show, dict):
        raise HistoryError("an episode play needs episode and show objects")
    title, year, show_ids = _show(show, shows)
    season, number = episode.get("season"), episode.get("number")
    # Plain ints, nearly always: only anything else takes the full check.
    if type(season) is not int or season < 0:
        season = whole_number(season, "season")
    if type(number) is not int or number < 0:
        number = whole_number(number, "episode number")
    ids = episode.get("ids")
    return WatchedRow(
        title,
        year,
        show_ids,
        None,
        season,
        number,
        None,
        id_pairs(ids, "episode") if ids else (),
        check_date(item.get("watched_at"), "watched_at"),
    )


def _show(
    show: dict[str, Any], seen: dict[object, tuple[str, int | None, IdPairs]]
) -> tuple[str, int | None, IdPairs]:
    title, year, ids = show.get("title"), show.get("year"), show.get("ids")
    try:
        key: object = (title, year, tuple(ids.items()) if isinstance(ids, dict) else ids)
        known = seen.get(key)
    except TypeError:  # a list among the ids: validation below says so
        key, known = None, None
    if known is not None:
        return known
    if not isinstance(title, str) or not title.strip():
        raise HistoryError("the show has no title")
    if year is not None:
        year = whole_number(year, "show year", least=1)
    known = (title.strip(), year, id_pairs(ids, "show"))
    if key is not None:
        seen[key] = known
    return known
