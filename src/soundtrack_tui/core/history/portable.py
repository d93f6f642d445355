"""This program's own history export, JSON or CSV: every installed show's
watched episodes with the show's and each episode's ids, so the marks move
to another machine or tool, and `history import` reads them back exactly.

CSV cells are written so that a spreadsheet never runs them: a cell that
starts with = + - @, a tab, a carriage return or a quote gets a leading
quote (the OWASP advice), which the importer takes off again, so a title
such as "=Bad Show" survives the round trip.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from soundtrack_tui.core.history.rows import (
    ID_KEYS,
    MAX_ROWS,
    HistoryError,
    HistoryShow,
    WatchedRow,
    id_pairs,
    whole_number,
)

FORMAT = "soundtrack-history"
VERSION = 1
CSV_HEADER = (
    "show_id",
    "show_title",
    "show_year",
    *(f"show_{key}" for key in ID_KEYS),
    "episode",
    "season",
    "episode_in_season",
    *(f"episode_{key}" for key in ID_KEYS),
)
_RISKY = ("=", "+", "-", "@", "\t", "\r", "'")

Watched = Mapping[str, frozenset[int]]
"""Watched episode numbers by show id."""


def export_document(shows: Sequence[HistoryShow], watched: Watched) -> dict[str, Any]:
    """Every show, with the episodes of it marked watched, in episode order."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "shows": [
            {
                "id": show.id,
                "title": show.title,
                "year": show.year,
                "ids": dict(show.ids),
                "watched": [
                    {
                        "number": episode.number,
                        "season": episode.season,
                        "number_in_season": episode.number_in_season,
                        "ids": dict(episode.ids),
                    }
                    for episode in show.episodes
                    if episode.number in watched.get(show.id, frozenset())
                ],
            }
            for show in shows
        ],
    }


def export_json(shows: Sequence[HistoryShow], watched: Watched) -> str:
    return json.dumps(export_document(shows, watched), indent=2, ensure_ascii=False) + "\n"


def export_csv(shows: Sequence[HistoryShow], watched: Watched) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for entry in export_document(shows, watched)["shows"]:
        show_cells = [entry["id"], entry["title"], entry["year"], *(entry["ids"].get(k) for k in ID_KEYS)]
        for episode in entry["watched"]:
            episode_cells = [episode["number"], episode["season"], episode["number_in_season"]]
            ids = [episode["ids"].get(k) for k in ID_KEYS]
            writer.writerow([_cell(value) for value in (*show_cells, *episode_cells, *ids)])
    return out.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_RISKY) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_RISKY) else text


# -- reading it back ------------------------------------------------------------


def portable_json_rows(data: bytes, name: str) -> Iterator[WatchedRow]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise HistoryError(f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise HistoryError(f"invalid JSON in {name} at line {exc.lineno} column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise HistoryError(f"invalid JSON in {name} ({type(exc).__name__})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise HistoryError(f"{name} is neither a Trakt history (a JSON array) nor a soundtrack export")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise HistoryError(f"{name} is a soundtrack export of version {version!r}; this one reads {VERSION}")
    shows = document.get("shows")
    if not isinstance(shows, list):
        raise HistoryError(f'{name}: "shows" must be a list')
    count = 0
    for index, show in enumerate(shows, 1):
        where = f"{name} show {index}"
        if (
            not isinstance(show, dict)
            or not isinstance(show.get("id"), str)
            or not isinstance(show.get("title"), str)
        ):
            raise HistoryError(f"{where} needs an id and a title")
        year = show.get("year")
        show_year = None if year is None else whole_number(year, f"{where} year", least=1)
        show_ids = id_pairs(show.get("ids"), where)
        episodes = show.get("watched")
        if not isinstance(episodes, list):
            raise HistoryError(f'{where}: "watched" must be a list')
        for episode in episodes:
            count += 1
            if count > MAX_ROWS:
                raise HistoryError(f"{name} holds more than {MAX_ROWS:,} rows; refusing it")
            if not isinstance(episode, dict):
                raise HistoryError(f"{where}: a watched episode must be an object")
            yield WatchedRow(
                show_title=show["title"],
                show_year=show_year,
                show_ids=show_ids,
                season=whole_number(episode.get("season"), f"{where} season", least=1),
                number_in_season=whole_number(episode.get("number_in_season"), f"{where} episode", least=1),
                episode_ids=id_pairs(episode.get("ids"), where),
                number=whole_number(episode.get("number"), f"{where} number", least=1),
                show_id=show["id"],
            )


def portable_csv_rows(reader: Iterator[list[str]], header: Sequence[str], name: str) -> Iterator[WatchedRow]:
    if tuple(cell.strip() for cell in header) != CSV_HEADER:
        raise HistoryError(f"{name} has columns this version does not know; expected {','.join(CSV_HEADER)}")
    for count, row in enumerate(reader, 1):
        if count > MAX_ROWS:
            raise HistoryError(f"{name} holds more than {MAX_ROWS:,} rows; refusing it")
        try:
            yield _csv_row(row)
        except HistoryError as exc:
            raise HistoryError(f"{name} line {getattr(reader, 'line_num', count + 1):,}: {exc}") from None


_SHOW_IDS = slice(3, 3 + len(ID_KEYS))
_EPISODE = 3 + len(ID_KEYS)  # then season, episode_in_season, and the episode's ids


def _csv_row(row: Sequence[str]) -> WatchedRow:
    if len(row) != len(CSV_HEADER):
        raise HistoryError(f"{len(row)} cells, not {len(CSV_HEADER)}")
    cells = [_uncell(cell) for cell in row]
    year = cells[2]
    return WatchedRow(
        show_title=cells[1],
        show_year=whole_number(year, "show_year", least=1) if year else None,
        show_ids=id_pairs(dict(zip(ID_KEYS, cells[_SHOW_IDS], strict=True)), "show"),
        show_id=cells[0],
        number=whole_number(cells[_EPISODE], "episode", least=1),
        season=whole_number(cells[_EPISODE + 1], "season", least=1),
        number_in_season=whole_number(cells[_EPISODE + 2], "episode_in_season", least=1),
        episode_ids=id_pairs(dict(zip(ID_KEYS, cells[_EPISODE + 3 :], strict=True)), "episode"),
    )
