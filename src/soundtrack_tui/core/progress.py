"""Where the user's progress lives: watched episodes, spoiler level, theme.

The progress file is the only thing the program writes, and losing it means
spoilers (a reset store shows the user nothing, a wrong one shows too much),
so the store is defensive:

* every change is a read-modify-write under an exclusive lock, re-reading the
  file inside the lock, so two windows open at once merge instead of the last
  one winning;
* the file is replaced atomically (temp file, fsync, rename), so a crash or a
  full disk leaves the previous good file whole;
* a damaged file is moved aside (never deleted) and the user is told once;
* a folder that cannot be written, or a lock that cannot be had, turns the
  store read-only: the app keeps working from memory and says so once.

Nothing here raises to the caller for conditions of the environment; only
programming errors (an invalid `PackProgress`) do. Problems are reported as
plain one-line notices through `ProgressStore.take_notices`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import platformdirs

from soundtrack_tui.core.files import UnreadableFile, read_capped
from soundtrack_tui.core.policy import Level
from soundtrack_tui.core.progress_document import (
    CorruptProgress,
    Document,
    PackProgress,
    check_episode,
    empty_document,
    entry_progress,
    parse_document,
    serialize_document,
    with_entry,
)
from soundtrack_tui.core.sanitize import sanitize

__all__ = ["FILE_NAME", "LOCK_NAME", "STATE_DIR_ENV", "PackProgress", "ProgressStore", "state_dir"]

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

APP_NAME = "soundtrack"
STATE_DIR_ENV = "SOUNDTRACK_STATE_DIR"
FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"

# Far more than any real progress file (a thousand shows of a thousand
# episodes each is about 6 MB): anything bigger is damage, not progress.
MAX_PROGRESS_BYTES = 16 * 1024 * 1024

# How long to sleep between non-blocking lock attempts: short enough that a
# waiting window feels instant once the other one lets go.
_LOCK_POLL_SECONDS = 0.02


def state_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder progress is kept in: `--state-dir`, else $SOUNDTRACK_STATE_DIR,
    else the platform's per-user state folder. Nothing is created here; the
    store creates the folder on its first write, so read-only commands leave
    no trace."""
    if override is not None and os.fspath(override) != "":
        return Path(override).expanduser()
    from_env = os.environ.get(STATE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_state_dir(APP_NAME))


class _LockTimeout(Exception):
    """Another instance held the lock for longer than the timeout."""


def _timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(sanitize(text).split())


