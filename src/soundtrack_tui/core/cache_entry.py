"""One cache entry on disk: a key, a checked pickle, and its large buffers.

Layout: a magic line naming the kind of entry, a pickled header (the key,
the payload's length, the blob's size and the CRC-32 of both), the payload
pickle, zeros to the next multiple of 8, then the blob: every bytes or
integer-array buffer of `BLOB_MIN` bytes or more, stored raw. The pickle
holds a reference `("buffer", offset, size, typecode)` in its place.

Why a blob beside the pickle: loading a pickle copies each buffer twice
(read, then rebuilt); the blob is read once, in one piece, and the
payload's recaps and index arrays are views of it. It is read rather than
mapped, although a map cost nothing until touched: a mapped file
truncated under its reader kills the process (see `_read_blob`).

Reading never trusts the file: the key must match exactly, the checksum
must hold, the unpickler knows only the classes the caller allows (a
foreign pickle fails before anything runs) and every buffer reference is
checked against the blob's bounds. Any problem is a miss (None), never an
exception. Writing is atomic: a temp file in the same folder, then
`os.replace`, so a reader never sees half an entry.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import time
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

PROTOCOL = 5
BLOB_MIN = 1024  # smaller buffers stay in the pickle
ALIGN = 8  # every buffer starts aligned, so it can be cast to its array type
TYPECODES = frozenset("bBhHiIlLqQ")  # the integer array types
_CHUNK = 1 << 20
_STALE_TEMP_SECONDS = 24 * 3600

Allowed = dict[str, frozenset[str]]  # module -> the names a payload may use


class Blob:
    """The large buffers of an entry being written, in order."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []
        self.size = 0

    def add(self, buffer: bytes | array[int], typecode: str) -> tuple[str, int, int, str]:
        pad = -self.size % ALIGN
        if pad:
            self.parts.append(bytes(pad))
        view = memoryview(buffer).cast("B")
        offset = self.size + pad
        self.parts.append(view)
        self.size = offset + len(view)
        return ("buffer", offset, len(view), typecode)


class BlobPickler(pickle.Pickler):
    """Sends bytes and integer arrays of `BLOB_MIN` bytes or more to `blob`."""

    def __init__(self, out: io.BytesIO, blob: Blob) -> None:
        super().__init__(out, protocol=PROTOCOL)
        self.blob = blob

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        kind = type(obj)
        if kind is bytes and len(obj) >= BLOB_MIN:
            return self.blob.add(obj, "")
        if kind is array and obj.typecode in TYPECODES and len(obj) * obj.itemsize >= BLOB_MIN:
            return self.blob.add(obj, obj.typecode)
        return None


class SafeUnpickler(pickle.Unpickler):
    """Refuses every global not in `allowed`, and resolves buffer references
    to read-only views of `blob` (bytes-like for an empty typecode, else
    cast to that array type), checked against its bounds."""

    def __init__(self, stream: IO[bytes], blob: memoryview, allowed: Allowed) -> None:
        super().__init__(stream)
        self.blob = blob
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if name in self.allowed.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the cache")

    def persistent_load(self, pid: Any) -> Any:
        if isinstance(pid, tuple) and len(pid) == 4 and pid[0] == "buffer":
            _, offset, size, typecode = pid
            view = self.blob[offset : offset + size] if type(offset) is int and type(size) is int else None
            if view is not None and offset % ALIGN == 0 and len(view) == size:
                if typecode == "":
                    return view
                if typecode in TYPECODES and size % array(typecode).itemsize == 0:
                    return view.cast(typecode)
        raise pickle.UnpicklingError(f"bad reference {pid!r} in the cache")


# What a header may contain: builtin values only.
_NO_CLASSES: Allowed = {}


def read_key(path: Path, magic: bytes) -> object:
    """The key stored in the entry at `path` (None if unreadable); the
    payload is not read. For a quick "is this entry current?"."""
    try:
        with open(path, "rb") as entry:
            header = _header(entry, magic)
    except OSError:
        return None
    return header.get("key") if header is not None else None


