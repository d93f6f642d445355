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
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from soundtrack_tui.core.history.rows import (
    MAX_ROWS,
    HistoryError,
    IdPairs,
    WatchedRow,
    check_date,
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
    """Each item of the JSON array `stream` holds, decoded one at a time.

    The common case, an item followed by a comma (and white space) inside
    the window, takes one `raw_decode` and one regex match; anything else
    (the window's end, the array's end, an error) takes the slow path."""
    window = _Window(stream, name)
    decode = json.JSONDecoder(parse_constant=_reject_constant).raw_decode
    window.fill()
    if window.text.startswith("\ufeff"):
        window.pos = 1
    if window.skip_space() != "[":
        raise HistoryError(f"{name} is not a JSON array (a Trakt watched-history.json is one)")
    window.pos += 1
    if window.skip_space() == "]":
        window.pos += 1
    else:
        text, pos, following_item = window.text, window.pos, _NEXT.match
        while True:
            try:
                item, end = decode(text, pos)
            except ValueError:
                window.pos = pos
                item, end = _decode_slowly(window, decode)
                text = window.text
            except RecursionError:
                window.pos = pos
                raise HistoryError(f"invalid JSON at {window.where()}: nested too deeply") from None
            yield item
            following = following_item(text, end)
            if following is not None and following.end() < len(text):
                pos = following.end()  # a comma and white space: the next item is here
                continue
            window.pos = end
            after = window.skip_space()
            window.pos += 1
            if after == "]":
                break
            if after != ",":
                raise HistoryError(f"invalid JSON at {window.where(window.pos - 1)}: expected , or ]")
            window.skip_space()
            text, pos = window.text, window.pos
    if window.skip_space():
        raise HistoryError(f"invalid JSON at {window.where()}: text after the array")


_NEXT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")


def _decode_slowly(window: _Window, decode: Callable[[str, int], tuple[Any, int]]) -> tuple[Any, int]:
    """An item that may run past the window: read more until it decodes,
    the file ends, or it is too long to be a play."""
    while True:
        try:
            return decode(window.text, window.pos)
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
