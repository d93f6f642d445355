"""A parsed-pack cache, so that opening a big pack a second time is instant.

Loading a pack parses every TOML file, sanitizes every string and runs the
spoiler lint; on a thousand-episode pack that takes seconds. The result of a
clean load (no errors; warnings are kept) is stored in the user's cache
folder and reused while the pack's files are unchanged.

The cache is an optimisation, never a source of truth:

* one file per pack, named after a hash of the pack's absolute path, in
  `platformdirs.user_cache_dir("soundtrack")` or `$SOUNDTRACK_CACHE_DIR`;
  deleting it (or the whole folder) at any time is safe;
* an entry is used only if its header matches exactly: cache format,
  package version, Python version, the size and mtime of every core module
  the loader uses (an edited checkout never reads results of older code),
  the pack's absolute path and the path as given, and the name, type, size
  and mtime_ns of every pack file (`show.toml`, `characters.toml`,
  everything in `episodes/`);
* the payload carries its length and CRC-32, and is unpickled by an
  unpickler that only knows the model's classes; the result is type-checked.
  Large buffers (recaps, the index's arrays) follow the pickle and are
  memory-mapped, not read: a page is in memory only once something reads
  it (see `_Blob`);
  Anything else (a truncated, corrupt, foreign or old file, an unreadable
  folder) is a miss: the pack is read from its files and the entry rewritten.
  Reading the cache never raises;
* entries are written atomically (temp file in the same folder, then
  `os.replace`), and not at all when the folder is not writable, when a file
  changed while the pack was being read, or when a file is younger than
  two seconds (a later edit within the file system's timestamp granularity
  could otherwise keep the same size and mtime).

`soundtrack check` never uses this module: it always validates the files.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import pickle
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Callable
from functools import partial
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, overload

from soundtrack_tui import __version__
from soundtrack_tui.core.errors import LoadResult, Problem, Progress
from soundtrack_tui.core.model import Character, Episode, Pack, Show

if TYPE_CHECKING:
    from soundtrack_tui.core.search import SearchIndex

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_FORMAT",
    "cache_dir",
    "cache_file",
    "index_file",
    "is_cached",
    "load_index_cached",
    "load_pack_cached",
]

# Raised whenever what an entry holds changes shape, so older entries are
# rebuilt rather than misread.
CACHE_FORMAT = 5
CACHE_DIR_ENV = "SOUNDTRACK_CACHE_DIR"
APP_NAME = "soundtrack"

_MAGIC = b"soundtrack pack cache\n"
_INDEX_MAGIC = b"soundtrack index cache\n"
_PROTOCOL = 5
_RACY_NS = 2_000_000_000  # files younger than this are not cached
_STALE_TEMP_SECONDS = 24 * 3600
_BLOB_MIN = 1024  # buffers this big go to the mapped blob, smaller ones stay in the pickle
_ALIGN = 8
_TYPECODES = frozenset("bBhHiIlLqQ")  # the integer array types
_CHUNK = 1 << 20
_PAGE = mmap.PAGESIZE

# What the payload may contain besides builtin containers and strings.
_ALLOWED: dict[str, frozenset[str]] = {
    "soundtrack_tui.core.model": frozenset(
        {"Show", "Source", "Review", "Episode", "Character", "Note", "Track"}
    ),
    "soundtrack_tui.core.errors": frozenset({"Problem", "Severity"}),
    "datetime": frozenset({"date"}),
}

# What an index payload may contain: the index's own classes and arrays.
# The pack's episodes and reviews it refers to are stored as references
# (see _IndexPickler) and resolved against the pack it is loaded for.
_INDEX_ALLOWED: dict[str, frozenset[str]] = {
    "soundtrack_tui.core.search.index": frozenset({"SearchIndex"}),
    "array": frozenset({"array", "_array_reconstructor"}),  # arrays too small for the blob
}
# The modules that decide what an index holds.
INDEX_MODULES = ("search", "textnorm", "policy", "model", "cache")

# The core modules a LoadResult depends on (a test checks that loading
# imports no other core module).
CODE_MODULES = (
    "__init__",
    "cache",
    "errors",
    "files",
    "layout",
    "lint",
    "loader",
    "model",
    "sanitize",
    "schema",
    "textnorm",
    "tomlfile",
    "tomlpos",
)

Stamp = tuple[tuple[str, int, int, int], ...]  # (name, file type, size, mtime_ns)


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
    # wrong result (the header holds the path), and zlib is imported anyway.
    return cache_dir() / f"{kind}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.pickle"


def load_pack_cached(root: str | Path, progress: Progress | None = None) -> LoadResult:
    """`loader.read_pack(root)`, from the cache when the pack is unchanged.

    Same result as `read_pack` (a fresh `LoadResult` whose pack has
    `root == Path(root)`); never raises. Only results without errors are
    stored, so a broken pack is re-read, and re-reported, every time.
    `progress` is handed to `read_pack` on a miss; a hit never calls it."""
    given = Path(root)
    try:
        header = _header(given)
    except Exception:  # an unlistable pack: let the loader report it
        return _read_pack(given, progress)
    path = cache_file(given)
    cached = _read(path, header, given)
    if cached is not None:
        return cached
    result = _read_pack(given, progress)
    if result.pack is not None and not result.errors:
        pack = result.pack
        value = (pack.show, dict(pack.episodes), pack.characters, list(result.problems))
        _store(path, _MAGIC, header, given, header["files"], value, _BlobPickler)
    return result


def is_cached(root: str | Path) -> bool:
    """Would `load_pack_cached(root)` be answered from the cache? Checks the
    entry's key against the pack's files (milliseconds, the payload is not
    read), so the UI can decide whether to show a loading screen. A payload
    damaged since is still caught by `load_pack_cached`, which then reads
    the files: treat True as "almost certainly fast", never as a promise."""
    given = Path(root)
    try:
        with open(cache_file(given), "rb") as entry:
            if entry.read(len(_MAGIC)) != _MAGIC:
                return False
            stored = _Unpickler(entry).load()
        return isinstance(stored, dict) and stored.get("key") == _header(given)
    except Exception:
        return False


@overload
def load_index_cached(pack: Pack) -> SearchIndex: ...
@overload
def load_index_cached(pack: Pack, *, build: bool) -> SearchIndex | None: ...


def load_index_cached(pack: Pack, *, build: bool = True) -> SearchIndex | None:
    """The search index of `pack`, from the cache when the pack's files and
    the search code are unchanged; otherwise built, and stored for next time
    (without `build`, a miss is None and nothing is built).

    Building takes seconds at a thousand episodes and loading a stored index
    a fraction of one. An entry holds the index without the pack: the pack's
    episodes, characters and series reviews are written as references and resolved
    against `pack` on load, so nothing is held twice. A pack without a
    folder (made in memory) is simply indexed. Never raises for the cache."""
    from soundtrack_tui.core.search import SearchIndex

    root = pack.root
    if root is None:
        return SearchIndex.build(pack) if build else None
    try:
        pack_header = _header(root)
    except Exception:
        return SearchIndex.build(pack) if build else None
    header = {"pack": pack_header, "code": _code_stamp(INDEX_MODULES)}
    path = index_file(root)
    loaded = _load(path, _INDEX_MAGIC, header, lambda stream, blob: _IndexUnpickler(stream, blob, pack))
    if isinstance(loaded, SearchIndex):
        return loaded
    if not build:
        return None
    index = SearchIndex.build(pack)
    pickler = partial(_IndexPickler, pack=pack)
    _store(path, _INDEX_MAGIC, header, root, pack_header["files"], index, pickler)
    return index


def index_file(root: str | Path) -> Path:
    """Where the search index entry for the pack at `root` lives."""
    return cache_file(root, "index")


class _Blob:
    """The large buffers of an entry, written after its pickle.

    A pickle copies every buffer twice on load (read, then rebuilt);
    mapped, a 1,000-episode pack's recaps and index cost nothing until
    read, and then only the pages read. The pickle holds a reference
    `("buffer", offset, size, typecode)` instead: bytes for an empty
    typecode, else an array of that type, loaded as a read-only
    memoryview of the same type (recaps and the index accept either)."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []
        self.size = 0

    def add(self, buffer: bytes | array[int], typecode: str) -> tuple[str, int, int, str]:
        pad = -self.size % _ALIGN
        if pad:
            self.parts.append(bytes(pad))
        view = memoryview(buffer).cast("B")
        offset = self.size + pad
        self.parts.append(view)
        self.size = offset + len(view)
        return ("buffer", offset, len(view), typecode)


