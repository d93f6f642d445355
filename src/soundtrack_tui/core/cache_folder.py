"""What the cache folder holds, and keeping it to a few packs.

Each pack has up to two entries (`pack-<hash>.pickle`, `index-<hash>.pickle`,
see `cache.cache_file`), a few megabytes at a thousand episodes; without a
limit, every pack ever opened stays (157 MB after a day of tests). So each
write keeps the `MAX_PACKS` packs used most recently and removes the rest:
a read marks an entry used by touching its mtime (`cache_entry.load`), so
the mtime is "last used", and the pack just written is never the one
removed. `soundtrack cache` lists the folder, `soundtrack cache clear`
empties it; both only ever touch the entry and temp files this program
names, never anything else a user may have put in the folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_PACKS", "CachedPack", "clear", "keep_recent", "listing"]

MAX_PACKS = 8

# Entry files, and the temp files a writer killed mid-write may leave.
_ENTRY = re.compile(r"^(pack|index)-([0-9a-f]{16})\.pickle$")
_TEMP = re.compile(r"^\.tmp-.*\.pickle$")


@dataclass(frozen=True, slots=True)
class CachedPack:
    """The entries of one pack: its name hash, files, total size and when
    one of them was last used (written or read)."""

    name: str
    files: tuple[Path, ...]
    size: int
    used_ns: int


def listing(folder: Path) -> list[CachedPack]:
    """The packs with entries in `folder`, most recently used first; an
    absent or unreadable folder has none."""
    found: dict[str, list[tuple[Path, os.stat_result]]] = {}
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _ENTRY.match(entry.name)
            if match is None:
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    found.setdefault(match.group(2), []).append((Path(entry.path), entry.stat()))
    packs = [
        CachedPack(
            name,
            tuple(sorted(path for path, _ in files)),
            sum(st.st_size for _, st in files),
            max(st.st_mtime_ns for _, st in files),
        )
        for name, files in found.items()
    ]
    return sorted(packs, key=lambda pack: (pack.used_ns, pack.name), reverse=True)


def keep_recent(folder: Path, written: Path, most: int = MAX_PACKS) -> None:
    """After `written` was stored: remove the entries of every pack but the
    `most` used most recently (the one just written counts as the most
    recent). Silent: the cache is optional."""
    match = _ENTRY.match(written.name)
    current = match.group(2) if match else None
    packs = listing(folder)
    kept = [pack for pack in packs if pack.name == current]
    others = [pack for pack in packs if pack.name != current]
    for pack in others[max(most - len(kept), 0) :]:
        for path in pack.files:
            with contextlib.suppress(OSError):
                path.unlink()


def clear(folder: Path) -> tuple[int, int]:
    """Remove every entry and temp file in `folder`: (files removed, bytes
    freed). Raises OSError for a file that cannot be removed, after
    removing the others; an absent folder is already clear."""
    removed = freed = 0
    failure: OSError | None = None
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return 0, 0
    for name in names:
        if not (_ENTRY.match(name) or _TEMP.match(name)):
            continue
        path = folder / name
        try:
            size = path.lstat().st_size
            path.unlink()
        except FileNotFoundError:
            continue  # another process removed it first
        except OSError as error:
            failure = failure or error
            continue
        removed += 1
        freed += size
    if failure is not None:
        raise failure
    return removed, freed
