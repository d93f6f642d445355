"""A parsed-pack cache, so that opening a big pack a second time is instant.

Loading a pack parses every TOML file, sanitizes every string and runs the
spoiler lint; on a thousand-episode pack that takes seconds, and building
its search index seconds more. The result of a clean load (no errors;
warnings are kept) and the pack's index are stored in the user's cache
folder and reused while the pack's files are unchanged.

The cache is an optimisation, never a source of truth:

* two files per pack (the pack, its index), named after a hash of the
  pack's absolute path, in `platformdirs.user_cache_dir("soundtrack")` or
  `$SOUNDTRACK_CACHE_DIR`; deleting them (or the whole folder) at any time
  is safe;
* an entry is used only if its key matches exactly (`_key`): the package
  version, `CACHE_FORMAT`, the pack's absolute path and the path as given,
  and the name, size and mtime_ns of every pack file (`show.toml`,
  `characters.toml`, everything in `episodes/`). A release with a new
  version never reads an older one's entries; a change to what is stored
  within a version (a developer's checkout) must bump `CACHE_FORMAT`;
* how an entry is read and written (checksum, an unpickler that knows only
  the model's classes, large buffers beside the pickle, atomic replace) is
  in `cache_entry`; what a loaded pack must look like is in `cache_check`.
  Anything wrong with an entry is a miss: the pack is read from its files
  and the entry rewritten. Reading the cache never raises;
* the folder keeps the entries of the `cache_folder.MAX_PACKS` packs used
  most recently; older ones are removed when an entry is written;
* nothing is written when the folder is not writable, when a file changed
  while the pack was being read, or when a file is younger than two
  seconds (a later edit within the file system's timestamp granularity
  could otherwise keep the same size and mtime).

What reading the large buffers costs (measured with `benchmarks/run.py`
at 1,000 episodes): see docs/reliability.md and docs/performance.md.

`soundtrack check` never uses this module: it always validates the files.
"""

from __future__ import annotations

import io
import os
import sys
import time
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, overload

from soundtrack_tui import __version__
from soundtrack_tui.core import cache_check, cache_entry, cache_folder
from soundtrack_tui.core.cache_entry import Allowed, Blob, BlobPickler, SafeUnpickler
from soundtrack_tui.core.errors import LoadResult, Progress
from soundtrack_tui.core.model import Pack

if TYPE_CHECKING:
    from soundtrack_tui.core.search import SearchIndex
    from soundtrack_tui.core.search.index import EncodingHelper

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_FORMAT",
    "cache_dir",
    "cache_file",
    "index_file",
    "is_cached",
    "load_index_cached",
    "load_pack_cached",
    "stored_pack",
]

# Raised whenever what an entry holds changes shape (the model's or the
# index's pickled state, the layout in `cache_entry`), so older entries are
# rebuilt rather than misread.
CACHE_FORMAT = 9
CACHE_DIR_ENV = "SOUNDTRACK_CACHE_DIR"
APP_NAME = "soundtrack"

PACK_MAGIC = b"soundtrack pack cache\n"
INDEX_MAGIC = b"soundtrack index cache\n"
_MAGIC = {"pack": PACK_MAGIC, "index": INDEX_MAGIC}
_RACY_NS = 2_000_000_000  # files younger than this are not cached

# What a pack entry may contain besides builtin containers and strings.
_PACK_ALLOWED: Allowed = {
    "soundtrack_tui.core.model": frozenset(
        {"Show", "Source", "Review", "Episode", "Character", "Note", "Track", "Season"}
    ),
    "soundtrack_tui.core.errors": frozenset({"Problem", "Severity"}),
    "datetime": frozenset({"date"}),
}

# What an index entry may contain: the index's own classes and arrays. The
# pack's episodes, characters, series reviews and tracks it refers to are stored
# as references (see _IndexPickler) and resolved against the pack it is
# loaded for.
_INDEX_ALLOWED: Allowed = {
    "soundtrack_tui.core.search.index": frozenset({"SearchIndex"}),
    "array": frozenset({"array", "_array_reconstructor"}),  # arrays too small for the blob
}

FileStamp = tuple[str, int, int]  # (name, size, mtime_ns)