class _BlobPickler(pickle.Pickler):
    """Sends bytes and arrays of `_BLOB_MIN` bytes or more to `blob`."""

    def __init__(self, out: io.BytesIO, blob: _Blob) -> None:
        super().__init__(out, protocol=_PROTOCOL)
        self._blob = blob

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        kind = type(obj)
        if kind is bytes and len(obj) >= _BLOB_MIN:
            return self._blob.add(obj, "")
        if kind is array and obj.typecode in _TYPECODES and len(obj) * obj.itemsize >= _BLOB_MIN:
            return self._blob.add(obj, obj.typecode)
        return None


class _IndexPickler(_BlobPickler):
    """Also writes the pack's episodes, characters, series reviews and tracks as references."""

    def __init__(self, out: io.BytesIO, blob: _Blob, *, pack: Pack) -> None:
        super().__init__(out, blob)
        self._refs: dict[int, tuple[str, int]] = {id(e): ("episode", n) for n, e in pack.episodes.items()}
        self._refs.update((id(r), ("series review", i)) for i, r in enumerate(pack.show.reviews))
        self._refs.update((id(c), ("character", i)) for i, c in enumerate(pack.characters))
        self._refs.update((id(t), ("track", i)) for i, t in enumerate(pack.show.tracks))

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        return self._refs.get(id(obj)) or super().persistent_id(obj)


