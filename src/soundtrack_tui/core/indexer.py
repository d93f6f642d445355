"""Reads and indexes a big pack in a child process, for the browser.

Only for a pack of `CHILD_MIN_EPISODES` or more that is not in the cache
yet: parsing a thousand episodes of TOML takes ~0.3 s and ~22 MB of peak
memory, and indexing them about a second of pure Python with a peak of
~100 MB. Done in the browser, both peaks would stay in its memory for good
(freed heap is rarely given back to the system) and the indexing would
hold the GIL, so keys would be answered late. The child does the work and
stores each result in the cache; the browser loads the stored entries,
which costs ~0.1 s and about the size of the recaps and the index. Smaller
packs are read and indexed in the browser's own process in milliseconds.

`PackIndexer` owns the child: the app starts it and closes it, which ends
the child and reaps it. The child also ends by itself when its parent is
gone, however that happened: it watches a pipe from the parent and exits
when the pipe closes. It ignores SIGHUP and SIGTERM, which the browser
handles for both (`leave_signals_to_parent`).

Once the pack is stored, the child starts a helper (`HelperProcess`) that
encodes the last texts of the pack into token ids on the other core while
the child encodes the first ones: encoding is half the build, and the
browser is idle by then, its list on screen.

The child says how far it got on its stdout, one line each: `progress DONE
TOTAL` while it reads episode files, `pack` once the parsed pack is stored,
`index` once the index is. Any failure (no writable cache folder, a child
that cannot start, dies or stores nothing) leaves the work to the calling
process, as for a small pack. Run as `python -m soundtrack_tui.core.indexer
PACK`; it exits 0 once both entries are stored.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from soundtrack_tui.core.cache import is_cached, load_index_cached, load_pack_cached
from soundtrack_tui.core.child_process import end_process, exit_with_parent, leave_signals_to_parent
from soundtrack_tui.core.errors import LoadResult
from soundtrack_tui.core.index_helper import HelperProcess

if TYPE_CHECKING:
    from soundtrack_tui.core.errors import Progress
    from soundtrack_tui.core.model import Pack
    from soundtrack_tui.core.search import SearchIndex

__all__ = [
    "CHILD_MIN_EPISODES",
    "IndexerClosed",
    "PackIndexer",
    "is_big",
    "load_index_helped",
    "main",
]

CHILD_MIN_EPISODES = 50  # smaller packs load and index in milliseconds, in process
_NICE = 5  # once the pack is stored, the child yields the CPU to the browser

PACK_STORED = "pack"
INDEX_STORED = "index"
PROGRESS = "progress"


class IndexerClosed(RuntimeError):
    """The `PackIndexer` was closed before the index was stored."""


def is_big(root: str | Path) -> bool:
    """Does the pack at `root` have `CHILD_MIN_EPISODES` episode files or more?"""
    try:
        with os.scandir(Path(root) / "episodes") as entries:
            count = sum(1 for entry in entries if entry.name.endswith(".toml"))
    except OSError:
        return False
    return count >= CHILD_MIN_EPISODES


def child_command(root: Path) -> list[str]:
    """How the child is run: this interpreter, this package, found on the
    same import path (the environment is inherited unchanged)."""
    return [sys.executable, "-m", "soundtrack_tui.core.indexer", os.fspath(root)]


class PackIndexer:
    """The child that reads and indexes the big pack at `root`, and what it
    has said so far; use as a context manager, or `close` it.

    `load_pack` and `load_index` block, so they run in worker threads; the
    child's output is read by one of them at a time (the loader until
    `pack`, then the index until the end). `command` runs the child (tests
    give a failing one)."""

    def __init__(self, root: str | Path, *, command: Sequence[str] | None = None) -> None:
        self.root = Path(root)
        self.command = list(command) if command is not None else child_command(self.root)
        self.said: set[str] = set()
        self.closed = False
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()  # guards _process and closed
        self._reading = threading.Lock()

    def __enter__(self) -> PackIndexer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Is a child started and not yet reaped?"""
        return self._process is not None

    def start(self) -> bool:
        """Start the child unless it is running, closed, or both entries
        are stored; True if a child is at work. Called as early as possible
        on a cold start, so the child reads while the browser starts up."""
        with self._lock:
            if self._process is not None:
                return True
            if self.closed or (is_cached(self.root) and is_cached(self.root, "index")):
                return False
            self.said.clear()
            try:
                self._process = subprocess.Popen(
                    self.command,
                    stdin=subprocess.PIPE,  # never written: the child exits when it closes
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,  # the terminal belongs to the browser
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
            except OSError:
                return False
            return True

    def close(self) -> None:
        """End the child if it is still at work and reap it. Quitting the
        browser must not leave work running behind it (a later start does
        it again). A `load_pack` or `load_index` still waiting returns at
        once. Idempotent."""
        with self._lock:
            self.closed = True
            process, self._process = self._process, None
        if process is not None:
            end_process(process, kill=True)

    def load_pack(self, progress: Progress | None = None) -> LoadResult:
        """The pack, read by the child (started here if `start` was not
        called) and loaded from the cache once stored; `progress` gets the
        child's reports. A child that fails or stores nothing leaves the
        work to this process: `cache.load_pack_cached(root, progress)`,
        which also reports a broken pack's errors. Once closed, an empty
        result: nobody is waiting for it."""
        self.start()
        while PACK_STORED not in self.said and (line := self._read()) is not None:
            kind, _, numbers = line.partition(" ")
            if kind == PROGRESS and progress is not None:
                with contextlib.suppress(ValueError):
                    done, total = map(int, numbers.split())
                    progress(done, total)
        if PACK_STORED not in self.said:
            if self.closed:
                return LoadResult(None, [])
            self._reap()
        return load_pack_cached(self.root, progress)

    def load_index(self, pack: Pack) -> SearchIndex:
        """The search index of `pack`: from the cache; built by the child
        (the one that read the pack if it is still at work, else a new one)
        and then read from the cache; built here if the child fails. Raises
        `IndexerClosed` if closed meanwhile: the app is quitting and must
        not wait for an index built here."""
        found = load_index_cached(pack, build=False)
        if found is not None:
            return found
        if self.start():
            while INDEX_STORED not in self.said and self._read() is not None:
                pass
            # Loaded (and checked) as soon as it is stored: the child, which
            # says nothing more, may take a while to free its memory and exit.
            found = load_index_cached(pack, build=False) if INDEX_STORED in self.said else None
            self._reap()
            if found is not None:
                return found
        if self.closed:
            raise IndexerClosed(f"closed before the index of {self.root} was stored")
        return load_index_cached(pack)

    def _read(self) -> str | None:
        """The child's next line; None once it has exited (or was never started)."""
        with self._reading:
            process = self._process
            stream = process.stdout if process is not None else None
            if stream is None:
                return None
            try:
                line = stream.readline()
            except (OSError, ValueError):  # closed under us
                line = ""
        if not line:
            return None
        line = line.strip()
        self.said.add(line.partition(" ")[0])
        return line

    def _reap(self) -> int | None:
        """Wait for the child, which has finished talking; its exit code."""
        with self._lock:
            process, self._process = self._process, None
        return end_process(process, kill=False) if process is not None else None


def load_index_helped(pack: Pack) -> SearchIndex:
    """`load_index_cached(pack)`, with a `HelperProcess` for the build of a
    big pack stored in the cache without its index (the command line's
    first search of it): the same index, a fifth sooner."""
    root = pack.root
    if root is None or not is_big(root) or not is_cached(root) or is_cached(root, "index"):
        return load_index_cached(pack)
    with HelperProcess(root) as helper:
        helper.launch()
        return load_index_cached(pack, helper=helper)


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Store the pack at argv[0] and its index in the cache, saying so on
    `out` (stdout); 0 once both entries are stored."""
    args = sys.argv[1:] if argv is None else list(argv)
    say = out if out is not None else sys.stdout
    if len(args) != 1:
        print("usage: python -m soundtrack_tui.core.indexer PACK", file=sys.stderr)
        return 2
    root = args[0]

    def report(done: int, total: int) -> None:
        print(PROGRESS, done, total, file=say, flush=True)

    was_cached = is_cached(root)
    pack = load_pack_cached(root, report).pack
    if pack is None or not (was_cached or is_cached(root)):
        return 1  # broken, or not storable: the browser reads it itself
    print(PACK_STORED, file=say, flush=True)
    with contextlib.suppress(AttributeError, OSError):
        os.nice(_NICE)
    with HelperProcess(Path(root)) as helper:
        helper.launch()
        if not was_cached:
            # Indexed from the stored entry (its recaps one buffer): far less
            # memory than the parsed pack, which this process then no longer holds.
            pack = load_pack_cached(root).pack
            if pack is None:
                return 1
        load_index_cached(pack, helper=helper)
    if load_index_cached(pack, build=False) is None:
        return 1
    print(INDEX_STORED, file=say, flush=True)
    return 0


if __name__ == "__main__":
    leave_signals_to_parent()
    exit_with_parent(sys.stdin.fileno())
    sys.exit(main())