def cache_dir() -> Path:
    """$SOUNDTRACK_CACHE_DIR if set, else the platform's per-user cache
    folder. Nothing is created until an entry is written."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))


def cache_file(root: str | Path, kind: str = "pack") -> Path:
    """Where the entry of `kind` ("pack" or "index") for the pack at `root` lives."""
    key = os.fsencode(os.path.abspath(root))
    # Two checksums make a 64-bit name; a collision costs a miss, never a
    # wrong result (the key holds the path), and zlib is imported anyway.
    return cache_dir() / f"{kind}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.pickle"


def index_file(root: str | Path) -> Path:
    """Where the search index entry for the pack at `root` lives."""
    return cache_file(root, "index")


def is_cached(root: str | Path, kind: str = "pack") -> bool:
    """Would the entry of `kind` ("pack" or "index") for the pack at `root`
    be used? Checks its key against the pack's files (milliseconds, the
    payload is not read), so the UI can decide whether to show a loading
    screen or start the indexing child. A payload damaged since is still
    caught on load, which then reads the files: treat True as "almost
    certainly fast", never as a promise."""
    given = Path(root)
    stored = cache_entry.read_key(cache_file(given, kind), _MAGIC[kind])
    if stored is None:
        return False  # no entry: the pack's files need no stat
    try:
        return bool(stored == _key(given))
    except Exception:
        return False


def load_pack_cached(root: str | Path, progress: Progress | None = None) -> LoadResult:
    """`loader.read_pack(root)`, from the cache when the pack is unchanged.

    Same result as `read_pack` (a fresh `LoadResult` whose pack has
    `root == Path(root)`); never raises. Only results without errors are
    stored, so a broken pack is re-read, and re-reported, every time.
    `progress` is handed to `read_pack` on a miss; a hit never calls it."""
    given = Path(root)
    try:
        key = _key(given)
    except Exception:  # an unlistable pack: let the loader report it
        return _read_pack(given, progress)
    path = cache_file(given)
    cached = _stored_pack(given, key)
    if cached is not None:
        return cached
    result = _read_pack(given, progress)
    if result.pack is not None and not result.errors:
        pack = result.pack
        value = (pack.show, dict(pack.episodes), pack.characters, list(result.problems))
        _store(path, PACK_MAGIC, key, given, value, BlobPickler)
    return result


def stored_pack(root: str | Path) -> Pack | None:
    """The pack at `root` as its cache entry holds it, if stored and the
    pack's files are unchanged since; None otherwise (nothing is read from
    the pack or stored). Never raises."""
    given = Path(root)
    try:
        key = _key(given)
    except Exception:
        return None
    cached = _stored_pack(given, key)
    return cached.pack if cached is not None else None


def _stored_pack(root: Path, key: dict[str, Any]) -> LoadResult | None:
    unpickler = partial(SafeUnpickler, allowed=_PACK_ALLOWED)
    return _result(cache_entry.load(cache_file(root), PACK_MAGIC, key, unpickler), root)


@overload
def load_index_cached(pack: Pack, *, helper: EncodingHelper | None = None) -> SearchIndex: ...
@overload
def load_index_cached(pack: Pack, *, build: bool) -> SearchIndex | None: ...


def load_index_cached(
    pack: Pack, *, build: bool = True, helper: EncodingHelper | None = None
) -> SearchIndex | None:
    """The search index of `pack`, from the cache when the pack's files are
    unchanged; otherwise built (with `helper`'s help, see
    `SearchIndex.build`), and stored for next time (without `build`, a miss
    is None and nothing is built).

    Building takes seconds at a thousand episodes and loading a stored index
    a fraction of one. An entry holds the index without the pack: the pack's
    episodes, characters and series reviews are written as references and
    resolved against `pack` on load, so nothing is held twice. A pack
    without a folder (made in memory) is simply indexed. Never raises for
    the cache."""
    from soundtrack_tui.core.search import SearchIndex

    root = pack.root
    if root is None:
        return SearchIndex.build(pack) if build else None
    try:
        key = _key(root)
    except Exception:
        return SearchIndex.build(pack) if build else None
    path = index_file(root)
    loaded = cache_entry.load(path, INDEX_MAGIC, key, partial(_IndexUnpickler, pack=pack))
    if isinstance(loaded, SearchIndex):
        return loaded
    if not build:
        return None
    index = SearchIndex.build(pack, helper)
    _store(path, INDEX_MAGIC, key, root, index, partial(_IndexPickler, pack=pack))
    return index


