"""Builds a big pack's search index in a child process.

Indexing a thousand episodes is ~2.5 s of pure Python with a peak of ~85 MB.
In a thread of the browser it held the GIL, so keys were answered late for
those seconds, and the peak stayed in the browser's memory for good (freed
heap is rarely given back to the system). A child process builds the index
and stores it in the cache (`cache.load_index_cached`), then exits; the
browser maps the stored entry, which costs ~0.1 s and only the pages it reads.

Small packs, and any failure (no cache folder, a child that cannot start or
dies), are indexed in the calling process as before. Run as
`python -m soundtrack_tui.core.indexer PACK`; exit 0 once the entry is stored.
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
from typing import TYPE_CHECKING

from soundtrack_tui.core.cache import load_index_cached, load_pack_cached

if TYPE_CHECKING:
    from soundtrack_tui.core.model import Pack
    from soundtrack_tui.core.search import SearchIndex

__all__ = ["CHILD_MIN_EPISODES", "load_index", "main", "stop_children"]

CHILD_MIN_EPISODES = 50  # smaller packs index in milliseconds, in process
_NICE = 5  # the child yields the CPU to the browser it works for

_children: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()


def load_index(pack: Pack) -> SearchIndex:
    """The search index of `pack`: from the cache; for a big pack not in
    it, built by a child process and then read from the cache; otherwise
    (small or in-memory packs, or the child failed) built here. Blocks
    until done: call it off the UI thread."""
    if pack.root is not None and len(pack.episodes) >= CHILD_MIN_EPISODES:
        found = load_index_cached(pack, build=False)
        if found is not None:
            return found
        if _build_in_child(pack.root):
            found = load_index_cached(pack, build=False)
            if found is not None:
                return found
    return load_index_cached(pack)


def _command(root: Path) -> list[str]:
    return [sys.executable, "-m", "soundtrack_tui.core.indexer", os.fspath(root)]


def _build_in_child(root: Path) -> bool:
    """Run the child for the pack at `root`; True if it says it stored the
    index. Its output goes nowhere: the terminal belongs to the browser."""
    env = dict(os.environ)
    # The child imports this package from where the parent did.
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, env.get("PYTHONPATH"))))
    try:
        child = subprocess.Popen(
            _command(root),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError:
        return False
    with _lock:
        _children.add(child)
    try:
        return child.wait() == 0
    finally:
        with _lock:
            _children.discard(child)


@atexit.register
def stop_children() -> None:
    """End the children still building: quitting the browser must not
    leave work running behind it (a later start builds again)."""
    with _lock:
        running = list(_children)
    for child in running:
        with contextlib.suppress(OSError):
            child.kill()


def main(argv: Sequence[str] | None = None) -> int:
    """Index the pack at argv[0] into the cache; 0 if the entry is stored."""
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1:
        print("usage: python -m soundtrack_tui.core.indexer PACK", file=sys.stderr)
        return 2
    with contextlib.suppress(AttributeError, OSError):
        os.nice(_NICE)
    pack = load_pack_cached(args[0]).pack
    if pack is None:
        return 1
    load_index_cached(pack)
    return 0 if load_index_cached(pack, build=False) is not None else 1


if __name__ == "__main__":
    sys.exit(main())
