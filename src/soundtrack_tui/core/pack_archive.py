"""Unpacking a `.zip` of a pack, treating the archive as hostile.

A zip can name files outside the folder it is unpacked into (`../x`,
`/etc/x`), hold symlinks or devices, claim one size and inflate to another,
or hold millions of tiny entries. Every entry is checked before anything is
written, and sizes are counted while inflating rather than trusted from the
archive's directory. What is written goes only under the folder given,
which the library makes inside its own data folder.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from soundtrack_tui.core.sanitize import one_line
from soundtrack_tui.core.tomlfile import MAX_FILE_BYTES

MAX_ENTRIES = 20_000  # a pack of the format's largest size has about 10,000 files
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # text compresses about 3-10x; a bomb compresses far more
RATIO_FLOOR_BYTES = 64 * 1024  # a small repetitive file may beat the ratio harmlessly
_CHUNK = 64 * 1024


class ArchiveError(Exception):
    """Why the archive was refused, as one phrase."""


def extract_zip(archive: Path, into: Path) -> None:
    """Unpack `archive` under the existing, empty folder `into`, or raise
    `ArchiveError` (or `OSError` for the disk). A refused archive may have
    left files under `into`; the caller removes the folder."""
    try:
        with zipfile.ZipFile(archive) as opened:
            entries = opened.infolist()
            _check_entries(entries)
            total = 0
            for entry in entries:
                target = into.joinpath(*_parts(entry.filename))
                if entry.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                total = _inflate(opened, entry, target, total)
    except zipfile.BadZipFile as failure:
        raise ArchiveError(f"not a readable zip file ({failure})") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as failure:
        raise ArchiveError(f"cannot unpack it ({failure})") from None


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise ArchiveError(f"{len(entries)} entries; a pack has at most {MAX_ENTRIES}")
    for entry in entries:
        _parts(entry.filename)
        kind = stat.S_IFMT(entry.external_attr >> 16)
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError(f"{_shown(entry.filename)} is not a plain file or folder")
        if not entry.is_dir() and entry.file_size > MAX_FILE_BYTES:
            raise ArchiveError(f"{_shown(entry.filename)} is larger than {MAX_FILE_BYTES >> 20} MiB")
    if sum(entry.file_size for entry in entries) > MAX_TOTAL_BYTES:
        raise ArchiveError(f"it unpacks to more than {MAX_TOTAL_BYTES >> 20} MiB")


def _parts(name: str) -> tuple[str, ...]:
    """The entry's path as folder names, refusing anything that could land
    outside the folder it is unpacked into."""
    if "\\" in name or "\x00" in name:
        raise ArchiveError(f"{_shown(name)}: a path with a backslash or NUL")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise ArchiveError(f"{_shown(name)}: an absolute path")
    if any(part == ".." for part in path.parts):
        raise ArchiveError(f"{_shown(name)}: a path with ..")
    parts = tuple(part for part in path.parts if part != ".")
    if not parts:
        raise ArchiveError(f"{_shown(name)}: an empty path")
    return parts


def _inflate(opened: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, total: int) -> int:
    """Write one entry, counting what is inflated against the caps, since
    the sizes in the archive's directory may lie. Returns the new total."""
    written = 0
    by_ratio = max(entry.compress_size * MAX_RATIO, RATIO_FLOOR_BYTES)
    limit = min(MAX_FILE_BYTES, by_ratio, MAX_TOTAL_BYTES - total)
    with opened.open(entry) as source, open(target, "xb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise ArchiveError(f"{_shown(entry.filename)} inflates past the size allowed")
            sink.write(chunk)
    return total + written


def _shown(name: str) -> str:
    return one_line(name)
