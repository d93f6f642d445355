"""Which parser an input needs, told from the zip entry's name or from the
file's first bytes, never from its extension alone: a Trakt JSON array, a
soundtrack export object, or a CSV whose header says whose it is."""

from __future__ import annotations

import contextlib
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from soundtrack_tui.core.history.portable import portable_csv_rows, portable_json_rows
from soundtrack_tui.core.history.reading import HistoryInput, open_input
from soundtrack_tui.core.history.rows import HistoryError, WatchedRow
from soundtrack_tui.core.history.trakt import trakt_rows
from soundtrack_tui.core.history.tvtime import described as tvtime_described
from soundtrack_tui.core.history.tvtime import tvtime_rows

MAX_EXPORT_JSON_BYTES = 64 * 1024 * 1024  # read whole: a library's marks are a few MB

TRACKERS = {"trakt": "Trakt", "tvtime": "TV Time", "portable": "soundtrack export"}


@dataclass
class HistorySource:
    """An input being read: `rows` is consumed once, while the file is open."""

    kind: str  # a key of TRACKERS
    described: str  # which file (and columns) are read, for the user
    rows: Iterator[WatchedRow]
    skipped: Counter[str] = field(default_factory=Counter)  # rows that are not episodes, by kind

    @property
    def tracker(self) -> str:
        return TRACKERS[self.kind]


@contextlib.contextmanager
def open_history(path: Path) -> Iterator[HistorySource]:
    with open_input(path) as opened:
        kind = opened.kind or _sniff(opened)
        if kind == "json":
            data = opened.stream.read(MAX_EXPORT_JSON_BYTES + 1)
            if len(data) > MAX_EXPORT_JSON_BYTES:
                raise HistoryError(f"{opened.described} is over the {MAX_EXPORT_JSON_BYTES:,}-byte limit")
            yield HistorySource("portable", opened.described, portable_json_rows(data, opened.described))
        elif kind == "trakt":
            skipped: Counter[str] = Counter()
            rows = trakt_rows(opened.stream, opened.described, skipped)
            yield HistorySource("trakt", f"{opened.described} (Trakt watched history)", rows, skipped)
        else:
            yield _csv_source(opened, kind)


def _sniff(opened: HistoryInput) -> str:
    start = opened.stream.peek(4096)[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"["):
        return "trakt"
    if start.startswith(b"{"):
        return "json"
    return "csv"


def _csv_source(opened: HistoryInput, kind: str) -> HistorySource:
    name = opened.described
    text = io.TextIOWrapper(opened.stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    header = next(_CsvRecords(reader, name), None)
    if header is None:
        raise HistoryError(f"{name} is empty")
    records = _CsvRecords(reader, name)
    if kind != "tvtime" and header and header[0].strip() == "show_id":
        return HistorySource("portable", name, portable_csv_rows(records, header, name))
    return HistorySource("tvtime", tvtime_described(name, header), tvtime_rows(records, header, name))


class _Reader(Protocol):
    """What `csv.reader` returns."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


class _CsvRecords:
    """A csv reader whose every failure is a `HistoryError` naming the line."""

    def __init__(self, reader: _Reader, name: str) -> None:
        self.reader, self.name = reader, name

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self.reader)
        except csv.Error as exc:
            raise HistoryError(f"{self.name} line {self.reader.line_num:,}: {exc}") from None
        except UnicodeDecodeError:
            raise HistoryError(f"{self.name} is not UTF-8 text") from None
