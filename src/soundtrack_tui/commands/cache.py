"""`cache` (or `cache info`): where the parsed-pack cache is, how big, which
packs; `cache clear`: delete every entry. The cache is only ever an
optimisation, so clearing it is always safe: the next start reads the pack
from its files again."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from soundtrack_tui.core import cache, cache_entry, cache_folder
from soundtrack_tui.core.files import describe_os_error
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK
from soundtrack_tui.output import Output, error


def cache_command(action: str) -> int:
    folder = cache.cache_dir()
    if action == "clear":
        return _clear(folder)
    return _info(folder)


def _info(folder: Path) -> int:
    out = Output()
    packs = cache_folder.listing(folder)
    total = sum(pack.size for pack in packs)
    source = f" (${cache.CACHE_DIR_ENV})" if os.environ.get(cache.CACHE_DIR_ENV) else ""
    out.line(("Cache folder: ", "bold"), (f"{folder}{source}", ""))
    noun = "pack" if len(packs) == 1 else "packs"
    out.line((f"{len(packs)} {noun}, {_size(total)}; the {cache_folder.MAX_PACKS} used last are kept", ""))
    if packs:
        out.table(
            ["pack", "size", "last used"],
            [[(_pack_folder(pack), ""), (_size(pack.size), ""), (_when(pack.used_ns), "")] for pack in packs],
        )
    return EXIT_OK


def _clear(folder: Path) -> int:
    try:
        removed, freed = cache_folder.clear(folder)
    except OSError as failure:
        error(f"cannot clear the cache at {folder}: {describe_os_error(failure)}")
        return EXIT_CONTENT
    out = Output()
    noun = "file" if removed == 1 else "files"
    out.line((f"Removed {removed} {noun} ({_size(freed)}) from {folder}", ""))
    return EXIT_OK


def _pack_folder(pack: cache_folder.CachedPack) -> str:
    """The pack folder an entry was written for, as its key records it."""
    for path in pack.files:
        key = cache_entry.read_key(
            path, cache.PACK_MAGIC if path.name.startswith("pack-") else cache.INDEX_MAGIC
        )
        if isinstance(key, dict) and isinstance(key.get("root"), str):
            return str(key["root"])
    return f"(unreadable entry {pack.name})"


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def _when(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M")
