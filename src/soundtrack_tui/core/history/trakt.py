"""Trakt's `watched-history.json`: a JSON array of plays, each with
`watched_at`, `type` ("episode" or "movie"), `episode{season, number, ids}`
and `show{title, year, ids}`.

A long history is hundreds of megabytes of JSON, and `json.load` of that
would hold gigabytes of dicts. So the array is decoded one item at a time
from a stream (the C decoder's `raw_decode` on a sliding window), and each
item becomes a small row before the next is read.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from soundtrack_tui.core.history.rows import (
    HistoryError,
    IdPairs,
    WatchedRow,
    check_date,
    count_row,
    id_pairs,
    whole_number,
)

CHUNK = 1 << 20
MAX_ITEM_CHARS = 1 << 20  # one play is about 500 characters
_SPACE = re.compile(r"[ \t\n\r]*")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _Window:
    """The part of the stream not yet decoded, as text, and where it starts
    in lines (for error messages)."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.pos, self.line, self.eof = "", 0, 1, False

    def fill(self) -> None:
        """Drop what was decoded, append the next chunk."""
        chunk = self.stream.read(CHUNK)
        self.eof = not chunk
        try:
            more = self.decoder.decode(chunk, final=self.eof)
        except UnicodeDecodeError:
            raise HistoryError(f"{self.name} is not UTF-8 text") from None
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + more
        self.pos = 0

    def skip_space(self) -> str:
        """The next character after white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or self.eof:
                return self.text[self.pos : self.pos + 1]
            self.fill()

    def where(self, pos: int | None = None) -> str:
        at = self.pos if pos is None else pos
        return f"{self.name} line {self.line + self.text.count(chr(10), 0, at)}"


def json_array_items(stream: BinaryIO, name: str) -> Iterator[Any]:
    """Each item of the JSON array `stream` holds, decoded one at a time."""
    window = _Window(stream, name)
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    window.fill()
    if window.text.startswith("\ufeff"):
        window.pos = 1
    if window.skip_space() != "[":
        raise HistoryError(f"{name} is not a JSON array (a Trakt watched-history.json is one)")
    window.pos += 1
    if window.skip_space() == "]":
        window.pos += 1
    else:
        while True:
            yield _decode_one(window, decoder)
            following = window.skip_space()
            window.pos += 1
            if following == "]":
                break
            if following != ",":
                raise HistoryError(f"invalid JSON at {window.where(window.pos - 1)}: expected , or ]")
            window.skip_space()
    if window.skip_space():
        raise HistoryError(f"invalid JSON at {window.where()}: text after the array")


def _decode_one(window: _Window, decoder: json.JSONDecoder) -> Any:
    while True:
        try:
            item, window.pos = decoder.raw_decode(window.text, window.pos)
            return item
        except json.JSONDecodeError as exc:
            if window.eof or len(window.text) - window.pos > MAX_ITEM_CHARS:
                raise HistoryError(f"invalid JSON at {window.where(exc.pos)}: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:
            raise HistoryError(f"invalid JSON at {window.where()}: {exc}") from None
        window.fill()


def trakt_rows(stream: BinaryIO, name: str, skipped: Counter[str]) -> Iterator[WatchedRow]:
    """A row per episode play; movies are counted in `skipped`."""
    # A history names the same few shows thousands of times: their ids and
    # titles are validated once and shared between rows.
    shows: dict[str, tuple[str, int | None, IdPairs]] = {}
    for index, item in enumerate(json_array_items(stream, name), 1):
        where = f"{name} item {index:,}"
        count_row(index, name)
        if not isinstance(item, dict):
            raise HistoryError(f"{where} is not an object")
        kind = item.get("type")
        if kind == "movie":
            skipped["movie play"] += 1
            continue
        if kind != "episode":
            raise HistoryError(f"{where}: type {str(kind)[:20]!r} is neither episode nor movie")
        episode, show = item.get("episode"), item.get("show")
        if not isinstance(episode, dict) or not isinstance(show, dict):
            raise HistoryError(f"{where}: an episode play needs episode and show objects")
        title, year, show_ids = _show(show, shows, where)
        yield WatchedRow(
            show_title=title,
            show_year=year,
            show_ids=show_ids,
            season=whole_number(episode.get("season"), f"{where} season"),
            number_in_season=whole_number(episode.get("number"), f"{where} episode number"),
            episode_ids=id_pairs(episode.get("ids"), where),
            watched_at=check_date(item.get("watched_at"), f"{where} watched_at"),
        )


def _show(
    show: dict[str, Any], seen: dict[str, tuple[str, int | None, IdPairs]], where: str
) -> tuple[str, int | None, IdPairs]:
    title, year, ids = show.get("title"), show.get("year"), show.get("ids")
    key = f"{title!r}\0{year!r}\0{ids!r}"
    known = seen.get(key)
    if known is not None:
        return known
    if not isinstance(title, str) or not title.strip():
        raise HistoryError(f"{where}: the show has no title")
    if year is not None:
        year = whole_number(year, f"{where} show year", least=1)
    known = seen[key] = (title.strip(), year, id_pairs(ids, where))
    return known