class _BlobUnpickler(pickle.Unpickler):
    """Refuses every global not in `allowed` (a foreign pickle fails here
    instead of running anything) and resolves buffer references to views
    of the mapped blob, checked against its bounds."""

    allowed: dict[str, frozenset[str]] = _ALLOWED

    def __init__(self, stream: IO[bytes], blob: memoryview) -> None:
        super().__init__(stream)
        self._blob = blob

    def find_class(self, module: str, name: str) -> Any:
        if name in self.allowed.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the cache")

    def persistent_load(self, pid: Any) -> Any:
        if isinstance(pid, tuple) and len(pid) == 4 and pid[0] == "buffer":
            _, offset, size, typecode = pid
            view = self._blob[offset : offset + size]
            if type(offset) is int and offset % _ALIGN == 0 and len(view) == size:
                if typecode == "":
                    return view
                if typecode in _TYPECODES and size % array(typecode).itemsize == 0:
                    return view.cast(typecode)
        raise pickle.UnpicklingError(f"bad reference {pid!r} in the cache")


class _IndexUnpickler(_BlobUnpickler):
    """Accepts the index's own classes only, and resolves the references to
    the pack it is loaded for."""

    allowed = _INDEX_ALLOWED

    def __init__(self, stream: IO[bytes], blob: memoryview, pack: Pack) -> None:
        super().__init__(stream, blob)
        self._pack = pack

    def persistent_load(self, pid: Any) -> Any:
        kind, number = pid if isinstance(pid, tuple) and len(pid) == 2 else (None, -1)
        if kind == "episode":
            return self._pack.episodes[number]
        if kind == "series review":
            return self._pack.show.reviews[number]
        if kind == "track":
            return self._pack.show.tracks[number]
        if kind == "character":
            return self._pack.characters[number]
        return super().persistent_load(pid)


def _read_pack(root: Path, progress: Progress | None) -> LoadResult:
    # Imported on a miss only: a hit needs neither the parser, the schema
    # nor the lint (~5 ms of imports for a CLI call).
    from soundtrack_tui.core import loader

    # Run time never shows lint warnings (they are for `soundtrack check`,
    # which never uses the cache), and the lint is most of a big pack's load.
    return loader.read_pack(root, progress, lint=False)


# -- the key -------------------------------------------------------------------


def _header(root: Path) -> dict[str, Any]:
    """Everything an entry must match to be used."""
    return {
        "format": CACHE_FORMAT,
        "version": __version__,
        "python": tuple(sys.version_info[:3]),
        "byteorder": sys.byteorder,  # the mapped arrays are native
        "code": _code_stamp(),
        "root": os.path.abspath(root),
        "shown": str(root),
        "files": _pack_stamp(root),
    }


