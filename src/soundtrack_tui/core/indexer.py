"""Reads and indexes a big pack in a child process.

Parsing a thousand episodes of TOML takes ~0.3 s and ~22 MB more peak
memory than mapping the cached result; indexing them is ~2.5 s of pure
Python with a peak of ~85 MB. Done in the browser, both peaks stayed in its
memory for good (freed heap is rarely given back to the system), and the
indexing held the GIL, so keys were answered late. A child process does the
work and stores each result in the cache (`cache.load_pack_cached`,
`cache.load_index_cached`); the browser maps the stored entries, which
costs ~0.1 s and only the pages it reads.

The child says how far it got on its stdout, one line each:
`progress DONE TOTAL` while it reads episode files, `pack` once the parsed
pack is stored, `index` once the index is. A cold start of the browser
(`load_pack`) starts the child, shows its progress, and maps the pack as
soon as `pack` arrives; the same child goes on to index it, and
`load_index` waits for it rather than starting another.

The browser (`ui.app.run`) also has the child read a small pack that is
not in the cache yet, waiting for it rather than showing progress: the
parse and the index cost little time but ~2 MB that the browser would keep.
Otherwise small packs, and any failure (no writable cache folder, a child
that cannot start, dies or stores nothing), are read and indexed in the
calling process as before. Run as
`python -m soundtrack_tui.core.indexer PACK`; it exits 0 once both entries
are stored.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from soundtrack_tui.core.cache import is_cached, load_index_cached, load_pack_cached

if TYPE_CHECKING:
    from soundtrack_tui.core.errors import LoadResult, Progress
    from soundtrack_tui.core.model import Pack
    from soundtrack_tui.core.search import SearchIndex

__all__ = ["CHILD_MIN_EPISODES", "load_index", "load_pack", "main", "start", "stop_children"]

CHILD_MIN_EPISODES = 50  # smaller packs load and index in milliseconds, in process
_NICE = 5  # once the pack is stored, the child yields the CPU to the browser

PACK_STORED = "pack"
INDEX_STORED = "index"
PROGRESS = "progress"


class _Child:
    """A running child for one pack, and what it has said so far. Its
    output is read by one thread at a time: the loader until `pack`, then
    the indexing thread until the end."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.said: set[str] = set()
        self._reading = threading.Lock()

    def read(self) -> str | None:
        """The child's next line; None once it has exited."""
        with self._reading:
            stream = self.process.stdout
            assert stream is not None
            try:
                line = stream.readline()
            except (OSError, ValueError):  # closed under us
                line = ""
        if not line:
            return None
        line = line.strip()
        self.said.add(line.partition(" ")[0])
        return line

    def finish(self) -> bool:
        """Wait for the child to exit; True if it stored the index."""
        while self.read() is not None:
            pass
        return self.close() == 0 and INDEX_STORED in self.said

    def close(self) -> int:
        """Wait for the child; its exit code."""
        code = self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code


_children: dict[str, _Child] = {}  # by the pack's absolute path
_lock = threading.Lock()


def _key(root: str | Path) -> str:
    return os.path.abspath(root)


def start(root: str | Path) -> _Child | None:
    """The child for the pack at `root`, started unless one is running;
    None if it cannot start. Called as early as possible on a cold start,
    so the child reads while the browser is still starting up."""
    running = _running(root)
    if running is not None:
        return running
    env = dict(os.environ)
    # The child imports this package from where the parent did.
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, env.get("PYTHONPATH"))))
    try:
        process = subprocess.Popen(
            _command(Path(root)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the terminal belongs to the browser
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError:
        return None
    child = _Child(process)
    with _lock:
        _children[_key(root)] = child
    return child


def _command(root: Path) -> list[str]:
    return [sys.executable, "-m", "soundtrack_tui.core.indexer", os.fspath(root)]


def _running(root: str | Path) -> _Child | None:
    with _lock:
        return _children.get(_key(root))


def _forget(root: str | Path) -> None:
    with _lock:
        _children.pop(_key(root), None)


def load_pack(root: str | Path, progress: Progress | None = None) -> LoadResult:
    """The pack at `root`, read by the child (started here if `start` was
    not called) and mapped from the cache once stored; `progress` gets the
    child's reports. A child that fails or stores nothing leaves the work
    to this process: `cache.load_pack_cached(root, progress)`, which also
    reports a broken pack's errors. Blocks: call it off the UI thread."""
    child = start(root)
    if child is not None:
        while (line := child.read()) is not None:
            kind, _, numbers = line.partition(" ")
            if kind == PACK_STORED:
                break
            if kind == PROGRESS and progress is not None:
                with contextlib.suppress(ValueError):
                    done, total = map(int, numbers.split())
                    progress(done, total)
        if PACK_STORED not in child.said:
            child.close()
            _forget(root)
    return load_pack_cached(root, progress)


def load_index(pack: Pack) -> SearchIndex:
    """The search index of `pack`: from the cache; built by the child
    that read the pack if it is still at work, or for a big pack not in the
    cache by a new child, and then read from the cache; otherwise (small or
    in-memory packs, or the child failed) built here. Blocks until done:
    call it off the UI thread."""
    root = pack.root
    if root is not None:
        child = _running(root)  # started by `load_pack`, for a pack of any size
        if child is None and len(pack.episodes) >= CHILD_MIN_EPISODES:
            found = load_index_cached(pack, build=False)
            if found is not None:
                return found
            child = start(root)
        if child is not None:
            try:
                stored = child.finish()
            finally:
                _forget(root)
            found = load_index_cached(pack, build=False) if stored else None
            if found is not None:
                return found
    return load_index_cached(pack)


@atexit.register
def stop_children() -> None:
    """End the children still at work: quitting the browser must not leave
    work running behind it (a later start does it again)."""
    with _lock:
        running = list(_children.values())
    for child in running:
        with contextlib.suppress(OSError):
            child.process.kill()


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
    if not was_cached:
        # Indexed from the stored entry, mapped: far less memory than the
        # parsed pack, which this process then no longer holds.
        pack = load_pack_cached(root).pack
        if pack is None:
            return 1
    load_index_cached(pack)
    if load_index_cached(pack, build=False) is None:
        return 1
    print(INDEX_STORED, file=say, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
