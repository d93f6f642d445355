"""Opening a history file that may be hostile.

An export is a file from somewhere else, and a zip from a tracker also
holds tokens and personal data. So: the one entry a parser needs is read
from the zip as a stream, in memory, never extracted; nothing else in it is
opened; an archive with an entry named with `..` or an absolute path is
refused whole (no real export has one); the entry count, the declared total,
the entry's size and its compression ratio are capped before a byte is
inflated, and the bytes actually read are counted against the cap, since a
zip's declared sizes can lie. A plain file is opened the way every other
file is (`files.open_regular`: no FIFO, no device).
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from soundtrack_tui.core.files import UnreadableFile, describe_os_error, open_regular
from soundtrack_tui.core.history.rows import HistoryError

MAX_JSON_BYTES = 512 * 1024 * 1024  # a million Trakt rows, pretty-printed, is about 500 MB
MAX_CSV_BYTES = 256 * 1024 * 1024  # a million TV Time rows is about 150 MB
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL = 4 * 1024 * 1024 * 1024  # declared, over every entry
MAX_RATIO = 200  # JSON and CSV compress 5-20 times; a bomb, thousands of times
RATIO_FLOOR = 1024 * 1024  # smaller entries may compress as they like

WANTED = {
    "watched-history.json": "trakt",
    "tracking-prod-records-v2.csv": "tvtime",
    "tracking-prod-records.csv": "tvtime",
}
"""The one file each tracker's export zip is read for, by its base name."""


def cap_for(name: str) -> int:
    return MAX_CSV_BYTES if name.lower().endswith(".csv") else MAX_JSON_BYTES


@dataclass
class HistoryInput:
    """An open input: `stream` yields the bytes of the file a parser reads
    (at most `cap_for` its name), `described` says which file that is."""

    stream: io.BufferedReader
    described: str
    kind: str | None  # the tracker the zip entry's name implies, if any


class _Capped(io.RawIOBase):
    """A read-only stream that refuses to yield more than `limit` bytes and
    turns every way reading can fail (a damaged zip, a bad CRC, an I/O
    error) into a `HistoryError`."""

    def __init__(self, source: IO[bytes], limit: int, name: str) -> None:
        self._source, self._limit, self._name, self._count = source, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._source.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise HistoryError(f"{self._name} is damaged ({one_phrase(exc)})") from None
        except OSError as exc:
            raise HistoryError(f"cannot read {self._name}: {describe_os_error(exc)}") from None
        self._count += len(data)
        if self._count > self._limit:
            raise HistoryError(f"{self._name} is over the {self._limit:,}-byte limit")
        buffer[: len(data)] = data
        return len(data)


def one_phrase(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


@contextlib.contextmanager
def open_input(path: Path) -> Iterator[HistoryInput]:
    """The file to parse: `path` itself, or the entry of the zip at `path`
    that `WANTED` names."""
    try:
        fd = open_regular(path, max(MAX_JSON_BYTES, MAX_CSV_BYTES))
    except UnreadableFile as exc:
        raise HistoryError(f"cannot read {path}: {exc}") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            is_zip = handle.peek(4)[:4] in (b"PK\x03\x04", b"PK\x05\x06")
        except OSError as exc:
            raise HistoryError(f"cannot read {path}: {describe_os_error(exc)}") from None
        if not is_zip:
            yield HistoryInput(_buffered(handle, cap_for(path.name), path.name), path.name, None)
            return
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise HistoryError(f"{path.name} is not a readable zip ({one_phrase(exc)})") from None
        with archive:
            entry = _wanted_entry(archive, path.name)
            base = entry.filename.rsplit("/", 1)[-1]
            described = f"{entry.filename} in {path.name}"
            try:
                member = archive.open(entry)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                raise HistoryError(f"cannot open {described} ({one_phrase(exc)})") from None
            with member:
                yield HistoryInput(
                    _buffered(member, cap_for(base), described), described, WANTED[base.lower()]
                )


def _buffered(source: IO[bytes], limit: int, name: str) -> io.BufferedReader:
    return io.BufferedReader(_Capped(source, limit, name), 1 << 20)


def unsafe_name(name: str) -> bool:
    """An entry name that would escape the folder it was extracted to."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts


def _wanted_entry(archive: zipfile.ZipFile, zip_name: str) -> zipfile.ZipInfo:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise HistoryError(f"{zip_name} holds {len(entries):,} entries, over the {MAX_ZIP_ENTRIES:,} limit")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_ZIP_TOTAL:
        raise HistoryError(f"{zip_name} would inflate to {total:,} bytes; refusing it")
    for entry in entries:
        if unsafe_name(entry.filename):
            raise HistoryError(f"{zip_name} holds an entry named {entry.filename[:80]!r}; refusing it")
    found = [e for e in entries if not e.is_dir() and e.filename.rsplit("/", 1)[-1].lower() in WANTED]
    if not found:
        names = " or ".join(WANTED)
        raise HistoryError(f"{zip_name} holds no {names}; is it a Trakt or TV Time export?")
    if len(found) > 1:
        listed = ", ".join(e.filename[:60] for e in found[:3])
        raise HistoryError(f"{zip_name} holds more than one history file ({listed}); unzip the one to use")
    entry = found[0]
    limit = cap_for(entry.filename)
    if entry.flag_bits & 0x1:
        raise HistoryError(f"{entry.filename} in {zip_name} is encrypted")
    if entry.file_size > limit:
        raise HistoryError(
            f"{entry.filename} in {zip_name} is {entry.file_size:,} bytes, over the {limit:,}-byte limit"
        )
    ratio = entry.file_size // max(entry.compress_size, 1)
    if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise HistoryError(
            f"{entry.filename} in {zip_name} inflates {ratio:,} times (a zip bomb?); refusing it"
        )
    return entry