class _IndexPickler(BlobPickler):
    """Writes the pack's episodes, characters, series reviews and tracks as references."""

    def __init__(self, out: io.BytesIO, blob: Blob, *, pack: Pack) -> None:
        super().__init__(out, blob)
        self.refs: dict[int, tuple[str, int]] = {id(e): ("episode", n) for n, e in pack.episodes.items()}
        self.refs.update((id(r), ("series review", i)) for i, r in enumerate(pack.show.reviews))
        self.refs.update((id(c), ("character", i)) for i, c in enumerate(pack.characters))
        self.refs.update((id(t), ("track", i)) for i, t in enumerate(pack.show.tracks))

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        return self.refs.get(id(obj)) or super().persistent_id(obj)


class _IndexUnpickler(SafeUnpickler):
    """The index's own classes only; references resolve to the pack it is
    loaded for (an unknown one fails the load, which is then a miss)."""

    def __init__(self, stream: IO[bytes], blob: memoryview, *, pack: Pack) -> None:
        super().__init__(stream, blob, _INDEX_ALLOWED)
        self.pack = pack

    def persistent_load(self, pid: Any) -> Any:
        kind, number = pid if isinstance(pid, tuple) and len(pid) == 2 else (None, -1)
        if kind == "episode":
            return self.pack.episodes[number]
        if kind == "series review":
            return self.pack.show.reviews[number]
        if kind == "character":
            return self.pack.characters[number]
        if kind == "track":
            return self.pack.show.tracks[number]
        return super().persistent_load(pid)


def _read_pack(root: Path, progress: Progress | None) -> LoadResult:
    # Imported on a miss only: a hit needs neither the parser, the schema
    # nor the lint (~5 ms of imports for a CLI call).
    from soundtrack_tui.core import loader

    # Run time never shows lint warnings (they are for `soundtrack check`,
    # which never uses the cache), and the lint is most of a big pack's load.
    return loader.read_pack(root, progress, lint=False)


# -- the key -------------------------------------------------------------------


def _key(root: Path) -> dict[str, Any]:
    """Everything an entry must match to be used."""
    return {
        "format": CACHE_FORMAT,
        "version": __version__,
        "byteorder": sys.byteorder,  # the stored arrays are native
        "root": os.path.abspath(root),
        "shown": str(root),  # problems quote the path as given
        "files": _pack_files(root),
    }


def _pack_files(root: Path) -> tuple[FileStamp, ...]:
    """Name, size and mtime of every file the loader may read. A missing
    file or folder is recorded as missing, so creating it is a change."""
    if not root.is_dir():
        raise NotADirectoryError(str(root))
    found: list[FileStamp] = []
    for name in ("show.toml", "characters.toml"):
        try:
            st = os.stat(root / name)
        except FileNotFoundError:
            found.append((name, -1, -1))
        else:
            found.append((name, st.st_size, st.st_mtime_ns))
    episodes = root / "episodes"
    found.append(("episodes/", int(episodes.is_dir()), 0))  # its listing follows
    if episodes.is_dir():
        with os.scandir(episodes) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                st = entry.stat()
                found.append(("episodes/" + entry.name, st.st_size, st.st_mtime_ns))
    return tuple(found)


# -- reading and writing ---------------------------------------------------------


def _result(value: object, root: Path) -> LoadResult | None:
    """Rebuild the LoadResult from the stored tuple, if every field of it is
    what the loader could have built (`cache_check`)."""
    if not (isinstance(value, tuple) and len(value) == 4):
        return None
    show, episodes, characters, problems = value
    if not cache_check.is_clean_pack(show, episodes, characters, problems):
        return None
    return LoadResult(Pack(show, MappingProxyType(episodes), characters, root), problems)


def _store(
    path: Path,
    magic: bytes,
    key: dict[str, Any],
    root: Path,
    value: object,
    pickler: Callable[[io.BytesIO, Blob], BlobPickler],
) -> None:
    """Write `value` as an entry under `key`, unless the pack's files
    changed since `key` was taken or are too fresh to trust their mtimes.
    Every failure is silent: the cache is optional."""
    try:
        files = key["files"]
        if _pack_files(root) != files:
            return  # edited while we were reading it
        newest = max((mtime for _, _, mtime in files), default=0)
        if newest > time.time_ns() - _RACY_NS:
            return
        cache_entry.store(path, magic, key, value, pickler)
        cache_folder.keep_recent(path.parent, path)
    except Exception:
        return