def _header(entry: IO[bytes], magic: bytes) -> dict[str, Any] | None:
    try:
        if entry.read(len(magic)) != magic:
            return None
        header = SafeUnpickler(entry, memoryview(b""), _NO_CLASSES).load()
    except Exception:
        return None
    return header if isinstance(header, dict) else None


def load(
    path: Path,
    magic: bytes,
    key: object,
    unpickler: Callable[[IO[bytes], memoryview], pickle.Unpickler],
) -> object:
    """The payload of the entry at `path` if its key is `key` and its
    checksum holds, else None; never raises. `unpickler(stream, blob)` reads
    the payload (a `SafeUnpickler` with the caller's classes)."""
    try:
        with open(path, "rb") as entry:
            header = _header(entry, magic)
            if header is None or header.get("key") != key:
                return None
            length, size = header.get("length"), header.get("blob", 0)
            if type(length) is not int or type(size) is not int:
                return None
            start = entry.tell()
            crc = _crc(entry, length, 0)
            entry.read(-entry.tell() % ALIGN)
            blob = _read_blob(entry, size)
            if crc is None or blob is None or zlib.crc32(blob, crc) != header.get("crc") or entry.read(1):
                return None
            # Unpickled from the file, not from a copy of the payload: that
            # copy (12 MB at a thousand episodes) was most of a load's peak.
            entry.seek(start)
            value = unpickler(entry, blob).load()
    except Exception:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # last used: the folder keeps the packs used most recently
    return value


def _crc(stream: IO[bytes], count: int, crc: int | None) -> int | None:
    """CRC-32 of the next `count` bytes of `stream`, continuing `crc`; None
    if the stream ends first (or `crc` is None). Read through one small
    buffer, so checking the blob does not copy it into this process."""
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


def _read_blob(entry: IO[bytes], size: int) -> memoryview | None:
    """The next `size` bytes of `entry`, read into memory (None if the file
    ends first), as a read-only view the payload's buffers slice.

    Read, not mapped: a mapped file truncated under its reader (by anyone
    who can write the cache folder; this module only ever replaces an
    entry by rename) kills the process with SIGBUS at the next page it
    touches, with the terminal left raw. The copy costs its size in memory
    (about 11 MB of peak RSS at 1,000 episodes, see docs/reliability.md)."""
    if not 0 <= size <= os.fstat(entry.fileno()).st_size - entry.tell():
        return None  # a header claiming more than the file holds: no allocation for it
    blob = entry.read(size)  # bytes, not a bytearray: a view of bytes hashes like bytes
    return memoryview(blob) if len(blob) == size else None


def store(
    path: Path,
    magic: bytes,
    key: object,
    value: object,
    pickler: Callable[[io.BytesIO, Blob], BlobPickler],
) -> None:
    """Write `value` as the entry at `path` under `key`, pickled by
    `pickler(stream, blob)`. Atomic; raises OSError if it cannot be written."""
    blob = Blob()
    pickled = io.BytesIO()
    pickler(pickled, blob).dump(value)
    data = pickled.getbuffer()
    crc = zlib.crc32(data)
    for part in blob.parts:
        crc = zlib.crc32(part, crc)
    header = {"key": key, "length": len(data), "blob": blob.size, "crc": crc}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale_temps(path.parent)
    import tempfile  # only when writing: keeps a cache hit's imports small

    handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(magic)
            pickle.dump(header, out, protocol=PROTOCOL)
            out.write(data)
            out.write(bytes(-out.tell() % ALIGN))
            for part in blob.parts:
                out.write(part)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _remove_stale_temps(folder: Path) -> None:
    """Temp files left by a process killed mid-write, after a day (a
    younger one may be another process's, still writing)."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".tmp-") and entry.stat().st_mtime < cutoff:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