class ProgressStore:
    """One pack's progress, backed by `progress.json` in `folder`.

    `current` is what the UI shows; `update` and the `set_*` helpers change
    it and persist the change. All public methods are safe to call in any
    environment: failures become notices and a read-only store.
    """

    def __init__(self, folder: Path, pack_id: str, *, lock_timeout: float = 2.0) -> None:
        self._folder = Path(folder)
        self._pack_id = pack_id
        self._lock_timeout = max(0.0, lock_timeout)
        self._current: PackProgress | None = None
        self._read_only = False
        self._notices: list[str] = []
        self._reported: set[str] = set()

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def path(self) -> Path:
        return self._folder / FILE_NAME

    @property
    def lock_path(self) -> Path:
        return self._folder / LOCK_NAME

    @property
    def read_only(self) -> bool:
        """True once a write is known to be impossible (lock timeout, or a
        folder that cannot be written). Sticky: after a failed write memory
        and file disagree, and a later write would silently drop the changes
        made in between."""
        return self._read_only

    @property
    def current(self) -> PackProgress:
        if self._current is None:
            return self.load()
        return self._current

    def load(self) -> PackProgress:
        """Read the file into memory. A damaged file is moved aside (under
        the lock, after re-reading, so a good file another instance has just
        written is never mistaken for it) and progress starts empty."""
        try:
            document = self._read()
        except CorruptProgress:
            document = self._recover()
        except OSError as exc:
            # Not knowing what is there, writing over it could destroy it.
            self._go_read_only("unwritable", f"progress will not be kept: {self._describe_read(exc)}")
            document = empty_document()
        self._current = self._progress_in(document)
        return self._current

    def update(self, change: Callable[[PackProgress], PackProgress]) -> PackProgress:
        """Apply `change` to the stored progress and persist it: lock, re-read
        (so another instance's changes are merged, not overwritten), apply,
        write atomically, unlock. `change` must be a pure function of its
        argument: it sees the file's value, which may differ from `current`.

        When the store is read-only, or the write fails, the change is applied
        in memory only and a notice says once that progress is not kept."""
        if self._read_only:
            self._current = change(self.current)
            return self._current
        changed: PackProgress | None = None
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            with self._locked():
                document = self._read_or_recover_locked()
                changed = change(self._progress_in(document))
                self._write(with_entry(document, self._pack_id, changed))
        except _LockTimeout:
            self._lock_timed_out()
        except OSError as exc:
            self._go_read_only("unwritable", f"progress will not be kept: {self._describe(exc)}")
        if changed is None:
            # The file could not even be read under the lock: build on memory.
            changed = change(self.current)
        self._current = changed
        return changed

    def set_watched(self, numbers: Iterable[int], watched: bool) -> PackProgress:
        """Mark `numbers` watched (or not). Validated before anything is
        touched, so a bad number is an error, not a half-applied change."""
        chosen = frozenset(numbers)
        for number in chosen:
            check_episode(number, "episode")

        def change(progress: PackProgress) -> PackProgress:
            marked = progress.watched | chosen if watched else progress.watched - chosen
            return replace(progress, watched=marked)

        return self.update(change)

    def set_level(self, level: Level) -> PackProgress:
        return self.update(lambda progress: replace(progress, level=level))

    def set_theme(self, theme: str | None) -> PackProgress:
        return self.update(lambda progress: replace(progress, theme=theme))

    def set_last_episode(self, number: int | None) -> PackProgress:
        return self.update(lambda progress: replace(progress, last_episode=number))

    def take_notices(self) -> list[str]:
        """Messages for the user since the last call, each condition reported
        once per store. Plain text, one line each, safe for a terminal."""
        notices, self._notices = self._notices, []
        return notices

    # -- internals ---------------------------------------------------------

    def _notify(self, key: str, message: str) -> None:
        if key not in self._reported:
            self._reported.add(key)
            self._notices.append(_one_line(message))

    def _go_read_only(self, key: str, message: str) -> None:
        self._read_only = True
        self._notify(key, message)

    def _lock_timed_out(self) -> None:
        self._go_read_only(
            "lock",
            f"progress will not be kept: another soundtrack is using {self._folder} "
            f"(waited {self._lock_timeout:g} s for {LOCK_NAME}); changes stay in this session only",
        )

    def _progress_in(self, document: Document) -> PackProgress:
        entry = document["packs"].get(self._pack_id)
        return PackProgress() if entry is None else entry_progress(entry)

    def _read(self) -> Document:
        """The validated file, or an empty document when there is none yet.
        Raises `CorruptProgress` for a damaged file and OSError when it cannot be
        read at all (which is not the same: an unreadable file may be fine)."""
        try:
            data = read_capped(self.path, MAX_PROGRESS_BYTES)
        except UnreadableFile as error:
            if error.missing:
                return empty_document()
            if error.os_error is not None:
                raise error.os_error from None
            raise CorruptProgress(str(error)) from None
        return parse_document(data)

    def _recover(self) -> Document:
        """Called by `load` on a damaged file: take the lock and move it aside.
        If that is impossible, leave the file alone and start empty."""
        if self._read_only:
            self._notify("ignored", f"progress file {self.path} is damaged; starting with no progress")
            return empty_document()
        try:
            with self._locked():
                return self._read_or_recover_locked()
        except _LockTimeout:
            self._lock_timed_out()
        except OSError as exc:
            self._go_read_only("unwritable", f"progress will not be kept: {self._describe(exc)}")
        return empty_document()

    def _read_or_recover_locked(self) -> Document:
        """Read with the lock held; a damaged file is moved aside. OSError
        propagates: the caller cannot write safely over what it cannot read."""
        try:
            return self._read()
        except CorruptProgress as exc:
            aside = self._move_aside()
            self._notify(
                "corrupt",
                f"progress file {self.path} could not be used ({exc}); "
                f"moved it to {aside.name} and started with no progress",
            )
            return empty_document()

    def _move_aside(self) -> Path:
        """Rename the damaged file to `progress.json.corrupt-<UTC time>`,
        adding `-2`, `-3`, ... if that name is taken. Runs under the lock, so
        the existence check cannot race another instance of this program."""
        base = f"{FILE_NAME}.corrupt-{_timestamp()}"
        aside = self._folder / base
        counter = 1
        while os.path.lexists(aside):
            counter += 1
            aside = self._folder / f"{base}-{counter}"
        os.replace(self.path, aside)
        return aside

    def _write(self, document: Document) -> None:
        """Atomically replace the file: a reader (or a crash) sees the old
        file or the new one, never a mix, and a failed write removes its
        temp file and leaves the old file untouched."""
        data = serialize_document(document)
        fd, temp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=self._folder)
        try:
            with open(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._sync_folder()

    def _sync_folder(self) -> None:
        """Make the rename itself durable. Best effort: not every platform or
        filesystem can fsync a directory, and the data is already safe."""
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                fd = os.open(self._folder, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive lock on `progress.lock`, polling without
        blocking until `lock_timeout`, so a hung instance can never freeze
        this one. The lock file is never deleted: removing it would let two
        instances lock two different files."""
        # Not through a symlink: whoever planted one would have this
        # program create or truncate the file it points at.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.lock_path, flags, 0o666)
        try:
            deadline = time.monotonic() + self._lock_timeout
            while not _try_lock(fd):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _LockTimeout
                time.sleep(min(_LOCK_POLL_SECONDS, remaining))
            try:
                yield
            finally:
                # Closing the descriptor releases the lock anyway.
                with contextlib.suppress(OSError):
                    _unlock(fd)
        finally:
            os.close(fd)

    def _describe_read(self, exc: OSError) -> str:
        if self._not_a_folder(exc):
            return f"{self._folder} is not a folder"
        return f"cannot read {self.path}: {_reason(exc)}"

    def _not_a_folder(self, exc: OSError) -> bool:
        folder = self._folder
        return isinstance(exc, (FileExistsError, NotADirectoryError)) or (
            os.path.lexists(folder) and not os.path.isdir(folder)
        )

    def _describe(self, exc: OSError) -> str:
        """Why the folder cannot be written, in the user's terms."""
        folder = self._folder
        if self._not_a_folder(exc):
            return f"{folder} is not a folder"
        if exc.errno == errno.ELOOP:
            return f"{self.lock_path} is a symlink, which is never followed"
        if exc.errno == errno.ENOSPC:
            return f"no space left on the device holding {folder}"
        if exc.errno == errno.EROFS:
            return f"{folder} is on a read-only file system"
        if isinstance(exc, PermissionError):
            return f"no permission to write in {folder}"
        return f"cannot write to {folder}: {_reason(exc)}"


_BUSY = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def _try_lock(fd: int) -> bool:
    """One non-blocking attempt. False when someone else holds the lock;
    any other OSError (e.g. a filesystem without locks) propagates."""
    try:
        if sys.platform == "win32":
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