def _entry(name: str, st: os.stat_result) -> tuple[str, int, int, int]:
    return (name, stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)


def _pack_stamp(root: Path) -> Stamp:
    """Name, type, size and mtime of every file the loader may read. A
    missing file or folder is recorded as missing, so creating it is a change."""
    if not root.is_dir():
        raise NotADirectoryError(str(root))
    stamp: list[tuple[str, int, int, int]] = []
    for name in ("show.toml", "characters.toml"):
        try:
            stamp.append(_entry(name, os.stat(root / name)))
        except FileNotFoundError:
            stamp.append((name, 0, -1, -1))
    episodes = root / "episodes"
    stamp.append(("episodes/", int(episodes.is_dir()), 0, 0))  # its listing follows
    if episodes.is_dir():
        with os.scandir(episodes) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                stamp.append(_entry("episodes/" + entry.name, entry.stat()))
    return tuple(stamp)


def _code_stamp(modules: tuple[str, ...] = CODE_MODULES) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of the modules that compute a cached value (by default
    a LoadResult): what it was made by. Only changes when that code does
    (an edited checkout); edits elsewhere (the UI) keep the cache."""
    folder = Path(__file__).resolve().parent
    found: list[tuple[str, int, int]] = []
    for name in modules:
        try:
            st = os.stat(folder / f"{name}.py")
        except OSError:
            continue
        found.append((name, st.st_size, st.st_mtime_ns))
    return tuple(found)


# -- reading -------------------------------------------------------------------


class _Unpickler(_BlobUnpickler):
    """The model's classes, dates and the problem record: what a pack
    entry holds (and, with no blob, its header)."""

    def __init__(self, stream: IO[bytes], blob: memoryview | None = None) -> None:
        super().__init__(stream, memoryview(b"") if blob is None else blob)


def _read(path: Path, header: dict[str, Any], root: Path) -> LoadResult | None:
    """The cached result, or None for any problem whatsoever."""
    return _result(_load(path, _MAGIC, header, _Unpickler), root)


def _load(
    path: Path,
    magic: bytes,
    header: dict[str, Any],
    unpickler: Callable[[IO[bytes], memoryview], pickle.Unpickler],
) -> object:
    """The payload of the entry at `path` if its key is `header` and its
    checksum holds, else None; never raises.

    Layout: magic, a pickled header (key, payload length, blob size, CRC-32
    of payload and blob), the payload pickle, zeros to the next multiple of
    8, the blob. The checksum is computed through a small buffer, so
    checking it leaves the blob's pages out of this process's memory."""
    try:
        with open(path, "rb") as entry:
            # No read-ahead: pages read back after the system dropped them
            # then come in page-sized folios (see `_write_in_pages`).
            with contextlib.suppress(AttributeError, OSError):
                os.posix_fadvise(entry.fileno(), 0, 0, os.POSIX_FADV_RANDOM)
            if entry.read(len(magic)) != magic:
                return None
            stored = _Unpickler(entry).load()
            if not isinstance(stored, dict) or stored.get("key") != header:
                return None
            length, size = stored.get("length"), stored.get("blob", 0)
            if type(length) is not int or type(size) is not int:
                return None
            start = entry.tell()
            crc = _crc(entry, length, 0)
            entry.read(-entry.tell() % _ALIGN)
            base = entry.tell()
            crc = _crc(entry, size, crc)
            if crc is None or crc != stored.get("crc") or entry.read(1):
                return None
            blob = _map(entry, base, size)
            # Unpickled from the file, not from a copy of the payload: that
            # copy (12 MB at a thousand episodes) was most of a load's peak.
            entry.seek(start)
            return unpickler(entry, blob).load()
    except Exception:
        return None


def _crc(stream: IO[bytes], count: int, crc: int | None) -> int | None:
    """CRC-32 of the next `count` bytes of `stream`, continuing `crc`; None
    if the stream ends first (or `crc` is None)."""
    if crc is None:
        return None
    chunk = bytearray(min(count, _CHUNK))
    with memoryview(chunk) as view:
        while count > 0:
            read = stream.readinto(view[: min(count, _CHUNK)])  # type: ignore[attr-defined]
            if not read:
                return None
            crc = zlib.crc32(view[:read], crc)
            count -= read
    return crc


def _map(entry: IO[bytes], base: int, size: int) -> memoryview:
    """The `size` bytes at `base` of the open file `entry`, mapped read-only
    (a copy where the file cannot be mapped). The mapping lives as long as
    a view of it does; entries are replaced by rename, never rewritten in
    place, so a mapped file never changes under its readers."""
    if size == 0:
        return memoryview(b"")
    try:
        mapped = mmap.mmap(entry.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        entry.seek(base)
        return memoryview(entry.read(size))
    # Reads are scattered (a recap, a posting row): a page the system has
    # dropped is read back alone, not with its neighbours (read-around).
    # Pages still cached are mapped in folios, see `_write_in_pages`.
    with contextlib.suppress(AttributeError, OSError):
        mapped.madvise(mmap.MADV_RANDOM)
    return memoryview(mapped)[base : base + size]


def _result(value: object, root: Path) -> LoadResult | None:
    """Rebuild the LoadResult from the stored tuple, checking every type."""
    if not (isinstance(value, tuple) and len(value) == 4):
        return None
    show, episodes, characters, problems = value
    if not isinstance(show, Show) or not isinstance(episodes, dict):
        return None
    reviews = chain(show.reviews, *(e.reviews for e in episodes.values() if isinstance(e, Episode)))
    if not all(type(r.thoughts_utf8) in (bytes, memoryview) for r in reviews):
        return None
    if not all(
        type(k) is int
        and isinstance(e, Episode)
        and e.number == k
        and type(e.recap_utf8) in (bytes, memoryview)
        for k, e in episodes.items()
    ):
        return None
    if not isinstance(characters, tuple) or not all(isinstance(c, Character) for c in characters):
        return None
    if not isinstance(problems, list) or not all(isinstance(p, Problem) and not p.is_error for p in problems):
        return None
    return LoadResult(Pack(show, MappingProxyType(episodes), characters, root), problems)


# -- writing -------------------------------------------------------------------


def _store(
    path: Path,
    magic: bytes,
    header: dict[str, Any],
    root: Path,
    files: Stamp,
    value: object,
    pickler: Callable[[io.BytesIO, _Blob], _BlobPickler],
) -> None:
    """Write `value` as an entry, pickled by `pickler`, unless the pack's
    files changed from `files` meanwhile or are too fresh to trust their
    mtimes. Every failure is silent: the cache is optional."""
    try:
        if _pack_stamp(root) != files:
            return  # edited while we were reading it
        newest = max((entry[3] for entry in files), default=0)
        if newest > time.time_ns() - _RACY_NS:
            return
        blob = _Blob()
        pickled = io.BytesIO()
        pickler(pickled, blob).dump(value)
        data = pickled.getvalue()
        crc = zlib.crc32(data)
        for part in blob.parts:
            crc = zlib.crc32(part, crc)
        stored = {"key": header, "length": len(data), "blob": blob.size, "crc": crc}
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _remove_stale_temps(path.parent)
        import tempfile  # only when writing: keeps a cache hit's imports small

        handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(magic)
                pickle.dump(stored, out, protocol=_PROTOCOL)
                out.write(data)
                out.write(bytes(-out.tell() % _ALIGN))  # the blob starts aligned (see `_load`)
                out.flush()
                for part in blob.parts:
                    _write_in_pages(out.fileno(), part)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except Exception:
        return


def _write_in_pages(fd: int, buffer: bytes | memoryview) -> None:
    """Write `buffer` to `fd` a page at a time. The kernel caches what one
    big write() brings in folios as large as the write (megabytes on recent
    Linux), and a mapped file is faulted in a folio at a time: one posting
    row read from the mapped index then put megabytes into this process's
    memory. Page-sized writes leave page-sized folios."""
    view = memoryview(buffer).cast("B")
    for start in range(0, len(view), _PAGE):
        page = view[start : start + _PAGE]
        while page:
            written = os.write(fd, page)
            if not written:
                raise OSError("short write")
            page = page[written:]


def _remove_stale_temps(folder: Path) -> None:
    """Temp files left by a process killed mid-write, after a day."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".tmp-") and entry.stat().st_mtime < cutoff:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
