"""Reading a file from disk that may be anything: the one way pack files and
the progress file are read.

A path can name a FIFO (opening it waits for a writer forever), a device
(`/dev/zero` never ends, and `stat` says it is empty), a folder, a symlink
loop, or a file that grows while it is read. So a file is opened without
blocking and without following a final symlink where the caller says so,
checked to be a regular file on the descriptor that is then read (no race
between the check and the read), and read only up to a cap, counted while
reading rather than trusted from `stat`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """Why a file could not be read, as a short phrase for one error line
    ("not a regular file (a FIFO)"). `missing` tells a file that is simply
    not there from every other reason; `os_error` is set when the system
    refused (permissions, I/O), as opposed to the file being wrong."""

    def __init__(self, reason: str, *, missing: bool = False, os_error: OSError | None = None) -> None:
        super().__init__(reason)
        self.missing = missing
        self.os_error = os_error


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("" when it has no name)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return ""


def read_capped(path: Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `UnreadableFile` for anything else: missing, not a regular file,
    larger than `limit` (said with the size), a symlink loop, or an OS error
    (said in words, never as a raw errno)."""
    fd = open_regular(path, limit, follow_symlinks=follow_symlinks)
    try:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(f"file grew past the {limit:,}-byte limit while being read")
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {describe_os_error(error)}", os_error=error) from None
    finally:
        os.close(fd)


def open_regular(path: Path, limit: int, *, follow_symlinks: bool = True) -> int:
    """A descriptor open for reading on the regular file at `path`, no
    larger than `limit` when opened; for a caller that reads it in pieces
    and counts what it reads (the file may still grow). Raises
    `UnreadableFile` as `read_capped` does."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise _unreadable(path, error, follow_symlinks) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = kind_of(info.st_mode)
            raise UnreadableFile(f"not a regular file ({kind})" if kind else "not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"file is {info.st_size:,} bytes, over the {limit:,}-byte limit")
    except OSError as error:
        os.close(fd)
        raise UnreadableFile(f"cannot read: {describe_os_error(error)}", os_error=error) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unreadable(path: Path, error: OSError, follow_symlinks: bool) -> UnreadableFile:
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return UnreadableFile("a symlink to a file that does not exist")
        return UnreadableFile("missing file", missing=True)
    if error.errno == errno.ELOOP:
        if not follow_symlinks and os.path.islink(path):
            return UnreadableFile("a symlink, which is not followed here")
        return UnreadableFile("a symlink loop")
    if error.errno == errno.ENXIO:  # a socket, or a FIFO opened for writing
        return UnreadableFile("not a regular file")
    return UnreadableFile(f"cannot read: {describe_os_error(error)}", os_error=error)


def describe_os_error(error: OSError) -> str:
    """An OSError in words, without the errno number or the path (the
    caller names the path once, sanitized)."""
    if error.errno == errno.EACCES or error.errno == errno.EPERM:
        return "permission denied"
    return (error.strerror or type(error).__name__).lower()
